"""The DOCX writer: WordprocessingML styles, body, numbering and package (``document``)."""

from zhengji_publish.writers.docx.document import write

__all__ = ["write"]
