"""Write what spans evaluations besides the site pages: the portfolio (public or for staff
only) and the open data (schemas, the CSV of every item, the Atom feed)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from pia_build.building.output import OutputWriter
from pia_build.core.config import Config
from pia_build.forms import all_forms
from pia_build.history.due import today
from pia_build.history.git import Version
from pia_build.site.opendata import CSV_PATH, FEED_PATH, atom_feed, items_csv, iter_schemas
from pia_build.site.portfolio import portfolio_rows
from pia_build.site.portfolio_page import PUBLIC_PATH, STAFF_PATH, render_portfolio

SITE = "site"


def portfolio_target(config: Config) -> tuple[str, str]:
    """Return (path inside output/, relative path from the page to the site root)."""
    if config.portfolio == "public":
        return f"{SITE}/{PUBLIC_PATH}", "../"
    return STAFF_PATH, f"../../{SITE}/"


def portfolio_link(config: Config) -> str:
    """Return the home page's link to the portfolio page (empty when it is for staff only)."""
    return PUBLIC_PATH if config.portfolio == "public" else ""


def write_portfolio(writer: OutputWriter, config: Config, summaries: Sequence[dict]) -> str:
    """Write the portfolio page for the build day; return its path inside output/."""
    path, root = portfolio_target(config)
    day = today()
    rows = portfolio_rows(summaries, day)
    writer.write(path, render_portfolio(rows, day, config.theme, root))
    return path


def write_spanning(
    writer: OutputWriter,
    config: Config,
    records: Mapping[str, dict],
    published: Mapping[str, Sequence[Version]],
    items: bool,
) -> None:
    """Write the portfolio (every evaluation that could be bound) and the open data (the valid)."""
    summaries = [r["summary"] for _, r in sorted(records.items()) if r.get("summary")]
    write_portfolio(writer, config, summaries)
    valid = [r["summary"] for _, r in sorted(records.items()) if not r.get("invalid")]
    write_opendata(writer, config, valid, published, items)


def write_opendata(
    writer: OutputWriter,
    config: Config,
    summaries: Sequence[dict],
    published: Mapping[str, Sequence[Version]],
    items: bool,
) -> None:
    """Write the JSON Schemas, the Atom feed and (with ``items``) the CSV of every item.

    The CSV is made from the evaluations' JSON files as written or kept by this build.
    """
    for name, data in iter_schemas(list(all_forms())):
        writer.write(f"{SITE}/{name}", data)
    dates = {k: [v.published for v in found] for k, found in published.items()}
    writer.write(f"{SITE}/{FEED_PATH}", atom_feed(summaries, dates))
    if items:
        documents = [_read_json(config, s["id"]) for s in summaries]
        writer.write(f"{SITE}/{CSV_PATH}", items_csv([d for d in documents if d]))


def _read_json(config: Config, evaluation: str) -> dict | None:
    """Return the open data of an evaluation as this build left it, or None when it has none."""
    path = config.output / SITE / evaluation / f"{evaluation}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
