"""Turn a checked evaluation into the ordered, displayed rows every renderer prints.

Assumes validation has passed; does no I/O and knows no output format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from pia_build.check.shapes import Evaluation
from pia_build.core.diagnostics import Location
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
        edition=evaluation.form.edition,
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
    """Return the rows of a block, recursing into sections and group rows.

    Every printed item of the form gets its row, written or not, as the official form prints
    every row; a ``( ) 件`` count joins the choice row before it.
    """
    rows: list[Row] = []
    for spec in items:
        if not spec.printed:
            continue
        here = item_anchor(anchor, spec.key)
        entry = block.entries.get(spec.key)
        if spec.kind == "section":
            child = entry if isinstance(entry, Block) else Block({}, block.location)
            rows += _section_rows(spec, child, here, depth)
        elif spec.kind == "group":
            rows += _group_rows(spec, entry, anchor, depth)
        else:
            value = entry.value if isinstance(entry, Field) else None
            if _is_count(spec) and rows and _takes_count(rows[-1]):
                rows[-1] = _with_count(rows[-1], value)
                continue
            shown = display(spec, value)
            if isinstance(entry, Field) and entry.unwritten:
                shown = unwritten(shown)
            rows.append(Row("item", spec.label, here, depth, spec.star, shown))
    return tuple(rows)


def _section_rows(spec: ItemSpec, block: Block, here: str, depth: int) -> list[Row]:
    """Return a section heading and its rows; leading flags print on the heading line.

    The flags keep their item rows (marked ``on_heading``) so every item has its row.
    """
    count = 0
    while count < len(spec.children) and spec.children[count].kind == "flag":
        count += 1
    leading = _rows(spec.children[:count], block, here, depth + 1)
    flagged = [replace(r, on_heading=True) for r in leading]
    flags = tuple(
        Mark(n, r.label, bool(r.display and r.display.checked)) for n, r in enumerate(flagged, 1)
    )
    heading = Row("section", spec.label, here, depth, spec.star, flags=flags)
    return [heading, *flagged, *_rows(spec.children[count:], block, here, depth + 1)]


_COUNT_LABEL = re.compile(r"^[(（]\s*[)）]\s*件$")


def _is_count(spec: ItemSpec) -> bool:
    """Return True for the ``( ) 件`` item the form prints beside the choice before it."""
    return spec.kind == "integer" and bool(_COUNT_LABEL.match(spec.label))


def _takes_count(row: Row) -> bool:
    return row.kind == "item" and row.display is not None and row.display.kind == "choice"


def _with_count(row: Row, value: object) -> Row:
    """Return a choice row with its ``( n ) 件`` printed beside the choice."""
    assert row.display is not None
    shown = "\u3000" if value is None else str(value)
    return replace(row, display=replace(row.display, count=f"( {shown} ) 件"))


def _group_rows(spec: ItemSpec, entry: object, anchor: str, depth: int) -> list[Row]:
    """Return the rows of a repeated group: one header per row, then the row's items.

    An empty group prints its first row blank; a group with ``ranges`` prints the form's range
    headers (提供先2～5 …) before the rows they cover, and those left over after the last row.
    """
    rows: list[Row] = []
    blocks = entry.rows if isinstance(entry, Rows) else ()
    if spec.label and not spec.item_label.startswith(spec.label):
        rows.append(Row("section", spec.label, item_anchor(anchor, spec.key), depth, spec.star))
        depth += 1
    ranges = _ranges(spec)
    printed = blocks or (Block({}, Location("")),)
    for number, block in enumerate(printed, start=1):
        while ranges and ranges[0][0] <= number:
            rows.append(_range_row(spec, ranges.pop(0), anchor, depth))
        rows += _group_row(spec, block, item_anchor(anchor, spec.key, number), number, depth)
    rows += [_range_row(spec, r, anchor, depth) for r in ranges]
    return rows


def _group_row(spec: ItemSpec, block: Block, here: str, number: int, depth: int) -> list[Row]:
    """Return one row of a group: its header (with the header item's value) and its items."""
    label = spec.item_label.replace("{n}", str(number)) if spec.item_label else str(number)
    children = spec.children
    if children and children[0].header:
        label = f"{label}\u3000{_text(block, children[0].key)}".rstrip()
        children = children[1:]
    return [Row("group", label, here, depth, spec.star), *_rows(children, block, here, depth + 1)]


RANGE_STEP = 5
"""The form prints a range header every five rows after the first: 2～5, 6～10, 11～15, 16～20."""


def _ranges(spec: ItemSpec) -> list[tuple[int, int]]:
    """Return the (first, last) row numbers of the range headers the form prints."""
    if not spec.ranges or not spec.max_rows:
        return []
    starts = [2, *range(RANGE_STEP + 1, spec.max_rows + 1, RANGE_STEP)]
    return [(s, min(spec.max_rows, s + RANGE_STEP - 1 if s > 2 else RANGE_STEP)) for s in starts]


def _range_row(spec: ItemSpec, span: tuple[int, int], anchor: str, depth: int) -> Row:
    """Return a range header row such as ``提供先2～5``."""
    base = spec.item_label.replace("{n}", "") if spec.item_label else spec.label
    here = f"{item_anchor(anchor, spec.key)}.range-{span[0]}"
    return Row("group", f"{base}{span[0]}～{span[1]}", here, depth, spec.star)


def display(spec: ItemSpec, value: object) -> Display:
    """Return how a value of ``spec`` is printed."""
    if value is None:
        return _empty(spec)
    if spec.kind == "choice":
        assert isinstance(value, Pick)
        selected = f"{value.label} ({value.detail})" if value.detail else value.label
        return _choice(spec, (value,), selected)
    if spec.kind == "multi":
        assert isinstance(value, tuple)
        return Display("multi", marks=_marks(spec, value), empty=False)
    if spec.kind == "flag":
        return Display("flag", checked=bool(value), empty=not value)
    if spec.kind == "list" and spec.joined:
        return Display("line", text="、".join(value), empty=not value)  # type: ignore[arg-type]
    if spec.kind == "list":
        return Display("list", items=tuple(value), empty=not value)  # type: ignore[arg-type]
    if spec.kind == "table":
        return _table(spec, value)  # type: ignore[arg-type]
    text = _as_text(value)
    if spec.kind == "text" and text.strip() in DASHES:
        return Display("line", text=text.strip(), empty=False)
    return Display(spec.kind, text=text, empty=False)


def unwritten(shown: Display) -> Display:
    """Return the display of a required item a draft left empty: 未記入 before the blank form."""
    return replace(shown, unwritten=True)


def _empty(spec: ItemSpec) -> Display:
    """Return the display of an item left empty (options still print)."""
    if spec.kind == "choice":
        return replace(_choice(spec, (), ""), empty=True)
    if spec.kind == "multi":
        return Display(spec.kind, marks=_marks(spec, ()))
    if spec.kind == "table":
        return Display("table", columns=tuple(c.label for c in spec.children))
    return Display(spec.kind)


def _choice(spec: ItemSpec, picks: tuple[Pick, ...], selected: str) -> Display:
    """Return a choice's display; a legend printed in rows lists its options row by row."""
    marks = _marks(spec, picks)
    rows = spec.legend_rows
    if not rows or len(marks) <= 1:
        return Display("choice", marks=marks, selected=selected, empty=False)
    columns = -(-len(marks) // rows)
    grid = [
        marks[c * rows + r]
        for r in range(rows)
        for c in range(columns)
        if c * rows + r < len(marks)
    ]
    return Display(
        "choice", marks=tuple(grid), selected=selected, empty=False, legend_columns=columns
    )


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
