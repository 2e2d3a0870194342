"""Images of every awkward kind, in all three formats: shown right, or refused with the source's line.

Each kind is built into a PDF, a DOCX and an EPUB, and the picture each one embeds is read back
(pdfplumber's image list for the PDF, the media part for the DOCX, the image file in the EPUB zip).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from zhengji_publish.cli import main
from zhengji_publish.images import ImageLimits, load_image

FORMATS = ("pdf", "docx", "epub")
LEFT, RIGHT = (200, 30, 30), (30, 30, 200)


def _two_colour(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Red on the left half, blue on the right: a rotation shows where the halves went."""
    im = Image.new("RGB", (width, height), LEFT)
    im.paste(RIGHT, (width // 2, 0, width, height))
    return im.convert(mode) if mode != "RGB" else im


def _source(folder: Path, image: str) -> Path:
    src = folder / "doc.md"
    src.write_text(f"# 标题\n\n![插图]({image})\n\n正文。\n", encoding="utf-8")
    return src


def embedded(out: Path, fmt: str) -> Image.Image | dict:
    """The single picture the output embeds: a Pillow image (DOCX, EPUB) or pdfplumber's record (PDF)."""
    path = out / f"doc.zh-Hans.{fmt}"
    if fmt == "pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            images = [im for page in pdf.pages for im in page.images]
        assert len(images) == 1, images
        return images[0]
    with zipfile.ZipFile(path) as z:
        folder = "word/media/" if fmt == "docx" else "OEBPS/images/img-"
        names = [n for n in z.namelist() if n.startswith(folder)]
        assert len(names) == 1, z.namelist()
        im = Image.open(io.BytesIO(z.read(names[0])))
        im.load()
        return im


def build_each(tmp_path: Path, image: str, *extra: str) -> dict[str, tuple[int, Path]]:
    """Build the source in each format into its own folder: format → (exit status, folder)."""
    src = tmp_path / "doc.md"
    results = {}
    for fmt in FORMATS:
        out = tmp_path / f"out-{fmt}"
        results[fmt] = (main(["build", str(src), "-f", fmt, "-e", "zh-Hans", "-o", str(out), *extra]), out)
    return results


@pytest.mark.e2e
def test_an_exif_rotated_photo_stands_upright_in_every_format(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": stored 60 × 30, shown 30 × 60
    _two_colour(60, 30).save(tmp_path / "photo.jpg", exif=exif.tobytes(), quality=95)
    _source(tmp_path, "photo.jpg")
    for fmt, (code, out) in build_each(tmp_path, "photo.jpg").items():
        assert code == 0, fmt
        shown = embedded(out, fmt)
        if fmt == "pdf":
            assert tuple(shown["srcsize"]) == (30, 60)
            assert shown["height"] > shown["width"]
        else:
            assert shown.size == (30, 60)
            assert shown.getexif().get(0x0112, 1) == 1  # no orientation left for a reader to apply twice
            # turned clockwise: the left (red) half is now on top
            top, bottom = shown.convert("RGB").getpixel((15, 5)), shown.convert("RGB").getpixel((15, 55))
            assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]


@pytest.mark.e2e
def test_a_cmyk_jpeg_is_embedded_as_rgb(tmp_path):
    _two_colour(40, 20, "CMYK").save(tmp_path / "print.jpg", quality=95)
    _source(tmp_path, "print.jpg")
    for fmt, (code, out) in build_each(tmp_path, "print.jpg").items():
        assert code == 0, fmt
        shown = embedded(out, fmt)
        if fmt == "pdf":
            assert "DeviceRGB" in str(shown["colorspace"])
        else:
            assert shown.mode == "RGB" and shown.size == (40, 20)
            red = shown.getpixel((5, 10))
            assert red[0] > 150 > red[2]


def _png16(path: Path, width: int = 40, height: int = 20) -> None:
    """A 16-bit grey PNG (Pillow writes mode I;16 with bit depth 16)."""
    row = struct.pack("<H", 40000) * (width // 2) + b"\0\0" * (width - width // 2)
    Image.frombytes("I;16", (width, height), row * height).save(path)
    assert path.read_bytes()[24] == 16


@pytest.mark.e2e
def test_a_16_bit_png_is_embedded_with_8_bits(tmp_path):
    _png16(tmp_path / "deep.png")
    _source(tmp_path, "deep.png")
    for fmt, (code, out) in build_each(tmp_path, "deep.png").items():
        assert code == 0, fmt
        shown = embedded(out, fmt)
        if fmt == "pdf":
            assert shown["bits"] == 8 and tuple(shown["srcsize"]) == (40, 20)
        else:
            assert shown.mode == "L" and shown.size == (40, 20)
            assert shown.getpixel((5, 5)) == round(40000 / 257) and shown.getpixel((35, 5)) == 0
            with zipfile.ZipFile(out / f"doc.zh-Hans.{fmt}") as z:
                data = next(z.read(n) for n in z.namelist() if n.endswith(".png"))
            assert data[24] == 8


@pytest.mark.e2e
def test_a_palette_png_with_transparency_keeps_it(tmp_path):
    im = Image.new("P", (40, 20), 0)
    im.putpalette([255, 255, 255, 200, 30, 30])
    im.paste(1, (0, 0, 20, 20))
    im.save(tmp_path / "icon.png", transparency=0)  # index 0 (white) is transparent
    _source(tmp_path, "icon.png")
    for fmt, (code, out) in build_each(tmp_path, "icon.png").items():
        assert code == 0, fmt
        shown = embedded(out, fmt)
        if fmt == "pdf":
            assert "SMask" in shown["stream"].attrs or "Mask" in shown["stream"].attrs
        else:
            assert shown.mode == "RGBA"
            assert shown.getpixel((5, 5))[3] == 255 and shown.getpixel((35, 5))[3] == 0


@pytest.mark.e2e
def test_an_ordinary_image_is_embedded_byte_for_byte(tmp_path):
    _two_colour(40, 20).save(tmp_path / "plain.png")
    _source(tmp_path, "plain.png")
    (code, out) = build_each(tmp_path, "plain.png")["epub"]
    assert code == 0
    with zipfile.ZipFile(out / "doc.zh-Hans.epub") as z:
        assert z.read("OEBPS/images/img-1.png") == (tmp_path / "plain.png").read_bytes()


def _expect_error(tmp_path: Path, image: str, message: str, capsys, *extra: str) -> None:
    for fmt in FORMATS:
        out = tmp_path / f"out-{fmt}"
        code = main(["build", str(tmp_path / "doc.md"), "-f", fmt, "-e", "zh-Hans", "-o", str(out), *extra])
        err = capsys.readouterr().err
        assert code == 1, (fmt, err)
        assert f"doc.md:3:1: error: image '{image}' {message}" in err, err
        assert "Traceback" not in err and "internal error" not in err
        assert not out.exists() or not any(out.iterdir()), fmt


@pytest.mark.e2e
def test_a_truncated_image_is_a_located_error(tmp_path, capsys):
    big = Image.effect_noise((200, 200), 60).convert("RGB")
    big.save(tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    _source(tmp_path, "cut.png")
    _expect_error(tmp_path, "cut.png", "is truncated or damaged", capsys)


@pytest.mark.e2e
def test_a_truncated_jpeg_is_a_located_error(tmp_path, capsys):
    Image.effect_noise((200, 200), 60).convert("RGB").save(tmp_path / "whole.jpg")
    data = (tmp_path / "whole.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    _source(tmp_path, "cut.jpg")
    _expect_error(tmp_path, "cut.jpg", "is truncated or damaged", capsys)


@pytest.mark.e2e
def test_an_empty_image_file_is_a_located_error(tmp_path, capsys):
    (tmp_path / "empty.png").write_bytes(b"")
    _source(tmp_path, "empty.png")
    _expect_error(tmp_path, "empty.png", "is an empty file (0 bytes)", capsys)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` 1-bit pixels with almost no data (a decompression bomb's door)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.e2e
def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(tmp_path, capsys):
    (tmp_path / "bomb.png").write_bytes(_png_header(10_000, 10_000))
    _source(tmp_path, "bomb.png")
    _expect_error(tmp_path, "bomb.png", "is 10000 × 10000 = 100,000,000 pixels, more than the 50,000,000", capsys)


@pytest.mark.e2e
def test_pillows_decompression_bomb_error_is_a_located_error(tmp_path, capsys):
    # our limits raised past Pillow's own: Pillow's DecompressionBombError is reported like ours
    (tmp_path / "bomb.png").write_bytes(_png_header(19_000, 19_000))
    _source(tmp_path, "bomb.png")
    _expect_error(tmp_path, "bomb.png", "is too large to decode safely", capsys, "--max-image-pixels", "400000000")


@pytest.mark.e2e
def test_an_image_too_long_on_a_side_is_refused(tmp_path, capsys):
    (tmp_path / "strip.png").write_bytes(_png_header(25_000, 10))
    _source(tmp_path, "strip.png")
    _expect_error(tmp_path, "strip.png", "is 25000 × 10 pixels, longer than the 20,000 pixels allowed", capsys)


@pytest.mark.e2e
def test_image_limits_are_set_on_the_command_line(tmp_path, capsys):
    _two_colour(300, 10).save(tmp_path / "wide.png")
    (tmp_path / "wide.png").write_bytes((tmp_path / "wide.png").read_bytes() + b"\0" * (1024 * 1024))
    _source(tmp_path, "wide.png")
    _expect_error(
        tmp_path, "wide.png", "is 300 × 10 pixels, longer than the 200 pixels", capsys, "--max-image-side", "200"
    )
    _expect_error(
        tmp_path,
        "wide.png",
        "is 300 × 10 = 3,000 pixels, more than the 2,000 allowed",
        capsys,
        "--max-image-pixels",
        "2000",
    )
    _expect_error(tmp_path, "wide.png", "is 1.0 MB, more than the 1 MB allowed", capsys, "--max-image-mb", "1")
    for fmt, (code, _out) in build_each(tmp_path, "wide.png").items():
        assert code == 0, fmt  # the defaults allow it


@pytest.mark.unit
def test_load_image_reports_an_unreadable_file_with_its_cause(tmp_path, monkeypatch):
    from zhengji_publish.diagnostics import UserError

    pic = tmp_path / "pic.png"
    _two_colour(10, 10).save(pic)

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(UserError) as caught:
        load_image(pic, "pic.png", tmp_path / "doc.md", 3)
    assert "doc.md:3:1: error: image 'pic.png' cannot be read: permission denied" in str(caught.value)


@pytest.mark.unit
def test_limits_are_checked_in_order_of_cost(tmp_path):
    """The file size is checked before the file is read, the pixels before they are decoded."""
    from zhengji_publish.diagnostics import UserError

    pic = tmp_path / "pic.png"
    pic.write_bytes(_png_header(5000, 5000))  # would take 25 million pixels to decode
    with pytest.raises(UserError, match="more than the 1,000 allowed"):
        load_image(pic, "pic.png", tmp_path / "doc.md", 1, limits=ImageLimits(max_pixels=1000))
    with pytest.raises(UserError, match="MB allowed"):
        load_image(pic, "pic.png", tmp_path / "doc.md", 1, limits=ImageLimits(max_bytes=1))
