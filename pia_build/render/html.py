"""AssembledDoc → the evaluation's HTML page in the official layout (layouts/evaluation.html)."""

from __future__ import annotations

from pathlib import Path

from ..model import AssembledDoc
from .templates import render_template

FORMAT = "html"


def render(doc: AssembledDoc, layouts: Path, root: str = "../") -> bytes:
    """Return the HTML page of one evaluation; ``root`` is the relative path to the site root."""
    return render_template(layouts, "evaluation.html", doc=doc, root=root).encode("utf-8")
