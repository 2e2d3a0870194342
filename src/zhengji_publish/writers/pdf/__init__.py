"""The PDF writer: our clreq paragraph layout (``layout``), glyph drawing (``draw``) on reportlab."""

from zhengji_publish.writers.pdf.layout import write

__all__ = ["write"]
