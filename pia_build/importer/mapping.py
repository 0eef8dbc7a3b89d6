"""Map the rows of one part to the items of its form, by label where printed, by position if not.

The mapper walks the part's slots (printed rows of the form) with a cursor. A row whose cell
names a slot moves the cursor there; the cells after the labels are its value. A row without a
label continues the item at the cursor, or fills the nearest empty item its value fits (a
missing or shifted label, form-full.md §5.2). Every repair is reported with the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pia_build.core.diagnostics import Diagnostic
from pia_build.importer.fit import fits, html_table, looks_like_boxes, same
from pia_build.importer.marks import options_only
from pia_build.importer.parts import PartRows
from pia_build.importer.place import Found, Placer
from pia_build.importer.slots import (
    Path,
    Slot,
    build_slots,
    cell_label,
    iter_groups,
    row_number,
    row_range,
)

_INLINE = re.compile(r"^\s*<p[^>]*>(.*?)</p>(.*)$", re.DOTALL)
_NEAR = 4
"""How many items before or after the cursor a value without a label may move."""


@dataclass
class Mapped:
    """One part instance with the printed cells found for each of its items."""

    part: PartRows
    """The part and its rows."""
    slots: list[Slot]
    """The printed rows of the form, group rows expanded."""
    values: dict[Path, list[Found]] = field(default_factory=dict)
    """Item path → cells printed for it, in order."""
    structure: set[int] = field(default_factory=set)
    """Lines that only print the form's own labels (headings, column heads, range headers)."""


def map_part(part: PartRows, source: str) -> tuple[Mapped, list[Diagnostic]]:
    """Return the items found in one part instance, with every repair reported."""
    items = part.spec.items
    if len(items) == 1 and items[0].kind in ("table", "list"):
        cells = [Found(r.cells, r.line, r.raw) for r in part.rows]
        slots = build_slots(items, {})
        return Mapped(part, slots, {(items[0].key,): cells}), []
    rows = _group_rows(part)
    dry = _Mapper(part, rows, source, frozenset())
    dry.run()
    mapper = _Mapper(part, rows, source, frozenset(dry.labelled))
    mapper.run()
    return Mapped(part, mapper.slots, mapper.values, mapper.structure), mapper.problems


def _group_rows(part: PartRows) -> dict[Path, int]:
    """Return the number of rows of each repeated group, from the printed row headers."""
    counts: dict[Path, int] = {}
    groups = iter_groups(part.spec.items)
    for row in part.rows:
        first = next((cell_label(c) for c in row.cells if c.strip()), "")
        for path, spec in groups:
            number = row_number(spec, first)
            if number is not None:
                counts[path] = max(counts.get(path, 0), number)
    return counts


class _Mapper(Placer):
    """Walks one part's rows against its slots."""

    def __init__(self, part: PartRows, rows: dict[Path, int], source: str, later: frozenset):
        super().__init__(part, rows, source, later)
        self.pending: list[int] = []
        self.structure: set[int] = set()

    def run(self) -> None:
        for row in self.part.rows:
            self._row(row.cells, row.line)

    # ------------------------------------------------------------------ rows

    def _row(self, cells: tuple[str, ...], line: int) -> None:
        """Handle one printed row."""
        if any(row_range(s.spec, cell_label(c)) for c in cells[:1] for s in self.slots if s.row):
            self.structure.add(line)
            return
        labels, rest = self._labels(cells, line)
        if labels and not rest:
            self.structure.add(line)
        if labels and len(labels) == 1 and self.pending and not rest:
            self.pending = []
        if labels:
            last = labels[-1]
            if self.slots[last].container:
                self._container(last, rest, line)
            elif self._column_heads(last, rest, line):
                self.structure.add(line)
                return
            else:
                self._assign(last, rest, line)
        elif rest and self.pending and len(rest) == len(self.pending):
            for index, cell in zip(self.pending, rest, strict=True):
                self._put(index, Found((cell,), line))
            self.pending = []
        elif rest:
            self._unlabelled(rest, line, bool(cells[0]) and len(cells) == 1)

    def _labels(self, cells: tuple[str, ...], line: int) -> tuple[list[int], list[str]]:
        """Return the slots named by the leading cells, and the cells after them."""
        found: list[int] = []
        for position, cell in enumerate(cells):
            if not cell.strip():
                continue
            index = None if looks_like_boxes(cell) else self._find(cell_label(cell), line)
            if index is None and (inline := _INLINE.match(cell)) and not found:
                index = self._find(cell_label(inline.group(1)), line)
                if index is not None and not self.slots[index].container:
                    self.cursor = index
                    return [index], [inline.group(2), *(c for c in cells[position + 1 :] if c)]
                index = None
            if index is None:
                return found, [c for c in cells[position:] if c.strip()]
            found.append(index)
            self.cursor = index
            if not self.slots[index].container:
                return found, [c for c in cells[position + 1 :] if c.strip()]
        return found, []

    def _column_heads(self, first: int, rest: list[str], line: int) -> bool:
        """Return True for a row of labels only (評価書番号 | 評価書名): values follow below."""
        if not rest:
            return False
        saved = self.cursor
        heads = [first]
        for cell in rest:
            index = self._forward(cell_label(cell), ())
            if index is None or self.slots[index].container:
                self.cursor = saved
                return False
            heads.append(index)
            self.cursor = index
        self.pending = heads
        return True

    def _assign(self, index: int, rest: list[str], line: int) -> None:
        """Give the cells after a label to its item (or, when they do not fit, to a neighbour)."""
        slot = self.slots[index]
        self.cursor = index
        if not rest:
            return
        found = Found(tuple(rest), line)
        fitting = fits(slot.spec, found.cells)
        if fitting:
            self.labelled.add(slot.path)
        if not self._filled(index) and fitting:
            self._put(index, found)
        elif self._filled(index) and same(slot.spec, self._cells(index), found.cells):
            self.cursor = index
        elif (other := self._nearby(index, found, forward=True)) is not None:
            self._shifted(other, found, f"it is printed beside the label {slot.spec.label}")
        else:
            self._misfit(index, found)

    def _misfit(self, index: int, found: Found) -> None:
        """Keep a value that fits nowhere else under its own label, and say so."""
        label = self.slots[index].spec.label
        if not self._filled(index):
            message = f"{label}: the printed value does not fit this item; it is kept as written"
            self._warn("value", found.line, message)
        elif self.slots[index].spec.kind in ("text", "list"):
            message = f"{label} is printed twice; both texts are kept, check which applies"
            self._warn("duplicate", found.line, message)
        else:
            self._warn("duplicate", found.line, f"{label} is printed twice; the first is kept")
            return
        self._put(index, found)

    def _unlabelled(self, rest: list[str], line: int, free: bool) -> None:
        """Handle a row without a label: a continuation, a duplicate, or a value that lost its label."""
        found = Found(tuple(rest), line)
        here = self.cursor
        slot = self.slots[here] if here >= 0 else None
        if slot is not None and self._continues(here, found, free):
            return
        other = self._nearby(here, found, forward=False)
        if other is not None:
            self._shifted(other, found, "its label is missing")
        elif slot is not None and slot.spec.kind in ("text", "list", "table"):
            self._put(here, found)
        else:
            self._warn("unplaced", line, "this row belongs to no item; it was left out")

    def _continues(self, here: int, found: Found, free: bool) -> bool:
        """Return True when a row without a label belongs to the item at the cursor."""
        slot, text = self.slots[here], " ".join(found.cells)
        kind = slot.spec.kind
        if slot.container:
            return self._flags(here, found)
        boxes = kind == "multi" and looks_like_boxes(text)
        if boxes or (not self._filled(here) and fits(slot.spec, found.cells)):
            self._put(here, found)
        elif kind == "choice" and options_only(text, slot.spec.options):
            self._keep(slot.path, found)  # the printed option list goes on
        elif self._filled(here) and same(slot.spec, self._cells(here), found.cells):
            return self._duplicate(here, found)
        elif free and kind in ("text", "list") and self._filled(here):
            self._put(here, found)
        else:
            return False
        return True

    def _duplicate(self, here: int, found: Found) -> bool:
        """Drop a value printed again; False for a repeated choice (maybe the next item's)."""
        slot = self.slots[here]
        if html_table(self._cells(here)):
            return True  # a table printed twice: once as HTML, once flattened (§5.1)
        if slot.spec.kind in ("choice", "multi"):
            return False
        message = f"{slot.spec.label}: the same text is printed again; left out"
        self._warn("duplicate", found.line, message)
        return True
