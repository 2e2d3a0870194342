"""Finding fonts: families named by a style → font files and faces, for one edition.

Fonts are looked up in the user's folders first (``--fonts DIR``, ``fonts/`` beside the source,
``./fonts``; see :func:`font_folders`), then in the system font folders; a face from an earlier
folder wins over a face of the same family and weight from a later one. The index of what is
installed is built with fontTools (name tables only) and cached on disk keyed by file, size and
mtime, so only new or changed files are read again.

A CJK collection has one face per region: the edition's region (SC/TC/HK) picks ``Noto Serif CJK
SC``, ``… TC`` or ``… HK`` when the style says ``Noto Serif CJK``.
"""

from __future__ import annotations

import itertools
import json
import os
import struct
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from zhengji_publish.cache import cache_dir, file_stamp, write_atomic
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError
from zhengji_publish.fonts.faces import Face, cmap_of, unusable_font
from zhengji_publish.fonts.fallback import best_face, fontconfig_faces
from zhengji_publish.style import Style

SYSTEM_FONT_DIRS = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
]
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
INDEX_VERSION = 3

# Suffixes that name a region's face inside CJK families (Noto/Source Han "SC", AR PL "CN"…).
REGION_SUFFIXES = {"SC": ("SC", "CN", "GB"), "TC": ("TC", "TW"), "HK": ("HK", "TC", "TW")}


def font_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    """The font folders of a build with no source file named: :func:`font_folders` without a source."""
    return font_folders(extra)


def font_folders(extra: Iterable[Path] = (), source_dir: Path | None = None) -> list[Path]:
    """The folders fonts are looked up in, in order, each once, as absolute paths:

    1. each ``--fonts DIR`` (``extra``), in the order given;
    2. ``fonts/`` beside the source (``source_dir / "fonts"``);
    3. ``fonts/`` in the current folder;
    4. the folders in ``$ZHENGJI_FONT_DIRS`` (separated by ``os.pathsep``);
    5. the system font folders (:data:`SYSTEM_FONT_DIRS`).

    Folders that do not exist are kept (they are skipped when scanned).
    """
    dirs = [Path(d) for d in extra]
    if source_dir is not None:
        dirs.append(Path(source_dir) / "fonts")
    dirs.append(Path("fonts"))
    env = os.environ.get("ZHENGJI_FONT_DIRS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    unique: list[Path] = []
    for d in dirs + SYSTEM_FONT_DIRS:
        d = d.expanduser().absolute()
        if d not in unique:
            unique.append(d)
    return unique


def _faces_of(path: Path) -> list[Face]:
    """The faces of a font file with outlines, named as its name table names them in English
    (typographic family and subfamily, else the legacy ones), read by HarfBuzz. Raises
    ``ValueError`` for a file that is not a whole font (:func:`check_sfnt`)."""
    import uharfbuzz as hb

    check_sfnt(path)
    blob = hb.Blob.from_file_path(str(path))
    count = hb.Face(blob).count if path.suffix.lower() in (".ttc", ".otc") else 1
    faces = []
    for index in range(count):
        face = hb.Face(blob, index)
        tags = set(face.table_tags)
        family = (face.get_name(16) or face.get_name(1) or "").strip()
        sub = (face.get_name(17) or face.get_name(2) or "Regular").strip()
        if "OS/2" in tags:
            weight = int(hb.Font(face).get_style_value(hb.StyleTag.WEIGHT))  # usWeightClass
        else:
            weight = 700 if "Bold" in sub else 400
        cff = bool(tags & {"CFF ", "CFF2"})
        if family and ("glyf" in tags or cff):
            faces.append(Face(family, sub, str(path), index, weight, cff))
    return faces


def check_sfnt(path: Path) -> None:
    """Check that ``path`` is a whole TrueType/OpenType font or collection: its header names an sfnt
    version (OpenType, ``sfnt`` version; a TTC header), and every table of every face lies inside
    the file (OpenType ``TableDirectory``). Raises ``ValueError`` saying what is wrong."""
    with open(path, "rb") as fh:
        data = fh.read(12)
        size = os.fstat(fh.fileno()).st_size

        def read(offset: int, length: int) -> bytes:
            fh.seek(offset)
            chunk = fh.read(length)
            if len(chunk) < length:
                raise ValueError(f"it is cut short: its table directory runs past its end ({size:,} bytes)")
            return chunk

        if data[:4] == b"ttcf":
            count = struct.unpack(">L", read(8, 4))[0]
            bases = struct.unpack(f">{count}L", read(12, 4 * count)) if count < 10_000 else ()
            if not bases:
                raise ValueError(f"its collection header lists {count} faces")
        elif data[:4] in (b"\0\1\0\0", b"OTTO", b"true"):
            bases = (0,)
        else:
            raise ValueError(f"it is not a TrueType or OpenType font (its first bytes are {data[:4].hex(' ').upper()})")
        for base in bases:
            tables = struct.unpack(">H", read(base + 4, 2))[0]
            if not tables:
                raise ValueError("it has no tables")
            directory = read(base + 12, 16 * tables)
            for i in range(tables):
                tag, _sum, offset, length = struct.unpack_from(">4sLLL", directory, 16 * i)
                if not all(0x20 <= byte <= 0x7E for byte in tag):  # OpenType tags are printable ASCII
                    raise ValueError(
                        f"its table directory is damaged (a table named by the bytes {tag.hex(' ').upper()})"
                    )
                if offset + length > size:
                    name = tag.decode("latin-1").strip()
                    raise ValueError(
                        f"it is cut short: its '{name}' table ends at byte {offset + length:,}, the file has {size:,}"
                    )


# Font files of the last scan that could not be read: file → the cause.
UNREADABLE: dict[str, str] = {}


def _scan(dirs: list[Path]) -> list[Face]:
    """All faces in ``dirs``, in search order; unchanged files come from the on-disk index."""
    index_path = cache_dir() / "font-index.json"
    try:
        cached = json.loads(index_path.read_text())
        if cached.get("version") != INDEX_VERSION:
            cached = {}
    except (OSError, ValueError):
        cached = {}
    files = cached.get("files", {})
    new_files: dict[str, object] = {}
    faces: list[Face] = []
    seen: set[str] = set()
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _dirs, names in sorted(os.walk(d)):
            for name in sorted(names):
                p = Path(root) / name
                if p.suffix.lower() not in FONT_SUFFIXES or str(p) in seen:
                    continue
                seen.add(str(p))
                try:
                    st = p.stat()
                except OSError:
                    continue
                stamp = file_stamp(p, st)
                entry = files.get(str(p))
                if not entry or entry.get("stamp") != stamp:
                    try:
                        entry = {"stamp": stamp, "faces": [f.__dict__ for f in _faces_of(p)]}
                    except Exception as exc:  # any file the reader cannot take is reported, not fatal here
                        entry = {"stamp": stamp, "faces": [], "error": str(exc) or type(exc).__name__}
                new_files[str(p)] = entry
                if entry.get("error"):
                    UNREADABLE[str(p)] = entry["error"]
                else:
                    UNREADABLE.pop(str(p), None)
                faces.extend(Face(**f) for f in entry["faces"])
    if new_files != files:
        write_atomic(index_path, json.dumps({"version": INDEX_VERSION, "files": new_files}).encode())
    return faces


def _is_in(path: str, folder: Path) -> bool:
    """Whether the file ``path`` lies inside ``folder`` (both as the scan wrote them)."""
    return path.startswith(str(folder).rstrip(os.sep) + os.sep)


@lru_cache(maxsize=4)
def installed_faces(dirs: tuple[Path, ...]) -> tuple[Face, ...]:
    return tuple(_scan(list(dirs)))


# Roles whose substitution is reported: the text faces (宋 黑 楷 仿宋) and 小标宋 (``display``).
SUBSTITUTION_ROLES = ("serif", "sans", "kai", "fangsong", "display")

# The Debian package with a free face of each kind that has one.
KIND_PACKAGES = {"宋体": "fonts-noto-cjk", "黑体": "fonts-noto-cjk", "楷体": "fonts-arphic-ukai"}

# The kind of Chinese typeface each well-known family is (GB/T 9704-2012 names its faces by kind:
# 宋体, 黑体, 楷体, 仿宋, 小标宋), by the family's name as a style writes it, in lower case. Noto
# Serif CJK (思源宋体) is a 宋体 and Noto Sans CJK (思源黑体) a 黑体, AR PL UKai a 楷体: a style's
# SimSun, SimHei or KaiTi_GB2312 set in one of them is set in the kind of face it asks for, and is
# no substitution to warn about. No free 仿宋 or 小标宋 ships with Debian.
TYPEFACE_KINDS = {
    **dict.fromkeys(
        ["simsun", "nsimsun", "宋体", "新宋体", "songti sc", "stsong", "华文宋体", "noto serif cjk", "source han serif"]
        + ["思源宋体", "ar pl uming", "ar pl sungti", "hanamina", "hanaminb"],
        "宋体",
    ),
    **dict.fromkeys(
        ["simhei", "黑体", "heiti sc", "stheiti", "华文黑体", "microsoft yahei", "微软雅黑", "noto sans cjk"]
        + ["source han sans", "思源黑体", "wenquanyi zen hei", "wenquanyi micro hei"],
        "黑体",
    ),
    **dict.fromkeys(
        ["kaiti", "kaiti_gb2312", "楷体", "楷体_gb2312", "stkaiti", "华文楷体", "kaiti sc", "ar pl ukai", "tw-kai"],
        "楷体",
    ),
    **dict.fromkeys(["fangsong", "fangsong_gb2312", "仿宋", "仿宋_gb2312", "stfangsong", "华文仿宋"], "仿宋"),
    **dict.fromkeys(
        ["fzxiaobiaosong-b05", "fzxiaobiaosong-b05s", "方正小标宋简体", "方正小标宋_gbk", "方正小标宋"], "小标宋"
    ),
}


class FontBook:
    """The faces a style's roles resolve to for one edition, with per-character fallback."""

    def __init__(
        self,
        style: Style,
        region: str,
        reporter: Reporter | None = None,
        extra_dirs: Iterable[Path] = (),
        source_dir: Path | None = None,
    ) -> None:
        """``extra_dirs``: the ``--fonts`` folders; ``source_dir``: the source's folder (its ``fonts/``
        is searched); the search order is :func:`font_folders`'s."""
        self.style = style
        self.region = region
        self.reporter = reporter or Reporter()
        dirs = font_folders(extra_dirs, source_dir)
        self.faces = installed_faces(tuple(dirs))
        self._check_user_fonts(dirs)
        # The rank of the folder each face was found in: a face from an earlier folder wins.
        self._rank: dict[str, int] = {}
        for f in self.faces:
            self._rank.setdefault(f.path, next((i for i, d in enumerate(dirs) if _is_in(f.path, d)), len(dirs)))
        self._by_family: dict[str, list[Face]] = {}
        for f in self.faces:
            self._by_family.setdefault(f.family.lower(), []).append(f)
        self._chains: dict[tuple[str, bool], list[Face]] = {}
        self._by_file = {(f.path, f.index): f for f in self.faces}
        # Character, role, bold → the installed face used when no face of the style has it.
        self._fallbacks: dict[tuple[str, str, bool], Face | None] = {}
        self._warn_substitutes()

    def _check_user_fonts(self, folders: list[Path]) -> None:
        """Raise a :class:`UserError` naming each font file in the user's folders (``--fonts``,
        ``fonts/`` beside the source, ``./fonts``, ``$ZHENGJI_FONT_DIRS``) that is not a font or is cut
        short: a file dropped there is meant to be used, so it is not skipped silently. A bad file
        in the system's folders is skipped."""
        system = {d.expanduser().absolute() for d in SYSTEM_FONT_DIRS}
        user = [d for d in folders if d not in system]
        bad = sorted(p for p in UNREADABLE if any(_is_in(p, d) for d in user))
        if bad:
            raise UserError([d for p in bad for d in unusable_font(p, UNREADABLE[p]).diagnostics])

    def _warn_substitutes(self) -> None:
        """Warn for each text role the style uses whose first family is not installed and is
        replaced by a face of another kind (:data:`TYPEFACE_KINDS`: a 仿宋 by a 宋体), at the style
        file's line naming that role, with what to install or configure. The warning names the
        family that replaces it as the style does (``Noto Serif CJK``, not the edition's ``… SC``),
        so the reporter gives it once per run however many editions and outputs follow. A family
        replaced by one of its own kind (SimSun by Noto Serif CJK, both 宋体) is no warning: the
        text is set in the kind of face the style asks for."""
        for role in sorted(self.style.roles_used(), key=lambda role: self.style.where("fonts", role)[1]):
            families = self.style.fonts.get(role, ())
            if role not in SUBSTITUTION_ROLES or not families or self._family_faces(families[0]):
                continue
            substitute = next((name for name in families[1:] if self._family_faces(name)), None)
            if substitute is None:
                continue  # no family of the role at all: an error where the role is first set
            wanted, used = TYPEFACE_KINDS.get(families[0].lower()), TYPEFACE_KINDS.get(substitute.lower())
            if wanted is not None and wanted == used:
                continue
            path, line, col = self.style.where("fonts", role)
            kind = f" ({wanted})" if wanted else ""
            instead = f", a {used}" if used else ""
            if wanted is None:
                lead = "install it, or "
            elif wanted in KIND_PACKAGES:
                lead = ""
            else:
                lead = f"no Debian package has a {wanted}: "
            self.reporter.warn(
                f"font '{families[0]}'{kind} for role '{role}' is not installed: "
                f"its text is set in {substitute}{instead}",
                lead
                + "put the font's file (.ttf, .otf) into fonts/ beside the source or a --fonts folder, or list an "
                + f"installed {wanted or 'family'} first in the style's 'fonts: {role}' ("
                + (f"Debian's {KIND_PACKAGES[wanted]} has one; " if wanted in KIND_PACKAGES else "")
                + "fc-list : family names the installed ones)",
                path,
                line,
                col,
            )

    def stand_ins(self) -> dict[str, str]:
        """Each family a role of the style lists before the first one installed (``FangSong_GB2312``
        on a machine without it) → the installed family the role's text is set in instead (``Noto
        Serif CJK SC``): the families a document naming the first ones is drawn with here
        (:mod:`~zhengji_publish.fonts.aliases`). A family listed for several roles keeps the first
        role's stand-in."""
        out: dict[str, str] = {}
        for role, families in self.style.fonts.items():
            missing = list(itertools.takewhile(lambda name: not self._family_faces(name), families))
            if len(missing) == len(families):
                continue  # nothing of the role installed: no stand-in
            used = self.primary(role).family
            for name in missing:
                out.setdefault(name, used)
        return out

    def _family_faces(self, name: str) -> list[Face]:
        """Faces of a family as the style names it, preferring the edition's regional face."""
        for suffix in REGION_SUFFIXES.get(self.region, ()):
            found = self._by_family.get(f"{name} {suffix}".lower())
            if found:
                return found
        return self._by_family.get(name.lower(), [])

    def _pick(self, faces: list[Face], bold: bool) -> Face | None:
        """The regular (or bold) face of a family: upright, weight nearest 400 (or 700), from the
        earliest folder of the search order."""
        upright = [f for f in faces if "italic" not in f.subfamily.lower() and "oblique" not in f.subfamily.lower()]
        pool = upright or faces
        if bold:
            pool = [f for f in pool if f.bold]
            if not pool:
                return None
        target = 700 if bold else 400
        return min(pool, key=lambda f: (abs(f.weight - target), self._rank[f.path], f.path, f.index)) if pool else None

    def chain(self, role: str, bold: bool = False) -> list[Face]:
        """Faces for ``role`` in fallback order (bold: the families' bold faces, then regular).

        A bold chain starts with a bold face only when the role's own first family has one;
        otherwise it is the regular chain (the writers embolden its faces)."""
        key = (role, bold)
        if key in self._chains:
            return self._chains[key]
        families = self.style.fonts[role]
        chain: list[Face] = []
        for name in families:
            face = self._pick(self._family_faces(name), bold)
            if face and face not in chain:
                chain.append(face)
        if bold:
            regular = self.chain(role, False)
            if not chain or not chain[0].bold or chain[0].family != regular[0].family:
                # the role's own family has no bold face: a bold 楷体 stays 楷体, emboldened by the
                # writer or reader, rather than turning into another family's bold 宋体
                chain = []
            chain += [f for f in regular if f not in chain]
        if not chain:
            raise UserError(
                Diagnostic(
                    f"no font of role '{role}' is installed: none of {', '.join(families)}",
                    "install one (Debian: apt-get install fonts-noto-cjk) or drop a .ttf/.otf into fonts/ "
                    "beside the source or into a folder given with --fonts",
                    *self.style.where("fonts", role),
                )
            )
        self._chains[key] = chain
        return chain

    def primary(self, role: str, bold: bool = False) -> Face:
        return self.chain(role, bold)[0]

    def face_for(self, ch: str, role: str, bold: bool = False) -> Face | None:
        """The first face of the role's chain that has ``ch`` (None: no font has it)."""
        cp = ord(ch)
        for face in self.chain(role, bold):
            if cp in cmap_of(face):
                return face
        return None

    def style_face(self, ch: str, role: str, bold: bool = False) -> Face | None:
        """The face of the style that draws ``ch`` in ``role``: the role's chain first, then the
        other roles' (serif, sans, mono, kai, fangsong, display, then any other the style names;
        None: no face the style names has it)."""
        face = self.face_for(ch, role, bold)
        if face is None:
            for other in dict.fromkeys(("serif", "sans", "mono", "kai", "fangsong", "display", *self.style.fonts)):
                if other != role and other in self.style.fonts:
                    face = self.face_for(ch, other, bold)
                    if face:
                        break
        return face

    def draw_face(self, ch: str, role: str, bold: bool = False) -> Face | None:
        """The face that draws ``ch``: the style's (:meth:`style_face`), else the best installed
        face (:meth:`fallback`); None when no installed face has it."""
        return self.style_face(ch, role, bold) or self.fallback(ch, role, bold)

    def fallback(self, ch: str, role: str = "serif", bold: bool = False) -> Face | None:
        """The installed face that best draws ``ch`` when none of the style's faces has it.

        Candidates come from fontconfig (:func:`fontconfig_faces`), ranked by :func:`best_face` for
        the edition's region (:data:`REGION_SUFFIXES`). None when no installed face has the character.
        """
        key = (ch, role, bold)
        if key in self._fallbacks:
            return self._fallbacks[key]
        entry = best_face(fontconfig_faces(ord(ch)), ch, role, bold, REGION_SUFFIXES.get(self.region, ()))
        best: Face | None = None
        if entry is not None:
            path, index, family, style, weight = entry
            best = self._by_file.get((path, index)) or Face(
                family, style, path, index, 700 if weight >= 200 else 400, path.lower().endswith((".otf", ".otc"))
            )
        self._fallbacks[key] = best
        return best

    def fallback_families(self) -> list[str]:
        """The families of the fallback faces found so far, in order of first use (for CSS stacks)."""
        return list(dict.fromkeys(f.family for f in self._fallbacks.values() if f is not None))
