"""YAML parsing for styles and front matter, through libyaml when PyYAML was built with it.

The C parser is several times faster than the pure-Python one and gives the same values and nodes.
Its error marks are less precise (an unclosed ``[`` is reported where the input ends, not where the
line ends), so text it refuses is parsed again by the pure-Python parser, whose error we raise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from zhengji_publish.diagnostics import error

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """The data of one YAML document (safe types only)."""
    try:
        return yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506


class _DatesAsText(yaml.SafeLoader):
    """The safe loader without the implicit timestamp type: ``2026-13-40`` stays a string."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_dates_as_text(text: str) -> Any:
    """:func:`load` with every date-like value a string: for a document PyYAML cannot load because
    a value looks like a date and is none (it raises a bare ``ValueError``, with no place), so that
    the caller checks each date where it stands and reports every problem, each at its key."""
    return yaml.load(text, Loader=_DatesAsText)  # noqa: S506 (a safe loader)


def error_mark(exc: yaml.YAMLError, text: str) -> tuple[int, int] | None:
    """Where the YAML ``text`` that raised ``exc`` goes wrong, as 0-based ``(line, column)``; None
    when PyYAML gives no place.

    PyYAML reports the place it noticed the problem. For a construct left open it notices only on
    a later line or at the end of the input: a key without its ``:`` (``while scanning a simple
    key``), a quote or a ``[``/``{`` never closed are located at their start (the error's context
    mark) when that is on an earlier line; an error met at the end of the input at the end of the
    last line with text on it. Every other error is where PyYAML says.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    at_end = not text[mark.index :].strip()  # nothing but blanks from the place on
    context = getattr(exc, "context_mark", None)
    late = mark.column == 0 or at_end  # the scanner went past the line it stopped reading on
    opened = "flow" in str(getattr(exc, "context", "")) or (isinstance(exc, yaml.scanner.ScannerError) and late)
    if opened and context is not None and context.line < mark.line:
        return context.line, context.column
    if not at_end or mark.column != 0 or mark.line == 0:  # a token stands there, or the text ends on that line
        return mark.line, mark.column
    lines = text.split("\n")
    last = max((i for i in range(min(mark.line, len(lines))) if lines[i].strip()), default=0)
    return last, len(lines[last].rstrip())


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, whose marks give each key's line."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def first_duplicate(node: yaml.Node | None) -> tuple[yaml.Node, yaml.Node] | None:
    """The first key that a mapping of ``node``'s tree (nested ones too) gives twice, as (first,
    second) key nodes, in document order of the second; None when every key is given once.

    YAML 1.2 requires keys to be unique, but PyYAML keeps the last value of a repeated key without a
    word: a front matter with two ``title:`` lines would silently lose the first.
    """
    found: list[tuple[yaml.Node, yaml.Node]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.append((seen[key.value], key))
                    else:
                        seen[key.value] = key
                stack += [key, value]
        elif isinstance(n, yaml.SequenceNode):
            stack += n.value
    if not found:
        return None
    return min(found, key=lambda pair: (pair[1].start_mark.line, pair[1].start_mark.column))


def check_unique_keys(node: yaml.Node | None, path: Path, offset: int = 0) -> None:
    """Raise a located :class:`~zhengji_publish.diagnostics.UserError` at the second of a key
    given twice in ``node``'s tree (:func:`first_duplicate`), naming the first's line; ``offset``
    is the file line before the YAML's first (1 for front matter)."""
    twice = first_duplicate(node)
    if twice is not None:
        first, second = twice
        raise error(
            f"'{second.value}' is given twice (first at line {first.start_mark.line + 1 + offset})",
            "keep one of them: the second would silently replace the first",
            path,
            second.start_mark.line + 1 + offset,
            second.start_mark.column + 1,
        )
