"""The EPUB 3 writer: XHTML (``html``), CSS, subset fonts, cover and package (``book``)."""

from zhengji_publish.writers.epub.book import write

__all__ = ["write"]
