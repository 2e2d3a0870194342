"""YAML parsing for styles and front matter, through libyaml when PyYAML was built with it.

The C parser is several times faster than the pure-Python one and gives the same values and nodes.
Its error marks are less precise (an unclosed ``[`` is reported where the input ends, not where the
line ends), so text it refuses is parsed again by the pure-Python parser, whose error we raise.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from zhengji_publish.diagnostics import Diagnostic, UserError, error

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


# A line that opens with a mapping key (``author:``) or a list item (``- ``), as the lines after an
# unclosed quote do.
_KEY_LINE = re.compile(r"\s*([^\s#:'\"\[\]{},-][^:#]*:|-)(\s|$)")


def unclosed_quote(exc: yaml.YAMLError, text: str) -> tuple[int, int, str] | None:
    """Where a quoted value of the YAML ``text`` that raised ``exc`` opens and is never closed, as
    0-based ``(line, column, quote)``; None when the error is another.

    PyYAML reads a quoted scalar on over line ends (YAML 1.2 §7.3: flow scalars may span lines),
    so ``title: "政绩观`` without its closing ``"`` takes in the lines after it. When nothing closes
    it the scanner says ``found unexpected end of stream`` (its context mark is the quote); when a
    later value's quote closes it (``author: "张三"``), the parser fails after it, on that line. The
    second is recognised by a quoted scalar that starts before the error and spans a line that
    opens with a key (``author:``): a value written over several lines on purpose has none.
    """
    context = getattr(exc, "context_mark", None)
    lines = text.split("\n")
    if "quoted scalar" in str(getattr(exc, "context", "")) and context is not None:
        line = lines[context.line] if context.line < len(lines) else ""
        return context.line, context.column, line[context.column : context.column + 1] or '"'
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            tokens.append(token)
    except yaml.YAMLError:
        pass
    for token in tokens:
        start, end = token.start_mark, token.end_mark
        if (
            isinstance(token, yaml.ScalarToken)
            and token.style in ("'", '"')
            and start.line < end.line
            and start.line <= mark.line
            and any(_KEY_LINE.match(lines[i]) for i in range(start.line + 1, min(end.line + 1, len(lines))))
        ):
            return start.line, start.column, token.style
    return None


def unclosed_quote_error(exc: yaml.YAMLError, text: str, path: Path, offset: int = 0) -> UserError | None:
    """The located error for an unclosed quote (:func:`unclosed_quote`), or None when ``exc`` is
    another error; ``offset`` is the file line before the YAML's first (1 for front matter)."""
    found = unclosed_quote(exc, text)
    if found is None:
        return None
    line, col, quote = found
    return error(
        f"unclosed quote: the {quote} opened here is never closed, so the lines after it are read as part of "
        "this value",
        f"close it with {quote} where the value ends",
        path,
        line + 1 + offset,
        col + 1,
    )


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, whose marks give each key's line."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def duplicates(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    """Every key that a mapping of ``node``'s tree (nested ones too) gives again, as (first,
    repeat) key nodes, in document order of the repeat; empty when every key is given once.

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
    return sorted(found, key=lambda pair: (pair[1].start_mark.line, pair[1].start_mark.column))


def duplicate_keys(node: yaml.Node | None, path: Path, offset: int = 0) -> list[Diagnostic]:
    """A located :class:`~zhengji_publish.diagnostics.Diagnostic` at each repeat of a key given
    twice in ``node``'s tree (:func:`duplicates`), naming the first's line; ``offset`` is the file
    line before the YAML's first (1 for front matter)."""
    return [
        Diagnostic(
            f"'{second.value}' is given twice (first at line {first.start_mark.line + 1 + offset})",
            "keep one of them: the second would silently replace the first",
            path,
            second.start_mark.line + 1 + offset,
            second.start_mark.column + 1,
        )
        for first, second in duplicates(node)
    ]


def check_unique_keys(node: yaml.Node | None, path: Path, offset: int = 0) -> None:
    """Raise a :class:`~zhengji_publish.diagnostics.UserError` with every :func:`duplicate_keys`."""
    problems = duplicate_keys(node, path, offset)
    if problems:
        raise UserError(problems)
