"""Write the portfolio's pages and files during a build, public or for staff only."""

from __future__ import annotations

from collections.abc import Sequence

from pia_build.building.output import OutputWriter
from pia_build.core.config import Config
from pia_build.history.due import today
from pia_build.site.portfolio import portfolio_rows
from pia_build.site.portfolio_page import PUBLIC_PATH, STAFF_PATH, render_portfolio

SITE = "site"


def portfolio_target(config: Config) -> tuple[str, str]:
    """Return (path inside output/, relative path from the page to the site root)."""
    if config.portfolio == "public":
        return f"{SITE}/{PUBLIC_PATH}", "../"
    return STAFF_PATH, f"../../{SITE}/"


def write_portfolio(writer: OutputWriter, config: Config, summaries: Sequence[dict]) -> str:
    """Write the portfolio page for the build day; return its path inside output/."""
    path, root = portfolio_target(config)
    day = today()
    rows = portfolio_rows(summaries, day)
    writer.write(path, render_portfolio(rows, day, config.theme, root))
    return path
