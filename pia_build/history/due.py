"""The dates a body's portfolio tracks: when a 再実施 falls due and when a change must be submitted.

Every rule is written out with its source in docs/portfolio.md:

* 再実施: 特定個人情報保護評価に関する規則 第15条 asks a body to carry out its evaluation again
  before five years have passed since the last one. The period is counted as 民法 第140条 and
  第143条 count a period of years: the first day is not counted, and the period ends at the end of
  the day before the day of the final year that corresponds to its first counted day (the month's
  last day when that day does not exist, 第143条第2項).
* Changes: a 重要な変更 (a change to a ※ item that is not one of the exceptions) is submitted
  before it is made (事前), so its submission is due the day before its 変更日; any other change
  is submitted 事後, without delay once it is made, so it is due on its 変更日.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from pia_build.core.wareki import build_epoch

REASSESSMENT_YEARS = 5
"""特定個人情報保護評価に関する規則 第15条."""
DUE_SOON_DAYS = 180
"""A 再実施 due within this many days is flagged as coming (about the time a 全項目評価 takes)."""
JST = dt.timezone(dt.timedelta(hours=9), "JST")


def period_end(start: dt.date, years: int) -> dt.date:
    """Return the last day of a period of ``years`` years counted from the day after ``start``.

    民法 第140条 (初日不算入) and 第143条: the period ends on the day before the day that
    corresponds, ``years`` years on, to its first counted day.
    """
    first = start + dt.timedelta(days=1)
    year = first.year + years
    last_day = calendar.monthrange(year, first.month)[1]
    if first.day > last_day:  # no corresponding day: the period ends on the month's last day
        return dt.date(year, first.month, last_day)
    return dt.date(year, first.month, first.day) - dt.timedelta(days=1)


def reassessment_due(evaluated: dt.date) -> dt.date:
    """Return the last day a 再実施 can be made within five years of the 評価 of ``evaluated``."""
    return period_end(evaluated, REASSESSMENT_YEARS)


def days_left(due: dt.date, today: dt.date) -> int:
    """Return the days from ``today`` to ``due``: 0 on the day itself, negative once it has passed."""
    return (due - today).days


@dataclass(frozen=True)
class Deadline:
    """A due date and where ``today`` stands against it."""

    due: dt.date | None
    """The last day; None when it cannot be known (a date is missing)."""
    days: int | None
    """Days left (negative: overdue); None without a due date."""
    state: str
    """``overdue``, ``soon``, ``ok`` or ``unknown``."""


def deadline(due: dt.date | None, today: dt.date, soon: int = DUE_SOON_DAYS) -> Deadline:
    """Return ``due`` with its days left and state as of ``today``."""
    if due is None:
        return Deadline(None, None, "unknown")
    days = days_left(due, today)
    state = "overdue" if days < 0 else "soon" if days <= soon else "ok"
    return Deadline(due, days, state)


def evaluation_date(implemented: dt.date | None, published: dt.date | None) -> dt.date | None:
    """Return the date of the last 評価: its 基礎項目評価 ①実施日, else its 公表日."""
    return implemented or published


def submission_due(changed: dt.date | None, important: bool) -> dt.date | None:
    """Return the day a change must be submitted by: the day before a 重要な変更, else its 変更日."""
    if changed is None:
        return None
    return changed - dt.timedelta(days=1) if important else changed


def today(epoch: int | None = None) -> dt.date:
    """Return the day the portfolio is computed for: SOURCE_DATE_EPOCH's day in JST, else today's.

    A build fixed by SOURCE_DATE_EPOCH is reproducible on any day; otherwise the portfolio's days
    left are those of the day it is built.
    """
    seconds = build_epoch() if epoch is None else epoch
    moment = dt.datetime.now(JST) if seconds is None else dt.datetime.fromtimestamp(seconds, JST)
    return moment.date()
