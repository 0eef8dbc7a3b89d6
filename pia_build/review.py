"""What a reviewer reads: ``pia diff`` between two revisions, and the ※ changes of ``pia check --since``.

Chooses the revisions (by default, where the branch left main, against the working tree), asks
``history`` for the item-level changes and ``redline`` for their Markdown or HTML form.
"""

from __future__ import annotations

from collections.abc import Sequence

from pia_build.core.config import Config
from pia_build.history import git as changes
from pia_build.history.redline import render_markdown
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import changes_between
from pia_build.render.redline import render_html

LAYOUT = "diff.html"
"""The layout of the redline page."""
WORKING_TREE = "working tree"
"""How the uncommitted state is named in a diff's heading."""


def diff_report(
    config: Config, rev_a: str | None, rev_b: str | None, fmt: str = "markdown"
) -> bytes:
    """Return the item-level diff of every evaluation from ``rev_a`` to ``rev_b``.

    ``rev_a`` defaults to the merge-base of the current branch with main, ``rev_b`` to the
    working tree. ``fmt`` is ``markdown`` (a pull-request comment) or ``html`` (a redline page).
    """
    base = rev_a or changes.merge_base(config.root)
    records = changes_between(config, base, rev_b)
    head = rev_b or WORKING_TREE
    label = base if rev_a else f"{base[:12]} (merge-base with main)"
    if fmt == "html":
        return render_html(records, label, head, config.theme)
    return render_markdown(records, label, head).encode("utf-8")


def important_changes(records: Sequence[ChangeRecord]) -> str:
    """Return the ※ items among ``records``, one line each: the possible 重要な変更."""
    stars = [r for r in records if r.star]
    if not stars:
        return ""
    lines = [f"{len(stars)} change(s) to ※ items (重要な変更の対象):"]
    for record in stars:
        timing = record.timing or "提出時期 not given"
        lines.append(f"  {record.evaluation}: {record.item} ({timing})")
    return "\n".join(lines) + "\n"
