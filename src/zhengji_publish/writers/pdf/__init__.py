"""The PDF writer: our clreq paragraph layout (``layout``), glyph drawing (``draw``) on reportlab.

Whatever is not reportlab's public API lives in ``backend``, imported first: it checks that the
installed reportlab is one it was written for.
"""

from zhengji_publish.writers.pdf import backend  # noqa: F401 (the reportlab version check runs first)
from zhengji_publish.writers.pdf.layout import write

__all__ = ["write"]
