"""Running heads that fit their measure: a title too long for the head is cut between words and
ended with a 省略号, in horizontal and vertical pages alike."""

from __future__ import annotations

from zhengji_publish.typeset import rules
from zhengji_publish.typeset.boxes import BoxMaker, InlineStyle, Run
from zhengji_publish.typeset.linebreak import break_lines
from zhengji_publish.typeset.words import word_starts


def running_head(maker: BoxMaker, style: InlineStyle, measure: float, text: str) -> str:
    """The text of a running head reading ``text`` set in ``style`` along ``measure`` (pt: across the
    type area, or down a vertical page's column): ``text`` itself when it fits, else its beginning
    cut between two words (where a line may break, if no word ends in time) and ended with a 省略号
    …… (:func:`~zhengji_publish.typeset.rules.shortened`), measured with ``maker``'s faces. The
    DOCX's headers take this text too, so both heads read the same."""

    def fits(candidate: str) -> bool:
        lines = break_lines(maker.boxes([Run(candidate, style)]), 1e9, 0.0, "left")
        return not lines or lines[0].width <= measure + 1e-6

    return rules.shortened(text, fits, maker.level, word_starts(text))
