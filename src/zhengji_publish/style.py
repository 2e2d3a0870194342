"""Style sheets: YAML files resolved into one :class:`Style` all writers read.

Styles ship inside the package (``zhengji_publish/styles/*.yaml``, read through
:mod:`importlib.resources`); a user's own are found in the folders :class:`StyleSearch` names, in
its order. A style may ``extends:`` another; the child's keys override the parent's, section by
section. The whole result is validated: an unknown key or a bad value stops the build with the
file, the line, the key and what is allowed. Block styles (title, headings, byline…) inherit what
they leave unset from ``body``.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from zhengji_publish import yamlload
from zhengji_publish.diagnostics import Diagnostic, UserError
from zhengji_publish.suggest import did_you_mean
from zhengji_publish.units import MM, UnitError, font_size, length, page_size

if TYPE_CHECKING:
    from importlib.abc import Traversable

FONT_ROLES = ("serif", "sans", "kai", "fangsong", "mono", "display")
# Chinese names for the roles, accepted wherever a role is named.
ROLE_ALIASES = {
    "宋": "serif",
    "宋体": "serif",
    "song": "serif",
    "黑": "sans",
    "黑体": "sans",
    "hei": "sans",
    "楷": "kai",
    "楷体": "kai",
    "仿宋": "fangsong",
    "小标宋": "display",
    "标题宋": "display",
}
ALIGNS = ("left", "center", "right", "justify")

# Block roles that a style may describe; each inherits unset keys from ``body``.
BLOCK_ROLES = (
    "body",
    "title",
    "subtitle",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "byline",
    "notice",
    "blockquote",
    "code",
    "caption",
    "footnote",
    "table",
    "header",
    "footer",
)


@dataclass(frozen=True)
class BlockStyle:
    """Typography of one kind of block; lengths in points, ``indent`` in characters."""

    font: str = "serif"
    size: float = 10.5
    bold: bool = False
    align: str = "justify"
    indent: float = 2.0  # first-line indent in characters of this block's size
    margin_left: float = 0.0
    margin_right: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    leading: float = 1.6  # line pitch as a multiple of the size
    color: str = "#000000"
    background: str = ""
    border: str = ""  # colour of a box rule around the block ("" = none)

    @property
    def line_height(self) -> float:
        """The line pitch (pt): the size times the leading, to the nearest twentieth of a point
        (ties to even), the unit a DOCX carries it in (``w:spacing w:line``, ECMA-376 Part 1
        §17.3.1.33). The PDF sets its lines at the same pitch, so a page of either holds the same
        lines: 10.5 pt × 1.75 = 18.375 pt was 18.4 pt a line in LibreOffice's layout of the DOCX,
        0.6 pt more over a page, and a page's footnote held a line fewer there."""
        return round(self.size * self.leading * 20) / 20


@dataclass(frozen=True)
class PageStyle:
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    lines_per_page: int | None = None
    chars_per_line: int | None = None

    @property
    def measure(self) -> float:
        return self.width - self.left - self.right


@dataclass(frozen=True)
class Style:
    name: str
    path: Path | None
    page: PageStyle
    fonts: dict[str, tuple[str, ...]]
    blocks: dict[str, BlockStyle]
    colors: dict[str, str]
    emphasis: str = "kai"  # kai | dots | bold
    punctuation: str = "auto"  # auto (by edition) | gb | centred | grid (full cells, no compression)
    line_break: str = "strict"  # basic | strict
    header_text: str = ""
    folio: str = "— {page} —"
    folio_position: str = "center"  # center | outside (odd pages right, even pages left)
    folio_inset: float = 0.0  # distance from the type area's edge for an outside folio (points)
    folio_offset: float | None = None  # baseline distance below the type area (None: centred in the margin)
    quotes: str = "auto"  # auto (corner brackets in traditional editions) | keep | corner
    direction: str = "horizontal"  # horizontal | vertical (top to bottom, columns right to left)
    upright_digits: int = 2  # vertical text: numbers of up to this many digits stand upright in one cell
    numerals: str = "arabic"  # folios and contents page numbers: arabic (12) | chinese (一二)
    footnotes: str = "page"  # PDF: page (at the page's foot; in vertical text its left end) | chapter (at its end)
    toc: bool = False
    toc_title: str = "目录"
    toc_depth: int = 2
    title_page: bool = False
    embed_fonts: bool = True
    # ``docx.fonts: named``: the DOCX names each role's first listed family (the face the reader's
    # Word has, 仿宋_GB2312 …), not the installed one the PDF drew with
    docx_named_fonts: bool = False
    heading_numbers: tuple[str, ...] = ("",) * 6  # h1…h6 ``number`` patterns ("" = not numbered)
    # A book (zhengji_publish.book): parts and chapters open on a right-hand page; how the pages
    # before the body are numbered (i ii iii, 〔一〕, or on from 1 as the body); a cover picture as page 1.
    book_recto: bool = False
    book_front_folio: str = "arabic"  # roman | chinese | arabic
    book_cover_page: bool = False
    data: dict[str, Any] = field(default_factory=dict, compare=False)  # the merged YAML, for `styles show`
    # where each key path was last set, e.g. ("fonts", "serif") → (gongwen.yaml, 20, 3), for messages
    origins: dict[tuple[str, ...], tuple[Path, int, int]] = field(default_factory=dict, compare=False)

    def block(self, role: str) -> BlockStyle:
        return self.blocks[role]

    def where(self, *key: str) -> tuple[Path | None, int, int]:
        """The style file, line and column (1-based) of the key that set the key path ``key``
        (``"fonts", "serif"``), else of the key's section, else this style's own file at 1:1."""
        for depth in range(len(key), 0, -1):
            if key[:depth] in self.origins:
                return self.origins[key[:depth]]
        return self.path, 1, 1

    def roles_used(self) -> list[str]:
        """The font roles this style sets text in: its blocks' fonts, and 楷体 for ``kai`` emphasis."""
        used = dict.fromkeys(block.font for block in self.blocks.values())
        if self.emphasis == "kai":
            used["kai"] = None
        return list(used)

    def heading(self, level: int) -> BlockStyle:
        return self.blocks[f"h{min(max(level, 1), 6)}"]


# ---------------------------------------------------------------- schema


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise UnitError(f"{v!r} is not true or false")
    return v


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in allowed:
            raise UnitError(f"{v!r} is not one of {', '.join(allowed)}")
        return v

    return check


def _role(v: Any) -> str:
    role = ROLE_ALIASES.get(v, v)
    if role not in FONT_ROLES:
        raise UnitError(f"font role {v!r} is unknown (roles: {', '.join(FONT_ROLES)}, or 宋体/黑体/楷体/仿宋)")
    return role


def _colour(v: Any) -> str:
    if isinstance(v, str) and (
        v == "" or (v.startswith("#") and len(v) in (4, 7) and all(c in "0123456789abcdefABCDEF" for c in v[1:]))
    ):
        if len(v) == 4:
            v = "#" + "".join(c * 2 for c in v[1:])
        return v.lower()
    raise UnitError(f"{v!r} is not a colour (write #rrggbb)")


def _text(v: Any) -> str:
    if not isinstance(v, (str, int, float)):
        raise UnitError(f"{v!r} is not text")
    return str(v)


def _int(lo: int, hi: int) -> Callable[[Any], int]:
    def check(v: Any) -> int:
        if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
            raise UnitError(f"{v!r} is not a whole number from {lo} to {hi}")
        return v

    return check


def _number(lo: float, hi: float) -> Callable[[Any], float]:
    def check(v: Any) -> float:
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not lo <= v <= hi:
            raise UnitError(f"{v!r} is not a number from {lo} to {hi}")
        return float(v)

    return check


def _families(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
        raise UnitError(f"{v!r} is not a list of font family names")
    return tuple(x.strip() for x in v)


def _number_pattern(v: Any) -> str:
    """A heading number pattern: text with ``{一}`` (Chinese numerals) or ``{1}`` (digits), or ''."""
    if not isinstance(v, str) or (v and "{一}" not in v and "{1}" not in v):
        examples = '"{一}、", "（{一}）", "{1}." or "（{1}）"'
        raise UnitError(f"{v!r} is not a number pattern such as {examples}")
    return v


def _lengthish(v: Any) -> Any:
    """Checked now, converted later (em depends on the block's size)."""
    length(v, em=10.0)
    return v


BLOCK_KEYS: dict[str, Callable[[Any], Any]] = {
    "font": _role,
    "size": font_size,
    "bold": _bool,
    "align": _choice(*ALIGNS),
    "indent": _number(0, 10),
    "margin-left": _lengthish,
    "margin-right": _lengthish,
    "space-before": _lengthish,
    "space-after": _lengthish,
    "leading": _number(0.8, 4),
    "color": _colour,
    "background": _colour,
    "border": _colour,
    "number": _number_pattern,
}
HEADING_ONLY_KEYS = ("number",)
HEADING_ROLES = tuple(f"h{n}" for n in range(1, 7))

SECTIONS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "page": {
        "size": page_size,
        "margin-top": _lengthish,
        "margin-bottom": _lengthish,
        "margin-left": _lengthish,
        "margin-right": _lengthish,
        "lines-per-page": _int(5, 100),
        "chars-per-line": _int(5, 100),
    },
    "fonts": {role: _families for role in FONT_ROLES},
    "colors": {"text": _colour, "accent": _colour, "rule": _colour, "link": _colour},
    "text": {
        "emphasis": _choice("kai", "dots", "bold"),
        "punctuation": _choice("auto", "gb", "centred", "grid"),
        "line-break": _choice("basic", "strict"),
        "quotes": _choice("auto", "keep", "corner"),
        "direction": _choice("horizontal", "vertical"),
        "upright-digits": _int(0, 3),
        "footnotes": _choice("page", "chapter"),
    },
    "running": {
        "header": _text,
        "folio": _text,
        "folio-position": _choice("center", "outside"),
        "folio-inset": _lengthish,
        "folio-offset": _lengthish,
        "numerals": _choice("arabic", "chinese"),
    },
    "toc": {"enabled": _bool, "title": _text, "depth": _int(1, 6)},
    "title-page": {"enabled": _bool},
    "book": {"recto": _bool, "front-folio": _choice("roman", "chinese", "arabic"), "cover-page": _bool},
    "epub": {"embed-fonts": _bool, "vertical": _bool},
    "docx": {"fonts": _choice("installed", "named")},
    **{role: BLOCK_KEYS for role in BLOCK_ROLES},
}
TOP_KEYS = {"name", "description", "extends", *SECTIONS}


# ---------------------------------------------------------------- loading


class _Source:
    """A loaded YAML file with the line of every key path, for messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UserError(Diagnostic("style file is not UTF-8", "save it as UTF-8", path, 1, 1)) from None
        try:
            self.data = yamlload.load(text) or {}
            node = yamlload.compose(text)
        except yaml.YAMLError as exc:
            unclosed = yamlload.unclosed_quote_error(exc, text, path)
            if unclosed is not None:
                raise unclosed from None
            line, col = yamlload.error_mark(exc, text) or (0, 0)
            raise UserError(
                Diagnostic(
                    f"style is not valid YAML: {getattr(exc, 'problem', exc)}",
                    "fix the YAML syntax",
                    path,
                    line + 1,
                    col + 1,
                )
            ) from None
        yamlload.check_unique_keys(node, path)
        if not isinstance(self.data, dict):
            raise UserError(
                Diagnostic(
                    "a style must be a mapping of sections", "see zhengji-publish styles show default", path, 1, 1
                )
            )
        # key path → (line, key's column, value's column), all 1-based
        self.marks: dict[tuple[str, ...], tuple[int, int, int]] = {}
        self._index(node, ())

    def _index(self, node: Any, prefix: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = prefix + (str(k.value),)
                self.marks[key] = (k.start_mark.line + 1, k.start_mark.column + 1, v.start_mark.column + 1)
                self._index(v, key)

    def line(self, *key: str) -> int:
        return self.marks.get(tuple(key), (1, 1, 1))[0]

    def at(self, *key: str) -> tuple[int, int]:
        """(line, column) of the key path ``key``, 1-based; (1, 1) when it is not in the file."""
        line, col, _ = self.marks.get(tuple(key), (1, 1, 1))
        return line, col

    def value_at(self, *key: str) -> tuple[int, int]:
        """(line, column) of the value of the key path ``key``, 1-based, for a bad value."""
        line, _, col = self.marks.get(tuple(key), (1, 1, 1))
        return line, col


# ---------------------------------------------------------------- finding


STYLE_SUFFIXES = (".yaml", ".yml")


def shipped_styles_dir() -> Path:
    """The folder of the styles shipped inside the package (``zhengji_publish/styles``).

    Read through :func:`importlib.resources.files`, so it is found wherever the package is installed
    (a wheel, an editable install, a source tree). A package imported from a zip file has no folder:
    its styles are copied once into a temporary folder removed when the process exits.
    """
    folder = resources.files("zhengji_publish") / "styles"
    if isinstance(folder, Path):
        return folder
    return _extracted(folder)


_EXTRACTED: dict[str, Path] = {}  # folders of a zipped package → their copies on disk, made once per process


def _extracted(folder: Traversable) -> Path:
    """The style files of a folder that is not on disk (a zipped package), copied to a temporary folder."""
    key = str(folder)
    if key not in _EXTRACTED:
        target = Path(tempfile.mkdtemp(prefix="zhengji-styles-"))
        atexit.register(shutil.rmtree, target, True)
        for item in folder.iterdir():
            if item.is_file() and item.name.endswith(STYLE_SUFFIXES):
                (target / item.name).write_bytes(item.read_bytes())
        _EXTRACTED[key] = target
    return _EXTRACTED[key]


@dataclass(frozen=True)
class StyleFolder:
    """A folder style names are looked up in, and where it comes from (shown by ``styles list``)."""

    path: Path
    origin: str  # "--styles", "beside the source", "./styles" or "shipped"
    only_styles: bool = True  # False: a folder of other files too, where only YAML that looks like a style is listed


@dataclass(frozen=True)
class StyleFile:
    """A style a search finds: its name, file, folder and description (``styles list``)."""

    name: str
    path: Path
    folder: StyleFolder
    description: str = ""
    replaces: StyleFolder | None = None  # the folder of a style of the same name further down the order


@dataclass(frozen=True)
class StyleSearch:
    """Where a style name is looked up, in this order (README "Where styles and fonts are found"):

    1. a name ending in ``.yaml``/``.yml`` or holding a ``/`` is a file: relative to the source's
       folder, else to the current folder;
    2. each ``--styles DIR``, in the order given (``style_dirs``);
    3. beside the source: its folder, then its ``styles/`` folder (``source_dir``);
    4. the current folder's ``styles/``;
    5. the styles shipped in the package (:func:`shipped_styles_dir`).

    The first ``NAME.yaml`` (or ``NAME.yml``) found wins. ``extends: NAME`` inside a style file is
    looked up beside that file first, then in the same order; a style that extends its own name
    gets the next style of that name after itself in the order (a ``styles/default.yaml`` with
    ``extends: default`` changes the shipped default). Relative folders are taken from the current
    folder at the time of the lookup.
    """

    style_dirs: tuple[Path, ...] = ()
    source_dir: Path | None = None
    # For a style the source named by path: ``extends`` by path must stay inside the style's folder,
    # the source's folder or these (the --allow-outside folders), by zhengji_publish.paths.confine.
    # None: a style the user chose on the command line, not confined.
    confined_to: tuple[Path, ...] | None = None

    def folders(self, beside: Path | None = None) -> list[StyleFolder]:
        """The folders searched for a style name, in order, each once; ``beside``: the folder of a
        style whose ``extends:`` is being looked up."""
        found: list[StyleFolder] = []
        if beside is not None:
            found += [
                StyleFolder(beside, "beside the style", False),
                StyleFolder(beside / "styles", "beside the style"),
            ]
        found += [StyleFolder(Path(d), "--styles") for d in self.style_dirs]
        if self.source_dir is not None:
            found += [
                StyleFolder(self.source_dir, "beside the source", False),
                StyleFolder(self.source_dir / "styles", "beside the source"),
            ]
        found += [StyleFolder(Path.cwd() / "styles", "./styles"), StyleFolder(shipped_styles_dir(), "shipped")]
        seen: set[Path] = set()
        unique: list[StyleFolder] = []
        for folder in found:
            key = folder.path.resolve()
            if key not in seen:
                seen.add(key)
                unique.append(folder)
        return unique

    def find(
        self,
        name: str,
        beside: Path | None = None,
        skip: Path | None = None,
        where: tuple[Path, int, int] | None = None,
    ) -> Path:
        """The file of style ``name`` (resolved). ``beside``/``skip``: the folder and file of a style
        naming ``name`` in its ``extends:``; ``where``: the file, line and column naming it, for the error.

        Raises :class:`UserError` (exit status 2) naming the folders searched and the styles available.
        """
        path_like = name.endswith(STYLE_SUFFIXES) or "/" in name
        if path_like:
            if beside is not None and self.confined_to is not None:
                from zhengji_publish.paths import confine

                allowed = (*((self.source_dir.resolve(),) if self.source_dir else ()), *self.confined_to)
                named_in, named_at, col = where if where else (beside, None, 1)
                confine(name, beside, f"style file {name!r}", named_in, named_at, col, allowed)
            given = Path(name).expanduser()
            base = beside if beside is not None else self.source_dir
            candidates = [given] if given.is_absolute() or base is None else list(dict.fromkeys([base / given, given]))
            looked = ", ".join(str(c) for c in candidates)
        else:
            own_name = skip is not None and skip.name.rsplit(".", 1)[0] == name
            # A style extending its own name: the next one of that name after it in the order (not beside it).
            folders = self.folders(None if own_name else beside)
            candidates = [f.path / f"{name}{suffix}" for f in folders for suffix in STYLE_SUFFIXES]
            looked = "looked for " + f"{name}.yaml in " + ", ".join(_shown(f) for f in folders)
            if own_name and skip is not None:
                resolved = [c.resolve() for c in candidates]
                if skip.resolve() in resolved:
                    candidates = candidates[resolved.index(skip.resolve()) + 1 :]
        for candidate in candidates:
            if candidate.is_file() and (skip is None or candidate.resolve() != skip.resolve()):
                return candidate.resolve()
        names = [s.name for s in self.available()]
        if path_like:  # a file was meant: say it is missing, not that no such style is shipped
            what, hint = (
                f"no such style file '{name}'",
                f"check the path ({looked}); or name a style: {', '.join(names)}",
            )
        else:
            what = f"unknown style '{name}'"
            hint = f"{did_you_mean(name, names)} available: ".lstrip()
            hint += f"{', '.join(names)}; or give a path to a .yaml file ({looked})"
        raise UserError(
            Diagnostic(what, hint, *(where or (None, None, None))),
            exit_code=1 if where else 2,  # a name in a file is the file's error; -s NAME is usage
        )

    def available(self) -> list[StyleFile]:
        """Every style found, by name, each from the first folder that has it (``styles list``).

        In a folder that holds other files too (the source's own), only YAML files whose keys are
        all style sections are listed; a file there is still found when named.
        """
        first: dict[str, StyleFile] = {}
        for folder in self.folders():
            if not folder.path.is_dir():
                continue
            for path in sorted(folder.path.iterdir()):
                if not path.name.endswith(STYLE_SUFFIXES) or path.name.startswith(".") or not path.is_file():
                    continue
                description = _description(path)
                if description is None and not folder.only_styles:
                    continue
                name = path.name.rsplit(".", 1)[0]
                if name in first:
                    if first[name].replaces is None and first[name].folder != folder:
                        first[name] = replace(first[name], replaces=folder)
                    continue
                first[name] = StyleFile(
                    name, path, folder, "(not a valid style)" if description is None else description
                )
        return sorted(first.values(), key=lambda s: s.name)


def _shown(folder: StyleFolder) -> str:
    """A folder as the user knows it: the shipped ones by that word, the rest by path."""
    return "the shipped styles" if folder.origin == "shipped" else str(folder.path)


def _description(path: Path) -> str | None:
    """A style file's ``description`` ("" when it has none), or None when the file is not a style."""
    try:
        data = yamlload.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not data or not set(map(str, data)) <= TOP_KEYS:
        return None
    return str(data.get("description") or "")


def find_style(name: str, source_dir: Path | None = None, style_dirs: Iterable[Path] = ()) -> Path:
    """A style name (``gongwen``) or a path to a YAML file → the file, looked up as :class:`StyleSearch` says.

    Raises :class:`UserError` (exit status 2) when no folder has it, listing the styles available.
    """
    return StyleSearch(tuple(style_dirs), source_dir).find(name)


def list_styles() -> list[str]:
    """The names of the styles shipped in the package, sorted."""
    return sorted(p.name.rsplit(".", 1)[0] for p in shipped_styles_dir().iterdir() if p.name.endswith(".yaml"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


Origins = dict[tuple[str, ...], tuple[Path, int, int]]  # key path → (file, line, column), 1-based


def _load_chain(path: Path, search: StyleSearch, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Origins]:
    """Merged data of a style and its ancestors, and where each key was last set."""
    if path in seen:
        raise UserError(
            Diagnostic("styles extend each other in a circle", " → ".join(p.name for p in seen + (path,)), path, 1, 1)
        )
    src = _Source(path)
    _validate(src)
    data: dict[str, Any] = {}
    origin: Origins = {}
    parent = src.data.get("extends")
    if parent:
        if not isinstance(parent, str):
            raise UserError(
                Diagnostic("'extends' must name one style", "e.g. extends: default", path, *src.value_at("extends"))
            )
        found = search.find(parent, beside=path.parent, skip=path, where=(path, *src.value_at("extends")))
        data, origin = _load_chain(found, search, seen + (path,))
    own = {k: v for k, v in src.data.items() if k != "extends"}
    for key, (line, col, _) in src.marks.items():
        origin[key] = (path, line, col)
    return _merge(data, own), origin


def _key_hint(section: str, key: str) -> str:
    """What to write instead of the unknown ``section.key``: the nearest key of the section
    (``colour`` → ``color``), the section the key belongs in (``body.quotes`` → ``text``), or the
    section's keys."""
    homes = [name for name, schema in SECTIONS.items() if key in schema and name != section]
    return (
        did_you_mean(key, SECTIONS[section])
        or (f"'{key}' belongs under '{homes[0]}:'" if len(homes) == 1 else "")
        or f"'{section}' takes: " + ", ".join(SECTIONS[section])
    )


def _validate(src: _Source) -> None:
    problems = []
    for section, body in src.data.items():
        if section not in TOP_KEYS:
            problems.append(
                Diagnostic(
                    f"unknown style key '{section}'",
                    did_you_mean(str(section), TOP_KEYS) or "known sections: " + ", ".join(sorted(TOP_KEYS)),
                    src.path,
                    *src.at(section),
                )
            )
            continue
        if section in ("name", "description", "extends"):
            continue
        if not isinstance(body, dict):
            problems.append(
                Diagnostic(
                    f"'{section}' must be a mapping", "write its keys indented below it", src.path, *src.at(section)
                )
            )
            continue
        schema = SECTIONS[section]
        for key, value in body.items():
            if key not in schema:
                problems.append(
                    Diagnostic(
                        f"unknown style key '{section}.{key}'",
                        _key_hint(str(section), str(key)),
                        src.path,
                        *src.at(section, str(key)),
                    )
                )
                continue
            if key in HEADING_ONLY_KEYS and section not in HEADING_ROLES:
                problems.append(
                    Diagnostic(
                        f"'{section}.{key}' has no effect: only headings are numbered",
                        f"set it in one of {', '.join(HEADING_ROLES)}",
                        src.path,
                        *src.at(section, str(key)),
                    )
                )
                continue
            try:
                schema[key](value)
            except UnitError as exc:
                problems.append(
                    Diagnostic(
                        f"bad value for '{section}.{key}': {exc}",
                        "correct the value",
                        src.path,
                        *src.value_at(section, str(key)),
                    )
                )
    if problems:
        raise UserError(problems)


def load_style(
    name: str,
    source_dir: Path | None = None,
    style_dirs: Iterable[Path] = (),
    where: tuple[Path, int, int] | None = None,
    confined_to: tuple[Path, ...] | None = None,
) -> Style:
    """Find, merge, validate and resolve a style into points and typed records.

    ``name`` is looked up as :class:`StyleSearch` says, with ``source_dir`` the folder of the source
    being built and ``style_dirs`` the ``--styles`` folders. ``where`` (a source, the line and column of its
    front matter's ``style:``) locates the error of a style that is not found. ``confined_to``: for a
    style the source names by path, the ``--allow-outside`` folders its ``extends`` paths may also
    lead to (see :attr:`StyleSearch.confined_to`). Raises :class:`UserError` for a style that is not
    found or not valid, with the file, line and key, and for an ``extends`` path leading outside.
    """
    search = StyleSearch(tuple(style_dirs), source_dir, confined_to)
    path = search.find(name, where=where)
    data, origin = _load_chain(path, search)
    return _resolve(data, path, origin)


def _resolve(data: dict[str, Any], path: Path, origin: Origins) -> Style:
    def fail(message: str, hint: str, *key: str) -> UserError:
        where, line, col = origin.get(tuple(key), (path, 1, 1))
        return UserError(Diagnostic(message, hint, where, line, col))

    def clash(message: str, hint: str, keys: list[tuple[str, ...]]) -> UserError:
        """A :class:`UserError` for values of ``keys`` that do not go together, located at the
        first of them this style's own file sets (a style that extends another is told of the
        value it changed, not of the shipped file), the first of the others set elsewhere named
        in the message."""
        placed = [(key, origin[key]) for key in keys if key in origin]
        own = [kp for kp in placed if kp[1][0] == path] or placed
        if not own:
            return UserError(Diagnostic(message, hint, path, 1, 1))
        key, (where, line, col) = own[0]
        others = [f"{'.'.join(k)} is set at {w}:{ln}" for k, (w, ln, _c) in placed if k != key and w != where]
        told = f"{message} ({others[0]})" if others else message
        return UserError(Diagnostic(told, hint, where, line, col))

    sec = {s: data.get(s) or {} for s in SECTIONS}
    colors = {"text": "#000000", "accent": "#000000", "rule": "#888888", "link": "#1a4d8f"}
    colors.update({k: _colour(v) for k, v in sec["colors"].items()})

    fonts = {role: _families(sec["fonts"][role]) for role in sec["fonts"]}
    for role in FONT_ROLES:
        if role not in fonts:
            raise fail(f"font role '{role}' has no family", f"add 'fonts.{role}: [Family, Fallback…]'", "fonts")

    body_raw = sec["body"]
    body_size = font_size(body_raw.get("size", "五号"))
    blocks: dict[str, BlockStyle] = {}
    body = _block(body_raw, BlockStyle(size=body_size, color=colors["text"]), body_size)
    blocks["body"] = body
    no_indent = replace(body, indent=0.0)
    for role in BLOCK_ROLES[1:]:
        base = body if role in ("blockquote", "notice") else no_indent
        blocks[role] = _block(sec[role], base, body_size)

    pg = sec["page"]
    width, height = page_size(pg.get("size", "A5"))
    margins = {k: length(pg.get(f"margin-{k}", "20mm"), body_size) for k in ("top", "bottom", "left", "right")}
    lines_pp, chars_pl = pg.get("lines-per-page"), pg.get("chars-per-line")
    page = PageStyle(
        width, height, margins["top"], margins["bottom"], margins["left"], margins["right"], lines_pp, chars_pl
    )
    if page.measure < 20 * MM or page.height - page.top - page.bottom < 20 * MM:
        raise fail(
            "the type area is smaller than 20 mm or larger than the page",
            "reduce the margins or enlarge the page size",
            "page",
        )
    # A character grid may draw characters slightly closer than their size (GB/T 9704 sets 28 三号
    # characters in 156 mm), but not so close that they touch. In vertical text a line is a column:
    # it runs down the type area's height, and the lines stand across its width.
    direction = "vertical" if sec["epub"].get("vertical") else sec["text"].get("direction", "horizontal")
    measure, across = page.measure, page.height - page.top - page.bottom
    line_margins, across_margins, across_name = "side margins", "top and bottom margins", "height"
    if direction == "vertical":
        measure, across = across, measure
        line_margins, across_margins, across_name = across_margins, line_margins, "width"
    if chars_pl and chars_pl * body.size * 0.95 > measure + 0.5:
        sides = ("top", "bottom") if direction == "vertical" else ("left", "right")
        raise clash(
            f"{chars_pl} characters of {body.size:g} pt do not fit the {measure / MM:.1f} mm measure",
            f"reduce chars-per-line, the body size or the {line_margins}",
            [("page", "chars-per-line"), ("body", "size"), *(("page", f"margin-{k}") for k in sides), ("page", "size")],
        )
    if lines_pp and lines_pp * body.size * 1.1 > across:
        sides = ("left", "right") if direction == "vertical" else ("top", "bottom")
        raise clash(
            f"{lines_pp} lines of {body.size:g} pt do not fit the type area's {across_name}",
            f"reduce lines-per-page, the body size or the {across_margins}",
            [("page", "lines-per-page"), ("body", "size"), *(("page", f"margin-{k}") for k in sides), ("page", "size")],
        )

    text, running, toc = sec["text"], sec["running"], sec["toc"]
    return Style(
        name=str(data.get("name") or path.stem),
        path=path,
        page=page,
        fonts=fonts,
        blocks=blocks,
        colors=colors,
        emphasis=text.get("emphasis", "kai"),
        punctuation=text.get("punctuation", "auto"),
        line_break=text.get("line-break", "strict"),
        header_text=str(running.get("header", "")),
        folio=str(running.get("folio", "— {page} —")),
        toc=bool(toc.get("enabled", False)),
        folio_position=running.get("folio-position", "center"),
        folio_inset=length(running.get("folio-inset", 0), blocks["footer"].size),
        folio_offset=length(running["folio-offset"], blocks["footer"].size) if "folio-offset" in running else None,
        quotes=text.get("quotes", "auto"),
        direction=direction,
        upright_digits=int(text.get("upright-digits", 2)),
        numerals=running.get("numerals", "arabic"),
        footnotes=text.get("footnotes", "page"),
        toc_title=str(toc.get("title", "目录")),
        toc_depth=int(toc.get("depth", 2)),
        title_page=bool(sec["title-page"].get("enabled", False)),
        embed_fonts=bool(sec["epub"].get("embed-fonts", True)),
        docx_named_fonts=sec["docx"].get("fonts", "installed") == "named",
        heading_numbers=tuple(str(sec[f"h{n}"].get("number", "")) for n in range(1, 7)),
        book_recto=bool(sec["book"].get("recto", False)),
        book_front_folio=str(sec["book"].get("front-folio", "arabic")),
        book_cover_page=bool(sec["book"].get("cover-page", False)),
        data=data,
        origins=origin,
    )


def _block(raw: dict[str, Any], base: BlockStyle, body_size: float) -> BlockStyle:
    size = font_size(raw["size"]) if "size" in raw else base.size
    values: dict[str, Any] = {"size": size}
    for key, attr in (
        ("font", "font"),
        ("bold", "bold"),
        ("align", "align"),
        ("indent", "indent"),
        ("leading", "leading"),
        ("color", "color"),
        ("background", "background"),
        ("border", "border"),
    ):
        if key in raw:
            values[attr] = BLOCK_KEYS[key](raw[key])
    for key in ("margin-left", "margin-right", "space-before", "space-after"):
        if key in raw:
            values[key.replace("-", "_")] = length(raw[key], size)
    return replace(base, **values)


def dump(style: Style) -> str:
    """The resolved style as YAML (``zhengji-publish styles show``)."""
    data = {k: v for k, v in style.data.items() if k != "extends"}
    data["name"] = style.name
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
