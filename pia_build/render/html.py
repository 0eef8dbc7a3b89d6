"""AssembledDoc → the evaluation's HTML page in the official layout (layouts/evaluation.html)."""

from __future__ import annotations

from pathlib import Path

from pia_build.assemble.shapes import AssembledDoc
from pia_build.render.templates import render_template

FORMAT = "html"


def render(
    doc: AssembledDoc,
    layouts: Path,
    root: str = "../",
    downloads: list[tuple[str, str]] | None = None,
) -> bytes:
    """Return the HTML page of one evaluation.

    ``root`` is the relative path to the site root; ``downloads`` lists (label, href) pairs.
    """
    page = render_template(
        layouts, "evaluation.html", doc=doc, root=root, downloads=downloads or []
    )
    return page.encode("utf-8")
