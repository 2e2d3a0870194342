"""What a writer receives: one prepared edition and the publication plan decided for it.

This module imports no writer and not :mod:`zhengji_publish.build`, so writers can depend on it
while the build finds the writers through a table: there is no import cycle between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhengji_publish import editions, model
from zhengji_publish.diagnostics import Reporter
from zhengji_publish.fonts import FontBook
from zhengji_publish.plan import Plan
from zhengji_publish.style import Style


@dataclass
class BuildContext:
    """Everything a writer needs for one edition; writers only read it.

    ``doc`` is already converted for ``edition`` (characters and quotation marks); ``plan`` holds
    every policy decision (punctuation, emphasis, quotes, line breaking, vertical writing, contents,
    fixed wording, language tags) and ``style`` the block typography (sizes, fonts, margins).
    ``timestamp`` is the creation/modification time written into the outputs (UTC).
    """

    doc: model.Document
    edition: editions.Edition
    style: Style
    fonts: FontBook
    reporter: Reporter
    timestamp: dt.datetime
    plan: Plan
    identifier: str = ""

    @property
    def meta(self) -> model.Meta:
        """The edition's front matter (title, authors … already converted)."""
        return self.doc.meta
