"""Read a Markdown source (CommonMark + YAML front matter + fenced divs) into a :class:`Document`.

This is the only module that knows Markdown. It also guards the door: undecodable bytes, control
characters, bad front matter, missing images and raw HTML are reported here with file and line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, cast
from urllib.parse import quote, unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.html_inline import html_inline
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from zhengji_publish import anchors, gongwen, limits, rawhtml, yamlload
from zhengji_publish import model as m
from zhengji_publish.cjk_emphasis import cjk_friendly_plugin
from zhengji_publish.dates import DateError, parse_date
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError, error
from zhengji_publish.fenced_divs import pandoc_nesting
from zhengji_publish.filekind import file_kind, image_name, not_word
from zhengji_publish.images import DEFAULT_LIMITS, ImageLimits, load_image
from zhengji_publish.paths import Confinement
from zhengji_publish.suggest import did_you_mean
from zhengji_publish.text import FORBIDDEN_CONTROL, is_cjk, is_forbidden_control

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}

# Front-matter keys and what each may hold; anything else is an error naming the key.
META_KEYS = {
    "title": "a string",
    "subtitle": "a string",
    "author": "a string or a list of strings",
    "publisher": "a string",
    "date": "a date such as 2026-03-16 or 2026年3月16日",
    "lang": "a BCP 47 tag such as zh-CN, zh-TW or zh-HK",
    "editions": "a list of editions such as [zh-Hans, zh-Hant-TW]",
    "style": "a style name (see `zhengji-publish styles list`) or a path to a .yaml file",
    "opencc": "a mapping edition: OpenCC config, e.g. {zh-Hant-TW: s2twp}",
    "subject": "a string",
    "description": "a string",
    "keywords": "a list of strings",
    "rights": "a string",
    "identifier": "a string (defaults to one derived from title and date)",
    "toc": "true or false",
    "overrides": "a phrase file beside the source, one 'simplified<TAB>traditional' pair per line",
    "公文": "a mapping of GB/T 9704-2012 element names (发文字号, 主送机关, 成文日期 …) to their values",
    "cover": "a PNG or JPEG picture beside the source: the EPUB's cover, the PDF's first page if the style says",
}


# Fenced-div classes the writers set in a style of their own; any other class is set as ordinary
# text and warned about, with the nearest of these as a suggestion. ``pagebreak`` is a forced page
# break (its content, if any, starts the new page). ``attachment`` is a 公文's 附件 (GB/T 9704-2012
# §7.3.7): on a page of its own, labelled 附件N, its first heading its title.
DIV_CLASSES = ("subtitle", "byline", "notice", "caption", "blockquote", "pagebreak", "attachment")

# A raw LaTeX page-break command alone in a paragraph, as pandoc users write it, is a ``pagebreak``
# div too (pandoc passes it to LaTeX and drops it elsewhere; here every format honours it).
PAGE_BREAK_COMMANDS = frozenset({"\\newpage", "\\pagebreak", "\\clearpage"})


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": limits.PARSER_MAX_NESTING}).enable("table").enable("strikethrough")
    md.use(front_matter_plugin).use(footnote_plugin).use(cjk_friendly_plugin)
    md.use(container_plugin, name="div", validate=lambda params, *args: bool(params.strip()))
    _mark_closing(md)
    md.inline.ruler.after("footnote_ref", "footnote_undefined", _footnote_undefined)
    md.inline.ruler.at("html_inline", _html_inline_placed)
    md.core.ruler.before("footnote_tail", "footnote_check", _footnote_check)
    return md


# A footnote reference as mdit-py-plugins' footnote rule reads it: ``[^label]``, the label one or
# more characters that are neither a space, a line end nor ``]``.
_FOOTNOTE_REF = re.compile(r"\[\^([^\] \n]+)\]")


def _footnote_undefined(state: StateInline, silent: bool) -> bool:
    """Record a ``[^label]`` no definition names (``env["undefined_refs"]``: the inline's token
    list, its text, the offset of ``[``, the label); it stays text, as markdown-it leaves it.

    The rule runs after ``footnote_ref`` (which takes every defined label) and after the link
    rules (``[^x](url)`` is a link), at a ``[`` no earlier rule consumed: never inside a code
    span, an autolink or raw HTML, nor after a backslash (``\\[^x]`` is text), which their own
    rules take whole."""
    if silent or state.src[state.pos] != "[":
        return False
    found = _FOOTNOTE_REF.match(state.src, state.pos, state.posMax)
    if found:
        state.env.setdefault("undefined_refs", []).append((state.tokens, state.src, state.pos, found.group(1)))
    return False


def _html_inline_placed(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``html_inline`` rule, recording where each tag it takes starts (its token's
    ``meta["at"]``: the inline's token list, its text and the offset of ``<``), so that the warning
    that drops it points at its ``<`` (:func:`_inline_position`)."""
    start, count = state.pos, len(state.tokens)
    found = html_inline(state, silent)
    if found and not silent and len(state.tokens) > count:
        state.tokens[-1].meta["at"] = (state.tokens, state.src, start)
    return found


def _footnote_check(state: StateCore) -> None:
    """Record each footnote definition (``env["footnote_defs"]``: label, 0-based line) before
    ``footnote_tail`` removes them: it keeps the last of two with one label, silently, and drops
    a definition no reference names; :func:`check_footnotes` reports both. Where each inline
    token's text starts is recorded too (``env["inline_starts"]``, by its children list's id:
    0-based line, 0-based column of its first line or ``None`` when it is the line's tail, and
    whether its ``|`` were written ``\\|``), to locate an undefined reference."""
    lines = state.src.split("\n")
    state.env["footnote_defs"] = [
        (str(t.meta["label"]), t.map[0]) for t in state.tokens if t.type == "footnote_reference_open" and t.map
    ]
    starts: dict[int, tuple[int, int | None, bool]] = {}
    cursor = 0  # in a table row, where the next cell's text is sought (cells may repeat one text)
    in_cell = False
    for t in state.tokens:
        if t.type == "tr_open":
            cursor = 0
        elif t.type in ("td_open", "th_open", "td_close", "th_close"):
            in_cell = t.nesting == 1
        elif t.type == "inline" and t.map:
            if in_cell:
                line = lines[t.map[0]] if t.map[0] < len(lines) else ""
                col, escaped = line.find(t.content, cursor), False
                if col < 0:  # a table cell's \| is | in its text
                    col, escaped = line.find(t.content.replace("|", "\\|"), cursor), True
                if col >= 0:
                    cursor = col + len(t.content) + (t.content.count("|") if escaped else 0)
                    starts[id(t.children)] = (t.map[0], col, escaped)
                    continue
            starts[id(t.children)] = (t.map[0], None, False)
    state.env["inline_starts"] = starts


def check_footnotes(env: dict, lines: list[str], path: Path, reporter: Reporter) -> None:
    """Report what markdown-it's footnote plugin passes over in silence, from the ``env`` of a
    parse (:func:`_footnote_undefined`, :func:`_footnote_check`); lines and columns are 1-based.

    - A reference ``[^x]`` to a label no definition names: an error at its ``[`` (left alone it
      would be printed as the text ``[^x]`` in every output).
    - A label defined twice: an error at the second definition (the plugin keeps the last,
      dropping the first).
    - A definition no reference names: a warning at its ``[`` (the plugin drops it).

    Raises :class:`UserError` with every error, in the order of their lines.
    """
    problems = []
    starts = env.get("inline_starts", {})
    for tokens, src, pos, label in env.get("undefined_refs", []):
        line, col = _inline_position(starts.get(id(tokens)), src, pos, f"[^{label}]", lines)
        problems.append(
            Diagnostic(
                f"footnote [^{label}] is not defined",
                f"add a line '[^{label}]: …' or remove the reference",
                path,
                line,
                col,
            )
        )
    first: dict[str, int] = {}
    for label, line in env.get("footnote_defs", []):
        if label in first:
            problems.append(
                Diagnostic(
                    f"footnote [^{label}] is defined twice (first on line {first[label] + 1})",
                    "keep one of the two definitions, or give this one a label of its own and reference it",
                    path,
                    line + 1,
                    _def_column(lines, line, label),
                )
            )
        first.setdefault(label, line)
    if problems:
        raise UserError(sorted(problems, key=lambda d: (d.line or 0, d.col or 0)))
    refs = env.get("footnotes", {}).get("refs", {})
    for label, line in env.get("footnote_defs", []):
        if refs.get(":" + label, -1) < 0:
            reporter.warn(
                f"footnote [^{label}] is defined but never referenced",
                f"reference it with [^{label}] or remove it",
                path,
                line + 1,
                _def_column(lines, line, label),
            )


def _def_column(lines: list[str], line: int, label: str) -> int:
    """1-based column of the definition ``[^label]:`` on 0-based ``line`` (after any list or quote marker)."""
    return max(lines[line].find(f"[^{label}]:"), 0) + 1 if line < len(lines) else 1


def _inline_position(
    start: tuple[int, int | None, bool] | None, src: str, pos: int, needle: str, lines: list[str]
) -> tuple[int, int]:
    """1-based (line, column) in the file of the character at ``pos`` in an inline text ``src``
    that starts where ``start`` says (see :func:`_footnote_check`): the ``[`` of a footnote
    reference, the ``<`` of a raw HTML tag.

    A line of a paragraph's or a heading's text is the tail of its line in the file, what list
    and quote markers or indentation precede it taken off (the last line's trailing spaces too).
    An inline with no recorded start (an inline footnote's ``^[…]`` text, an image's alt text) is
    placed at the first line holding ``needle``, the text that starts at ``pos``."""
    if start is None:
        found = next((i for i, text in enumerate(lines) if needle in text), 0)
        return found + 1, max(lines[found].find(needle), 0) + 1 if lines else 1
    first_line, first_col, escaped = start
    line = first_line + src.count("\n", 0, pos)
    line_start = src.rfind("\n", 0, pos) + 1
    offset = pos - line_start
    text = lines[line] if line < len(lines) else ""
    if line == first_line and first_col is not None:
        return line + 1, first_col + offset + (src.count("|", 0, pos) if escaped else 0) + 1
    end = src.find("\n", pos)
    at = text.rfind(src[line_start : end if end >= 0 else len(src)])
    if at >= 0:
        return line + 1, at + offset + 1
    return line + 1, max(text.find(needle), 0) + 1


def _mark_closing(md: MarkdownIt) -> None:
    """Record on each fenced div's ``container_div_open`` token and each code ``fence`` token
    whether its closing fence was found (``meta["closed"]``).

    A fence or a fenced div with no closing fence ends, silently, at the end of the document or of
    the block it is in (CommonMark 0.31.2 §4.5: "If the end of the containing block (or document)
    is reached and no closing code fence has been found, the code block contains all of the lines
    after the opening code fence"; mdit-py-plugins' container rule does the same for a div).

    - A div: the rule moves past a closing fence it found and stops on the last line of the div
      otherwise, so the line it stops at tells the two apart.
    - A code fence: its token spans its lines, the closing fence's included when there is one;
      its content holds one line per line between the fences.
    """

    def div_closed(token: Token, state: StateBlock) -> bool:
        return token.map is not None and state.line > token.map[1]

    def fence_closed(token: Token, state: StateBlock) -> bool:
        return token.map is not None and token.content.count("\n") == token.map[1] - token.map[0] - 2

    ruler = md.block.ruler
    for name, closed in (("container_div", div_closed), ("fence", fence_closed)):
        rule = ruler.__rules__[ruler.__find__(name)]

        def marked(
            state: StateBlock,
            start_line: int,
            end_line: int,
            silent: bool,
            parse=rule.fn,
            closed=closed,
        ) -> bool:
            first = len(state.tokens)
            found = parse(state, start_line, end_line, silent)
            if found and not silent:
                token = state.tokens[first]
                token.meta["closed"] = closed(token, state)
            return found

        ruler.at(name, marked, {"alt": list(rule.alt)})


_MD = _parser()


def identify_non_text(data: bytes, path: Path) -> tuple[str, str] | None:
    """``(what the file is, how to make a Markdown source of it)`` for a file that is not Markdown
    text: a Word, OpenDocument, EPUB, PDF, RTF or HTML document, an image, an archive, UTF-16 text
    or any other binary file; ``None`` for text that may be Markdown (see :mod:`filekind`).

    What ``zhengji-publish import`` reads (Word documents, web pages, UTF-16 text) is pointed there,
    in commands naming the file as ``path`` does (its folder kept). A file named ``.docx`` that
    holds text is not read as Markdown (:func:`~zhengji_publish.filekind.not_word`).
    """
    misnamed = not_word(data, path, ".md")
    if misnamed:
        return misnamed
    name = str(path)  # as the user typed it, so that the commands below run where they are
    stem = str(path.with_suffix(".md"))
    if stem == name:  # a Word file named .md: the source must not replace the file it comes from
        stem = str(path.with_name(f"{path.stem}-imported.md"))
    imported = f"import it: `zhengji-publish import {name} -o {stem}`, then build {stem}"
    pandoc = f"convert it to Markdown with `pandoc {name} -t markdown -o {stem}` and build {stem}"
    kind = file_kind(data)
    messages = {
        "docx": ("this is a Word document (.docx), not Markdown text", imported),
        "encrypted": (
            "this is a Word document protected with a password, not Markdown text",
            f"remove the password in Word or LibreOffice, save it, then {imported}",
        ),
        "odt": ("this is an OpenDocument text (.odt), not Markdown text", pandoc),
        "epub": ("this is an EPUB e-book, not Markdown text", pandoc),
        "office": (
            "this is an Excel or PowerPoint file, not Markdown text",
            "copy its text into a Markdown (.md) file saved as UTF-8",
        ),
        "zip": ("this is a ZIP archive, not Markdown text", "unpack it and build the .md file inside"),
        "ole": (
            "this is a Word 97–2003 document (.doc) or another old Office file, not Markdown text",
            f"save it as .docx (Word or LibreOffice: Save As), then `zhengji-publish import "
            f"{path.with_suffix('.docx')} -o {stem}` and build {stem}",
        ),
        "pdf": (
            "this is a PDF file, not Markdown text",
            f"copy its text into a Markdown file (`pdftotext -layout {name}` prints it) and mark the headings with #",
        ),
        "rtf": ("this is an RTF document, not Markdown text", pandoc),
        "utf16": (
            "this is UTF-16 text, not UTF-8",
            "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
        ),
        "image": (
            f"this is {image_name(data)}, not Markdown text",
            f"include it in a source with ![description]({path.name})",  # named from the source's folder
        ),
        "html": ("this is an HTML page, not Markdown text", imported),
        "binary": ("this is a binary file, not Markdown text", "give a Markdown (.md) file saved as UTF-8"),
    }
    return messages.get(kind)


def _legacy_chinese(data: bytes) -> bool:
    """Whether a file that is not UTF-8 is Chinese text in GB 18030 (GBK, GB 2312), as older editors
    save it: it decodes as GB 18030, and not merely one stray byte of it is invalid as UTF-8."""
    if data.decode("utf-8", "replace").count("\ufffd") < 3:
        return False
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def decode_source(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) → text with ``\\n`` line ends; bad bytes and control chars are errors.

    A file that is not text at all (a Word document, a PDF, an image …) is reported as what it is,
    with how to turn it into a Markdown source, instead of as its first undecodable byte.
    """
    kind = identify_non_text(data, path)
    if kind:
        raise error(*kind, path, 1, 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        legacy = _legacy_chinese(data)
        converted = path.with_name(f"{path.stem}-utf8.md")  # beside it, named as the user named it
        raise error(
            f"invalid UTF-8 byte 0x{data[exc.start]:02x}"
            + ("; the file looks like GB 18030 (GBK) text" if legacy else ""),
            "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)"
            + (f", or convert it: `iconv -f GB18030 -t UTF-8 {path} > {converted}`" if legacy else ""),
            path,
            line,
            col,
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    problems = []
    for lineno, line_text in enumerate(text.split("\n") if FORBIDDEN_CONTROL.search(text) else [], 1):
        for col, ch in enumerate(line_text, 1):
            if is_forbidden_control(ch):
                problems.append(
                    Diagnostic(
                        f"control character U+{ord(ch):04X} in the text",
                        "delete it (it often comes from text pasted out of a web page or PDF)",
                        path,
                        lineno,
                        col,
                    )
                )
                break
    if problems:
        raise UserError(problems)
    if not text.strip():
        raise error("the source is empty", "write some Markdown, starting with a # heading", path, 1, 1)
    return text


AllowOutside = Path | Sequence[Path] | None


def read_file(
    path: Path,
    reporter: Reporter | None = None,
    allow_outside: AllowOutside = None,
    image_limits: ImageLimits = DEFAULT_LIMITS,
    style_dirs: tuple[Path, ...] | None = None,
) -> m.Document:
    """Read ``path`` into a document tree (errors are :class:`UserError`).

    Every file the source names (images, the ``overrides`` file, a ``style`` given as a path) must
    lie inside the source's folder or inside an ``allow_outside`` folder, symbolic links resolved
    (:func:`zhengji_publish.paths.confine`): a source can never make the tool read files elsewhere
    on the machine. Images are checked against ``image_limits`` and decoded here
    (:func:`zhengji_publish.images.load_image`). With ``style_dirs`` (the ``--styles`` folders of a
    build that takes its style from the front matter) the style named there is looked up too, and
    not finding it is one of the source's problems (:func:`confine_front_matter`).
    """
    path = Path(path)
    data = limits.read_input(path, "source", "a .md file")
    text = decode_source(data, path)
    check_plain_text(text, path)
    return read_text(text, path, reporter, allow_outside, image_limits, style_dirs)


PLAIN_TEXT_SUFFIXES = (".txt", ".text")
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)|^ {0,3}(?:=+|-+)[ \t]*$", re.M)


def check_plain_text(text: str, path: Path) -> None:
    """A ``.txt`` source with no Markdown structure is an error saying what it is and what to do.

    A plain-text file read as Markdown would build, but silently wrong: it has no headings (the
    document would be titled after the file name and have no contents), its line breaks inside a
    paragraph would be joined, its indented lines set as code. So a ``.txt`` (or ``.text``) file is
    built only when it is Markdown already: it opens with front matter or marks at least one
    heading (``#`` or a setext underline). Any other suffix is read as Markdown, as before.
    """
    if path.suffix.lower() not in PLAIN_TEXT_SUFFIXES:
        return
    if text.startswith("---\n") or _MARKDOWN_HEADING.search(text):
        return
    source = str(path.with_suffix(".md"))  # as the user named the file, so the command runs where they are
    raise error(
        "this is plain text with no Markdown headings (a .txt file), not a Markdown source",
        f"run `zhengji-publish import {path} -o {source}`, which guesses its headings and reports each "
        f"guess, then build {source} (or rename it to {source} and mark its headings with #)",
        path,
        1,
        1,
    )


def read_text(
    text: str,
    path: Path,
    reporter: Reporter | None = None,
    allow_outside: AllowOutside = None,
    image_limits: ImageLimits = DEFAULT_LIMITS,
    style_dirs: tuple[Path, ...] | None = None,
) -> m.Document:
    """Parse decoded Markdown ``text`` (``path`` is used for messages and to resolve the files it
    names; ``style_dirs`` as for :func:`read_file`).

    Raises :class:`UserError` with every independent problem of the source, in the order of their
    lines: those of the front matter and the files it names, fences that do not pair up (a fenced div
    or a code fence never closed, a ':::' closing nothing: :func:`_check_fences`), footnotes,
    and the first of each top-level block (an image not found …). Text that cannot be split into
    front matter and Markdown (a front matter never closed, YAML that does not parse) is one
    problem, raised alone."""
    reporter = reporter or Reporter()
    # mdit-py-plugins' container rule reads one character past the end of a source whose last
    # line is an empty block-quote line ("> " with no newline); a final newline changes nothing else
    env: dict = {}
    # pandoc's nesting of fenced divs (fenced_divs): only the fences' lengths change, no line moves
    tokens = _MD.parse(pandoc_nesting(text if text.endswith("\n") else text + "\n"), env)
    limits.check_tokens(tokens, path)
    lines = text.split("\n")
    root = SyntaxTreeNode(tokens)
    front = next((node for node in root.children if node.type == "front_matter"), None)
    if front is None:
        _check_front_matter_closed(lines, path)
    problems: list[Diagnostic] = []
    meta = parse_front_matter(front.content, path, reporter, problems=problems) if front else m.Meta()
    confinement = Confinement(allow_outside)
    if front:
        confine_front_matter(
            meta, front.content, path, confinement, image_limits=image_limits, problems=problems, style_dirs=style_dirs
        )
    for check in (
        lambda: _check_fences(tokens, lines, path),
        lambda: check_footnotes(env, lines, path, reporter),
    ):
        try:
            check()
        except UserError as exc:
            problems += exc.diagnostics
    builder = _TreeBuilder(path, reporter, confinement, lines, image_limits, env.get("inline_starts"))
    blocks: list[m.Block] = []
    footnotes: list[m.Footnote] = []
    for node in root.children:
        try:
            if node.type == "footnote_block":
                footnotes = [builder.footnote(fn) for fn in node.children]
            elif node.type != "front_matter":
                blocks.extend(builder.block(node))
        except UserError as exc:  # the block's first problem; the next blocks are read all the same
            problems += exc.diagnostics
    if problems:
        raise UserError(sorted(problems, key=lambda d: (d.line or 0, d.col or 0)))
    if meta.gongwen is not None:
        gongwen.check_attachments(meta.gongwen, blocks, path, reporter)
    repeated = m.title_heading(blocks) if meta.title else None
    if repeated is not None and _same_title(m.plain_text(repeated.children), meta.title):
        blocks.remove(repeated)  # the title is set once, as the title (see _same_title)
    if not meta.title:
        # Never empty: an EPUB with an empty <title> is invalid (EPUB 3), so the file's name serves.
        first = m.title_heading(blocks)
        meta.title = m.plain_text(first.children).strip() if first else path.stem
        meta.title_derived = True  # it names the publication; the heading is already in the text
    doc = m.Document(meta=meta, blocks=blocks, footnotes=footnotes, source=path)

    def locate(target: str, line: int) -> tuple[int, int]:
        """Where a link's target is written, as typed or percent-encoded, in Markdown (``](…``)
        or HTML (``href="…``): (line, column of its first character)."""
        for written in (target, quote(target, safe="#/:?&=")):
            for opening in ("](", "](<", 'href="', "href='"):
                found = builder.find(opening + written, line)
                if found:
                    return found[0], found[1] + len(opening)
        return line, 1

    anchors.resolve_links(doc, builder.explicit_ids, reporter, locate, path)
    return doc


def _same_title(heading: str, title: str) -> bool:
    """Whether a document's first heading repeats its front matter's ``title`` (their text alike,
    whatever their inline marks, runs of spaces counted as one): as in a Markdown file written for a
    site or a README, where the ``# `` heading is the title shown. The heading is then dropped by
    :func:`read_text`, so that every format sets the title once, where a title goes (the PDF's title
    block, the DOCX's ``Title`` paragraph, the EPUB's title page) — not a second time as the
    text's first heading, in the contents and numbered as a 公文's first heading (一、)."""
    return " ".join(heading.split()) == " ".join(title.split())


# A line that reads as a YAML key: a name, a colon, then a space or the line's end.
_YAML_KEY = re.compile(r"[^\s#:\-][^:#]*:(\s|$)")


def _check_front_matter_closed(lines: list[str], path: Path) -> None:
    """A first line ``---`` followed by ``key: value`` lines with no closing ``---`` (or ``...``) is
    front matter never closed: an error at line 1, not a thematic break and a paragraph reading
    ``title: …`` (Markdown would read it so, and the title would silently be the file's name).
    A source that is a line ``---`` alone (blank lines aside) is the same error: an opened front
    matter, not a document."""
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return
    following = next((ln for ln in lines[1:] if ln.strip()), None)
    if following is None:  # '---' and nothing else: no rule between texts, no metadata either
        raise error(
            "the front matter opened by '---' here is never closed, and nothing follows it",
            "write the metadata after it and end it with a line '---' (e.g. 'title: …'), or delete the line",
            path,
            1,
            1,
        )
    if _YAML_KEY.match(following):
        raise error(
            "the front matter opened by '---' here is never closed",
            "end it with a line '---' after its last key",
            path,
            1,
            1,
        )


def holds_markdown(text: str) -> bool:
    """Whether the text between two ``---`` lines is Markdown rather than YAML: a paragraph of prose
    after a blank line (a line that is neither a ``key:``, a ``- `` item, an indented continuation
    nor a ``#`` comment), as when a front matter left unclosed runs on to a ``---`` rule in the text.
    """
    lines = text.split("\n")
    return any(
        not lines[i - 1].strip()
        and lines[i].strip()
        and not lines[i][0].isspace()
        and not lines[i].startswith(("-", "#"))
        and not _YAML_KEY.match(lines[i])
        for i in range(1, len(lines))
    )


# What holds a block, as its text would name it after "the rest of …" (by its opening token's type).
_CONTAINER_NAMES = {
    "container_div_open": "its fenced div",
    "list_item_open": "its list item",
    "blockquote_open": "its block quote",
    "footnote_open": "its footnote",
}
_STRAY_CLOSE = re.compile(r":{3,}")  # a fenced div's closing fence: colons alone (mdit-py-plugins' container)


def _check_fences(tokens: list[Token], lines: list[str], path: Path) -> None:
    """Fences that do not pair up are errors, each at its line (1-based lines and columns).

    - A fenced div with no closing fence, at its opening fence: left alone it would silently take
      in the rest of the document (or of the list item or block quote it is in), e.g. a whole
      article set in a notice's box.
    - A code fence (```` ``` ```` or ``~~~``, CommonMark 0.31.2 §4.5) with no closing fence, at its
      opening fence: the rest of the document (or of the block it is in) would be set as code.
      When the ``:::`` closing the fenced div around it ends it, the message names that line: a
      line ``:::`` in the code closes the div, not the code.
    - A line of colons alone (``:::``) that closes no fenced div: markdown would set it as text
      (a paragraph's line, or a setext heading's), and every format would print it.

    Raises :class:`UserError` with every problem, in the order of the tokens.
    """
    problems = []
    held: list[Token] = []  # the opening tokens of the blocks around the current one
    # A div never closed and a ':::' closing nothing: most often a div put in another with fences
    # of the same length, where the inner ':::' closes the outer div.
    nesting = ""
    if any(t.type == "container_div_open" and not t.meta.get("closed", True) for t in tokens):
        nesting = (
            ", or, to put a div inside another, write the outer one's fences with more colons (':::: notice' … '::::')"
        )

    def column(line: int, text: str) -> int:
        return max(lines[line - 1].find(text), 0) + 1 if 0 < line <= len(lines) else 1

    for tok in tokens:
        if tok.nesting == 1:
            held.append(tok)
        elif tok.nesting == -1:
            held.pop()
        if tok.type == "container_div_open" and not tok.meta.get("closed", True) and tok.map:
            line = tok.map[0] + 1
            problems.append(
                Diagnostic(
                    f"the fenced div '{tok.markup} {tok.info.strip()}' opened here is never closed",
                    f"end it with a line '{tok.markup}' where the block ends "
                    "(without one it takes in everything after it)",
                    path,
                    line,
                    column(line, tok.markup),
                )
            )
        elif tok.type == "fence" and not tok.meta.get("closed", True) and tok.map:
            problems.append(_unclosed_fence(tok, held, path, column))
        elif tok.type == "inline" and tok.map and held and _lines_of_text(held[-1]):
            for index, text in enumerate(tok.content.split("\n")):
                if _STRAY_CLOSE.fullmatch(text.strip()):
                    line = tok.map[0] + index + 1
                    problems.append(
                        Diagnostic(
                            f"a '{text.strip()}' that closes no fenced div",
                            "remove it" + nesting,
                            path,
                            line,
                            column(line, text.strip()),
                        )
                    )
    if problems:
        raise UserError(problems)


def _lines_of_text(block: Token) -> bool:
    """Whether the inline text of ``block`` (its opening token) is its source lines as written, so
    that a line ``:::`` in it is one of the file: a paragraph's, or a setext heading's (its text
    over a ``===`` or ``---`` line); not an ATX heading's (``## :::`` is a heading's text) nor a
    table cell's."""
    return block.type == "paragraph_open" or (block.type == "heading_open" and block.markup in ("=", "-"))


def _unclosed_fence(tok: Token, held: list[Token], path: Path, column: Callable[[int, str], int]) -> Diagnostic:
    """The error for the code fence ``tok`` that has no closing fence; ``held`` the opening tokens
    of the blocks around it, innermost last (see :func:`_check_fences`)."""
    assert tok.map is not None
    line = tok.map[0] + 1
    fence = f"{tok.markup}{tok.info.rstrip()}"
    inner = next((t for t in reversed(held) if t.type in _CONTAINER_NAMES), None)
    if inner is not None and inner.type == "container_div_open" and inner.meta.get("closed") and inner.map:
        if inner.map[1] == tok.map[1]:  # the div's closing ':::' is the line that ends the code
            end = inner.map[1] + 1
            return Diagnostic(
                f"the code fence '{fence}' opened here is never closed: "
                f"the '{inner.markup}' on line {end} closes the fenced div around it first",
                f"end the code with a line '{tok.markup}' before line {end}; if that '{inner.markup}' is part of "
                f"the code, write the div's fences with more colons than any line of the code has "
                f"('{inner.markup}: {inner.info.strip()}' … '{inner.markup}:')",
                path,
                line,
                column(line, tok.markup),
            )
    rest = f"the rest of {_CONTAINER_NAMES[inner.type]}" if inner else "the rest of the document"
    return Diagnostic(
        f"the code fence '{fence}' opened here is never closed",
        f"end the code with a line '{tok.markup}' (without one, {rest} is set as code)",
        path,
        line,
        column(line, tok.markup),
    )


# ---------------------------------------------------------------- front matter


def confine_front_matter(
    meta: m.Meta,
    text: str,
    path: Path,
    confinement: Confinement,
    offset: int = 1,
    image_limits: ImageLimits = DEFAULT_LIMITS,
    problems: list[Diagnostic] | None = None,
    style_dirs: tuple[Path, ...] | None = None,
) -> None:
    """Resolve the files the front matter names (``overrides``, a ``style`` given as a path, a
    ``cover`` picture, a 公文's ``印章``) to their real paths, checked to lie inside the source's
    folder or an allowed one (a located error if not); the pictures are loaded as a figure's image
    is (:func:`load_image`). ``offset`` is as for :func:`parse_front_matter`. With ``style_dirs``
    (a build's ``--styles`` folders; None when the command line names the style or nothing is
    built), the ``style`` is looked up as the build will look it up
    (:class:`~zhengji_publish.style.StyleSearch`), so a misspelt name (``style: defualt``) is
    reported with the source's other problems, not alone in a second run. Each file is checked
    whatever became of the others: every problem is raised together as one :class:`UserError`, or
    appended to ``problems`` when it is given."""
    from zhengji_publish.style import STYLE_SUFFIXES, StyleSearch

    marks = KeyMarks(text, offset)

    def missing(target: Path, what: str, hint: str, line: int, col: int) -> None:
        if not target.is_file():
            found = "is a folder, not a file" if target.is_dir() else "not found"
            raise error(f"{what} {found}", hint, path, line, col)

    def overrides() -> None:
        where, col = marks.value("overrides")
        name = meta.overrides
        target = confinement.check(name, path.parent, f"overrides file {name!r}", path, where, col)
        hint = "create it beside the source, or correct 'overrides' in the front matter"
        missing(target, f"overrides file {name!r}", hint, where, col)
        meta.overrides = str(target)

    def seal() -> None:
        assert meta.gongwen is not None
        name = meta.gongwen.seal
        line, col = meta.gongwen.seal_mark
        target = confinement.check(name, path.parent, f"seal image {name!r}", path, line, col)
        missing(target, f"seal image {name!r}", "put the seal's PNG beside the source, or correct '印章'", line, col)
        meta.gongwen.seal_data = load_image(target, name, path, line, col).data

    def cover() -> None:
        assert meta.cover is not None
        where, col = marks.value("cover")
        name = meta.cover.src
        target = confinement.check(name, path.parent, f"cover {name!r}", path, where, col)
        missing(target, f"cover {name!r}", "correct the path of 'cover' in the front matter", where, col)
        loaded = load_image(target, name, path, where, col, image_limits)
        meta.cover = m.Image(name, "", "", target, where, loaded.data, loaded.suffix, (loaded.width, loaded.height))

    def style() -> None:
        where, col = marks.value("style")
        name = meta.style
        if name.endswith(STYLE_SUFFIXES) or "/" in name:
            meta.style = str(confinement.check(name, path.parent, f"style file {name!r}", path, where, col))
        if style_dirs is not None:
            StyleSearch(style_dirs, path.parent).find(name, where=(path, where, col))

    found: list[Diagnostic] = []
    for check, wanted in (
        (overrides, bool(meta.overrides)),
        (seal, bool(meta.gongwen and meta.gongwen.seal)),
        (cover, meta.cover is not None),
        (style, bool(meta.style)),
    ):
        if wanted:
            try:
                check()
            except UserError as exc:
                found += exc.diagnostics
    found.sort(key=lambda d: (d.line or 0, d.col or 0))
    if problems is not None:
        problems += found
    elif found:
        raise UserError(found)


class KeyMarks:
    """Where each top-level key of a YAML mapping and its value stand, for messages: 1-based
    ``(line, column)`` in the file, the YAML starting after ``offset`` lines (as for
    :func:`parse_front_matter`). A key the YAML does not hold is placed at ``(offset, 1)``."""

    def __init__(self, text: str, offset: int = 1) -> None:
        try:
            node = yamlload.compose(text)
        except yaml.YAMLError:
            node = None
        self.offset = offset
        self.nodes: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        if isinstance(node, yaml.MappingNode):
            self.nodes = {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def key(self, key: str) -> tuple[int, int]:
        """Where ``key`` itself stands."""
        return self._at(self.nodes[key][0]) if key in self.nodes else (self.offset, 1)

    def value(self, key: str, item: str | None = None) -> tuple[int, int]:
        """Where ``key``'s value starts; with ``item``, where the scalar inside that value naming it
        stands (a list's item, a mapping's key or value, a part of a ``+``-joined value), else the
        value's start."""
        if key not in self.nodes:
            return self.offset, 1
        node = self.nodes[key][1]
        if item is not None:
            stack = [node]
            while stack:
                n = stack.pop(0)
                if isinstance(n, yaml.ScalarNode) and item.strip() in str(n.value).strip().split("+"):
                    return self._at(n)
                if isinstance(n, yaml.SequenceNode):
                    stack += n.value
                elif isinstance(n, yaml.MappingNode):
                    stack += [x for pair in n.value for x in pair]
        return self._at(node)


def parse_front_matter(
    text: str,
    path: Path,
    reporter: Reporter | None = None,
    *,
    offset: int = 1,
    other_keys: Sequence[str] = (),
    problems: list[Diagnostic] | None = None,
) -> m.Meta:
    """Check the YAML front matter key by key and return typed :class:`Meta`.

    Problems raise :class:`UserError`, located at their key's line (``offset`` lines before the
    YAML's first: 1 for front matter, whose opening '---' is line 1 of the file; 0 for a book
    manifest): every key's problem together, in the order of their lines. With ``problems``, they
    are appended to it instead and the keys without one are returned (a manifest goes on to check
    its own keys); YAML that cannot be read, or that is not a mapping, still raises. ``other_keys``
    are keys the caller reads itself: they are skipped here, and offered as did-you-means beside
    the front-matter keys. Notes (a region tag such as ``zh-TW`` taken for its edition) are printed
    to ``reporter``'s stream (stderr by default).
    """
    try:
        data = yamlload.load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        if not other_keys and holds_markdown(text):
            raise error(
                "the front matter opened by '---' here looks never closed: it runs on into the text "
                "(headings, paragraphs) up to a later '---'",
                "end it with a line '---' after its last key",
                path,
                offset,
                1,
            ) from None
        unclosed = yamlload.unclosed_quote_error(exc, text, path, offset)
        if unclosed is not None:
            raise unclosed from None
        line, col = yamlload.error_mark(exc, text) or (0, 0)
        line, col = line + 1 + offset, col + 1
        problem = getattr(exc, "problem", None) or "malformed YAML"
        where = "the YAML between the two '---' lines"  # a manifest is YAML through and through
        raise error(
            f"{'the book manifest' if other_keys else 'front matter'} is not valid YAML: {problem}",
            f"fix {'the manifest at that line' if other_keys else where} (quote values that contain ':' or '#', or "
            "that start with '*', '`' or '&', as a title in Markdown may: title: '*强调*')",
            path,
            line,
            col,
        ) from None
    except ValueError:  # PyYAML reads 2026-13-40 as a timestamp and fails to make it a date
        data = yamlload.load_dates_as_text(text)  # each date is checked at its key, below
    if data is None:
        data = {}
    found = yamlload.duplicate_keys(yamlload.compose(text), path, offset) if text.strip() else []
    if not isinstance(data, dict):
        what = "a book manifest" if other_keys else "front matter"
        raise error(
            f"{what} must be a mapping of keys to values", "write one 'key: value' per line", path, offset + 1, 1
        )
    marks = KeyMarks(text, offset)
    meta = m.Meta()

    def bad(key: str, what: str) -> None:
        found.append(Diagnostic(what, f"'{key}' takes {META_KEYS.get(key, '')}", path, *marks.value(str(key))))

    known = [*META_KEYS, *other_keys]
    for key, value in data.items():
        if key in other_keys:
            continue
        if key not in META_KEYS:
            found.append(
                Diagnostic(
                    f"unknown {'manifest' if other_keys else 'front-matter'} key '{key}'",
                    did_you_mean(str(key), known) or "known keys: " + ", ".join(known),
                    path,
                    *marks.key(str(key)),
                )
            )
            continue
        if key in ("title", "subtitle", "publisher", "subject", "description", "rights", "identifier"):
            if not isinstance(value, (str, int, float)):
                bad(key, f"'{key}' is not a string")
            elif key in ("title", "subtitle"):  # inline Markdown parsed, the plain text beside it
                nodes = title_inlines(str(value).strip(), marks.value(key)[0])
                setattr(meta, f"{key}_nodes", nodes)
                setattr(meta, key, m.plain_text(nodes).strip())
            else:
                setattr(meta, key, str(value).strip())
        elif key == "author":
            if isinstance(value, str):
                meta.authors = [value.strip()]
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                meta.authors = [v.strip() for v in value]
            else:
                bad(key, "'author' is neither a string nor a list of strings")
        elif key == "date":
            try:
                meta.date = parse_date(value)
            except DateError as exc:
                found.append(Diagnostic(exc.message(key, value), exc.hint, path, *marks.value(key)))
        elif key == "lang":
            if not isinstance(value, str) or not value.strip():
                bad(key, "'lang' is not a language tag")
            else:
                meta.lang = value.strip()
        elif key in ("editions", "keywords"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(key, f"'{key}' is not a list of strings")
            else:
                setattr(meta, key, [v.strip() for v in value])
        elif key == "style":
            if not isinstance(value, str):
                bad(key, "'style' is not a name")
            else:
                meta.style = value.strip()
                meta.style_at = marks.value(key)
        elif key == "opencc":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                bad(key, "'opencc' is not a mapping of edition to config name")
            else:
                meta.opencc = {str(k): v.strip() for k, v in value.items()}
        elif key == "overrides":
            if not isinstance(value, str) or not value.strip():
                bad(key, "'overrides' is not a file name")
            else:
                meta.overrides = value.strip()
        elif key == "cover":
            if not isinstance(value, str) or not value.strip():
                bad(key, "'cover' is not a file name")
            else:
                meta.cover = m.Image(value.strip())  # loaded by confine_front_matter
        elif key == "toc":
            if not isinstance(value, bool):
                bad(key, "'toc' is not true or false")
            else:
                meta.toc = value
        elif key == "公文":
            try:
                meta.gongwen = gongwen.parse(value, path, gongwen.key_marks(text), offset)
            except UserError as exc:
                found.extend(exc.diagnostics)
    if meta.toc and meta.gongwen is not None and reporter is not None:
        reporter.warn(
            "'toc: true' is not used: a 公文 is set without contents (GB/T 9704-2012 has none)",
            "remove 'toc', or the '公文' block to set the text as a document with contents",
            path,
            *marks.value("toc"),
        )
    if not found or problems is not None:  # the editions' tags and configs, once they are lists of names
        from zhengji_publish.editions import check_edition_tags  # local: editions imports opencc lazily

        try:
            for note in check_edition_tags(meta, path, marks.value):
                print(note.format(), file=cast(TextIO, (reporter.stream if reporter else None) or sys.stderr))
        except UserError as exc:
            found += exc.diagnostics
    found.sort(key=lambda d: (d.line or 0, d.col or 0))  # every problem of the front matter, in line order
    if problems is not None:
        problems += found
    elif found:
        raise UserError(found)
    return meta


# ---------------------------------------------------------------- markdown → tree


# A title's inline Markdown: emphasis, strong, code, strikethrough, escapes and entities, with the
# CJK-friendly emphasis rules of the text; a link, an image or HTML in a title stays as written.
_TITLE_MD = MarkdownIt("zero").enable(["emphasis", "backticks", "strikethrough", "escape", "entity"])
_TITLE_MD.use(cjk_friendly_plugin)


def title_inlines(text: str, line: int = 0) -> list[m.Inline]:
    """The inline nodes of a title written in Markdown (a front matter's or a manifest's ``title``
    or ``subtitle``, a book part's title): ``*强调*`` an :class:`~zhengji_publish.model.Emph`,
    ``**粗体**`` a :class:`~zhengji_publish.model.Strong`, `` `code` `` a
    :class:`~zhengji_publish.model.Code`; ``line`` is the line they are written on. The one place a
    title's Markdown is read: the writers set these nodes where a title is shown and its plain text
    (:func:`zhengji_publish.model.plain_text`) where it is named."""
    if not text:
        return []
    inline = next(t for t in _TITLE_MD.parse(text) if t.type == "inline")
    node = SyntaxTreeNode([Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)])
    return _TreeBuilder(Path(), Reporter()).inlines(node.children[0], line)


_CELL_PIPE = re.compile(r"(?<!\\)\|")  # a cell boundary: a pipe not escaped (GFM §4.10)
_DELIMITER_CELL = re.compile(r":?-+:?")  # a delimiter row's cell: dashes, a colon at either end for alignment


def _line(node: SyntaxTreeNode, default: int = 0) -> int:
    return node.map[0] + 1 if node.map else default


class _TreeBuilder:
    """Turns markdown-it's syntax tree into :mod:`zhengji_publish.model` nodes."""

    def __init__(
        self,
        path: Path,
        reporter: Reporter,
        confinement: Confinement | None = None,
        lines: list[str] | None = None,
        image_limits: ImageLimits = DEFAULT_LIMITS,
        inline_starts: dict[int, tuple[int, int | None, bool]] | None = None,
    ) -> None:
        self.path = path
        self.reporter = reporter
        self.heading_count = 0
        self.explicit_ids: dict[str, m.Heading] = {}  # '{#id}' given to headings (pandoc's attributes)
        self.in_link = False
        self.in_notice = 0  # how many notices enclose the block being read
        self.confinement = confinement or Confinement()
        self.image_limits = image_limits
        self.lines = lines or []  # the source's lines, to point at a column in messages
        self.html = rawhtml.SourceHtml(self.html_image)
        self.html_tags_told: set[str] = set()  # inline tags warned about once already
        # Where each inline text starts in the file (:func:`_footnote_check`), to place raw HTML.
        self.inline_starts: dict[int, tuple[int, int | None, bool]] = inline_starts or {}

    def next_ident(self) -> str:
        """The id of the next heading read, Markdown's or HTML's or an alert's: ``sec-N``, N its order."""
        self.heading_count += 1
        return f"sec-{self.heading_count}"

    def locate(self, needle: str, line: int, before: str = "") -> tuple[int, int]:
        """(line, column), both 1-based, of ``needle`` at or after ``line``; with ``before``, of the
        last ``before`` ahead of it on its line. ``(line, 1)`` when the text is not found."""
        return self.find(needle, line, before) or (line, 1)

    def find(self, needle: str, line: int, before: str = "") -> tuple[int, int] | None:
        """:meth:`locate`, or None when the text is not found."""
        for index in range(max(line, 1) - 1, min(len(self.lines), max(line, 1) + 1000)):
            col = self.lines[index].find(needle)
            if col >= 0:
                start = self.lines[index].rfind(before, 0, col) if before else -1
                return index + 1, (start if start >= 0 else col) + 1
        return None

    # -- blocks
    def block(self, node: SyntaxTreeNode, line: int = 0) -> list[m.Block]:
        ln = _line(node, line)
        t = node.type
        if t == "heading":
            level = int(node.tag[1])
            ident = self.next_ident()
            children, explicit = anchors.take_attributes(self.inlines(node.children[0], ln))
            heading = m.Heading(level, children, ident, ln)
            if explicit:
                self.explicit_ids.setdefault(explicit, heading)
            return [heading]
        if t == "paragraph":
            self.check_table_rows(ln)
            children = self.inlines(node.children[0], ln)
            images = [c for c in children if not (isinstance(c, m.Text) and not c.text.strip())]
            if len(images) == 1 and isinstance(images[0], m.Image):
                img = images[0]
                caption: list[m.Inline] = [m.Text(img.title or img.alt, ln)] if (img.title or img.alt) else []
                return [m.Figure(img, caption, ln)]
            if not children:
                return []
            only = children[0] if len(children) == 1 else None
            if isinstance(only, m.Text) and only.text.strip() in PAGE_BREAK_COMMANDS:
                return self.kept_together_break(None, ln) if self.in_notice else [m.Div("pagebreak", [], ln)]
            return [m.Paragraph(children, ln)]
        if t in ("fence", "code_block"):
            text = node.content.removesuffix("\n")
            return [m.CodeBlock(text, (node.info or "").strip().split(" ")[0], ln)]
        if t == "blockquote":
            kind = _ALERT_LINE.match(self.lines[ln - 1]) if 0 < ln <= len(self.lines) else None
            if kind is None:
                return [m.BlockQuote(self.blocks(node.children, ln), ln)]
            title = m.Heading(1, [m.Text(ALERTS[kind.group(1).upper()], ln)], self.next_ident(), ln)
            self.in_notice += 1
            try:
                return [m.Div("notice", [title, *_without_alert_mark(self.blocks(node.children, ln))], ln)]
            finally:
                self.in_notice -= 1
        if t in ("bullet_list", "ordered_list"):
            items = [m.ListItem(self.blocks(item.children, _line(item, ln)), _line(item, ln)) for item in node.children]
            start = int(node.attrs.get("start", 1)) if t == "ordered_list" else 1
            tight = all(c.hidden for item in node.children for c in item.children if c.type == "paragraph")
            return [m.ListBlock(t == "ordered_list", items, start, tight, ln)]
        if t == "hr":
            return [m.ThematicBreak(ln)]
        if t == "table":
            return [self.table(node, ln)]
        if t == "container_div":
            cls = node.info.strip().strip("{}").strip().lstrip(".").split()[0] if node.info.strip() else "div"
            if cls not in DIV_CLASSES:
                where = self.locate(cls, ln)
                self.reporter.warn(
                    f"unknown block class '{cls}'",
                    did_you_mean(cls, DIV_CLASSES)
                    or f"it is set as ordinary text, in a Word paragraph style and an EPUB class named '{cls}' "
                    f"that you can restyle; the classes known are {', '.join(DIV_CLASSES)}",
                    self.path,
                    *where,
                )
            if cls == "pagebreak" and self.in_notice:
                return self.kept_together_break(node, ln)
            self.in_notice += cls == "notice"
            try:
                return [m.Div(cls, self.blocks(node.children, ln), ln)]
            finally:
                self.in_notice -= cls == "notice"
        if t == "html_block":
            return self.html_block(node.content, ln)
        # Anything markdown-it knows that we do not: keep its text rather than lose it.
        if node.children:
            return self.blocks(node.children, ln)
        return []

    def html_block(self, html: str, ln: int) -> list[m.Block]:
        """An HTML block's content as blocks (:mod:`zhengji_publish.rawhtml`); a warning at its
        line names the elements left out. Its headings get ids as Markdown's do."""
        blocks, lost = self.html.read(html, ln)
        for node in m.nodes(blocks):
            if isinstance(node, m.Heading):
                node.ident = self.next_ident()
        if lost:
            text = self.lines[ln - 1] if 0 < ln <= len(self.lines) else ""
            col = text.find("<") + 1 or 1  # after any indentation, list or quote marker
            tags = ", ".join(f"<{tag}>" for tag in lost)
            self.reporter.warn(
                f"raw HTML {tags} dropped: the PDF, DOCX and EPUB have nothing to set it as",
                "write what it shows as Markdown (a link or a picture) or leave it out",
                self.path,
                ln,
                col,
            )
        return blocks

    def html_image(self, src: str, alt: str, title: str, ln: int) -> m.Inline:
        """An HTML ``<img>``'s node: a remote one is its alt text (with the warning), a local one is
        read as a Markdown image is (:meth:`image`)."""
        return self.remote_image(src, alt, ln, "<img") if _is_remote(src) else self.image(src, alt, title, ln)

    def kept_together_break(self, node: SyntaxTreeNode | None, ln: int) -> list[m.Block]:
        """A page break inside a notice: a notice is one box kept on one page, so the break is
        dropped with a warning (what the break's div holds is kept)."""
        self.reporter.warn(
            "a page break inside a notice is ignored (a notice is kept on one page)",
            "move the page break before or after the notice",
            self.path,
            ln,
            1,
        )
        return self.blocks(node.children, ln) if node is not None else []

    def blocks(self, nodes: list[SyntaxTreeNode], line: int) -> list[m.Block]:
        out: list[m.Block] = []
        for n in nodes:
            out.extend(self.block(n, line))
        return out

    def table(self, node: SyntaxTreeNode, ln: int) -> m.Table:
        header: list[m.TableCell] = []
        rows: list[list[m.TableCell]] = []
        aligns: list[str] = []
        for section in node.children:
            for tr in section.children:
                row_line = _line(tr, ln)
                cells = []
                for cell in tr.children:
                    style = cell.attrs.get("style", "") if cell.attrs else ""
                    if section.type == "thead":
                        aligns.append(str(style).replace("text-align:", "").strip())
                    inl = cell.children[0] if cell.children else None
                    cells.append(m.TableCell(self.inlines(inl, row_line) if inl else [], row_line))
                if section.type == "tbody" and header:
                    self.check_row_width(row_line, len(header))
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        return m.Table(header, rows, aligns, ln)

    def _source_cells(self, ln: int) -> list[tuple[int, str]]:
        """The cells of the table row on source line ``ln`` as GitHub Flavored Markdown splits it
        (GFM §4.10: at each ``|`` not escaped, an outer pipe on either side optional): (column of
        the cell's first character, 1-based; its text), or [] for a line holding no ``|``."""
        text = self.lines[ln - 1] if 0 < ln <= len(self.lines) else ""
        if "|" not in text:
            return []
        bounds = [found.start() for found in _CELL_PIPE.finditer(text)]
        body = text.strip()
        starts = [-1, *bounds]
        ends = [*bounds, len(text)]
        cells = [(a + 1, text[a + 1 : b]) for a, b in zip(starts, ends, strict=True)]
        if body.startswith("|"):
            cells = cells[1:]
        if body.endswith("|") and not body.endswith("\\|"):
            cells = cells[:-1]
        return [(col + 1, cell) for col, cell in cells]

    def check_row_width(self, ln: int, columns: int) -> None:
        """Warn of a table row on line ``ln`` with more cells than its header's ``columns``: GFM
        drops them (§4.10, "the excess is ignored"), and their text would be lost without a word."""
        cells = self._source_cells(ln)
        if len(cells) > columns:
            self.reporter.warn(
                f"this table row has {len(cells)} cells, its header {columns}: "
                f"the last {len(cells) - columns} are dropped",
                "give the header as many cells, or join the extra cells' text into one",
                self.path,
                ln,
                cells[columns][0],
            )

    def check_table_rows(self, ln: int) -> None:
        """Warn of a paragraph starting on line ``ln`` that is a table but for its delimiter row:
        a row of ``|`` cells over a row of ``---`` cells with another count of cells is no table
        (GFM §4.10: "The header row must match the delimiter row in the number of cells"), and
        its pipes would be printed as text."""
        head, rule = self._source_cells(ln), self._source_cells(ln + 1)
        if not head or not rule or not all(_DELIMITER_CELL.fullmatch(cell.strip()) for _c, cell in rule):
            return
        if len(head) != len(rule):
            self.reporter.warn(
                f"not a table: its header row has {len(head)} cells, the row of '---' under it {len(rule)}",
                f"give the '---' row {len(head)} cells (one per column), or the header {len(rule)}",
                self.path,
                ln + 1,
                rule[0][0],
            )

    def footnote(self, node: SyntaxTreeNode) -> m.Footnote:
        label = str(node.meta.get("label", node.meta.get("id", 0)))
        number = int(node.meta.get("id", 0)) + 1
        ln = _line(node.children[0]) if node.children else 0
        children = [c for c in node.children if c.type != "footnote_anchor"]
        return m.Footnote(label, number, self.blocks(children, ln), ln)

    # -- inlines
    def inlines(self, node: SyntaxTreeNode, ln: int) -> list[m.Inline]:
        out: list[m.Inline] = []
        self._inline_children(node.children, ln, out)
        return _merge_text(out)

    def _inline_children(self, nodes: list[SyntaxTreeNode], ln: int, out: list[m.Inline]) -> None:
        skip = -1  # the last node already read (an HTML tag pair's content)
        for i, n in enumerate(nodes):
            if i <= skip:
                continue
            t = n.type
            if t == "text":
                out.append(m.Text(n.content, ln))
            elif t == "softbreak":
                prev = _last_char(out)
                nxt = _first_char(nodes[i + 1 :])
                if prev and nxt and is_cjk(prev) and is_cjk(nxt):
                    continue  # 中文换行不加空格
                out.append(m.Text(" ", ln))
            elif t == "hardbreak":
                out.append(m.LineBreak(ln))
            elif t == "code_inline":
                out.append(m.Code(n.content, ln))
            elif t == "strong":
                out.append(m.Strong(self._sub(n, ln), ln))
            elif t == "em":
                out.append(m.Emph(self._sub(n, ln), ln))
            elif t == "s":
                out.append(m.Strike(self._sub(n, ln), ln))
            elif t == "link" and self.in_link:  # an autolink in a link's text: links do not nest in any format
                out.extend(self._sub(n, ln))
            elif t == "link":
                self.in_link = True
                try:
                    children = self._sub(n, ln)
                finally:
                    self.in_link = False
                out.append(m.Link(str(n.attrs.get("href", "")), children, str(n.attrs.get("title", "") or ""), ln))
            elif t == "image":
                alt = "".join(c.content for c in n.children) if n.children else n.content
                src = str(n.attrs.get("src", ""))
                if _is_remote(src):
                    out.append(self.remote_image(src, alt, ln))
                else:
                    out.append(self.image(src, alt, str(n.attrs.get("title", "") or ""), ln))
            elif t == "footnote_ref":
                label = str(n.meta.get("label", n.meta.get("id", 0)))
                out.append(m.FootnoteRef(label, int(n.meta.get("id", 0)) + 1, ln))
            elif t == "html_inline" and (alone := self.html_inline(n.content, ln)) is not None:
                out += alone
            elif t == "html_inline" and (pair := rawhtml.paired(nodes, i)) is not None:
                close, wrap = pair
                inner: list[m.Inline] = []
                self._inline_children(nodes[i + 1 : close], ln, inner)
                out.extend(wrap(_merge_text(inner), ln))
                skip = close
            elif t == "html_inline":  # a tag the text goes on after: the text is kept
                tag = rawhtml.tag_name(n.content)
                if tag in self.html_tags_told or rawhtml.CLOSING.match(n.content):
                    continue
                self.html_tags_told.add(tag)
                tokens, src, pos = n.meta.get("at", (None, "", 0))
                start = self.inline_starts.get(id(tokens))
                line, col = _inline_position(start, src, pos, n.content, self.lines) if src else (ln, 1)
                self.reporter.warn(
                    f"raw HTML {n.content.strip()!r} dropped"
                    + (f"; later <{tag}> tags are dropped likewise" if tag else ""),
                    "its text is kept; write what the tag does as Markdown or leave it out",
                    self.path,
                    line,
                    col,
                )
            elif n.children:
                self._inline_children(n.children, ln, out)
            elif n.content:
                out.append(m.Text(n.content, ln))

    def html_inline(self, html: str, ln: int) -> list[m.Inline] | None:
        """An inline tag the reader sets itself: ``<br>`` a line break, ``<img>`` a picture, a
        comment nothing; None for any other (its text, which follows as Markdown, is kept)."""
        if not rawhtml.COMMENT.sub("", html).strip():
            return []
        return self.html.read_inline(html, ln)

    def _sub(self, node: SyntaxTreeNode, ln: int) -> list[m.Inline]:
        out: list[m.Inline] = []
        self._inline_children(node.children, ln, out)
        return _merge_text(out)

    def remote_image(self, src: str, alt: str, ln: int, before: str = "![") -> m.Text:
        """An image on the web (or in a ``data:`` URL) is not fetched: its alt text stands in its place.

        A warning names the line and the URL (``--strict`` makes it an error), as pandoc does when it
        cannot fetch an image; a build never reads the network.
        """
        shown = src if len(src) <= 120 else src[:117] + "…"
        kind = "embedded image (data: URL)" if src.startswith("data:") else f"remote image {shown}"
        instead = f"its alt text '{alt}' is set in its place" if alt else "it has no alt text, so nothing is set"
        self.reporter.warn(
            f"{kind} is not included; {instead}",
            ("save it as a file" if src.startswith("data:") else "download it")
            + " next to the source and link the local file to include it",
            self.path,
            *self.locate(src[:200], ln, before=before),
        )
        return m.Text(alt, ln)

    def image(self, src: str, alt: str, title: str, ln: int) -> m.Image:
        """A local image, checked and loaded; every problem is an error at the image's ``!``, with its
        name as written (markdown-it gives ``图片.png`` percent-encoded). Raises :class:`UserError`."""
        img = m.Image(src, alt, title, None, ln)
        name = unquote(src)
        at = self.image_at(name, src, ln)
        target = self.confinement.check(name, self.path.parent, f"image {name!r}", self.path, *at)
        if target.is_dir():
            raise error(f"image {name!r} is a folder, not a file", "name the image file", self.path, *at)
        if not target.is_file():
            named = self.path.parent / name  # as the user would name it, from where they are
            raise error(f"image {name!r} not found", f"put the file at {named} or correct the path", self.path, *at)
        if target.suffix.lower() not in IMAGE_SUFFIXES:
            raise error(
                f"image {name!r} is not a readable PNG, JPEG or GIF file", "convert it to PNG or JPEG", self.path, *at
            )
        loaded = load_image(target, name, self.path, *at, self.image_limits)
        img.path, img.data, img.suffix, img.size = target, loaded.data, loaded.suffix, (loaded.width, loaded.height)
        return img

    def image_at(self, name: str, src: str, ln: int) -> tuple[int, int]:
        """(line, column) of the ``![`` of the image written ``name`` (or ``src``) at or after line ``ln``:
        a paragraph's image may stand on any of its lines; ``(ln, 1)`` when it cannot be found."""
        for index in range(max(ln, 1) - 1, min(len(self.lines), max(ln, 1) + 1000)):
            text = self.lines[index]
            for dest in _DESTINATION.finditer(text):
                if unquote(dest.group(1).strip("<>")) == name:
                    return index + 1, text.rfind("![", 0, dest.start()) + 1 or dest.start() + 1
            for attr in _SRC.finditer(text):  # an HTML <img src="…">
                if unquote(attr.group(2)) == name:
                    return index + 1, text.rfind("<", 0, attr.start()) + 1 or attr.start() + 1
        return ln, 1


# GitHub's alerts: a quote whose first line is only ``[!NOTE]`` … is a notice, titled in Chinese.
ALERTS = {"NOTE": "说明", "TIP": "提示", "IMPORTANT": "重要", "WARNING": "警告", "CAUTION": "注意"}
_ALERT_LINE = re.compile(r"\s{0,3}>\s*\[!(" + "|".join(ALERTS) + r")\]\s*$", re.I)
_ALERT_MARK = re.compile(r"\s*\[![A-Za-z]+\]\s*")


def _without_alert_mark(blocks: list[m.Block]) -> list[m.Block]:
    """An alert's blocks without its ``[!NOTE]`` line: the first paragraph's first text loses the
    mark, the line break after it too; a paragraph left empty goes."""
    first = blocks[0] if blocks else None
    if not isinstance(first, m.Paragraph) or not first.children or not isinstance(first.children[0], m.Text):
        return blocks
    rest = list(first.children)
    rest[0] = m.Text(_ALERT_MARK.sub("", rest[0].text, count=1), rest[0].line)  # type: ignore[union-attr]
    while rest and (isinstance(rest[0], m.LineBreak) or isinstance(rest[0], m.Text) and not rest[0].text.strip()):
        rest.pop(0)
    return ([m.Paragraph(rest, first.line)] if rest else []) + blocks[1:]


# A link's or image's destination as written: ](path) or ](<path with spaces>)
_DESTINATION = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s)]*)")
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""")


def _is_remote(src: str) -> bool:
    """An image address that is not a file beside the source: a URL with a scheme, or ``data:``."""
    return "://" in src or src.startswith(("data:", "//"))


def _merge_text(nodes: list[m.Inline]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for n in nodes:
        if isinstance(n, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + n.text, out[-1].line)
        elif isinstance(n, m.Text) and not n.text:
            continue
        else:
            out.append(n)
    return out


def _last_char(nodes: list[m.Inline]) -> str:
    """The character that ends ``nodes``: '' when an image, a note, a break or nothing ends them."""
    for top in reversed(nodes):  # from the end, one top-level node at a time: stops early
        for node in reversed(list(m.nodes(top))):
            if not isinstance(node, (m.Text, m.Code)):
                return ""
            if node.text:
                return node.text[-1]
    return ""


def _first_char(nodes: list[SyntaxTreeNode]) -> str:
    for n in nodes:
        if n.type in ("text", "code_inline") and n.content:
            return n.content[0]
        if n.children:
            ch = _first_char(n.children)
            if ch:
                return ch
        if n.type not in ("text",):
            return ""
    return ""
