"""The shape the check stage hands on: a bound, expanded evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pia_build.forms.spec import FormSpec
from pia_build.source.shapes import ClauseUse, PartData


@dataclass(frozen=True)
class Evaluation:
    """An evaluation bound to its form, with clauses expanded."""

    id: str
    """Folder name."""
    folder: str
    """Folder path relative to the project root."""
    form: FormSpec
    """Its form definition."""
    org: Mapping[str, object]
    """Its organisation profile (empty when none)."""
    parts: tuple[PartData, ...]
    """Bound parts in printed order."""
    clause_uses: tuple[ClauseUse, ...] = ()
    """Every clause expansion, in document order."""

    def part(self, key: str, number: int = 0) -> PartData | None:
        """Return the bound part, or None when the evaluation does not have it."""
        return next((p for p in self.parts if p.spec.key == key and p.number == number), None)
