"""How large and how deeply nested a source may be: the numbers and the one check of them.

The reader calls :func:`read_limited` and :func:`check_tokens` before it builds the tree, so a
source past a limit stops at the door with its file and line, not halfway through a writer.
Why these limits exist:

- Size: the PDF writer holds every laid-out line of a book in memory (about 200 MB per MB of
  source) and takes about 20 s per MB. 8 MB of Chinese text is some 2.7 million characters,
  several times the longest novels, and still builds in a few minutes within about 2 GB.
- Nesting: the tree, the edition transform and the writers walk nested lists, quotes, divs and
  emphasis recursively, and Python's stack has room for a few hundred levels only. No real
  document nests more than a handful of levels; 32 of each leave wide room. markdown-it's own
  ``maxNesting`` (20 in the ``commonmark`` preset) silently dropped everything below ten nested
  list levels; it is raised so that it can only cut in past our limit, which is then reported.
- Paragraph length: a paragraph is laid out as one unit, and a split paragraph is re-examined
  on every page it runs over, so time grows with the square of its length. A paragraph of more
  than 100,000 characters is nearly always a text whose paragraphs were joined by single line
  breaks, which Markdown reads as one paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from markdown_it.token import Token

from zhengji_publish.diagnostics import error
from zhengji_publish.paths import os_error

MAX_SOURCE_MB = 8
MAX_SOURCE_BYTES = MAX_SOURCE_MB * 1024 * 1024
MAX_BLOCK_DEPTH = 32  # lists, block quotes, fenced divs and footnotes inside one another
MAX_INLINE_DEPTH = 32  # emphasis, strong, strikethrough, links and images inside one another
MAX_PARAGRAPH_CHARS = 100_000
# markdown-it stops nesting blocks at this token level and drops the rest; a list level takes two
# token levels (list and item), so reaching it means more than MAX_BLOCK_DEPTH levels, reported.
PARSER_MAX_NESTING = 2 * (MAX_BLOCK_DEPTH + 1)

_BLOCK_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "container_div_open", "footnote_open"}


def read_limited(path: Path) -> bytes:
    """The bytes of ``path``, reading no more than the limit allows (a huge file is never loaded)."""
    with open(path, "rb") as f:
        data = f.read(MAX_SOURCE_BYTES + 1)
        if len(data) > MAX_SOURCE_BYTES:
            import os

            size = os.fstat(f.fileno()).st_size
            what = (
                f"the source is {size / 1024 / 1024:.1f} MB"
                if size > MAX_SOURCE_BYTES
                else f"the source is larger than {MAX_SOURCE_MB} MB"
            )
            raise error(
                what, f"sources up to {MAX_SOURCE_MB} MB are supported; split it into several files", path, 1, 1
            )
    return data


def read_input(path: Path, role: str, expected: str) -> bytes:
    """The bytes of a file the user named on the command line, read as :func:`read_limited` does.

    ``role`` names it in messages (``source``, ``file to import``), ``expected`` says what to name
    instead of a folder (``a .md file``). Raises :class:`UserError`: exit status 2 for a missing
    file or a folder (a usage error), 1 for any other OS error, with its cause.
    """
    try:
        return read_limited(path)
    except FileNotFoundError:
        raise error("no such file", f"check the path of the {role}", path, exit_code=2) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", f"name {expected}", path, exit_code=2) from None
    except OSError as exc:
        raise os_error(exc, f"read the {role}", path) from None


def _too_deep(what: str, limit: int, path: Path, line: int):
    return error(
        f"{what} are nested more than {limit} levels deep",
        f"at most {limit} levels are supported; flatten the structure",
        path,
        line,
        1,
    )


def check_tokens(tokens: list[Token], path: Path) -> None:
    """Raise a located error if the parsed source nests too deeply or has an overlong paragraph.

    Works on markdown-it's flat token stream with an explicit stack, so that the check itself
    cannot run out of stack on the input it is there to reject.
    """
    depth = 0
    line = 1
    for tok in tokens:
        if tok.map:
            line = tok.map[0] + 1
        if tok.nesting == 1 and (tok.type in _BLOCK_CONTAINERS or tok.type == "list_item_open"):
            depth += tok.type != "list_item_open"
            # the level test catches markdown-it cutting a structure short (its contents dropped)
            if depth > MAX_BLOCK_DEPTH or tok.level + 1 >= PARSER_MAX_NESTING:
                raise _too_deep("lists, block quotes and divs", MAX_BLOCK_DEPTH, path, line)
        elif tok.nesting == -1 and tok.type.replace("_close", "_open") in _BLOCK_CONTAINERS:
            depth -= 1
        if tok.type == "inline":
            if len(tok.content) > MAX_PARAGRAPH_CHARS:
                raise error(
                    f"a paragraph of {len(tok.content):,} characters",
                    f"paragraphs up to {MAX_PARAGRAPH_CHARS:,} characters are supported; "
                    "separate paragraphs with a blank line",
                    path,
                    line,
                    1,
                )
            _check_inline(tok.children or [], path, line)


def _check_inline(children: Iterable[Token], path: Path, line: int) -> None:
    stack: list[tuple[Iterator[Token], int]] = [(iter(children), 0)]
    while stack:
        it, depth = stack[-1]
        tok = next(it, None)
        if tok is None:
            stack.pop()
            continue
        depth += tok.nesting
        stack[-1] = (it, depth)
        if depth > MAX_INLINE_DEPTH:
            raise _too_deep("emphasis, links and images", MAX_INLINE_DEPTH, path, line)
        if tok.children:  # an image: its alt text is a token list of its own
            if depth + 1 > MAX_INLINE_DEPTH:
                raise _too_deep("emphasis, links and images", MAX_INLINE_DEPTH, path, line)
            stack.append((iter(tok.children), depth + 1))
