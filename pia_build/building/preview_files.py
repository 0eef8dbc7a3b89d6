"""The files ``pia serve``'s preview writes outside a build: pages listing evaluations, single
pages, the search bundle (see ``preview``)."""

from __future__ import annotations

from pathlib import Path

from pia_build.building.build import SITE
from pia_build.building.cache import SEARCH_RECORD, dump_record, load_record
from pia_build.building.checking import shared_fingerprint, shared_sources
from pia_build.building.jobs import doc_from_summary
from pia_build.building.output import write_atomic
from pia_build.building.portfolio_site import portfolio_link
from pia_build.core.config import Config
from pia_build.site.pages import clause_uses, render_clause, render_clause_index, render_index


def listing_pages(
    config: Config, summaries: dict[str, dict | None], changed: dict[str, dict | None]
) -> list[tuple[str, bytes]]:
    """Return the pages that list the ``changed`` evaluations (old summaries given)."""
    library, _, _ = shared_sources(str(config.root), shared_fingerprint(config))
    docs = [doc_from_summary(s) for _, s in sorted(summaries.items()) if s is not None]
    uses = clause_uses(docs)
    shown = [*changed.values(), *(summaries.get(e) for e in changed)]
    touched = {u[0] for s in shown if s for u in s["clause_uses"]}
    layouts = config.theme
    pages = [
        ("index.html", render_index(docs, layouts, portfolio=portfolio_link(config))),
        ("clauses/index.html", render_clause_index(library, uses, layouts)),
    ]
    for clause_id in sorted(touched & set(library)):
        page = render_clause(library[clause_id], library, uses.get(clause_id, []), layouts)
        pages.append((f"clauses/{clause_id}/index.html", page))
    return pages


def write_page(target: Path, data: bytes) -> bool:
    """Write a file of the site unless it already holds ``data``; return True if it changed.

    A build pruning output/ at the same moment may take the temporary file away: write again.
    """
    if target.is_file() and target.read_bytes() == data:
        return False
    for attempt in range(3):
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_atomic(target, data)
            break
        except FileNotFoundError:
            if attempt == 2:
                raise
    return True


def replace_bundle(output: Path, bundle: list[tuple[str, bytes]], key: str) -> None:
    """Put a new search bundle in place of the last one, and record it as ``build`` does."""
    old = load_record(output, SEARCH_RECORD).get("files", [])
    names = [name for name, _ in bundle]
    for name, data in bundle:
        write_page(output / SITE / name, data)
    for name in set(old) - set(names):
        (output / SITE / name).unlink(missing_ok=True)
    write_page(output / SEARCH_RECORD, dump_record(key, names))
