"""WordprocessingML building blocks shared by the DOCX writer's modules.

Word validates the order of the children of ``w:pPr`` and ``w:rPr`` against the schema and
refuses a file whose properties are out of order, so properties are collected in dictionaries and
written out in schema order by one function each.
"""

from __future__ import annotations

from collections.abc import Mapping

from docx.oxml.ns import qn
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Schema order of paragraph and run properties (ECMA-376 Part 1, CT_PPrBase and CT_RPr).
PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "widowControl",
    "numPr",
    "pBdr",
    "shd",
    "tabs",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "jc",
    "textAlignment",
    "outlineLvl",
    "rPr",
)
RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "strike",
    "noProof",
    "snapToGrid",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "u",
    "shd",
    "vertAlign",
    "em",
    "lang",
    "eastAsianLayout",
)

# Properties: tag → attributes (w: prefixed on output), or a list of child elements for nested ones.
Props = dict[str, object]

JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def twips(points: float) -> int:
    """Twentieths of a point, the unit of WordprocessingML lengths."""
    return round(points * 20)


def half_points(points: float) -> int:
    """Font sizes are written in half points."""
    return round(points * 2)


def hex_colour(colour: str) -> str:
    """``#9e1b1b`` → ``9E1B1B`` as w:color and w:fill want it."""
    return colour.lstrip("#").upper() or "auto"


def el(tag: str, attrs: Mapping[str, object] | None = None, *children: etree._Element) -> etree._Element:
    """A ``w:`` element with ``w:`` attributes (``r:id`` and ``xml:space`` are passed through)."""
    node = etree.Element(qn(f"w:{tag}") if ":" not in tag else qn(tag))
    for key, value in (attrs or {}).items():
        name = qn(key) if ":" in key else qn(f"w:{key}")
        node.set(name, str(value))
    node.extend(children)
    return node


def _props(props: Props, order: tuple[str, ...], wrapper: str) -> etree._Element:
    """Write a property dictionary as ``wrapper`` with children in schema order."""
    unknown = set(props) - set(order)
    if unknown:
        raise ValueError(f"unordered {wrapper} properties: {sorted(unknown)}")
    node = el(wrapper)
    for tag in order:
        if tag not in props:
            continue
        value = props[tag]
        if isinstance(value, etree._Element):
            node.append(value)
        elif isinstance(value, list):
            node.append(el(tag, None, *value))
        else:
            node.append(el(tag, value))  # type: ignore[arg-type]
    return node


def ppr(props: Props) -> etree._Element:
    return _props(props, PPR_ORDER, "pPr")


def rpr(props: Props) -> etree._Element:
    return _props(props, RPR_ORDER, "rPr")


def set_paragraph_prop(p: etree._Element, tag: str, attrs: dict[str, object]) -> None:
    """Add attributes to one property of a paragraph (not a table), keeping schema order."""
    props = p.find(qn("w:pPr"))
    if p.tag != qn("w:p") or props is None:
        return
    _set_prop(props, PPR_ORDER, tag, attrs)


def set_run_prop(r: etree._Element, tag: str, attrs: dict[str, object]) -> None:
    """Add attributes to one property of a run (``w:rPr``, made if it has none), keeping schema order."""
    props = r.find(qn("w:rPr"))
    if props is None:
        props = el("rPr")
        r.insert(0, props)
    _set_prop(props, RPR_ORDER, tag, attrs)


def _set_prop(props: etree._Element, order: tuple[str, ...], tag: str, attrs: dict[str, object]) -> None:
    node = props.find(qn(f"w:{tag}"))
    if node is None:
        node = el(tag)
        rank = order.index(tag)
        later = [c for c in props if c.tag.startswith(f"{{{W_NS}}}") and order.index(etree.QName(c).localname) > rank]
        if later:
            later[0].addprevious(node)
        else:
            props.append(node)
    for key, value in attrs.items():
        node.set(qn(f"w:{key}"), str(value))


def text_run(text: str, props: Props | None = None) -> etree._Element:
    """A run holding ``text``, spaces preserved exactly (no space is ever added or dropped)."""
    run = el("r")
    if props:
        run.append(rpr(props))
    t = el("t", None)
    set_text(t, text)
    run.append(t)
    return run


def set_text(t: etree._Element, text: str) -> None:
    """Put ``text`` in the ``w:t`` element ``t``, its spaces at either end kept (``xml:space``)."""
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def fonts_attrs(family: str) -> dict[str, str]:
    """One family for every script slot: Latin and digits come from the CJK face as well."""
    return {"ascii": family, "hAnsi": family, "eastAsia": family, "cs": family}
