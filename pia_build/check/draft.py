"""Drafts: an evaluation in 状態 案 may leave items empty, so a person can look at it first.

In a draft, each required item left empty is a warning instead of an error, and its field is
marked ``unwritten`` so every format prints 未記入 in its place. A 公表 evaluation with an empty
required item stays an error. ``--strict`` promotes the warnings back to errors.
"""

from __future__ import annotations

from dataclasses import replace

from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.forms.spec import ItemSpec
from pia_build.source.shapes import Field, PartData
from pia_build.source.walk import map_fields, part_anchor

PUBLISHED = "公表"
MISSING = "form.missing"


def is_draft(parts: list[PartData]) -> bool:
    """Return True unless the cover says 状態: 公表."""
    cover = next((p for p in parts if p.spec.key == "cover"), None)
    entry = cover.block.entries.get("status") if cover else None
    value = entry.value if isinstance(entry, Field) else None
    label = getattr(value, "label", value)
    return str(label or "").strip() != PUBLISHED


def allow_unwritten(
    parts: list[PartData], problems: list[Diagnostic]
) -> tuple[list[PartData], list[Diagnostic]]:
    """In a draft, turn empty-item errors into warnings and mark those fields unwritten."""
    if not is_draft(parts):
        return parts, problems
    places: set[Location] = set()
    kept: list[Diagnostic] = []
    for problem in problems:
        if problem.code == MISSING and problem.severity == "error":
            places.add(problem.location)
            message = f"{problem.message}; it prints as 未記入 while 状態 is 案"
            kept.append(warning(MISSING, problem.location, message))
        else:
            kept.append(problem)
    if not places:
        return parts, kept

    def mark(spec: ItemSpec, field: Field, anchor: str) -> Field:
        if field.value is None and field.location in places:
            return replace(field, unwritten=True)
        return field

    marked = [
        replace(p, block=map_fields(p.spec.items, p.block, part_anchor(p), mark)) for p in parts
    ]
    return marked, kept
