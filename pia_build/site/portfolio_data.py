"""The portfolio as data: JSON, CSV and a plain-text table for the terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence

from pia_build.core.labels import display_width
from pia_build.site.portfolio import PortfolioRow, wareki

COLUMNS = (
    ("name", "評価書名"),
    ("form", "様式"),
    ("status", "状態"),
    ("published", "公表日"),
    ("evaluated", "評価実施日"),
    ("due", "再実施期限"),
    ("days", "残日数"),
    ("changes", "未公表の変更"),
    ("important", "うち※"),
    ("submit_by", "提出期限"),
    ("old_clauses", "旧版の標準記載"),
    ("edition_behind", "様式の版"),
    ("threshold", "しきい値判断"),
)
"""Columns of the table and the CSV: (key, heading)."""


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def row_record(row: PortfolioRow) -> dict:
    """Return one row as JSON-ready data (dates in ISO 8601, None when unknown)."""
    return {
        "id": row.id,
        "name": row.name,
        "org": row.org_name,
        "form": row.form_name,
        "edition": row.edition,
        "latest_edition": row.latest_edition,
        "edition_behind": row.edition_behind,
        "status": row.status,
        "published": _iso(row.published),
        "evaluated": _iso(row.evaluated),
        "reassessment_due": _iso(row.reassessment.due),
        "days_left": row.reassessment.days,
        "reassessment_state": row.reassessment.state,
        "changes": [
            {
                "item": c.item,
                "important": c.important,
                "date": _iso(c.date),
                "submit_by": _iso(c.due),
            }
            for c in row.changes
        ],
        "important_changes": len(row.important_changes),
        "old_clauses": list(row.old_clauses),
        "threshold": row.threshold,
        "risk_counts": row.risk_counts,
        "flags": list(row.flags),
    }


def to_json(rows: Sequence[PortfolioRow], today: dt.date) -> str:
    """Return the portfolio as JSON: the day it is for and every row."""
    data = {"as_of": today.isoformat(), "evaluations": [row_record(r) for r in rows]}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cells(row: PortfolioRow) -> dict[str, str]:
    """Return one row's cells as printed (和暦 dates, ``—`` for unknown)."""
    days = row.reassessment.days
    return {
        "name": row.name,
        "form": f"{row.form_name} {row.edition}",
        "status": row.status,
        "published": wareki(row.published),
        "evaluated": wareki(row.evaluated),
        "due": wareki(row.reassessment.due),
        "days": "—" if days is None else str(days),
        "changes": str(len(row.changes)),
        "important": str(len(row.important_changes)),
        "submit_by": wareki(row.next_submission),
        "old_clauses": ", ".join(f"{c['id']} v{c['used']}→v{c['current']}" for c in row.old_clauses)
        or "—",
        "edition_behind": f"旧版（最新 {row.latest_edition}）" if row.edition_behind else "最新",
        "threshold": row.threshold,
    }


def to_csv(rows: Sequence[PortfolioRow]) -> str:
    """Return the portfolio as CSV with a header row (ISO dates, for spreadsheets and scripts)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *(heading for _, heading in COLUMNS)])
    for row in rows:
        printed = cells(row)
        printed |= {
            "published": _iso(row.published) or "",
            "evaluated": _iso(row.evaluated) or "",
            "due": _iso(row.reassessment.due) or "",
            "submit_by": _iso(row.next_submission) or "",
            "days": "" if row.reassessment.days is None else str(row.reassessment.days),
        }
        writer.writerow([row.id, *(printed[key] for key, _ in COLUMNS)])
    return out.getvalue()


def to_table(rows: Sequence[PortfolioRow], today: dt.date) -> str:
    """Return the portfolio as a plain-text table, then the flags of each evaluation."""
    keys = ("name", "status", "published", "due", "days", "changes", "important", "submit_by")
    headings = dict(COLUMNS)
    grid = [[headings[k] for k in keys]] + [[cells(r)[k] for k in keys] for r in rows]
    widths = [max(display_width(line[i]) for line in grid) for i in range(len(keys))]
    lines = [f"{wareki(today)}現在（{len(rows)}件）"]
    for line in grid:
        lines.append(
            "  ".join(
                c + " " * (w - display_width(c)) for c, w in zip(line, widths, strict=True)
            ).rstrip()
        )
    for row in rows:
        if row.flags:
            lines.append(f"{row.name}: {'、'.join(row.flags)}")
    return "\n".join(lines) + "\n"
