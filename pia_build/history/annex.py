"""Merge generated change records into the bound 変更箇所 part, so every renderer prints them.

The annex table's six columns are read in printed order (変更日, 項目, 変更前の記載, 変更後の記載,
提出時期, 提出時期に係る説明: spec form-full §4.1), whatever their keys. Rows recorded before the
evaluation moved to git (history.yml) stay first; generated rows follow in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pia_build.check.shapes import Evaluation
from pia_build.forms.spec import ItemSpec
from pia_build.forms.types import Pick
from pia_build.history.shapes import ChangeRecord
from pia_build.source.shapes import Block, Field
from pia_build.source.submissions import CHANGES_PART, changes_table


def with_history(evaluation: Evaluation, records: Sequence[ChangeRecord]) -> Evaluation:
    """Return the evaluation with ``records`` appended to its 変更箇所 table."""
    part = evaluation.part(CHANGES_PART)
    table = changes_table(evaluation.form)
    if not records or part is None or table is None:
        return evaluation
    entry = part.block.entries.get(table.key)
    rows = entry.value if isinstance(entry, Field) and isinstance(entry.value, tuple) else ()
    where = entry.location if isinstance(entry, Field) else part.block.location
    added = tuple(_row(table.children, r) for r in records)
    block = Block(
        {**part.block.entries, table.key: Field(rows + added, where)}, part.block.location
    )
    parts = tuple(replace(p, block=block) if p is part else p for p in evaluation.parts)
    return replace(evaluation, parts=parts)


def _row(columns: tuple[ItemSpec, ...], record: ChangeRecord) -> dict[str, object]:
    """Return one table row, keyed by the form's column keys."""
    timing = Pick(record.timing) if record.timing else None
    values = (record.date, record.item, record.before, record.after, timing, record.reason or None)
    return {column.key: value for column, value in zip(columns, values, strict=True)}
