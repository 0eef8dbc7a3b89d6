"""The static site's page set: home page, one page per evaluation with its downloads, assets.

Links are relative, so the folder works from any static host or sub-path. Writing is not done
here: ``build`` hands the (path, bytes) pairs to the OutputWriter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from .model import AssembledDoc
from .render import Renderer, html
from .render.templates import render_template

DOWNLOAD_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)"}


def iter_pages(
    docs: list[AssembledDoc], layouts: Path, downloads: Mapping[str, Renderer]
) -> Iterator[tuple[str, bytes]]:
    """Yield every file of the site as (relative path, content)."""
    yield "index.html", render_index(docs, layouts)
    for doc in docs:
        links = []
        for fmt, render in downloads.items():
            name = f"{doc.id}.{fmt}"
            yield f"{doc.id}/{name}", render(doc, layouts)
            links.append((DOWNLOAD_LABELS.get(fmt, fmt), name))
        yield f"{doc.id}/index.html", html.render(doc, layouts, root="../", downloads=links)
    for asset in sorted((layouts / "assets").rglob("*")):
        if asset.is_file():
            yield f"assets/{asset.relative_to(layouts / 'assets').as_posix()}", asset.read_bytes()


def render_index(docs: list[AssembledDoc], layouts: Path) -> bytes:
    """Return the home page: every evaluation grouped by 評価実施機関."""
    groups: dict[str, list[AssembledDoc]] = {}
    for doc in sorted(docs, key=lambda d: (d.org_name, d.name, d.id)):
        groups.setdefault(doc.org_name or "評価実施機関未設定", []).append(doc)
    page = render_template(layouts, "index.html", groups=sorted(groups.items()), root="")
    return page.encode("utf-8")
