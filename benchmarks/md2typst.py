"""A small Markdown → Typst converter, so that Typst can stand as the PDF peer in the benchmarks.

Typst does not read Markdown, and the point of the comparison is the cost of typesetting the same
text, not of a conversion tool; this converter covers what the benchmark texts use (front matter,
headings, paragraphs, bold, emphasis, inline code, links, footnotes, nested lists, fenced code,
block quotes, pipe tables, thematic breaks, fenced divs) and nothing more. It is run before the
timed Typst compile, so its own cost is not counted.

Every ASCII punctuation character of running text is escaped with a backslash (Typst accepts an
escape before any character), so no character of the source can start Typst markup by accident.
"""

from __future__ import annotations

import re
import string

PREAMBLE = """#set document(title: {title})
#set text(lang: "zh", region: "{region}", font: ("{font}",), size: 10.5pt)
#set par(justify: true, first-line-indent: 2em)
#set page("a5")
"""

# Fonts and regions per edition: the traditional edition uses the Taiwan forms of the same family.
EDITION_FONTS = {
    "zh-Hans": ("Noto Serif CJK SC", "cn"),
    "zh-Hant-TW": ("Noto Serif CJK TC", "tw"),
    "zh-Hant-HK": ("Noto Serif CJK HK", "hk"),
}

_ESCAPE = set(string.punctuation)
_INLINE = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:.*?[^*\s])?)\*(?!\*)"
    r"|\[\^(?P<fn>[^\]]+)\]"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<link_url>[^)\s]+)\)"
    r"|<(?P<auto>https?://[^>\s]+)>"
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_FOOTDEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def typst_string(text: str) -> str:
    """A Typst string literal (used for raw text, URLs and the title)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def escape(text: str) -> str:
    """Plain text as Typst markup: every ASCII punctuation character escaped."""
    return "".join("\\" + ch if ch in _ESCAPE else ch for ch in text)


def inline(text: str, footnotes: dict[str, str]) -> str:
    """Markdown inline markup → Typst, using function calls so CJK neighbours never matter."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[pos : m.start()]))
        pos = m.end()
        if m["code"]:
            out.append(f"#raw({typst_string(m['code_text'].strip())})")
        elif m["strong"] is not None:
            out.append(f"#strong[{inline(m['strong'], footnotes)}]")
        elif m["em"] is not None:
            out.append(f"#emph[{inline(m['em'], footnotes)}]")
        elif m["fn"] is not None:
            out.append(f"#footnote[{inline(footnotes.get(m['fn'], m['fn']), footnotes)}]")
        elif m["link_text"] is not None:
            out.append(f"#link({typst_string(m['link_url'])})[{inline(m['link_text'], footnotes)}]")
        else:
            out.append(f"#link({typst_string(m['auto'])})")
    out.append(escape(text[pos:]))
    return "".join(out)


def _join(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between two CJK characters, one space otherwise."""
    text = ""
    for line in (ln.strip() for ln in lines):
        if text and not (ord(text[-1]) > 0x2E80 and ord(line[:1] or " ") > 0x2E80):
            text += " "
        text += line
    return text


def split_front_matter(md: str) -> tuple[dict[str, str], str]:
    """The YAML front matter's top-level ``key: value`` lines (enough for the title) and the body."""
    if not md.startswith("---\n"):
        return {}, md
    end = md.find("\n---\n", 4)
    if end < 0:
        return {}, md
    meta = {}
    for line in md[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep and not key.startswith((" ", "-")):
            meta[key.strip()] = value.strip()
    return meta, md[end + 5 :]


def _table(rows: list[str], footnotes: dict[str, str]) -> str:
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    header, body = cells[0], cells[2:]
    n = len(header)
    args = [f"#strong[{inline(c, footnotes)}]" for c in header]
    for row in body:
        row = (row + [""] * n)[:n]
        args += [inline(c, footnotes) for c in row]
    return f"#table(columns: {n}, " + ", ".join(f"[{a}]" for a in args) + ")"


def body_to_typst(md: str, footnotes: dict[str, str]) -> str:
    """Convert block structure line by line; block quotes recurse on their inner text."""
    lines = md.split("\n")
    out: list[str] = []
    para: list[str] = []
    list_indents: list[int] = []
    i = 0

    def flush() -> None:
        if para:
            out.append(inline(_join(para), footnotes))
            out.append("")
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        fence = _FENCE.match(line)
        if fence:
            flush()
            marker, lang = fence.group(2), fence.group(3)
            code: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                code.append(lines[i])
                i += 1
            lang_arg = f"lang: {typst_string(lang)}, " if lang else ""
            out += [f"#raw(block: true, {lang_arg}{typst_string(chr(10).join(code))})", ""]
        elif not stripped or stripped.startswith(":::") or _FOOTDEF.match(line):
            flush()
            if not stripped:
                list_indents.clear()
        elif _RULE.match(line) and not para:
            out += ["#line(length: 100%)", ""]
        elif m := _HEADING.match(line):
            flush()
            out += ["=" * len(m.group(1)) + " " + inline(m.group(2), footnotes), ""]
        elif stripped.startswith(">"):
            flush()
            quoted: list[str] = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quoted.append(re.sub(r"^\s*>\s?", "", lines[i]))
                i += 1
            out += [f"#quote(block: true)[\n{body_to_typst(chr(10).join(quoted), footnotes)}]", ""]
            continue
        elif stripped.startswith("|") and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            flush()
            rows: list[str] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            out += [_table(rows, footnotes), ""]
            continue
        elif m := _LIST.match(line):
            flush()
            indent = len(m.group(1))
            while list_indents and indent < list_indents[-1]:
                list_indents.pop()
            if not list_indents or indent > list_indents[-1]:
                list_indents.append(indent)
            marker = "-" if m.group(2) in "-*+" else "+"
            item = [m.group(3)]
            while (
                i + 1 < len(lines)
                and lines[i + 1].strip()
                and not _LIST.match(lines[i + 1])
                and lines[i + 1].startswith(" ")
            ):
                i += 1
                item.append(lines[i])
            out.append("  " * (len(list_indents) - 1) + f"{marker} " + inline(_join(item), footnotes))
        elif line.endswith("\\") or line.endswith("  "):
            para.append(line.rstrip("\\ ") + "\ue000")
        else:
            para.append(line)
        i += 1
    flush()
    return "\n".join(out).replace("\ue000", " \\\n")


def md_to_typst(md: str, edition: str = "zh-Hans") -> str:
    """A whole Typst document for ``md`` with the benchmark's page, font and paragraph settings."""
    meta, body = split_front_matter(md)
    footnotes = {}
    for line in body.split("\n"):
        if m := _FOOTDEF.match(line):
            footnotes[m.group(1)] = m.group(2)
    font, region = EDITION_FONTS.get(edition, EDITION_FONTS["zh-Hans"])
    title = typst_string(meta.get("title", "").strip("\"'"))
    return PREAMBLE.format(title=title, font=font, region=region) + "\n" + body_to_typst(body, footnotes) + "\n"
