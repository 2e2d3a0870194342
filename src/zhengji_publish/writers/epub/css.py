"""The EPUB style sheet, generated from the style so the e-book keeps the PDF's typography.

Sizes are in ``rem`` relative to the body size, so a reader's font-size setting scales the whole
book while the proportions stay those of the style. Spacing given in points becomes ``em`` of the
block's own size. Vertical books use logical margins so space-before stays before the block.
"""

from __future__ import annotations

from zhengji_publish.plan import Emphasis, Plan
from zhengji_publish.style import BlockStyle, Style
from zhengji_publish.typeset import rules

# Block roles of the style → the selector their rule applies to.
SELECTORS = {
    "body": "body",
    "title": ".title",
    "subtitle": ".subtitle",
    "byline": ".byline",
    "notice": ".notice",
    "h1": "h1",
    "h2": "h2",
    "h3": "h3",
    "h4": "h4",
    "h5": "h5",
    "h6": "h6",
    "blockquote": "blockquote",
    "code": "pre",
    "caption": "figcaption",
    "footnote": "aside.footnote",
    "table": "table",
}


def _num(value: float) -> str:
    """A CSS number without trailing zeros (1.5, 2, 0.857)."""
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _margins(bs: BlockStyle, vertical: bool) -> list[str]:
    """Space before/after and side margins, in em of the block's size."""
    before, after = _num(bs.space_before / bs.size), _num(bs.space_after / bs.size)
    left, right = _num(bs.margin_left / bs.size), _num(bs.margin_right / bs.size)
    if vertical:
        return [
            f"margin-block-start: {before}em",
            f"margin-block-end: {after}em",
            f"margin-inline-start: {left}em",
            f"margin-inline-end: {right}em",
        ]
    return [f"margin: {before}em {right}em {after}em {left}em"]


def block_rule(role: str, style: Style, stacks: dict[str, str], vertical: bool) -> str:
    """The rule of one block role: font, size, weight, alignment, indent, spacing, colours, box."""
    bs, body = style.block(role), style.block("body")
    decl = [
        f"font-family: {stacks[bs.font]}",
        f"font-weight: {'bold' if bs.bold else 'normal'}",
        f"text-align: {bs.align}",
        f"text-indent: {_num(bs.indent)}em",
        f"line-height: {_num(bs.leading)}",
        f"color: {bs.color}",
    ]
    if role != "body":
        decl.insert(1, f"font-size: {_num(bs.size / body.size)}rem")
        decl += _margins(bs, vertical)
    if bs.align == "center":
        decl.append("text-wrap: balance")  # lines of even length, as the PDF sets them
    if bs.background:
        decl.append(f"background-color: {bs.background}")
    if bs.border:
        decl += [f"border: 1px solid {bs.border}", "padding: 0.6em 1em"]
    return f"{SELECTORS[role]} {{ {'; '.join(decl)}; }}\n"


def emphasis_rule(emphasis: Emphasis, stacks: dict[str, str]) -> str:
    """Emphasis per the plan: 楷体, emphasis dots or bold — Chinese has no italics. 楷体 sets the
    East Asian runs the writer marks ``ea`` inside ``em``; its Latin letters and digits keep the
    face of the text around (:class:`zhengji_publish.plan.Emphasis`)."""
    if emphasis is Emphasis.KAI:
        return f"em {{ font-style: normal; }}\nem .ea {{ font-family: {stacks['kai']}; }}\n"
    if emphasis is Emphasis.DOTS:
        return (
            "em { font-style: normal; -webkit-text-emphasis: filled dot; text-emphasis: filled dot; "
            "-webkit-text-emphasis-position: under right; text-emphasis-position: under right; }\n"
        )
    return "em { font-style: normal; font-weight: bold; }\n"


def base_rules(style: Style, stacks: dict[str, str], plan: Plan) -> str:
    """Rules for the elements every document uses: paragraphs, links, lists, tables, images, notes.

    The plan's punctuation sets ``text-spacing-trim`` (CSS Text 4): ``space-first`` compresses as GB
    does, ``space-all`` keeps every mark its full em (centred and full-cell styles)."""
    rule, link = style.colors["rule"], style.colors["link"]
    lb = rules.css_line_break(plan.line_break.value)
    trim = rules.css_text_spacing_trim(plan.punctuation.value)  # GB compresses, Taiwan/HK centre
    return (
        f"body {{ -webkit-line-break: {lb}; line-break: {lb}; word-break: normal; overflow-wrap: break-word; "
        f"text-spacing-trim: {trim}; text-autospace: normal; hanging-punctuation: none; }}\n"
        "p { margin: 0; }\n"
        # Links are underlined, not told by colour alone (WCAG 1.4.1; a style may give them the text colour).
        f"a {{ color: {link}; text-decoration: underline; text-decoration-thickness: 1px; "
        "text-underline-offset: 0.2em; }\n"
        "nav a, a.noteref { text-decoration: none; }\n"
        "strong { font-weight: bold; }\n"
        f"code {{ font-family: {stacks['mono']}; font-size: 0.9em; }}\n"
        "pre { white-space: pre-wrap; overflow-wrap: break-word; padding: 0.4em 0.6em; }\n"
        "pre code { font-size: 1em; }\n"
        "ul, ol { text-indent: 0; margin: 0.3em 0 0.3em 2em; padding: 0; }\n"
        "li > ul, li > ol { margin-top: 0; margin-bottom: 0; }\n"
        "li > p { margin: 0; }\n"
        "table { border-collapse: collapse; }\n"
        f"th, td {{ border: 1px solid {rule}; padding: 0.2em 0.6em; vertical-align: top; }}\n"
        "th { font-weight: bold; }\n"
        ".al-left { text-align: left; } .al-center { text-align: center; } .al-right { text-align: right; }\n"
        "figure { margin: 0.8em 0 0.2em 0; text-align: center; text-indent: 0; }\n"
        "img.figure { max-width: 100%; max-height: 80vh; }\n"
        "img.inline { height: 1em; vertical-align: middle; }\n"
        f"hr {{ border: 0; border-top: 1px solid {rule}; width: 30%; margin: 1em auto; }}\n"
        "a.noteref { font-size: 0.7em; vertical-align: super; line-height: 0; }\n"
        f"section.footnotes {{ margin-top: 1.5em; border-top: 1px solid {rule}; padding-top: 0.5em; }}\n"
        ".titlepage { text-align: center; padding-top: 20%; }\n"
        ".titlepage p { text-align: center; text-indent: 0; }\n"
        ".notice > :first-child { margin-top: 0; margin-block-start: 0; }\n"
        ".pagebreak { break-before: page; page-break-before: always; }\n"
        "nav ol { list-style: none; text-indent: 0; margin-left: 0; }\n"
        "nav ol ol { margin-left: 1.5em; }\n"
        "nav[hidden] { display: none; }\n"
        ".cover { margin: 0; padding: 0; text-align: center; text-indent: 0; }\n"
        ".cover img { max-width: 100%; max-height: 100vh; }\n"
    )


def vertical_rules(style: Style) -> str:
    """Vertical right-to-left writing with short numbers upright in one em (tate-chu-yoko, on the spans
    the writer marks ``tcy``), ``upright`` runs (the title page's date) with every character upright,
    and rules turned."""
    rule = style.colors["rule"]
    return (
        "html { -epub-writing-mode: vertical-rl; -webkit-writing-mode: vertical-rl; writing-mode: vertical-rl; }\n"
        "a { text-underline-position: left; }\n"  # Chinese side lines go left of vertical text
        ".tcy { -epub-text-combine: horizontal; -webkit-text-combine: horizontal; "
        "text-combine-upright: all; }\n"
        ".upright { -epub-text-orientation: upright; -webkit-text-orientation: upright; text-orientation: upright; }\n"
        "ul, ol { margin: 0; margin-inline-start: 2em; }\n"
        "nav ol ol { margin: 0; margin-inline-start: 1.5em; }\n"
        f"hr {{ border: 0; border-right: 1px solid {rule}; width: auto; height: 30%; margin: auto 1em; }}\n"
        "img.figure { max-width: 80vw; max-height: 100%; }\n"
        f"section.footnotes {{ margin: 0 1.5em 0 0; border-top: 0; border-right: 1px solid {rule}; "
        "padding: 0 0.5em 0 0; }\n"
        ".titlepage { padding-top: 0; padding-right: 20%; }\n"
    )


def stylesheet(style: Style, plan: Plan, stacks: dict[str, str], font_faces: str, dashes: bool = False) -> str:
    """The whole style sheet: @font-face rules, element rules, one rule per block role; with
    ``dashes`` the rule of the 破折号 spans (:func:`dash_rule`)."""
    vertical = plan.vertical
    css = '@charset "UTF-8";\n' + font_faces + base_rules(style, stacks, plan)
    css += "".join(block_rule(role, style, stacks, vertical) for role in SELECTORS)
    css += emphasis_rule(plan.emphasis, stacks)
    if dashes:
        css += dash_rule(style, stacks)
    if vertical:
        css += vertical_rules(style)
    return css


def dash_rule(style: Style, stacks: dict[str, str]) -> str:
    """``<span class="dash">``: a 破折号 set in a role whose face does not join its em dashes into
    one rule (:func:`~zhengji_publish.typeset.boxes.dash_face`, AR PL UKai; GB/T 15834-2011
    §4.9), in the body text's font stack, as the PDF draws it."""
    return f".dash {{ font-family: {stacks[style.block('body').font]}; }}\n"


def used_roles(style: Style, plan: Plan) -> list[str]:
    """Font roles the style sheet names (stacks are made only for these, never for unused roles)."""
    roles = {style.block(r).font for r in SELECTORS} | {"mono"}
    if plan.emphasis is Emphasis.KAI:
        roles.add("kai")
    return sorted(roles)
