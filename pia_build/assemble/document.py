"""Turn a checked evaluation into the ordered, displayed rows every renderer prints.

Assumes validation has passed; does no I/O and knows no output format.
"""

from __future__ import annotations

import datetime as dt

from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from pia_build.check.shapes import Evaluation
from pia_build.core.labels import DASHES
from pia_build.core.wareki import format_wareki
from pia_build.forms.spec import ItemSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Block, Field, PartData, Rows
from pia_build.source.walk import item_anchor, part_anchor


def assemble(evaluation: Evaluation) -> AssembledDoc:
    """Return the evaluation as printed rows, cover first."""
    cover = evaluation.part("cover")
    assert cover is not None
    body = [p for p in evaluation.parts if p.spec.key != "cover"]
    parts = tuple(_assemble_part(p, _file_name(evaluation, p)) for p in body)
    toc = tuple(dict.fromkeys((p.label, p.anchor) for p in parts if p.number <= 1))
    return AssembledDoc(
        id=evaluation.id,
        title=evaluation.form.title,
        name=_text(cover.block, "report_title"),
        marker=evaluation.form.marker,
        form_id=evaluation.form.id,
        draft=_text(cover.block, "status") != "公表",
        org_name=_text(cover.block, "assessor_name"),
        published=_text(cover.block, "publication_date"),
        cover=_rows(cover.spec.items, cover.block, "cover", 0),
        parts=parts,
        toc=toc,
        clause_uses=evaluation.clause_uses,
    )


def _text(block: Block, key: str) -> str:
    """Return a cover value as printed."""
    entry = block.entries.get(key)
    return _as_text(entry.value) if isinstance(entry, Field) else ""


def _as_text(value: object) -> str:
    """Return a scalar value as printed (dates in 和暦)."""
    if isinstance(value, dt.date):
        return format_wareki(value)
    if isinstance(value, Pick):
        return value.label
    return "" if value is None else str(value)


def _file_name(evaluation: Evaluation, part: PartData) -> str:
    """Return the 特定個人情報ファイル name of a per-file part (its Ⅱ ``1.`` item)."""
    if not part.number:
        return ""
    for candidate in evaluation.parts:
        if candidate.number == part.number and candidate.spec.per_file and candidate.spec.items:
            first = candidate.spec.items[0]
            entry = candidate.block.entries.get(first.key)
            if first.kind == "line" and isinstance(entry, Field):
                return str(entry.value)
    return ""


def _assemble_part(part: PartData, file_name: str) -> AssembledPart:
    """Return one part's printed rows."""
    anchor = part_anchor(part)
    return AssembledPart(
        key=part.spec.key,
        label=part.spec.label,
        anchor=anchor,
        number=part.number,
        file_name=file_name,
        star=f"※{part.spec.star_note}" if part.spec.star else "",
        rows=_rows(part.spec.items, part.block, anchor, 0),
    )


def _rows(items: tuple[ItemSpec, ...], block: Block, anchor: str, depth: int) -> tuple[Row, ...]:
    """Return the rows of a block, recursing into sections and group rows."""
    rows: list[Row] = []
    for spec in items:
        if not spec.printed:
            continue
        here = item_anchor(anchor, spec.key)
        entry = block.entries.get(spec.key)
        if spec.kind == "section":
            rows.append(Row("section", spec.label, here, depth, spec.star))
            child = entry if isinstance(entry, Block) else Block({}, block.location)
            rows += _rows(spec.children, child, here, depth + 1)
        elif spec.kind == "group":
            rows += _group_rows(spec, entry, anchor, depth)
        else:
            value = entry.value if isinstance(entry, Field) else None
            rows.append(Row("item", spec.label, here, depth, spec.star, display(spec, value)))
    return tuple(rows)


def _group_rows(spec: ItemSpec, entry: object, anchor: str, depth: int) -> list[Row]:
    """Return the rows of a repeated group: one header per row, then the row's items."""
    rows: list[Row] = []
    blocks = entry.rows if isinstance(entry, Rows) else ()
    if spec.label and not spec.item_label.startswith(spec.label):
        rows.append(Row("section", spec.label, item_anchor(anchor, spec.key), depth, spec.star))
        depth += 1
    for number, block in enumerate(blocks, start=1):
        here = item_anchor(anchor, spec.key, number)
        label = spec.item_label.replace("{n}", str(number)) if spec.item_label else str(number)
        children = spec.children
        if children and children[0].header:
            label = f"{label}\u3000{_text(block, children[0].key)}".rstrip()
            children = children[1:]
        rows.append(Row("group", label, here, depth, spec.star))
        rows += _rows(children, block, here, depth + 1)
    return rows


def display(spec: ItemSpec, value: object) -> Display:
    """Return how a value of ``spec`` is printed."""
    if value is None:
        return _empty(spec)
    if spec.kind == "choice":
        assert isinstance(value, Pick)
        selected = f"{value.label} ({value.detail})" if value.detail else value.label
        return Display("choice", marks=_marks(spec, (value,)), selected=selected, empty=False)
    if spec.kind == "multi":
        assert isinstance(value, tuple)
        return Display("multi", marks=_marks(spec, value), empty=False)
    if spec.kind == "flag":
        return Display("flag", checked=bool(value), empty=not value)
    if spec.kind == "list":
        return Display("list", items=tuple(value), empty=not value)  # type: ignore[arg-type]
    if spec.kind == "table":
        return _table(spec, value)  # type: ignore[arg-type]
    text = _as_text(value)
    if spec.kind == "text" and text.strip() in DASHES:
        return Display("line", text=text.strip(), empty=False)
    return Display(spec.kind, text=text, empty=False)


def _empty(spec: ItemSpec) -> Display:
    """Return the display of an item left empty (options still print)."""
    if spec.kind in ("choice", "multi"):
        return Display(spec.kind, marks=_marks(spec, ()))
    if spec.kind == "table":
        return Display("table", columns=tuple(c.label for c in spec.children))
    return Display(spec.kind)


def _marks(spec: ItemSpec, picks: tuple[Pick, ...]) -> tuple[Mark, ...]:
    """Return every option of ``spec`` with its mark."""
    chosen = {p.label: p for p in picks}
    marks = []
    for number, option in enumerate(spec.options, start=1):
        pick = chosen.get(option.label)
        marks.append(
            Mark(
                number=number,
                label=option.label,
                checked=pick is not None,
                detail=pick.detail if pick else "",
                count=pick.count if pick else None,
                group=option.group,
                has_detail=option.detail,
                has_count=option.count,
            )
        )
    return tuple(marks)


def _table(spec: ItemSpec, rows: tuple[dict[str, object], ...]) -> Display:
    """Return a table value's columns and cells."""
    columns = tuple(c.label for c in spec.children)
    cells = tuple(
        tuple(Cell(_as_text(row.get(c.key)), markdown=c.kind == "text") for c in spec.children)
        for row in rows
    )
    return Display("table", columns=columns, rows=cells, empty=not rows)
