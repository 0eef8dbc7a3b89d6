"""The HTML redline page of a review diff (layouts/diff.html)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from pia_build.core.theme import Layouts
from pia_build.history.redline import UNSET, redline, summary
from pia_build.history.shapes import ChangeRecord
from pia_build.render.templates import render_template


def render_html(records: Sequence[ChangeRecord], base: str, head: str, layouts: Layouts) -> bytes:
    """Return the HTML redline page (layouts/diff.html) of the changes."""
    evaluations = [
        (evaluation, [(r, redline(r)) for r in group])
        for evaluation, group in groupby(records, key=lambda r: r.evaluation)
    ]
    page = render_template(
        layouts,
        "diff.html",
        base=base,
        head=head,
        summary=summary(records),
        evaluations=evaluations,
        unset=UNSET,
    )
    return page.encode("utf-8")
