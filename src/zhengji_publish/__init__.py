"""zhengji-publish: one structured Chinese source to PDF, DOCX and EPUB 3 editions."""

__version__ = "0.1.0"
