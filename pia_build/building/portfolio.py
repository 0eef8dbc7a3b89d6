"""``pia portfolio``: check every evaluation and compute the body's portfolio for one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pia_build.building.jobs import Job, run_job
from pia_build.core.config import Config
from pia_build.forms.spec import FormSpec
from pia_build.history.due import today as default_today
from pia_build.history.git import versions
from pia_build.history.snapshots import annex_history
from pia_build.site.portfolio import PortfolioRow, portfolio_rows
from pia_build.source.library import clause_folders
from pia_build.source.loader import iter_evaluation_folders


def summaries(config: Config) -> list[dict]:
    """Return the build summary (with portfolio facts) of every evaluation that can be bound."""
    folders = iter_evaluation_folders(config.content)
    published = versions(config.root)
    rows = annex_history(
        config, {f.name: published[f.name] for f in folders if f.name in published}
    )
    found = []
    for folder in folders:
        job = Job(
            str(config.root),
            config.theme,
            str(folder),
            (),
            (),
            shared_key=_shared_key(config.content),
            annex=tuple(rows.get(folder.name, ())),
        )
        result = run_job(job)
        if result.summary is not None:
            found.append(result.summary)
    return found


def portfolio(
    config: Config, today: dt.date | None = None, forms: Sequence[FormSpec] | None = None
) -> tuple[list[PortfolioRow], dt.date]:
    """Return the portfolio rows of the project as of ``today`` (default: the build day).

    ``forms`` are the form editions to compare with (default: those shipped).
    """
    day = today or default_today()
    return portfolio_rows(summaries(config), day, forms), day


def portfolio_files(
    config: Config, rows: list[PortfolioRow], today: dt.date, pdf: str | None, xlsx: str | None
) -> list[tuple[str, bytes]]:
    """Return the report files asked for: (path, content) of the PDF and the workbook."""
    files: list[tuple[str, bytes]] = []
    if pdf:
        from pia_build.site.portfolio_report import portfolio_pdf

        files.append((pdf, portfolio_pdf(rows, today, config.theme)))
    if xlsx:
        from pia_build.site.portfolio_book import portfolio_workbook

        files.append((xlsx, portfolio_workbook(rows, today)))
    return files


def _shared_key(content: Path) -> str:
    """Return a key that changes when the clause library or org profiles change."""
    clauses = [p for folder in clause_folders(content) for p in folder.rglob("*.md")]
    files = sorted([*clauses, *(content / "orgs").glob("*.yml")])
    return ",".join(f"{p}:{p.stat().st_mtime_ns}" for p in files)
