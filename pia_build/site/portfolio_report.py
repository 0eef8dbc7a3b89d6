"""``pia portfolio --pdf``: the risk overview report, compiled by typst (layouts/pdf/portfolio.typ).

The report holds the portfolio table, the matrix of evaluations × risk categories (the same SVG
as the site) and, per evaluation, its strip of answers with the counts. Reproducible like the
evaluations' PDFs: no date in the file unless SOURCE_DATE_EPOCH gives one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pia_build.assemble.risks import RATINGS, UNANSWERED
from pia_build.core.theme import Layouts
from pia_build.render.charts import PER_LINE, risk_strip
from pia_build.render.pdf import compile_template, document_date
from pia_build.site.portfolio import PortfolioRow, wareki
from pia_build.site.portfolio_data import cells
from pia_build.site.portfolio_page import matrix, matrix_svg, urgency

TEMPLATE = Path("pdf") / "portfolio.typ"
TABLE = ("name", "status", "published", "due", "days", "changes", "important", "submit_by")
HEADINGS = (
    "評価書名",
    "状態",
    "公表日",
    "再実施期限",
    "残日数",
    "未公表の変更",
    "うち※",
    "提出期限",
)


def report_data(rows: Sequence[PortfolioRow], today: dt.date) -> dict[str, object]:
    """Return everything the report prints, as JSON-ready values."""
    ordered = sorted(rows, key=urgency)
    columns, grid = matrix(ordered)
    return {
        "today": wareki(today),
        "date": document_date(),
        "headings": list(HEADINGS),
        "table": [[cells(r)[k] for k in TABLE] for r in ordered],
        "flags": [[r.name, "、".join(r.flags)] for r in ordered if r.flags],
        "matrix": matrix_svg(ordered, name_width=300),
        "categories": columns,
        "grid": [[name, *(c or "該当なし" for c in cells_)] for name, cells_ in grid],
        "evaluations": [_evaluation(r) for r in ordered],
    }


def _evaluation(row: PortfolioRow) -> dict[str, object]:
    counts = row.risk_counts
    label = f"{row.name} のリスク対策の自己評価"
    return {
        "name": row.name,
        "counts": [[name, counts[name]] for name in (*RATINGS, UNANSWERED)],
        "strip": risk_strip(row.risks, label) if row.risks else "",
        "lines": -(-len(row.risks) // PER_LINE),
    }


def portfolio_pdf(rows: Sequence[PortfolioRow], today: dt.date, layouts: Layouts) -> bytes:
    """Return the risk overview report as PDF."""
    return compile_template(layouts / TEMPLATE, report_data(rows, today))
