"""The body's portfolio: one row per evaluation with what is due, what is behind, what is open.

Rows are computed from the evaluations' build summaries (their ``portfolio`` facts and ``risks``),
the clause library and the shipped forms, for one day (``history.due.today``). The rules behind
every column are in docs/portfolio.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pia_build.assemble.risks import CATEGORIES, counts, worst
from pia_build.core.labels import normalise
from pia_build.core.wareki import DateError, format_wareki, parse_date
from pia_build.forms import all_forms
from pia_build.forms.spec import FormSpec
from pia_build.history.due import (
    Deadline,
    deadline,
    evaluation_date,
    reassessment_due,
    submission_due,
)

THRESHOLD_INPUTS = (("population", "対象人数"), ("handlers", "取扱者数"), ("incident", "重大事故"))


@dataclass(frozen=True)
class Change:
    """One change not yet in a published version."""

    item: str
    """項目 (the item's path in the form's notation)."""
    anchor: str
    """The item's anchor on the evaluation page."""
    important: bool
    """A 重要な変更: submitted 事前."""
    date: dt.date | None
    """変更日."""
    due: dt.date | None
    """The day it must be submitted by."""


@dataclass(frozen=True)
class PortfolioRow:
    """One evaluation as the portfolio shows it."""

    id: str
    name: str
    org_name: str
    form_name: str
    edition: str
    latest_edition: str
    status: str
    published: dt.date | None
    evaluated: dt.date | None
    reassessment: Deadline
    changes: tuple[Change, ...]
    old_clauses: tuple[dict, ...]
    threshold: str
    """``一致``, ``不一致: …``, ``照合先なし`` (no 基礎項目評価書 of the body for it) or ``—``."""
    risks: tuple[dict, ...] = field(default=())
    """Every リスクへの対策は十分か answer (``assemble.risks``)."""

    @property
    def edition_behind(self) -> bool:
        """Return True when a later edition of its form exists."""
        return edition_key(self.edition) < edition_key(self.latest_edition)

    @property
    def important_changes(self) -> tuple[Change, ...]:
        """Return its unpublished 重要な変更 (※)."""
        return tuple(c for c in self.changes if c.important)

    @property
    def next_submission(self) -> dt.date | None:
        """Return the earliest day one of its changes must be submitted by."""
        dates = [c.due for c in self.changes if c.due is not None]
        return min(dates) if dates else None

    @property
    def risk_counts(self) -> dict[str, int]:
        """Return the number of answers per rating."""
        return counts(self.risks)

    def worst_in(self, category: str) -> str:
        """Return its worst answer in one risk category (empty: the category has no rating)."""
        return worst(r for r in self.risks if r["category"] == category)

    @property
    def flags(self) -> tuple[str, ...]:
        """Return what needs attention, in words (empty when nothing does)."""
        found = []
        if self.reassessment.state in ("overdue", "soon"):
            found.append(
                "再実施期限超過" if self.reassessment.state == "overdue" else "再実施期限間近"
            )
        if self.important_changes:
            found.append(f"未提出の重要な変更 {len(self.important_changes)}件")
        if self.old_clauses:
            found.append(f"旧版の標準記載 {len(self.old_clauses)}件")
        if self.edition_behind:
            found.append(f"様式の版が古い（最新 {self.latest_edition}）")
        if self.threshold.startswith("不一致"):
            found.append("しきい値判断が基礎項目評価書と不一致")
        if any(r["answer"] == "課題が残されている" for r in self.risks):
            found.append("課題が残されているリスクあり")
        return tuple(found)


def edition_key(edition: str) -> dt.date:
    """Return an edition (``令和6年10月``) as the date it began, for ordering (min when unknown)."""
    try:
        return parse_date(f"{edition}1日")
    except DateError:
        return dt.date.min


def latest_editions(forms: Sequence[FormSpec]) -> dict[str, str]:
    """Return form id → its current edition (else the latest by the month it began)."""
    latest: dict[str, str] = {}
    for form in sorted(forms, key=lambda f: (f.current, edition_key(f.edition))):
        latest[form.id] = form.edition
    return latest


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def portfolio_rows(
    summaries: Sequence[Mapping], today: dt.date, forms: Sequence[FormSpec] | None = None
) -> list[PortfolioRow]:
    """Return the portfolio rows of ``summaries`` (build summaries with facts) as of ``today``."""
    shipped = list(forms if forms is not None else all_forms())
    latest = latest_editions(shipped)
    basics = [s for s in summaries if s.get("portfolio", {}).get("form_id") == "basic"]
    rows = [_row(s, today, latest, basics, shipped) for s in summaries if "portfolio" in s]
    return sorted(rows, key=lambda r: (r.org_name, r.name, r.id))


def _row(
    summary: Mapping,
    today: dt.date,
    latest: Mapping[str, str],
    basics: Sequence[Mapping],
    forms: Sequence[FormSpec],
) -> PortfolioRow:
    facts = summary["portfolio"]
    published = _date(facts["published"])
    evaluated = evaluation_date(_date(facts["implemented"]), published)
    due = reassessment_due(evaluated) if evaluated and published else None
    return PortfolioRow(
        id=summary["id"],
        name=summary["name"],
        org_name=summary["org_name"],
        form_name=facts["form_name"],
        edition=facts["edition"],
        latest_edition=latest.get(facts["form_id"], facts["edition"]),
        status=facts["status"],
        published=published,
        evaluated=evaluated,
        reassessment=deadline(due, today),
        changes=tuple(_change(c) for c in facts["changes"]),
        old_clauses=tuple(facts["old_clauses"]),
        threshold=threshold_state(facts, basics, forms),
        risks=tuple(summary.get("risks", ())),
    )


def _change(change: Mapping) -> Change:
    date = _date(change["date"])
    return Change(
        change["item"], change["anchor"], change["important"], date,
        submission_due(date, change["important"]),
    )  # fmt: skip


def threshold_state(facts: Mapping, basics: Sequence[Mapping], forms: Sequence[FormSpec]) -> str:
    """Compare an evaluation's しきい値判断 with the body's 基礎項目評価書 for the same 事務."""
    if facts["form_id"] == "basic":
        return "—"
    basic = next(
        (
            b["portfolio"]
            for b in basics
            if b["portfolio"]["org"] == facts["org"]
            and normalise(b["portfolio"]["affair"]) == normalise(facts["affair"])
        ),
        None,
    )
    if basic is None:
        return "照合先なし"
    differ = [
        label for key, label in THRESHOLD_INPUTS if normalise(basic[key]) != normalise(facts[key])
    ]
    if result_level(basic, forms) != result_level(facts, forms):
        differ.append("しきい値判断結果")
    return f"不一致: {'、'.join(differ)}" if differ else "一致"


def result_level(facts: Mapping, forms: Sequence[FormSpec]) -> int | None:
    """Return the required level (0 none … 3 全項目) a しきい値判断結果 stands for."""
    same = [f for f in forms if f.id == facts["form_id"]]
    form = next((f for f in same if f.edition == facts.get("edition")), same[0] if same else None)
    spec = form.item(form.threshold.get("result", "")) if form else None
    labels = [normalise(o.label) for o in spec.options] if spec else []
    chosen = normalise(facts["result"])
    return len(labels) - 1 - labels.index(chosen) if chosen in labels else None


def wareki(date: dt.date | None) -> str:
    """Return a date as the form prints it, or ``—``."""
    return format_wareki(date) if date else "—"


def category_labels() -> tuple[tuple[str, str], ...]:
    """Return the risk categories of the matrix: (key, label)."""
    return CATEGORIES
