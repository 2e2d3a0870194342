"""Did-you-mean suggestions for misspelt names: block classes, front-matter keys, editions, styles."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, choices: Iterable[str], fold_case: bool = False) -> str | None:
    """The choice nearest ``word`` by difflib's similarity ratio (at least 0.6), else ``None``.

    With ``fold_case`` the comparison ignores case (for BCP 47 tags) and the choice is returned as
    written. ``bylnie`` → ``byline``, ``titel`` → ``title``, ``gongwne`` → ``gongwen``.
    """
    written = {(c.lower() if fold_case else c): c for c in choices}
    close = difflib.get_close_matches(word.lower() if fold_case else word, list(written), n=1)
    return written[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str], fold_case: bool = False) -> str:
    """``"did you mean 'x'?"`` for the choice nearest ``word`` (see :func:`nearest`), else ``""``."""
    close = nearest(word, choices, fold_case)
    return f"did you mean '{close}'?" if close else ""
