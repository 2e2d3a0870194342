"""Fonts of the EPUB: CSS font stacks per role, and embedded WOFF2 subsets of the faces used.

A full CJK face is 15–25 MB; subset to the characters a book shows it is a few hundred kB. Each
character is assigned to the first face of its role's chain that has it (the same fallback the
reading system applies to the CSS stack), so every embedded face holds exactly what it draws.
The layout features kept are those of the book's language (its regional forms, not other
regions'). Subsets are cached on disk.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from zhengji_publish.fonts import REGION_SUFFIXES, Face, FontBook, cmap_of, has_outlines
from zhengji_publish.writers.epub.subset import LANGSYS, woff2_subset

FontKey = tuple[str, bool]  # (font role, bold)
GENERIC = {
    "serif": "serif",
    "sans": "sans-serif",
    "kai": "serif",
    "fangsong": "serif",
    "mono": "monospace",
    "display": "serif",
}
_SUFFIXES = {s for suffixes in REGION_SUFFIXES.values() for s in suffixes}


@dataclass(frozen=True)
class EmbeddedFont:
    """One face as it goes into the book."""

    face: Face
    href: str  # inside the book, e.g. fonts/NotoSerifCJKSC-Regular.woff2
    data: bytes


def _is_regional(family: str, name: str) -> bool:
    """``family`` is ``name`` itself or one of its regional faces (``Noto Serif CJK`` → ``… SC``)."""
    return family == name or (family.startswith(name + " ") and family[len(name) + 1 :] in _SUFFIXES)


def family_stack(book: FontBook, role: str) -> str:
    """The CSS font-family list of a role: the style's families as named for the edition's region."""
    chain = book.chain(role)
    names: list[str] = []
    for name in book.style.fonts[role]:
        face = next((f for f in chain if _is_regional(f.family, name)), None)
        if face:
            names.append(face.family)
        elif "CJK" in name or name.startswith("Source Han"):
            names.append(f"{name} {REGION_SUFFIXES[book.region][0]}")
        else:
            names.append(name)
    # Faces found for characters the style's faces lack (embedded, or a colour emoji face named).
    names += book.fallback_families()
    unique = list(dict.fromkeys(names))
    return ", ".join(f'"{n}"' for n in unique) + f", {GENERIC[role]}"


def face_chain(book: FontBook, role: str, bold: bool) -> list[Face]:
    """Faces for text in ``role``: the bold chain only when the role's own family has a bold face.

    A 楷体 without a bold weight must not turn into bold 宋体; the reading system then emboldens
    the regular face, as a word processor does.
    """
    if bold:
        chain = book.chain(role, True)
        if chain[0].bold and chain[0].family == book.primary(role).family:
            return chain
    return book.chain(role)


def faces_for_text(book: FontBook, chars: dict[FontKey, set[str]]) -> dict[Face, set[str]]:
    """Each face that draws some of the text, with the characters it draws.

    A character no face of the chain has is drawn by the book's fallback face
    (:meth:`FontBook.fallback`); a colour emoji face without outlines is only named in the CSS
    stack (:func:`family_stack`), the reading system's own copy drawing it in colour.
    """
    out: dict[Face, set[str]] = {}
    for (role, bold), text in sorted(chars.items()):
        chain = face_chain(book, role, bold)
        for ch in text:
            if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
                continue
            face = next((f for f in chain if ord(ch) in cmap_of(f)), None)
            if face is None and book.style_face(ch, role, bold) is None:
                face = book.fallback(ch, role, bold)  # no face of the style has it
            if face is not None and has_outlines(face):
                out.setdefault(face, set()).add(ch)
    return out


def subset_woff2(face: Face, chars: set[str], region: str | None = None) -> bytes:
    """A WOFF2 subset of ``face`` holding ``chars`` (the shared, cached subsetter).

    ``region`` (SC/TC/HK) is the book's: the regional forms of its language are kept, not others'.
    """
    return woff2_subset(face, chars, LANGSYS.get(region or ""))


def embed(book: FontBook, chars: dict[FontKey, set[str]]) -> list[EmbeddedFont]:
    """Subsets of every face the text uses, in a stable order."""
    faces = faces_for_text(book, chars)
    return [
        EmbeddedFont(face, f"fonts/{face.key}.woff2", subset_woff2(face, faces[face], book.region))
        for face in sorted(faces, key=lambda f: (f.family, f.weight, f.path, f.index))
    ]


def font_face_rules(fonts: list[EmbeddedFont]) -> str:
    """@font-face rules naming each subset by its family, so the role stacks pick it first."""
    return "".join(
        f'@font-face {{ font-family: "{f.face.family}"; font-style: normal; '
        f'font-weight: {700 if f.face.bold else 400}; src: url("{f.href}") format("woff2"); }}\n'
        for f in fonts
    )
