"""Read a Markdown source (CommonMark + YAML front matter + fenced divs) into a :class:`Document`.

This is the only module that knows Markdown. It also guards the door: undecodable bytes, control
characters, bad front matter, missing images and raw HTML are reported here with file and line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from zhengji_publish import limits, yamlload
from zhengji_publish import model as m
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError, error
from zhengji_publish.text import FORBIDDEN_CONTROL, is_cjk, is_forbidden_control

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif"}

# Front-matter keys and what each may hold; anything else is an error naming the key.
META_KEYS = {
    "title": "a string",
    "subtitle": "a string",
    "author": "a string or a list of strings",
    "publisher": "a string",
    "date": "a date such as 2026-03-16",
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
}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": limits.PARSER_MAX_NESTING}).enable("table").enable("strikethrough")
    md.use(front_matter_plugin).use(footnote_plugin)
    md.use(container_plugin, name="div", validate=lambda params, *args: bool(params.strip()))
    return md


_MD = _parser()


def decode_source(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) → text with ``\\n`` line ends; bad bytes and control chars are errors."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise error(
            f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
            "save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
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


def read_file(path: Path, reporter: Reporter | None = None, allow_outside: Path | None = None) -> m.Document:
    """Read ``path`` into a document tree (errors are :class:`UserError`).

    Images must lie inside the source's folder, or inside ``allow_outside`` when it is given: a
    source can never make the tool read files elsewhere on the machine.
    """
    path = Path(path)
    try:
        data = limits.read_limited(path)
    except FileNotFoundError:
        raise error("no such file", "check the path of the source", path, exit_code=2) from None
    except IsADirectoryError:
        raise error("is a folder, not a Markdown file", "name a .md file", path, exit_code=2) from None
    except OSError as exc:
        raise error(f"cannot read the source ({exc.strerror})", "check its permissions", path) from None
    return read_text(decode_source(data, path), path, reporter, allow_outside)


def read_text(text: str, path: Path, reporter: Reporter | None = None, allow_outside: Path | None = None) -> m.Document:
    """Parse decoded Markdown ``text`` (``path`` is used for messages and to resolve images)."""
    reporter = reporter or Reporter()
    # mdit-py-plugins' container rule reads one character past the end of a source whose last
    # line is an empty block-quote line ("> " with no newline); a final newline changes nothing else
    tokens = _MD.parse(text if text.endswith("\n") else text + "\n")
    limits.check_tokens(tokens, path)
    root = SyntaxTreeNode(tokens)
    builder = _TreeBuilder(path, reporter, allow_outside)
    meta = m.Meta()
    blocks: list[m.Block] = []
    footnotes: list[m.Footnote] = []
    for node in root.children:
        if node.type == "front_matter":
            meta = parse_front_matter(node.content, path)
        elif node.type == "footnote_block":
            footnotes = [builder.footnote(fn) for fn in node.children]
        else:
            blocks.extend(builder.block(node))
    if not meta.title:
        first = next((b for b in blocks if isinstance(b, m.Heading)), None)
        meta.title = m.plain_text(first.children) if first else path.stem
    return m.Document(meta=meta, blocks=blocks, footnotes=footnotes, source=path)


# ---------------------------------------------------------------- front matter


def _key_lines(text: str) -> dict[str, int]:
    """Line (1-based, within the YAML) of each top-level key, for messages."""
    try:
        node = yamlload.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def parse_front_matter(text: str, path: Path) -> m.Meta:
    """Check the YAML front matter key by key and return typed :class:`Meta`."""
    offset = 1  # the opening '---' is line 1 of the file
    try:
        data = yamlload.load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 1 + offset) if mark else offset + 1
        col = (mark.column + 1) if mark else 1
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise error(
            f"front matter is not valid YAML: {problem}",
            "fix the YAML between the two '---' lines (quote values that contain ':' or '#')",
            path,
            line,
            col,
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise error(
            "front matter must be a mapping of keys to values", "write one 'key: value' per line", path, offset + 1, 1
        )
    lines = _key_lines(text)
    problems: list[Diagnostic] = []
    meta = m.Meta()

    def bad(key: str, what: str) -> None:
        problems.append(
            Diagnostic(what, f"'{key}' takes {META_KEYS.get(key, '')}", path, lines.get(str(key), 0) + offset, 1)
        )

    for key, value in data.items():
        if key not in META_KEYS:
            problems.append(
                Diagnostic(
                    f"unknown front-matter key '{key}'",
                    "known keys: " + ", ".join(META_KEYS),
                    path,
                    lines.get(str(key), 0) + offset,
                    1,
                )
            )
            continue
        if key in ("title", "subtitle", "publisher", "subject", "description", "rights", "identifier"):
            if not isinstance(value, (str, int, float)):
                bad(key, f"'{key}' is not a string")
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
            if isinstance(value, dt.datetime):
                meta.date = value.date()
            elif isinstance(value, dt.date):
                meta.date = value
            else:
                try:
                    meta.date = dt.date.fromisoformat(str(value).strip())
                except ValueError:
                    bad(key, f"'date' is not a date: {value!r}")
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
        elif key == "toc":
            if not isinstance(value, bool):
                bad(key, "'toc' is not true or false")
            else:
                meta.toc = value
    if problems:
        raise UserError(problems)
    from zhengji_publish.editions import check_edition_tags  # local: editions imports opencc lazily

    check_edition_tags(meta, path, lambda k: lines.get(k, 0) + offset)
    return meta


# ---------------------------------------------------------------- markdown → tree


def _line(node: SyntaxTreeNode, default: int = 0) -> int:
    return node.map[0] + 1 if node.map else default


class _TreeBuilder:
    """Turns markdown-it's syntax tree into :mod:`zhengji_publish.model` nodes."""

    def __init__(self, path: Path, reporter: Reporter, allow_outside: Path | None = None) -> None:
        self.path = path
        self.reporter = reporter
        self.heading_count = 0
        self.in_link = False
        self.root = Path(allow_outside or path.parent).resolve()

    # -- blocks
    def block(self, node: SyntaxTreeNode, line: int = 0) -> list[m.Block]:
        ln = _line(node, line)
        t = node.type
        if t == "heading":
            self.heading_count += 1
            level = int(node.tag[1])
            return [m.Heading(level, self.inlines(node.children[0], ln), f"sec-{self.heading_count}", ln)]
        if t == "paragraph":
            children = self.inlines(node.children[0], ln)
            images = [c for c in children if not (isinstance(c, m.Text) and not c.text.strip())]
            if len(images) == 1 and isinstance(images[0], m.Image):
                img = images[0]
                caption = [m.Text(img.title or img.alt, ln)] if (img.title or img.alt) else []
                return [m.Figure(img, caption, ln)]
            if not children:
                return []
            return [m.Paragraph(children, ln)]
        if t in ("fence", "code_block"):
            text = node.content.removesuffix("\n")
            return [m.CodeBlock(text, (node.info or "").strip().split(" ")[0], ln)]
        if t == "blockquote":
            return [m.BlockQuote(self.blocks(node.children, ln), ln)]
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
            return [m.Div(cls, self.blocks(node.children, ln), ln)]
        if t == "html_block":
            self.reporter.warn("raw HTML dropped", "write it as Markdown or a ::: div", self.path, ln, 1)
            return []
        # Anything markdown-it knows that we do not: keep its text rather than lose it.
        if node.children:
            return self.blocks(node.children, ln)
        return []

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
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        return m.Table(header, rows, aligns, ln)

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
        for i, n in enumerate(nodes):
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
                out.append(self.image(str(n.attrs.get("src", "")), alt, str(n.attrs.get("title", "") or ""), ln))
            elif t == "footnote_ref":
                label = str(n.meta.get("label", n.meta.get("id", 0)))
                out.append(m.FootnoteRef(label, int(n.meta.get("id", 0)) + 1, ln))
            elif t == "html_inline":
                self.reporter.warn(
                    f"raw HTML {n.content.strip()!r} dropped",
                    "write it as Markdown (its text, if any, is kept)",
                    self.path,
                    ln,
                    1,
                )
            elif n.children:
                self._inline_children(n.children, ln, out)
            elif n.content:
                out.append(m.Text(n.content, ln))

    def _sub(self, node: SyntaxTreeNode, ln: int) -> list[m.Inline]:
        out: list[m.Inline] = []
        self._inline_children(node.children, ln, out)
        return _merge_text(out)

    def image(self, src: str, alt: str, title: str, ln: int) -> m.Image:
        img = m.Image(src, alt, title, None, ln)
        if "://" in src or src.startswith("data:"):
            raise error(
                f"remote image {src!r} is not supported",
                "download it next to the source and link the local file",
                self.path,
                ln,
                1,
            )
        from urllib.parse import unquote

        target = (self.path.parent / unquote(src)).resolve()  # resolves symlinks too
        if not target.is_relative_to(self.root):
            raise error(
                f"image {src!r} lies outside {self.root}",
                "move it next to the source, or pass --allow-outside DIR to allow a wider folder",
                self.path,
                ln,
                1,
            )
        if not target.is_file():
            raise error(f"image {src!r} not found", f"put the file at {target} or correct the path", self.path, ln, 1)
        if target.suffix.lower() not in IMAGE_SUFFIXES or not _decodes(target):
            raise error(
                f"image {src!r} is not a readable PNG, JPEG or GIF file", "convert it to PNG or JPEG", self.path, ln, 1
            )
        img.path = target
        return img


def _decodes(path: Path) -> bool:
    """Whether Pillow can read the image (a renamed or truncated file is caught here, not in a writer)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            im.verify()
        return True
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        return False


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
