"""Images a source links to: checked against limits, decoded once, handed to every writer alike.

The reader calls :func:`load_image` for each local image. It refuses, with the source's line, a
file past a limit (:class:`ImageLimits`: bytes on disk, pixels, longest side), an empty, truncated
or undecodable file, and a format other than PNG, JPEG or GIF. An image that the three writers
would show differently, or not at all, is re-encoded once so that all three show the same picture:

- an EXIF orientation other than "upright" is applied (``ImageOps.exif_transpose``: a phone photo
  taken sideways stands as it was shot; PDF, DOCX and EPUB readers do not all honour the tag);
- CMYK (print JPEGs) becomes RGB: browsers, Word and reportlab treat CMYK JPEGs inconsistently;
- 16 bits per channel becomes 8 (reportlab and several e-readers cannot show 16-bit PNGs);
- a palette image with transparency becomes RGBA, a grey image with alpha RGBA: the alpha channel
  is then one reportlab can use as the PDF image's soft mask.

Other images are passed on byte for byte. Re-encoded files carry no metadata but their resolution
(DPI), so the bytes depend only on the image and Pillow's version (``constraints.txt``).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zhengji_publish.diagnostics import UserError, error

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["DEFAULT_LIMITS", "ImageLimits", "LoadedImage", "load_image"]

FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif"}
_ORIENTATION = 0x0112  # EXIF tag "Orientation": 1 is upright


@dataclass(frozen=True)
class ImageLimits:
    """The largest image a build accepts.

    ``max_bytes``: the file's size on disk (50 MB: a large print-quality JPEG is 10–20 MB).
    ``max_pixels``: width × height (50 million, a 8,660 × 5,770 photograph; decoded as RGBA it takes
    200 MB, and each writer may hold a copy). ``max_side``: the longer of width and height in pixels
    (20,000: a strip 20,000 × 100 is small in pixels but absurd on a page). A file decompressing to
    more (a "decompression bomb", a 100 KB PNG of 900 million pixels) is refused before it is decoded.
    Set with ``--max-image-mb``, ``--max-image-pixels`` and ``--max-image-side`` (README "Images").
    """

    max_bytes: int = 50 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 20_000


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True)
class LoadedImage:
    """An image ready for the writers: its bytes, the suffix of their format, its size in pixels."""

    data: bytes
    suffix: str  # ".png", ".jpg" or ".gif": the format of ``data``
    width: int
    height: int


def load_image(
    path: Path, name: str, where: Path, line: int, col: int = 1, limits: ImageLimits = DEFAULT_LIMITS
) -> LoadedImage:
    """Check and decode the image file ``path`` (linked as ``name`` from ``where`` at ``line``/``col``).

    Returns the bytes every writer embeds (see the module's description for when they are
    re-encoded). Raises :class:`UserError` (exit status 1), located at the link, for a file that
    cannot be read (with the OS's cause), is empty, is past one of ``limits``, is not PNG, JPEG or
    GIF, or is truncated or damaged.
    """
    from PIL import Image, UnidentifiedImageError

    def fail(what: str, hint: str) -> UserError:
        return error(f"image {name!r} {what}", hint, where, line, col)

    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise fail(
                f"is {size / 1024 / 1024:.1f} MB, more than the {limits.max_bytes / 1024 / 1024:g} MB allowed",
                "make it smaller (JPEG for photographs), or raise the limit with --max-image-mb",
            )
        if size == 0:
            raise fail("is an empty file (0 bytes)", "save the image again, or remove the link")
        data = path.read_bytes()
    except OSError as exc:
        from zhengji_publish.paths import describe

        cause, hint = describe(exc)
        raise fail(f"cannot be read: {cause}", hint) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limits decide
        try:
            im = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise fail(f"is too large to decode safely ({exc})", "make it smaller") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise fail("is not a readable PNG, JPEG or GIF file", "convert it to PNG or JPEG") from None
        if im.format not in FORMATS:
            raise fail(f"is a {im.format} file, not PNG, JPEG or GIF", "convert it to PNG or JPEG")
        width, height = im.size
        if max(width, height) > limits.max_side:
            raise fail(
                f"is {width} × {height} pixels, longer than the {limits.max_side:,} pixels allowed on a side",
                "scale it down, or raise the limit with --max-image-side",
            )
        if width * height > limits.max_pixels:
            raise fail(
                f"is {width} × {height} = {width * height:,} pixels, more than the {limits.max_pixels:,} allowed",
                "scale it down, or raise the limit with --max-image-pixels",
            )
        try:
            im.load()  # a truncated file fails here, not in a writer
        except Image.DecompressionBombError as exc:
            raise fail(f"is too large to decode safely ({exc})", "make it smaller") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise fail("is truncated or damaged", "save the image again from its original") from None
    return _normalised(im, data)


def _normalised(im: Image.Image, data: bytes) -> LoadedImage:
    """``im`` as the writers should embed it: ``data`` itself unless it must be re-encoded."""
    from PIL import ImageOps

    fmt = im.format or "PNG"
    orientation = im.getexif().get(_ORIENTATION, 1)
    sixteen_bit = fmt == "PNG" and len(data) > 24 and data[24] == 16  # IHDR bit depth
    palette_alpha = im.mode == "P" and (
        "transparency" in im.info or im.palette is not None and im.palette.mode == "RGBA"
    )
    converted: Image.Image = im
    if orientation != 1:
        converted = ImageOps.exif_transpose(converted)
    if converted.mode == "CMYK":
        converted = converted.convert("RGB")
    elif converted.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # Pillow opens a 16-bit grey PNG as 32-bit integers 0–65535: to 8 bits, 65535 → 255
        converted = converted.convert("I").point(lambda v: v / 257 + 0.5).convert("L")
    elif palette_alpha or converted.mode in ("LA", "PA", "La"):
        converted = converted.convert("RGBA")
    if converted is im and not sixteen_bit:
        return LoadedImage(data, FORMATS[fmt], im.width, im.height)
    if sixteen_bit and converted.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
        converted = converted.convert("RGBA" if "A" in converted.mode else "RGB")
    out = io.BytesIO()
    dpi = im.info.get("dpi")
    extra = {"dpi": tuple(round(float(d)) for d in dpi)} if dpi else {}
    if fmt == "JPEG" and converted.mode in ("RGB", "L"):
        converted.save(out, format="JPEG", quality=95, subsampling=0, optimize=False, **extra)
        suffix = ".jpg"
    else:
        converted.save(out, format="PNG", optimize=False, compress_level=6, **extra)
        suffix = ".png"
    return LoadedImage(out.getvalue(), suffix, converted.width, converted.height)
