"""The shape of one change between two versions of an evaluation (a 変更箇所 row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pia_build.core.diagnostics import Location


@dataclass(frozen=True)
class ChangeRecord:
    """One row of the 変更箇所 annex made from the history: one changed item or group."""

    evaluation: str
    """Evaluation id."""
    item: str
    """項目: the item's path in the form's notation (``II-3 ②入手方法``)."""
    before: str
    """変更前の記載 as printed (Markdown for prose); ``－`` when there was nothing."""
    after: str
    """変更後の記載 as printed; ``項目ごと削除`` for a removed group."""
    kind: Literal["changed", "added", "removed"] = "changed"
    """A changed item, or a whole group (委託事項, 提供先 …) added or removed."""
    date: dt.date | None = None
    """変更日; None while it is not known."""
    timing: str = ""
    """提出時期 (事前 / 事後); empty until the author gives it."""
    reason: str = ""
    """提出時期に係る説明."""
    exception: str = ""
    """Why a ※ change is not a 重要な変更, when given apart from the 説明 (not printed)."""
    star: bool = False
    """The item carries ※: the change may be a 重要な変更."""
    anchor: str = ""
    """Stable anchor of the item in every output."""
    version: str = ""
    """The published version (git tag) that brought the change; empty for unpublished ones."""
    clauses: tuple[tuple[str, int], ...] = ()
    """(clause id, new version) of standard clauses whose new version alone made the change."""
    location: Location = Location("")
    whole: bool = False
    """A value that changes as a whole (a choice, a date, a number): redlined old → new."""
    """Where the author wrote the item (its file when the item is gone)."""
