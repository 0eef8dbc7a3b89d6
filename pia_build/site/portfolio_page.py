"""The portfolio page: the table of every evaluation and the risk matrix, as static HTML.

The table is sorted by urgency when built and works without script; ``assets/sort.js`` (no inline
script: the site's CSP forbids it) turns the column headings into sort buttons. The matrix is
inline SVG with the same answers in a table below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup

from pia_build.assemble.risks import CATEGORIES, RATINGS, UNANSWERED
from pia_build.core.theme import Layouts
from pia_build.render.charts import risk_matrix
from pia_build.render.templates import render_template
from pia_build.site.portfolio import PortfolioRow, wareki
from pia_build.site.portfolio_data import COLUMNS, cells

NAME_WIDTH = 330
"""Pixels for the evaluation names at the left of the matrix."""
PUBLIC_PATH = "portfolio/index.html"
"""Inside output/site/ when the portfolio is public."""
STAFF_PATH = "staff/portfolio/index.html"
"""Inside output/ (beside site/, never published) when it is for staff only."""


def urgency(row: PortfolioRow) -> tuple:
    """Return the sort key that puts what is most urgent first."""
    due = row.reassessment.due or dt.date.max
    submit = row.next_submission or dt.date.max
    return (min(due, submit), -len(row.important_changes), row.name, row.id)


def sort_values(row: PortfolioRow) -> dict[str, str]:
    """Return per column the value the script sorts by (ISO dates, zero-padded numbers)."""

    def iso(date: dt.date | None) -> str:
        return date.isoformat() if date else "9999-12-31"

    days = row.reassessment.days
    return {
        "published": iso(row.published),
        "evaluated": iso(row.evaluated),
        "due": iso(row.reassessment.due),
        "days": f"{(days if days is not None else 999999) + 1000000:08d}",
        "changes": f"{len(row.changes):06d}",
        "important": f"{len(row.important_changes):06d}",
        "submit_by": iso(row.next_submission),
    }


def matrix(rows: Sequence[PortfolioRow]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Return the matrix's column labels and, per evaluation, its worst answer per category."""
    columns = [label for _, label in CATEGORIES]
    return columns, [(r.name, [r.worst_in(key) for key, _ in CATEGORIES]) for r in rows]


def matrix_svg(rows: Sequence[PortfolioRow], name_width: int = 0) -> str:
    """Return the risk matrix of ``rows`` as inline SVG."""
    columns, grid = matrix(rows)
    issues = sum(cell == "課題が残されている" for _, cells_ in grid for cell in cells_)
    label = f"リスク対策の自己評価の一覧: {len(rows)}件の評価書 × {len(columns)}分類、課題が残されている {issues}件"
    return risk_matrix(grid, columns, label, name_width)


def render_portfolio(
    rows: Sequence[PortfolioRow], today: dt.date, layouts: Layouts, root: str
) -> bytes:
    """Return the portfolio page; ``root`` is the relative path to the site root."""
    ordered = sorted(rows, key=urgency)
    columns, grid = matrix(ordered)
    page = render_template(
        layouts,
        "portfolio.html",
        root=root,
        today=wareki(today),
        columns=COLUMNS,
        rows=[(r, cells(r), sort_values(r)) for r in ordered],
        matrix=Markup(matrix_svg(ordered, name_width=NAME_WIDTH)),
        categories=columns,
        grid=grid,
        legend=[*RATINGS, UNANSWERED],
    )
    return page.encode("utf-8")
