"""Japanese era dates (和暦): parse what authors write, print what the form prints."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata

# Era start dates; an era's first year is written 元年 or 1年.
ERAS = (
    ("令和", dt.date(2019, 5, 1)),
    ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)),
)
_WAREKI = re.compile(r"^(令和|平成|昭和)(元|\d+)年(\d+)月(\d+)日$")
_SEIREKI = re.compile(r"^(\d{4})(?:年|[-/.])(\d{1,2})(?:月|[-/.])(\d{1,2})日?$")


class DateError(ValueError):
    """The text is not a valid date; the message says why, for the author."""


def parse_date(value: object) -> dt.date:
    """Return the date written as 和暦, 西暦 or a YAML date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).replace(" ", "")
    if match := _WAREKI.match(text):
        era, year, month, day = match.groups()
        return _from_wareki(era, year, int(month), int(day), text)
    if match := _SEIREKI.match(text):
        return _checked(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    raise DateError(f"'{value}' is not a date; write it as 令和3年1月26日 or 2021-01-26")


def _from_wareki(era: str, year_text: str, month: int, day: int, text: str) -> dt.date:
    """Return the date of an era year, checking that the era had begun and not yet ended."""
    start = dict(ERAS)[era]
    year = 1 if year_text == "元" else int(year_text)
    date = _checked(start.year + year - 1, month, day, text)
    later = [s for _, s in ERAS if s > start]
    end = min(later) if later else None
    if date < start or (end is not None and date >= end):
        raise DateError(f"'{text}' is outside the {era} era")
    return date


def _checked(year: int, month: int, day: int, text: str) -> dt.date:
    """Return the date, or raise DateError for a day that does not exist."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"'{text}' is not a day of the calendar") from None


def format_wareki(date: dt.date) -> str:
    """Return the date as printed on the form: 令和3年1月26日 (元年 for the first year)."""
    for era, start in ERAS:
        if date >= start:
            year = date.year - start.year + 1
            year_text = "元" if year == 1 else str(year)
            return f"{era}{year_text}年{date.month}月{date.day}日"
    return f"{date.year}年{date.month}月{date.day}日"


def build_epoch() -> int | None:
    """Return SOURCE_DATE_EPOCH, the one build timestamp every output honours, or None when unset.

    See https://reproducible-builds.org/specs/source-date-epoch/
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
