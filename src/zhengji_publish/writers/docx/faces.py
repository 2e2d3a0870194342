"""The face each character is drawn in, named in the DOCX where the style's own names do not say it.

A paragraph or character style names one face for Latin text and one for Chinese text
(:func:`~zhengji_publish.writers.docx.styles.script_fonts`, ``w:rFonts``). The PDF draws a
character that neither face has in the next face of the role's font list that has it, else in
the best installed face (:meth:`~zhengji_publish.fonts.FontBook.draw_face`). A DOCX that does not
name that face leaves the choice to the application: LibreOffice drew the default style's ``►``
in code in DejaVu Sans, where the PDF has DejaVu Sans Mono (the mono list's second family), and
the body's in DejaVu Sans, where the PDF has DejaVu Serif. So each such character goes in a run of
its own that names its face in every script slot (``w:rFonts``, ECMA-376 Part 1 §17.3.2.26).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterable

from docx.oxml.ns import qn
from lxml import etree

from zhengji_publish.context import BuildContext
from zhengji_publish.fonts import Face
from zhengji_publish.text import is_cjk_punct
from zhengji_publish.writers.docx.styles import CODE_STYLE, block_style, char_styles, paragraph_styles
from zhengji_publish.writers.docx.xml import fonts_attrs, rpr, set_text

_P, _R, _T, _RPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:rPr")
_PSTYLE, _RSTYLE, _RFONTS, _B = qn("w:pStyle"), qn("w:rStyle"), qn("w:rFonts"), qn("w:b")


class FaceNamer:
    """Names the drawing face in the runs of a DOCX part's paragraphs (:meth:`name_faces`)."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        # paragraph style id → (font role, bold), as the style sheet sets them
        self.roles: dict[str, tuple[str, bool]] = {}
        for spec in paragraph_styles(ctx):
            block = block_style(ctx, spec)
            self.roles[spec.style_id] = (block.font, block.bold)
        # character styles that name faces of their own (a 楷体 emphasis, the 破折号's face): their
        # runs are left as they are; the code style's face is the mono role's
        self.own_faces = {sid for sid, (_name, props) in char_styles(ctx).items() if "rFonts" in props} - {CODE_STYLE}
        self._families: dict[tuple[str, str, bool], str | None] = {}
        self._named: dict[tuple[str, bool], tuple[Face, ...]] = {}
        self._plain: dict[tuple[str, bool], set[str]] = {}  # characters found in the style's own faces

    def family(self, ch: str, role: str, bold: bool) -> str | None:
        """The family of the face the PDF draws ``ch`` in for ``role``, when it is neither of the
        faces the role's style names (its Latin and its Chinese face); else None. Spaces and
        Chinese punctuation are left to the style (a mark borrows the body's face in the PDF, and
        its run properties carry that already)."""
        key = (ch, role, bold)
        if key in self._families:
            return self._families[key]
        family = None
        if not ch.isspace() and not is_cjk_punct(ch):
            fonts = self.ctx.fonts
            if (role, bold) not in self._named:
                self._named[role, bold] = tuple(
                    face
                    for face in (fonts.face_for("A", role, bold), fonts.face_for("中", role, bold))
                    if face is not None
                ) or (fonts.primary(role, bold),)
            face = fonts.draw_face(ch, role, bold)
            if face is not None and face not in self._named[role, bold]:
                family = face.family
        self._families[key] = family
        return family

    def name_faces(self, root: etree._Element) -> None:
        """Split every run under ``root`` whose text has a character drawn in a face its style does
        not name (:meth:`family`) so that character's run names it. Runs that name their faces
        already (``w:rFonts``) and runs of a character style with faces of its own are left."""
        for p in list(root.iter(_P)):
            style = p.find(f"{qn('w:pPr')}/{_PSTYLE}")
            role, bold = self.roles.get(style.get(qn("w:val"), "") if style is not None else "Normal", ("body", False))
            for run in [r for r in p.iter(_R) if next(r.iterancestors(_P)) is p]:
                self._split(run, role, bold)

    def _split(self, run: etree._Element, role: str, bold: bool) -> None:
        props = run.find(_RPR)
        kids = [k for k in run if k is not props]
        if len(kids) != 1 or kids[0].tag != _T or not kids[0].text:
            return
        if props is not None:
            if props.find(_RFONTS) is not None:
                return
            named = props.find(_RSTYLE)
            sid = named.get(qn("w:val"), "") if named is not None else ""
            if sid in self.own_faces:
                return
            role = self.ctx.style.block("code").font if sid == CODE_STYLE else role
            bold = bold or props.find(_B) is not None or sid == "Strong"
        text = kids[0].text
        plain = self._plain.setdefault((role, bold), set())
        if plain.issuperset(text):  # the common case: every character in the style's own faces
            return
        segments: list[tuple[str, str | None]] = []
        for ch in text:
            if _joins(ch):  # a combining mark, variation selector or joiner stays with its character
                family = segments[-1][1] if segments else None
            else:
                family = self.family(ch, role, bold)
            if family is None:
                plain.add(ch)
            if segments and segments[-1][1] == family:
                segments[-1] = (segments[-1][0] + ch, family)
            else:
                segments.append((ch, family))
        if len(segments) == 1 and segments[0][1] is None:
            return
        for part, family in segments:
            new = copy.deepcopy(run)
            t = new.find(_T)
            assert t is not None
            set_text(t, part)
            if family is not None:
                _name_face(new, family)
            run.addprevious(new)
        run.getparent().remove(run)


def _joins(ch: str) -> bool:
    """Whether ``ch`` belongs with the character before it rather than having a face of its own:
    a mark (combining accents, variation selectors) or a format character (joiners; the zero-width
    space the writer puts before a gap it spaces)."""
    category = unicodedata.category(ch)
    return category[0] == "M" or category == "Cf"


def _name_face(run: etree._Element, family: str) -> None:
    """Put ``w:rFonts`` naming ``family`` in every slot into ``run``'s properties, in schema order
    (after ``w:rStyle``, before the rest: CT_RPr, ECMA-376 Part 1 §17.3.2)."""
    props = run.find(_RPR)
    if props is None:
        run.insert(0, rpr({"rFonts": fonts_attrs(family)}))
        return
    fonts = rpr({"rFonts": fonts_attrs(family)})[0]
    style = props.find(_RSTYLE)
    if style is not None:
        style.addnext(fonts)
    else:
        props.insert(0, fonts)


def name_faces(ctx: BuildContext, roots: Iterable[etree._Element]) -> None:
    """:meth:`FaceNamer.name_faces` over each of ``roots`` (a document's body, its notes, headers
    and footers)."""
    namer = FaceNamer(ctx)
    for root in roots:
        namer.name_faces(root)
