"""The DOCX style sheet: every block role of the project's style becomes a named Word style.

The document body carries style names only, so changing a style in Word restyles the whole
document. The template's own styles are dropped: they point at theme fonts (Japanese for East
Asian text in python-docx's template) which would win over any font named here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from zhengji_publish import model as m
from zhengji_publish.context import BuildContext
from zhengji_publish.fonts import check_draws
from zhengji_publish.fonts.metrics import metrics
from zhengji_publish.plan import Emphasis
from zhengji_publish.style import BlockStyle, Style
from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import dash_face
from zhengji_publish.writers.docx import compression
from zhengji_publish.writers.docx.notemarks import CROSS_STYLE, NUMBER_STYLE, libreoffice_mark_style, number_props
from zhengji_publish.writers.docx.xml import JC, Props, el, half_points, hex_colour, ppr, rpr, twips
from zhengji_publish.writers.pdf.draw import ASCENT
from zhengji_publish.writers.pdf.layout import (
    CELL_PADDING,
    CELL_PADDING_V,
    CODE_PADDING,
    CODE_RULE,
    NOTICE_PADDING,
    NOTICE_RULE,
    THEMATIC_BREAK_ROOM,
    THEMATIC_BREAK_RULE,
    THEMATIC_BREAK_WIDTH,
    geometry,
)

BORDER_WIDTH = 6  # eighths of a point: a 0.75 pt box rule
BORDER_GAP = 4  # points between a box rule and the text
HEADER_RULE = 3  # eighths of a point: the PDF's 0.4 pt rule under the running header


@dataclass(frozen=True)
class ParagraphStyle:
    """A Word paragraph style made from one block role of the project's style."""

    style_id: str
    name: str  # Word's own (lower-case) name for built-in styles, so Word recognises them
    role: str
    changes: Mapping[str, Any] = field(default_factory=dict)  # BlockStyle fields that differ from the role
    outline: int | None = None  # 0-based outline level: shows in Word's navigation pane
    keep_next: bool = False
    auto_line: bool = False  # pictures need auto line spacing, an exact one would clip them
    numbered: bool = False  # indents come from the numbering definition
    rule_below: bool = False
    leader_tab: bool = False  # a right tab at the measure with a dotted leader (contents entries)


# Fenced-div classes the Word writer sets in a style of its own (see :mod:`writers.docx.body`); the
# page break is a break, not a paragraph style.
DIV_STYLES = {
    "subtitle": "Subtitle",
    "byline": "Byline",
    "notice": "Notice",
    "blockquote": "BlockText",
    "caption": "Caption",
}
_UNSTYLED_DIVS = ("pagebreak",)


def notice_title(ctx: BuildContext) -> dict[str, Any]:
    """A notice's own heading as the PDF sets it: the first-level heading's face, size and
    alignment, inside the notice's box (same border, shading and side margins, so Word and
    LibreOffice draw one box round the title and the paragraphs)."""
    notice = ctx.style.block("notice")
    return {
        "border": notice.border,
        "background": notice.background,
        "margin_left": notice.margin_left,
        "margin_right": notice.margin_right,
        "space_before": 0.0,
    }


def footer_distance(style: Style) -> int:
    """The footer's distance from the page's foot (twips; ``w:pgMar w:footer``, ECMA-376 Part 1
    §17.6.11), so the folio's baseline is where the PDF draws it: 2.2 em above the page's foot, or
    with ``folio-offset`` so the folio's top is that far below the type area."""
    page, footer = style.page, style.block("footer")
    if style.folio_offset is not None:
        baseline = page.bottom - style.folio_offset - ASCENT * footer.size
    else:
        baseline = page.bottom - 2.2 * footer.size
    below = footer.line_height - baseline_in_line(footer.line_height, footer.size)  # baseline → line's foot
    return twips(max(0.0, baseline - below))


def footer_room(style: Style) -> float:
    """The space (pt) before a footer's paragraph (the Footer style's ``w:spacing w:before``), which
    makes every footer reach up to the type area's foot, a twip short of it.

    Word ends the text area at the bottom margin whatever the footer holds; LibreOffice 7.4 ends
    it at the footer's top, so a one-line footer let its text area reach 6.6 pt below the PDF's
    type area (book-16k), and the footnotes, set at the text area's foot, stood that much lower
    than the PDF's (measured). A footer as tall as the room between the margin and the footer's
    distance ends both applications' text area where the PDF's ends; the folio stays where it
    was, at the footer's foot."""
    line = twips(style.block("footer").line_height)
    return max(0, twips(style.page.bottom) - footer_distance(style) - line - 1) / 20


def div_style_id(cls: str) -> str | None:
    """The paragraph style of a fenced div's paragraphs: a style of the project's own for the
    classes it knows, and for any other class a style of the user's: its name is the class as
    written (``sidebar``), its id ``Div`` and the class, any character but an ASCII letter or digit
    spelt as its hex code point (``Divsidebar``, ``Div6309-8bed``…; ``w:styleId``, ECMA-376
    §17.7.4.17). ``None``: the div keeps its container's style.
    """
    if cls in DIV_STYLES:
        return DIV_STYLES[cls]
    if cls in _UNSTYLED_DIVS:
        return None
    if cls.isascii() and cls.isalnum():
        return f"Div{cls}"
    return "Div" + "".join(f"{ord(ch):x}-" if not (ch.isascii() and ch.isalnum()) else ch for ch in cls).rstrip("-")


def user_div_styles(ctx: BuildContext) -> list[ParagraphStyle]:
    """A paragraph style for every fenced-div class the project has no style for, named as the class
    and looking like body text: the user restyles all of that class's paragraphs at once in Word."""
    found = dict.fromkeys(m.query(ctx.doc, m.Div, lambda div: div.cls))
    return [
        ParagraphStyle(style_id, cls, "body")
        for cls in found
        if cls not in DIV_STYLES and (style_id := div_style_id(cls)) is not None
    ]


def paragraph_styles(ctx: BuildContext) -> list[ParagraphStyle]:
    """Every paragraph style the writer uses, in the order Word lists them."""
    notice_box = {"space_before": 0.0, "space_after": 0.0}  # the first and last paragraph get them
    styles = [
        ParagraphStyle("Normal", "Normal", "body"),
        ParagraphStyle("Title", "Title", "title", keep_next=True),
        ParagraphStyle("Subtitle", "Subtitle", "subtitle", keep_next=True),
        *(ParagraphStyle(f"Heading{n}", f"heading {n}", f"h{n}", outline=n - 1, keep_next=True) for n in range(1, 7)),
        ParagraphStyle("Byline", "Byline", "byline"),
        ParagraphStyle("Notice", "Notice", "notice", notice_box),
        ParagraphStyle("NoticeTitle", "Notice Title", "h1", notice_title(ctx), keep_next=True),
        ParagraphStyle("BlockText", "Block Text", "blockquote"),
        ParagraphStyle("SourceCode", "Source Code", "code"),
        ParagraphStyle(
            "Figure", "Figure", "caption", {"indent": 0.0, "align": "center"}, keep_next=True, auto_line=True
        ),
        ParagraphStyle("Caption", "caption", "caption"),
        ParagraphStyle("FootnoteText", "footnote text", "footnote"),
        ParagraphStyle("TableText", "Table Text", "table"),
        ParagraphStyle("TableHeading", "Table Heading", "table", {"bold": True}),
        ParagraphStyle("ListParagraph", "List Paragraph", "body", numbered=True),
        ParagraphStyle(  # the PDF's rule (layout.THEMATIC_BREAK_*): the room above and below it as
            # space before and after (set against a neighbour's as the PDF's are), an empty line a
            # twip high, its bottom border the rule
            "ThematicBreak",
            "Thematic Break",
            "body",
            {
                "indent": 0.0,
                "margin_left": geometry(ctx.style).measure * (1 - THEMATIC_BREAK_WIDTH) / 2,
                "margin_right": geometry(ctx.style).measure * (1 - THEMATIC_BREAK_WIDTH) / 2,
                "leading": 0.05 / ctx.style.block("body").size,
                "space_before": THEMATIC_BREAK_ROOM * ctx.style.block("body").line_height,
                "space_after": THEMATIC_BREAK_ROOM * ctx.style.block("body").line_height,
            },
            rule_below=True,
        ),
        ParagraphStyle("Header", "header", "header", rule_below=True),
        ParagraphStyle("Footer", "footer", "footer", {"space_before": footer_room(ctx.style)}),
        ParagraphStyle("TOCHeading", "TOC Heading", "h1"),
    ]
    body = ctx.style.block("body")
    styles += [
        ParagraphStyle(
            f"TOC{n}",
            f"toc {n}",
            "body",
            {"indent": 0.0, "align": "left", "margin_left": (n - 1) * 2 * body.size},
            leader_tab=True,
        )
        for n in range(1, ctx.plan.contents.depth + 1)
    ]
    return styles + user_div_styles(ctx)


def block_style(ctx: BuildContext, spec: ParagraphStyle) -> BlockStyle:
    return replace(ctx.style.block(spec.role), **spec.changes)


def text_block(ctx: BuildContext, spec: ParagraphStyle) -> BlockStyle:
    """The block a paragraph of style ``spec`` is laid out in, as the PDF lays it out: its text
    between the paragraph's indents (``w:ind``), a box's padding (:func:`box_padding`) inside
    its margins."""
    block = block_style(ctx, spec)
    pad = box_padding(ctx, spec, block)
    return replace(block, margin_left=block.margin_left + pad, margin_right=block.margin_right + pad) if pad else block


def script_fonts(ctx: BuildContext, role: str, bold: bool = False) -> dict[str, str]:
    """``w:rFonts`` of a font role split by script, as the PDF draws it: the first face of the role
    that has Latin letters in ``w:ascii``, ``w:hAnsi`` and ``w:cs``, the first that has Han
    characters in ``w:eastAsia`` (ECMA-376 Part 1 §17.3.2.26). A list that starts with a Latin
    family (``[DejaVu Serif, Noto Serif CJK SC]``) still gets its Chinese face for Chinese text.
    """
    named = role_family(ctx, role, bold)
    if named is not None:
        return {"ascii": named, "hAnsi": named, "eastAsia": named, "cs": named}
    fonts = ctx.fonts
    latin = fonts.face_for("A", role, bold) or fonts.primary(role, bold)
    han = fonts.face_for("中", role, bold) or fonts.primary(role, bold)
    check_draws(latin, "A")  # the DOCX only names its faces: a damaged one is told here
    check_draws(han, "中")
    return {"ascii": latin.family, "hAnsi": latin.family, "eastAsia": han.family, "cs": latin.family}


def role_family(ctx: BuildContext, role: str, bold: bool = False) -> str | None:
    """With the style's ``docx.fonts: named``, the first family the style lists for a font role,
    whether or not this machine has it (the faces an office's Word has: FangSong_GB2312 …); else
    None, and :func:`script_fonts` names the faces this build found. A first family this machine
    has under its edition's name (``Noto Sans Mono CJK`` → ``Noto Sans Mono CJK SC``) is named so:
    no application has a family of the style's shorter name, and LibreOffice drew the gongwen
    style's inline code in DejaVu Sans, a character more to the line than the PDF's."""
    if not (ctx.style.docx_named_fonts and ctx.style.fonts.get(role)):
        return None
    first = ctx.style.fonts[role][0]
    found = ctx.fonts.primary(role, bold).family
    return found if found.lower().startswith(first.lower()) else first


# LibreOffice sets a line of exact height taller than the face's own line (ascender + descender,
# 1.448 em in Noto CJK) with its baseline this far (em) above the line's foot, and moves text
# raised with ``w:position`` about 1.4 times the raise asked (measured on its rendering of Noto
# CJK and of the faces standing in for 仿宋 and 黑体).
_FACE_LINE = 1.448
_LO_DESCENT = 0.3325
_LO_RAISE = 0.7


def baseline_in_line(line: float, size: float) -> float:
    """How far below the top of a line of exact height ``line`` (pt) LibreOffice sets the baseline
    of text of ``size`` (pt): :data:`_LO_DESCENT` em above the line's foot in a line taller than
    the face's own, else with the em box centred, 0.88 em of it above the baseline."""
    if line >= _FACE_LINE * size:
        return line - _LO_DESCENT * size
    return (line - size) / 2 + 0.88 * size


def grid_lift(pitch: float, size: float) -> int:
    """How far (half-points, ``w:position``, ECMA-376 §17.3.2.24) to raise text of ``size`` (pt) in
    a line of exact height ``pitch`` (pt) so that its em box is centred in the line, as the PDF
    centres every line in its grid line: the baseline half the leading plus 0.12 em above the
    line's foot. 0 when the line is not taller than the face's own line."""
    centred = (pitch - size) / 2 + 0.88 * size
    return max(0, round(2 * _LO_RAISE * (baseline_in_line(pitch, size) - centred)))


def box_rules(
    colour: str,
    sides: tuple[str, ...] = ("top", "left", "bottom", "right"),
    width: int = BORDER_WIDTH,
    gap: int = BORDER_GAP,
) -> list[etree._Element]:
    return [el(side, {"val": "single", "sz": width, "space": gap, "color": hex_colour(colour)}) for side in sides]


def box_padding(ctx: BuildContext, spec: ParagraphStyle, block: BlockStyle) -> float:
    """The PDF's room (pt) between a box and its text, left and right, 0 for a paragraph in no
    box: a notice's ruled box (:data:`~zhengji_publish.writers.pdf.layout.NOTICE_PADDING` of the
    notice's size, its title's paragraph too) or a code block's shaded one
    (:data:`~zhengji_publish.writers.pdf.layout.CODE_PADDING`). In the DOCX it is the distance of
    the paragraph's rules from its text (``w:pBdr``, ``w:space`` in whole points, ECMA-376 Part 1
    §17.3.1.24 and §17.18.2), and the text is indented that much more, so the box stands where
    the PDF's does and the text is as wide; a code block's rules are drawn in its shading's colour
    (Word and LibreOffice shade the paragraph out to its borders), and above and below its text
    the PDF leaves what the DOCX's box has there, the room rounded to whole points and the rule
    (:func:`~zhengji_publish.writers.pdf.layout.code_padding`). Before, a notice's text stood at
    the box's edge in the PDF's place and the rules 4.75 pt outside it: LibreOffice's box was
    9.5 pt wider than the PDF's and its text 16.8 pt wider."""
    if block.border:
        return ctx.style.block("notice").size * NOTICE_PADDING
    if spec.role == "code" and block.background:
        return block.size * CODE_PADDING
    return 0.0


def grid_pitch(ctx: BuildContext) -> int | None:
    """The pitch (twips) of the document's line grid (``w:docGrid w:linePitch``, ECMA-376 Part 1
    §17.6.5) when the style sets ``lines-per-page`` (GB/T 9704 §5.2.3: 22 lines), None otherwise:
    the type area's height (the measure, in vertical text) in that many lines, rounded down so
    they fit: the PDF's own pitch (:func:`~zhengji_publish.writers.pdf.layout.geometry`)."""
    pitch = geometry(ctx.style, ctx.plan.vertical).pitch
    return None if pitch is None else round(pitch * 20)


def on_pitch(length: int, pitch: int | None) -> int:
    """``length`` (twips) as whole lines of the grid's ``pitch`` (twips) when it is within a twip a
    line of them (the style's line of 29 pt, 580 twips, on 公文's grid of 579): a title of two
    lines off the grid (its exact line and the space after it) took 2 twips more than two grid
    lines, and the page's last line no longer fitted in LibreOffice (a page held two lines fewer
    than the PDF's); 22 lines of 580 twips are 0.9 pt taller than the type area. Else as it is."""
    if not pitch or length <= 0:
        return length
    lines = round(length / pitch)
    return lines * pitch if lines and abs(length - lines * pitch) <= lines else length


def paragraph_props(ctx: BuildContext, spec: ParagraphStyle, block: BlockStyle) -> Props:
    """Paragraph properties of a style: spacing, line pitch, indents, alignment, box."""
    props: Props = {}
    if spec.keep_next:
        props["keepNext"] = {}
    padding = box_padding(ctx, spec, block)
    if block.border:
        props["pBdr"] = box_rules(block.border, width=round(NOTICE_RULE * 8), gap=round(padding))
    elif padding:  # a code block's box: its rules in the shading's colour
        props["pBdr"] = box_rules(block.background, width=round(CODE_RULE * 8), gap=round(padding))
    elif spec.rule_below:
        header = spec.role == "header"  # the PDF's thin rule, right under the header's line
        width, gap = (HEADER_RULE, 0) if header else (BORDER_WIDTH, BORDER_GAP)
        if spec.style_id == "ThematicBreak":  # the rule right under its empty line
            width, gap = round(THEMATIC_BREAK_RULE * 8), 0
        props["pBdr"] = box_rules(ctx.style.colors["rule"], ("bottom",), width, gap)
    if spec.leader_tab:
        props["tabs"] = [el("tab", {"val": "right", "leader": "dot", "pos": twips(geometry(ctx.style).measure)})]
    pitch = grid_pitch(ctx)
    if spec.role in ("header", "footer"):  # page furniture keeps off the body's line grid
        props["snapToGrid"] = {"val": 0}
    elif pitch and not spec.auto_line and block.size * _FACE_LINE > pitch / 20:
        # text whose face's line is taller than the grid's pitch (a 二号 title on 三号's grid):
        # LibreOffice 7.4 gives each of its lines two grid lines whatever its exact height, and the
        # title of a book set in the gongwen style stood half a line lower than the PDF's, the
        # text under it a line lower, a line less on the page; its own exact height stands
        props["snapToGrid"] = {"val": 0}
    if block.background:
        props["shd"] = {"val": "clear", "color": "auto", "fill": hex_colour(block.background)}
    line = (
        {"line": 240, "lineRule": "auto"}
        if spec.auto_line
        else {"line": on_pitch(twips(block.line_height), pitch), "lineRule": "exact"}
    )
    before, after = on_pitch(twips(block.space_before), pitch), on_pitch(twips(block.space_after), pitch)
    props["spacing"] = {"before": before, "after": after, **line}
    if not spec.numbered:
        props["ind"] = {
            "left": twips(block.margin_left + padding),
            "right": twips(block.margin_right + padding),
            "firstLineChars": round(block.indent * 100),
            "firstLine": twips(block.indent * block.size * (1 + geometry(ctx.style).tracking)),  # grid cells
        }
    props["jc"] = {"val": JC[block.align]}
    if spec.outline is not None:
        props["outlineLvl"] = {"val": spec.outline}
    return props


def run_props(ctx: BuildContext, block: BlockStyle) -> Props:
    """Run properties of a style: the edition's face in every script slot, weight, colour, size."""
    props: Props = {"rFonts": script_fonts(ctx, block.font, block.bold)}
    if block.bold:
        props["b"] = {}
        props["bCs"] = {}
    props["color"] = {"val": hex_colour(block.color)}
    spacing = tracking(ctx, block)
    if spacing:
        props["spacing"] = {"val": spacing}
    props["sz"] = {"val": half_points(block.size)}
    props["szCs"] = {"val": half_points(block.size)}
    return props


def tracking(ctx: BuildContext, block: BlockStyle) -> int:
    """Character spacing (``w:spacing``, twips, ECMA-376 Part 1 §17.3.2.35) that sets
    ``chars-per-line`` body characters in the measure, as the PDF's tracking does: GB/T 9704 puts
    28 三号 characters in 156 mm, a little closer than their 16 pt. Rounded down to whole twips so
    the characters of a full line still fit; 0 when they fit at their own size.
    """
    em = geometry(ctx.style).tracking
    return math.floor(em * block.size * 20) if em < 0 else 0


def char_styles(ctx: BuildContext) -> dict[str, tuple[str, Props]]:
    """Character styles: style id → (name, run properties). Nested marks reuse these properties."""
    emphasis: Props = {
        Emphasis.KAI: {"rFonts": {"eastAsia": script_fonts(ctx, "kai")["eastAsia"]}, "snapToGrid": {"val": 0}},
        Emphasis.DOTS: {"em": {"val": "dot"}},
        Emphasis.BOLD: {"b": {}, "bCs": {}},
    }[ctx.plan.emphasis]  # type: ignore[assignment]
    squeezed: dict[str, tuple[str, Props]] = {
        sid: (name, {"w": {"val": percent}}) for sid, (name, percent) in compression.styles().items()
    }
    reference: Props = {"color": {"val": hex_colour(ctx.style.colors["link"])}, "vertAlign": {"val": "superscript"}}
    found: dict[str, tuple[str, Props]] = {
        "Strong": ("Strong", {"b": {}, "bCs": {}}),
        "Emphasis": ("Emphasis", emphasis),
        "Strikethrough": ("Strikethrough", {"strike": {}}),
        CODE_STYLE: (
            "Verbatim Char",
            {"rFonts": script_fonts(ctx, "mono"), "noProof": {}, "snapToGrid": {"val": 0}},
        ),
        "Hyperlink": ("Hyperlink", {"color": {"val": hex_colour(ctx.style.colors["link"])}}),
        "GapSpace": ("Gap Space", gap_space(ctx)),
        PORTION_STYLE: ("Text Portion", {"w": {"val": 100}}),
        UNIT_STYLE: ("Unbreakable Marks", unbreakable(ctx)),
        NUMBER_STYLE: ("Footnote Number", number_props(hex_colour(ctx.style.colors["link"]))),
        # in the link colour, as the PDF's references and note numbers (links to each other)
        "FootnoteReference": ("footnote reference", reference),
        CROSS_STYLE: ("Note Cross-Reference", reference),
    }
    if not ctx.plan.vertical:  # gap spaces narrowed on lines pushed in (writers.docx.compression)
        found |= {sid: (name, gap_space(ctx, percent)) for sid, (name, percent) in compression.gap_styles().items()}
        found |= {sid: (name, {"w": {"val": percent}}) for sid, (name, percent) in compression.word_styles().items()}
    dash = dash_family(ctx)
    if dash is not None:
        # a 破折号 also keeps the Unbreakable Marks' language (a run has one style: it takes this one)
        found[DASH_STYLE] = ("Dash", {**unbreakable(ctx), "rFonts": {"ascii": dash, "hAnsi": dash, "eastAsia": dash}})
    return found | squeezed if compression.carried(ctx) else found


DASH_STYLE = "Dash"


def dash_family(ctx: BuildContext) -> str | None:
    """The family of the body face that draws every 破折号 (``——``, ``⸺⸺``) of the DOCX in the
    Dash character style, when a font role the style sets text in has a face whose dashes do not
    join into one unbroken rule and the body face's do (:func:`~zhengji_publish.typeset.boxes.dash_face`,
    GB/T 15834-2011 §4.9): LibreOffice 7.4 draws AR PL UKai's two em dashes 0.14 em apart, as
    HarfBuzz does. Named in every script slot (``w:rFonts``, ECMA-376 Part 1 §17.3.2.26): a dash
    takes the script of the text beside it; the body's family as the DOCX names it
    (:func:`script_fonts`: a style's office face, ``docx.fonts: named``, else the installed one).
    None when every role's face joins them."""
    if any(dash_face(ctx.fonts, role) is not None for role in ctx.style.roles_used()):
        return script_fonts(ctx, ctx.style.block("body").font)["eastAsia"]
    return None


# LibreOffice 7.4 draws the characters of a text portion (text of the same properties) with the
# space justification adds to each rounded down to whole twips, and sets the next portion where its
# layout puts it: the fractions a portion loses pile up at its end. After a line's worth of Han
# text that is up to 0.13 em more before the Latin word that follows (``起 90``), or short of the
# right margin. Plain Han text is therefore carried in portions of at most this many characters,
# every other one in a character style that changes nothing (``w:w`` 100 %, the default width,
# ECMA-376 Part 1 §17.3.2.43: Word sets the text alike) but starts a portion in LibreOffice. Four:
# at six, the half-point a portion could lose made pdftotext read a space into LibreOffice's PDF
# of the statute on seven lines; at four on none (the statute's DOCX: 70 KB in one run a
# paragraph, 119 KB in portions of four). Not in a style whose body is tracked (``w:spacing``, the
# 公文 grid): LibreOffice sets no character spacing after a run's last character, so each cut
# made the line longer (the 公文 seed: 163 lines against the PDF's 157).
PORTION = 4
PORTION_STYLE = "TextPortion"
CODE_STYLE = "VerbatimChar"  # inline code, as pandoc names its character style


UNIT_STYLE = "UnbreakableMarks"


def unbreakable(ctx: BuildContext) -> Props:
    """The character style of a 省略号 and a 破折号 (``……``, ``⋯⋯``, ``——``: the ellipsis's marks joined by
    :func:`~zhengji_publish.typeset.rules.join_units`), which is never set on two lines (GB/T
    15834-2011 §4.11; clreq UNBREAKABLE): the East Asian face (``w:rFonts w:hint="eastAsia"``,
    ECMA-376 Part 1 §17.3.2.26) and, as its East Asian language, the edition's Chinese with its
    script and no region (``w:lang w:eastAsia``, §17.3.2.20, BCP 47: zh-Hans, zh-Hant;
    :attr:`~zhengji_publish.plan.Languages.docx_dots`).

    Word keeps the marks together by the word joiner between them. LibreOffice 7.4 breaks a line
    with the line breaker of the language of the text where the line is full. For zh-CN, zh-TW
    and zh-HK that is its CJK breaker, which breaks between any two characters but those its own
    forbidden lists name: ``…`` is not among them, joiners are not heeded, and the DOCX's
    ``w:noLineBreaksBefore`` is not read. So it split ``…|…`` wherever the first mark filled a
    line, and wherever the second did and a mark that may not start a line (``。”）``) followed:
    stepping back from that mark it stopped between the two (measured on 1,080 paragraphs with a
    省略号 at every place on a line: 37 split in zh-Hans, 58 in 公文, 58 in zh-Hant-TW). For a tag
    with a script subtag it takes its ICU breaker (UAX #14), which breaks neither between the
    marks (class IN) nor between them and a character before them other than a mark: none split.
    The same breaker heeds the word joiner the writer puts before a 破折号 (UAX #14 WJ): LibreOffice
    no longer starts a line with ``——`` (its CJK breaker's zh-CN list lacks U+2014; measured on 240
    paragraphs with a 破折号 at every place on a line: 9 lines started with it in zh-Hans, none now,
    nor in 公文 or zh-Hant-TW).

    The same tag is the marks' Latin language (``w:lang w:val``): after a digit or a Latin letter
    LibreOffice takes the marks for Latin text, and in its English it drew ``6.7%——`` with the
    face's proportional dashes, 20.3 pt for the PDF's 24 at 12 pt (in two pieces, with a gap,
    where a run split the dash); in Chinese the face gives the full-width forms the PDF draws.
    """
    dots = ctx.plan.languages.docx_dots
    return {"rFonts": {"hint": "eastAsia"}, "lang": {"val": dots, "eastAsia": dots}}


def gap_space(ctx: BuildContext, percent: int = 100) -> Props:
    """The typed space between Han and Latin text (:func:`~zhengji_publish.typeset.rules.gap_spaces`)
    as wide as the PDF's Han–Latin gap, or ``percent`` of it (a gap shrunk on a line pushed in,
    :mod:`~zhengji_publish.writers.docx.compression`): the space of the body's face that has one,
    that face named (``w:rFonts``, ECMA-376 Part 1 §17.3.2.26) and its width scaled (``w:w``,
    1–600 %, §17.3.2.43), rounded down: LibreOffice rounds each gap to whole twips (a quarter em of
    10.5 pt is 52.5), and a line the PDF fills exactly with two gaps a hair wider lost its last
    characters to the next line.
    The face measured is the face named, also in a style that names its fonts (``docx.fonts:
    named``): an office face not on this machine has a space of its own width (LibreOffice set the
    公文 style's gap in its fallback's 0.32 em space). LibreOffice adds its own gap
    (``w:autoSpaceDE``) only inside a run, so the space in a run of its own is the whole gap; the
    space stays in the text."""
    face = ctx.fonts.face_for(" ", ctx.style.block("body").font) or ctx.fonts.primary(ctx.style.block("body").font)
    space = metrics(face).advance(" ") or rules.WORD_SPACE_FALLBACK
    scale = max(1, min(600, math.floor(percent * rules.HAN_LATIN_GAP.natural / space)))
    fonts = {"ascii": face.family, "hAnsi": face.family}
    if script_fonts(ctx, ctx.style.block("body").font).get("eastAsia") == face.family:
        # the East Asian slot too, when the face is the body's Chinese one: LibreOffice sets a space
        # after a Han character in the paragraph's East Asian face, and a 楷体 byline's (AR PL UKai,
        # a half-em space) made a half-em gap (第 01 版)
        fonts["eastAsia"] = face.family
    return {"rFonts": fonts, "w": {"val": scale}}


def doc_defaults(ctx: BuildContext) -> etree._Element:
    """Defaults every paragraph inherits: body face, edition language, Chinese line breaking."""
    body = ctx.style.block("body")
    run = run_props(ctx, body)
    run["lang"] = {"val": "en-US", "eastAsia": ctx.plan.languages.docx, "bidi": "ar-SA"}
    run["kern"] = {"val": 2}
    # overflowPunct stays on (Word's own default): with it off, LibreOffice drops a full-width mark
    # that meets the right margin instead of carrying it down, and losing text is never acceptable.
    # widow control (ECMA-376 Part 1 §17.3.1.44; off when no style says it): no paragraph leaves
    # one line alone at a page's foot or head, the PDF's two lines (rules.MIN_LINES_AT_PAGE_BREAK)
    para: Props = {"widowControl": {}, "kinsoku": {}, "wordWrap": {"val": 0}, "overflowPunct": {"val": 1}}
    if ctx.plan.punctuation.compressed:
        para["topLinePunct"] = {}
    para.update({"autoSpaceDE": {}, "autoSpaceDN": {}})
    return el("docDefaults", None, el("rPrDefault", None, rpr(run)), el("pPrDefault", None, ppr(para)))


def _style(
    kind: str,
    style_id: str,
    name: str,
    based_on: str | None,
    *props: etree._Element,
    default: bool = False,
    next_style: str | None = None,
) -> etree._Element:
    node = el(
        "style", {"type": kind, "styleId": style_id, **({"default": 1} if default else {})}, el("name", {"val": name})
    )
    if based_on:
        node.append(el("basedOn", {"val": based_on}))
    if next_style:
        node.append(el("next", {"val": next_style}))
    node.append(el("qFormat"))
    node.extend(props)
    return node


TABLE_STYLE = "ThreeLineTable"
TABLE_RULE = 7  # eighths of a point: the 0.9 pt rules above and below a table in the PDF
HEAD_RULE = 4  # eighths of a point: the 0.5 pt rule under the header row


def table_style(ctx: BuildContext) -> etree._Element:
    """Tables are three-line tables (三线表), ruled as the PDF rules them: a rule above the table,
    one below it and a thinner one under the header row (``w:tblStylePr`` ``firstRow``, ECMA-376
    Part 1 §17.7.6.6), no vertical rules; cell padding as in the PDF, text in the Table Text style."""
    colour = hex_colour(ctx.style.colors["rule"])
    rules = [el(s, {"val": "single", "sz": TABLE_RULE, "space": 0, "color": colour}) for s in ("top", "bottom")]
    size = ctx.style.block("table").size
    margins = [
        el(s, {"w": twips(size * (CELL_PADDING_V if s in ("top", "bottom") else CELL_PADDING)), "type": "dxa"})
        for s in ("top", "left", "bottom", "right")
    ]
    tbl = el("tblPr", None, el("tblBorders", None, *rules), el("tblCellMar", None, *margins))
    head_rule = el("tcBorders", None, el("bottom", {"val": "single", "sz": HEAD_RULE, "space": 0, "color": colour}))
    first_row = el("tblStylePr", {"type": "firstRow"}, el("tcPr", None, head_rule))
    return _style("table", TABLE_STYLE, "Three-Line Table", None, tbl, first_row, default=True)


def build_styles(ctx: BuildContext, styles_element: etree._Element) -> None:
    """Replace the template's styles with the project's style sheet."""
    for child in list(styles_element):
        styles_element.remove(child)
    styles_element.append(doc_defaults(ctx))
    for spec in paragraph_styles(ctx):
        block = block_style(ctx, spec)
        based_on = None if spec.style_id == "Normal" or spec.numbered else "Normal"
        styles_element.append(
            _style(
                "paragraph",
                spec.style_id,
                spec.name,
                based_on,
                ppr(paragraph_props(ctx, spec, block)),
                rpr(run_props(ctx, block)),
                default=spec.style_id == "Normal",
                next_style="Normal" if spec.keep_next else None,
            )
        )
    for style_id, (name, props) in char_styles(ctx).items():
        styles_element.append(_style("character", style_id, name, None, rpr(props)))
    if ctx.doc.footnotes:  # after FootnoteReference: see writers.docx.notemarks
        styles_element.append(libreoffice_mark_style(ctx.doc, hex_colour(ctx.style.colors["link"])))
    styles_element.append(table_style(ctx))
