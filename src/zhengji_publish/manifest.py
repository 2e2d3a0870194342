"""A book manifest: the YAML file that lists the articles of one publication.

``zhengji-publish build book.yaml`` reads it. It holds the book's metadata (the front-matter keys,
plus ``editors`` and a ``cover`` picture), the pages of front matter (``front``: preface, 编者按,
出版说明) and back matter (``back``: 后记), and the body: a list of ``chapters``, or ``parts``
each with a ``title`` and its ``chapters``::

    title: 树立和践行正确政绩观学习读本
    editors: [本书编写组]
    style: book-16k
    front: [preface.md]
    parts:
      - title: 第一部分 重要论述
        chapters: [articles/01.md, articles/02.md]

Every file is named relative to the manifest and must lie in its folder (or an ``--allow-outside``
folder), as every file a source names (:func:`zhengji_publish.paths.confine`). A missing file, a
file listed twice, a manifest listed as a chapter (a book cannot include a book, so no cycle can
form), an empty list of chapters, a part without a title and an unknown key (with a
did-you-mean) are errors located at the manifest's line and column, every one of them reported
in one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from zhengji_publish import limits, yamlload
from zhengji_publish import model as m
from zhengji_publish.diagnostics import Diagnostic, Reporter, UserError, error
from zhengji_publish.images import DEFAULT_LIMITS, ImageLimits, load_image
from zhengji_publish.paths import Confinement
from zhengji_publish.suggest import did_you_mean, nearest

__all__ = ["MANIFEST_SUFFIXES", "Entry", "Manifest", "Part", "is_manifest", "read_manifest"]

MANIFEST_SUFFIXES = (".yaml", ".yml")

# Keys a manifest holds besides the front-matter keys, and what each takes.
BOOK_KEYS = {
    "authors": "a string or a list of strings (as 'author')",
    "editors": "a string or a list of strings",
    "cover": "a PNG or JPEG picture beside the manifest",
    "front": "a list of Markdown files: the front matter (preface, 编者按 …)",
    "back": "a list of Markdown files: the back matter (后记 …)",
    "chapters": "a list of Markdown files, relative to the manifest",
    "parts": "a list of parts, each with a 'title' and its 'chapters'",
}
PART_KEYS = ("title", "chapters")


@dataclass
class Entry:
    """One file the manifest lists: its real path, its name as written and where it is written.

    ``shown`` is the file as the user named it: its name joined to the manifest's path as given on
    the command line (relative to the current folder when that was), symbolic links not resolved.
    The chapter is read through it, so that its messages name it so, as a source built alone is
    named (the operating system resolves it to ``path``).
    """

    path: Path
    name: str
    line: int
    col: int
    shown: Path


@dataclass
class Part:
    """A group of chapters under a part title; ``title`` is empty for a book without parts."""

    title: str
    chapters: list[Entry]
    line: int = 0
    title_nodes: list[m.Inline] = field(default_factory=list)  # the title's inline Markdown, parsed


@dataclass
class Manifest:
    """A checked manifest: ``meta`` (the book's front matter), its front matter, body and back matter."""

    path: Path
    meta: m.Meta
    front: list[Entry] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    back: list[Entry] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        """Every file in reading order."""
        return [*self.front, *(e for p in self.parts for e in p.chapters), *self.back]


def is_manifest(path: Path) -> bool:
    """Whether ``path`` names a book manifest (by its suffix, ``.yaml`` or ``.yml``)."""
    return path.suffix.lower() in MANIFEST_SUFFIXES


class _Checker:
    """Checks a manifest's node tree, collecting every located problem (``problems``): each list,
    part and file is checked whatever became of the others, as a compiler reports every error of a
    file in one run."""

    def __init__(self, path: Path, confinement: Confinement) -> None:
        self.path, self.confinement = path, confinement
        self.seen: dict[Path, tuple[int, int]] = {}  # each file listed, where it is first
        self.me = path.resolve()
        self.problems: list[Diagnostic] = []

    def fail(self, node: yaml.Node, what: str, hint: str) -> None:
        self.problems.append(Diagnostic(what, hint, self.path, node.start_mark.line + 1, node.start_mark.column + 1))

    def files(self, node: yaml.Node, key: str, part: bool = False) -> list[Entry]:
        """The files of list ``key`` that are good; a body's list (``chapters``, of the book or of a
        ``part``) must not be empty."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not isinstance(node, (yaml.SequenceNode, yaml.ScalarNode)) or (
            isinstance(node, yaml.ScalarNode) and not node.value
        ):
            self.fail(node, f"'{key}' is not a list of files", f"'{key}' takes {BOOK_KEYS[key]}")
            return []
        if key == "chapters" and not items:
            owner = "a part's" if part else "the book's"
            self.fail(
                node,
                f"{owner} 'chapters' list is empty",
                "list its Markdown files, e.g. 'chapters: [01.md, 02.md]'" + (", or remove the part" if part else ""),
            )
        return [entry for entry in (self.file(item, key) for item in items) if entry is not None]

    def file(self, node: yaml.Node, key: str) -> Entry | None:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(node, f"an entry of '{key}' is not a file name", "write the path of a Markdown file")
            return None
        name = str(node.value).strip()
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        try:
            target = self.confinement.check(name, self.path.parent, f"chapter {name!r}", self.path, line, col)
        except UserError as exc:
            self.problems += exc.diagnostics
            return None
        if target == self.me or is_manifest(target):
            self.fail(
                node,
                f"chapter {name!r} is {'this manifest itself' if target == self.me else 'a book manifest'}",
                "a book lists Markdown chapters, not manifests: list the other book's chapters here instead",
            )
            return None
        if not target.is_file():
            what = "is a folder, not a file" if target.is_dir() else "not found"
            self.fail(node, f"chapter {name!r} {what}", "correct the path (relative to the manifest)")
            return None
        if target in self.seen:
            first_line, first_col = self.seen[target]
            first = f"line {first_line}" + (f", column {first_col}" if first_line == line else "")
            self.fail(
                node,
                f"chapter {name!r} is listed twice (first on {first})",
                "list each file once; remove one of the two entries",
            )
            return None
        self.seen[target] = (line, col)
        return Entry(target, name, line, col, self.path.parent / name)

    def parts(self, node: yaml.Node) -> list[Part]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail(node, "'parts' is not a list of parts", "write '- title: …' and 'chapters: […]' per part")
            return []
        return [part for part in (self.part(item) for item in node.value) if part is not None]

    def part(self, item: yaml.Node) -> Part | None:
        """One part, each of its problems reported: an unknown key, no chapters, no title, an empty
        title, its files'."""
        from zhengji_publish.reader import title_inlines

        if not isinstance(item, yaml.MappingNode):
            self.fail(item, "a part is not a mapping", "give each part a 'title' and its 'chapters'")
            return None
        keys = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        misspelt = set()  # the keys an unknown key is taken for: their absence is that key's fault
        for name, (knode, _) in keys.items():
            if name not in PART_KEYS:
                misspelt.add(nearest(str(name), PART_KEYS))
                self.fail(
                    knode,
                    f"unknown part key '{name}'",
                    did_you_mean(str(name), PART_KEYS) or "a part takes 'title' and 'chapters'",
                )
        if "chapters" not in keys and "chapters" not in misspelt:
            self.fail(item, "a part lists no chapters", "add 'chapters: [file.md, …]' to the part")
        nodes: list[m.Inline] = []
        if "title" not in keys:  # a part opens on a title page of its own, the contents' entry
            if "title" not in misspelt:
                self.fail(
                    item,
                    "a part has no title",
                    "add 'title: …' to the part, or list the chapters under 'chapters' without parts",
                )
        else:
            tnode = keys["title"][1]
            if not isinstance(tnode, yaml.ScalarNode) or not str(tnode.value).strip():
                what = "empty" if isinstance(tnode, yaml.ScalarNode) else "not a string"
                self.fail(tnode, f"a part's 'title' is {what}", "write the part's title, e.g. 'title: 第一部分'")
            else:
                nodes = title_inlines(str(tnode.value).strip(), tnode.start_mark.line + 1)
        chapters = self.files(keys["chapters"][1], "chapters", part=True) if "chapters" in keys else []
        return Part(m.plain_text(nodes).strip(), chapters, item.start_mark.line + 1, nodes)


def read_manifest(
    path: Path,
    reporter: Reporter | None = None,
    allow_outside: Path | tuple[Path, ...] | None = None,
    image_limits: ImageLimits = DEFAULT_LIMITS,
    problems: list[Diagnostic] | None = None,
    style_dirs: tuple[Path, ...] | None = None,
) -> Manifest:
    """Read and check the manifest at ``path``; raises :class:`UserError` with every problem, each
    located at its line:col, in the order of their lines.

    The metadata keys are checked as front matter (:func:`zhengji_publish.reader.parse_front_matter`);
    the files it lists are resolved and confined (:class:`zhengji_publish.paths.Confinement`) and must
    exist. Each key, part and file is checked whatever became of the others, so one run reports
    every independent problem (YAML that cannot be read is one problem: nothing else can be).
    With ``problems``, they are appended to it instead, and the manifest of the good entries is
    returned (so a book reads its good chapters and reports their problems too). With
    ``style_dirs``, the book's ``style`` is looked up too (as for
    :func:`~zhengji_publish.reader.confine_front_matter`). The chapters themselves are not read here
    (see :mod:`zhengji_publish.book`).
    """
    from zhengji_publish.reader import META_KEYS, KeyMarks, confine_front_matter, decode_source, parse_front_matter

    path = Path(path)
    text = decode_source(limits.read_input(path, "book manifest", "a .yaml manifest"), path)
    found: list[Diagnostic] = []
    meta = parse_front_matter(text, path, reporter, offset=0, other_keys=tuple(BOOK_KEYS), problems=found)
    confinement = Confinement(allow_outside)
    confine_front_matter(meta, text, path, confinement, offset=0, problems=found, style_dirs=style_dirs)
    root = yamlload.compose(text)
    if not isinstance(root, yaml.MappingNode):  # parse_front_matter has refused anything else but an empty file
        raise error("the book manifest is empty", "give it a title and its chapters (see the README)", path, 1, 1)
    nodes = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    known = [*META_KEYS, *BOOK_KEYS]
    misspelt = {nearest(str(k), known) for k in nodes if k not in known}  # 'titel' is the title's fault
    title_at = KeyMarks(text, 0).value("title")
    if not meta.title and "title" not in misspelt and not any((d.line, d.col) == title_at for d in found):
        found.append(
            Diagnostic("the book manifest has no title", "add 'title: …', the title of the whole book", path, 1, 1)
        )
    check = _Checker(path, confinement)
    book = Manifest(path, meta)
    for key in ("authors", "editors"):
        if key in nodes:
            value = nodes[key][1]
            names = value.value if isinstance(value, yaml.SequenceNode) else [value]
            if not all(isinstance(n, yaml.ScalarNode) and str(n.value).strip() for n in names):
                check.fail(value, f"'{key}' is not a list of names", f"'{key}' takes {BOOK_KEYS[key]}")
                continue
            listed = [str(n.value).strip() for n in names]
            if key == "editors":
                meta.editors = listed
            else:
                meta.authors = listed
    if "cover" in nodes:
        meta.cover = _cover(nodes["cover"][1], check, image_limits)
    if "front" in nodes:
        book.front = check.files(nodes["front"][1], "front")
    if "chapters" in nodes and "parts" in nodes:  # which was meant is not known: neither list is read
        check.fail(
            nodes["parts"][0],
            "the manifest has both 'chapters' and 'parts'",
            "list the chapters inside the parts, or drop 'parts'",
        )
    elif "parts" in nodes:
        book.parts = check.parts(nodes["parts"][1])
    elif "chapters" in nodes:
        book.parts = [Part("", check.files(nodes["chapters"][1], "chapters"), nodes["chapters"][0].start_mark.line + 1)]
    else:
        check.problems.append(
            Diagnostic(
                "the book manifest lists no chapters",
                "add 'chapters: [01.md, 02.md]', or 'parts:' each with a 'title' and 'chapters'",
                path,
                1,
                1,
            )
        )
    if "back" in nodes:
        book.back = check.files(nodes["back"][1], "back")
    found = sorted(found + check.problems, key=lambda d: (d.line or 0, d.col or 0))
    if problems is not None:
        problems += found
    elif found:
        raise UserError(found)
    return book


def _cover(node: yaml.Node, check: _Checker, image_limits: ImageLimits) -> m.Image | None:
    """The cover picture: confined to the manifest's folder, checked and loaded as a figure's image
    is; None, with the problem reported, when it cannot be."""
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        check.fail(node, "'cover' is not a file name", f"'cover' takes {BOOK_KEYS['cover']}")
        return None
    name = str(node.value).strip()
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    try:
        target = check.confinement.check(name, check.path.parent, f"cover {name!r}", check.path, line, col)
        if not target.is_file():
            check.fail(node, f"cover {name!r} not found", "correct the path (relative to the manifest)")
            return None
        loaded = load_image(target, name, check.path, line, col, image_limits)
    except UserError as exc:
        check.problems += exc.diagnostics
        return None
    return m.Image(name, "", "", target, line, loaded.data, loaded.suffix, (loaded.width, loaded.height))
