"""Dates as a source writes them: ``2026-03-16`` (ISO 8601's calendar date) or ``2026年3月16日``.

The one place a date value of the front matter (``date``), a manifest or a ``公文`` block
(``成文日期``, ``印发日期``) is read. YAML reads ``2026-03-16`` as a date itself and leaves anything
else a string (a quoted date, ``2026-2-3``, ``2026/03/16``; ``2026-02-30`` too, once
:func:`zhengji_publish.yamlload.load_dates_as_text` has read it): each is read here, and each way
it can fail has its own message, naming what is wrong and the date to write instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["DateError", "parse_date"]

# Year, month and day with any of the separators people type, or none (20260316); the
# written form 2026年3月16日 (GB/T 9704-2012 §7.3.5.4, as a 公文 prints its dates).
_NUMERIC = re.compile(r"([0-9]{4})([-/.]?)([0-9]{1,2})\2([0-9]{1,2})(?:([Tt ]).*)?")
_WRITTEN = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")
_MONTHS = ("January February March April May June July August September October November December").split()


class DateError(ValueError):
    """A value that is no date: ``what`` is wrong with it (a predicate: "is not a date"), ``hint``
    what to write instead."""

    def __init__(self, what: str, hint: str) -> None:
        self.what, self.hint = what, hint
        super().__init__(f"{what} — {hint}")

    def message(self, key: str, value: object) -> str:
        """What is wrong, naming the key and its value as written: ``'date: 2026-02-30' is a day
        that does not exist: February 2026 has 28 days``."""
        text = "" if value is None else str(value).strip()
        return f"'{key}: {text}' {self.what}" if text else f"'{key}' {self.what}"


def parse_date(value: object) -> dt.date:
    """The date a value of YAML stands for; raises :class:`DateError` when it is none.

    Accepted: a date or a timestamp YAML has read (its date is taken), ``YYYY-MM-DD`` (a time after
    it, ``2026-03-16T09:00``, is ignored) and ``YYYY年M月D日``. Refused, each with its reason:
    a month outside 1–12, a day the month does not have (``2026-02-30``: February 2026 has 28
    days), a one-digit month or day (``2026-2-3``: write ``2026-02-03``), other separators
    (``2026/03/16``, ``2026.03.16``, ``20260316``), a year alone (``2026``), and any other text.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if isinstance(value, bool) or value is None or not text:
        raise DateError("is empty", "write a date as year-month-day, e.g. 2026-03-16")
    written = _WRITTEN.fullmatch(text)
    numeric = _NUMERIC.fullmatch(text)
    if written:
        year, month, day = (int(n) for n in written.groups())
    elif numeric:
        year, month, day = int(numeric[1]), int(numeric[3]), int(numeric[4])
    elif re.fullmatch(r"[0-9]{4}", text):
        raise DateError("is a year, not a date", f"write the whole date as year-month-day, e.g. {text}-03-16")
    else:
        raise DateError("is not a date", "write it as year-month-day, e.g. 2026-03-16")
    if not 1 <= month <= 12:
        raise DateError(
            f"is not a date: there is no month {month} (months run from 01 to 12)",
            f"write it as year-month-day with a month from 01 to 12, e.g. {year}-03-16",
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateError(
            f"is a day that does not exist: {_MONTHS[month - 1]} {year} has {days} days",
            f"write a day from 01 to {days}, e.g. {year}-{month:02}-{days:02} for the month's last day",
        )
    iso = f"{year}-{month:02}-{day:02}"
    if numeric and (numeric[2] != "-" or len(numeric[3]) != 2 or len(numeric[4]) != 2):
        raise DateError(
            "is not in the form YYYY-MM-DD (two digits each for month and day, joined by '-')",
            f"write it {iso}",
        )
    if numeric and numeric[5]:  # a time after the date: its date is the value, checked as written
        try:
            return dt.datetime.fromisoformat(text.replace("t", "T")).date()
        except ValueError:
            raise DateError(
                "has a time that is not one", f"write the date alone, {iso}, or a time as {iso}T09:30"
            ) from None
    return dt.date(year, month, day)
