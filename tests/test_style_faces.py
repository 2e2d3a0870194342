"""Every shipped style sets each block in its role's face: the first family of the role that
fontconfig lists as installed, or the face the build announces in its place; a bold block in a
family without a bold weight (AR PL UKai) stays in that family.

Read back with pdffonts (the faces the PDF embeds) and pdfplumber (the face of each block's
characters); the installed families and their PostScript names come from ``fc-list``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from conftest import DATA, run

from zhengji_publish.style import load_style

STYLES = sorted(p.stem for p in (Path(__file__).parents[1] / "src/zhengji_publish/styles").glob("*.yaml"))
REGION = "SC"
REGION_SUFFIXES = ("SC", "CN", "GB")

# Each block with characters that occur in no other block of the source.
MARKERS = {
    "title": "鹦鹉",
    "subtitle": "骆驼",
    "byline": "蜻蜓",
    "h1": "蝴蝶",
    "h2": "蚂蚁",
    "h3": "蝌蚪",
    "h4": "螃蟹",
    "h5": "蚯蚓",
    "h6": "蟋蟀",
    "blockquote": "琵琶",
    "code": "琥珀",
    "caption": "鸳鸯",
    "body": "葡萄",
    "footnote": "枇杷",
}
SOURCE = """---
title: 鹦鹉
subtitle: 骆驼
author: 蜻蜓
---

# 蝴蝶

葡萄正文。[^n]

## 蚂蚁

### 蝌蚪

#### 螃蟹

##### 蚯蚓

###### 蟋蟀

> 琵琶

```
琥珀
```

![鸳鸯](figure.png "鸳鸯")

[^n]: 枇杷
"""
ANNOUNCED = re.compile(r"font '[^']+'(?: \(\w+\))? for role '(\w+)' is not installed: its text is set in ([^,—]+)")


@cache
def installed(family: str) -> dict[str, str]:
    """fontconfig's faces of ``family``: style → PostScript name."""
    out = run("fc-list", "-f", "%{style[0]}|%{postscriptname}\n", f":family={family}")
    return dict(line.split("|", 1) for line in out.splitlines() if "|" in line)


def first_installed(families: tuple[str, ...]) -> str:
    """The first family fontconfig knows, a CJK family as the edition's regional face."""
    for name in families:
        for candidate in (*(f"{name} {s}" for s in REGION_SUFFIXES), name):
            if installed(candidate):
                return candidate
    raise AssertionError(f"none of {families} is installed")


def postscript_family(family: str, bold: bool) -> str:
    """The PostScript name the face of ``family`` embedded for a block of that weight carries: the
    bold face when the family has one, else the regular one (emboldened)."""
    faces = installed(family)
    bolds = [ps for style, ps in faces.items() if style.lower() == "bold"]
    if bold and bolds:
        return bolds[0]
    regular = [ps for style, ps in faces.items() if style.lower() in ("regular", "book", "medium", "normal")]
    return (regular or list(faces.values()))[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    (folder / "doc.md").write_text(SOURCE, encoding="utf-8")
    shutil.copy(DATA / "figure.png", folder / "figure.png")
    outputs = {}
    for style in STYLES:
        result = subprocess.run(
            [sys.executable, "-m", "zhengji_publish", "build", str(folder / "doc.md"), "-o", str(folder / style)]
            + ["-f", "pdf", "-e", "zh-Hans", "-s", style],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        outputs[style] = (folder / style / "doc.zh-Hans.pdf", dict(ANNOUNCED.findall(result.stderr)))
    return outputs


def expected_faces(style_name: str) -> dict[str, str]:
    """Block → the PostScript name of the face its characters must be set in."""
    style = load_style(style_name)
    out = {}
    for block in MARKERS:
        bs = style.block(block)
        family = first_installed(style.fonts[bs.font])  # where the first is not, the one announced
        out[block] = postscript_family(family, bs.bold)
    return out


def embedded(pdf: Path) -> set[str]:
    """The faces pdffonts lists, as PostScript names without the subset tag and our subset suffix."""
    names = set()
    for line in run("pdffonts", str(pdf)).splitlines()[2:]:
        names.add(face_name(line.split()[0]))
    return names


def face_name(name: str) -> str:
    """A PDF font's name without its subset tag (``AAAAAA+``) and our subset suffix (``-1A2B3C``)."""
    return re.sub(r"-[0-9A-F]{6}$", "", name.split("+", 1)[-1])


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("style", STYLES)
def test_each_role_embeds_its_face(built, style):
    pdf, announced = built[style]
    expected = expected_faces(style)
    assert set(expected.values()) <= embedded(pdf), (expected, embedded(pdf))
    if style == "gongwen":  # no role's first family is installed here; only the 仿宋 and the 小标宋 are set
        # in a face of another kind (a 宋体), and announced: SimSun, SimHei and KaiTi_GB2312 are set in
        # Noto Serif CJK, Noto Sans CJK and AR PL UKai, a 宋体, a 黑体 and a 楷体
        assert set(announced) == {"fangsong", "display"}
        assert {announced["fangsong"].strip(), announced["display"].strip()} == {"Noto Serif CJK"}


@pytest.mark.e2e
@pytest.mark.external
@pytest.mark.parametrize("style", STYLES)
def test_each_block_is_set_in_its_roles_face(built, style):
    """The characters of each block, at the block's size (not a contents entry or running head
    repeating them), are set in the face of the block's role and weight."""
    import pdfplumber

    pdf, _ = built[style]
    expected = expected_faces(style)
    sizes = {block: load_style(style).block(block).size for block in MARKERS}
    found: dict[str, set[str]] = {}
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for ch in page.chars:
                for block, marker in MARKERS.items():
                    if ch["text"] in marker and abs(ch["size"] - sizes[block]) < 0.05:
                        found.setdefault(block, set()).add(face_name(ch["fontname"]))
    if "byline" not in found and "蜻蜓" not in run("pdftotext", str(pdf), "-"):
        del expected["byline"]  # a style that does not print the author
    wrong = {block: (found.get(block), face) for block, face in expected.items() if found.get(block) != {face}}
    assert not wrong, wrong


@pytest.mark.unit
def test_a_character_only_the_display_face_has_is_the_styles(tmp_path):
    """☀ (U+2600) is in DejaVu Sans, not in AR PL UKai: with DejaVu Sans as the 小标宋 role only,
    the character is the style's in every role (no fallback face looked up)."""
    from zhengji_publish.fonts import FontBook

    path = tmp_path / "display.yaml"
    path.write_text(
        "extends: default\nfonts:\n  serif: [AR PL UKai]\n  sans: [AR PL UKai]\n  kai: [AR PL UKai]\n"
        "  fangsong: [AR PL UKai]\n  mono: [AR PL UKai]\n  display: [DejaVu Sans]\n",
        encoding="utf-8",
    )
    book = FontBook(load_style(str(path)), REGION)
    for role in ("serif", "sans", "kai", "fangsong", "mono", "display"):
        face = book.style_face("\u2600", role)
        assert face is not None and face.family == "DejaVu Sans", role
    assert book.style_face("\U0010fffd", "serif") is None
