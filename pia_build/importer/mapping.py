"""Map the rows of one part to the items of its form, by label where printed, by position if not.

The mapper walks the part's slots (printed rows of the form) with a cursor. A row whose cell
names a slot moves the cursor there; the cells after the labels are its value. A row without a
label continues the item at the cursor, or fills the nearest empty item its value fits (a
missing or shifted label, form-full.md §5.2). Every repair is reported with the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import warning
from ..model import Diagnostic, Location
from .fit import fits, html_table, looks_like_boxes, same
from .marks import flag_state, options_only
from .parts import PartRows
from .slots import FUZZY, Path, Slot, build_slots, cell_label, iter_groups, matches
from .slots import row_number, row_range, similar

_INLINE = re.compile(r"^\s*<p[^>]*>(.*?)</p>(.*)$", re.DOTALL)
_NEAR = 4
"""How many items before or after the cursor a value without a label may move."""
_FUZZY_WINDOW = 40


@dataclass
class Found:
    """Cells printed for one item."""

    cells: tuple[str, ...]
    """The value cells, non-empty, as printed."""
    line: int
    """Source line of the row."""
    raw: tuple[str, ...] = ()
    """For -layout text: the row's physical lines, for tables sliced by column position."""


@dataclass
class Mapped:
    """One part instance with the printed cells found for each of its items."""

    part: PartRows
    """The part and its rows."""
    slots: list[Slot]
    """The printed rows of the form, group rows expanded."""
    values: dict[Path, list[Found]] = field(default_factory=dict)
    """Item path → cells printed for it, in order."""


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
    return Mapped(part, mapper.slots, mapper.values), mapper.problems


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


class _Mapper:
    """Walks one part's rows against its slots."""

    def __init__(self, part: PartRows, rows: dict[Path, int], source: str, later: frozenset):
        self.part, self.rows, self.source, self.later = part, dict(rows), source, later
        self.slots = build_slots(part.spec.items, self.rows)
        self.values: dict[Path, list[Found]] = {}
        self.labelled: set[Path] = set()
        self.problems: list[Diagnostic] = []
        self.cursor = -1
        self.pending: list[int] = []

    def run(self) -> None:
        for row in self.part.rows:
            self._row(row.cells, row.line)

    def _warn(self, code: str, line: int, message: str) -> None:
        self.problems.append(warning(f"import.{code}", Location(self.source, line), message))

    def _filled(self, index: int) -> bool:
        return self.slots[index].path in self.values

    def _put(self, index: int, found: Found) -> None:
        self.values.setdefault(self.slots[index].path, []).append(found)
        self.cursor = index

    # ------------------------------------------------------------------ rows

    def _row(self, cells: tuple[str, ...], line: int) -> None:
        """Handle one printed row."""
        if any(row_range(s.spec, cell_label(c)) for c in cells[:1] for s in self.slots if s.row):
            return
        labels, rest = self._labels(cells, line)
        if labels and len(labels) == 1 and self.pending and not rest:
            self.pending = []
        if labels:
            last = labels[-1]
            if self.slots[last].container:
                self._container(last, rest, line)
            elif self._column_heads(last, rest, line):
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
            index = self._forward_in_row(cell_label(cell))
            if index is None or self.slots[index].container:
                self.cursor = saved
                return False
            heads.append(index)
            self.cursor = index
        self.pending = heads
        return True

    # ------------------------------------------------------------------ finding labels

    def _find(self, text: str, line: int) -> int | None:
        """Return the slot a cell names, searching from the cursor; None when it names none."""
        if not text:
            return None
        for search in (self._forward_in_row, self._here, self._behind, self._forward):
            index = search(text)
            if index is not None:
                return index
        return self._fuzzy(text, line) or self._new_row(text, line)

    def _forward_in_row(self, text: str) -> int | None:
        """Search forward, not past the header of the next row of the group the cursor is in."""
        inside = self.cursor >= 0 and any(isinstance(p, int) for p in self.slots[self.cursor].path)
        for index in range(self.cursor + 1, len(self.slots)):
            slot = self.slots[index]
            if matches(slot, text):
                return index
            if inside and slot.row:
                return None
        return None

    def _here(self, text: str) -> int | None:
        ok = self.cursor >= 0 and matches(self.slots[self.cursor], text)
        return self.cursor if ok else None

    def _behind(self, text: str) -> int | None:
        """Search backward for an item printed out of order (or the section the cursor is in)."""
        current = self.slots[self.cursor].path if self.cursor >= 0 else ()
        for index in range(self.cursor - 1, -1, -1):
            slot = self.slots[index]
            open_leaf = not slot.container and not self._filled(index)
            ancestor = slot.container and current[: len(slot.path)] == slot.path
            if (open_leaf or ancestor) and matches(slot, text):
                return index
        return None

    def _forward(self, text: str) -> int | None:
        return next(
            (i for i in range(self.cursor + 1, len(self.slots)) if matches(self.slots[i], text)),
            None,
        )

    def _fuzzy(self, text: str, line: int) -> int | None:
        """Match a misprinted label (与える得る, 使用的記録) among the next items."""
        window = range(self.cursor + 1, min(len(self.slots), self.cursor + 1 + _FUZZY_WINDOW))
        scored = [(similar(self.slots[i], text), i) for i in window]
        score, index = max(scored, key=lambda pair: (pair[0], -pair[1]), default=(0.0, -1))
        if score < FUZZY:
            return None
        label = self.slots[index].spec.label
        self._warn("label", line, f"the label is printed as '{text}'; read as '{label}'")
        return index

    def _new_row(self, text: str, line: int) -> int | None:
        """Start a group row whose header is missing, at the first item of that row."""
        candidates = []
        for path, spec in iter_groups(self.part.spec.items):
            children = [c for c in spec.children if not c.header]
            ends = [i for i, s in enumerate(self.slots) if s.path[: len(path)] == path]
            if children and ends and ends[-1] <= self.cursor + 1 and matches(
                Slot((), children[0]), text
            ):
                candidates.append((ends[-1], path, spec))
        if candidates:
            _, path, spec = max(candidates, key=lambda c: c[0])
            self.rows[path] = self.rows.get(path, 0) + 1
            self.slots = build_slots(self.part.spec.items, self.rows)
            header = spec.item_label.replace("{n}", str(self.rows[path]))
            self._warn("missing_row", line, f"the row header '{header}' is missing; it starts here")
            return next(
                i
                for i, s in enumerate(self.slots)
                if s.path[: len(path) + 1] == (*path, self.rows[path]) and matches(s, text)
            )
        return None

    # ------------------------------------------------------------------ placing values

    def _container(self, index: int, rest: list[str], line: int) -> None:
        """Handle a heading row: a group row's header value, or boxes printed on a heading."""
        slot = self.slots[index]
        if not rest:
            return
        found = Found(tuple(rest), line)
        if slot.row:
            header = next((c for c in slot.spec.children if c.header), None)
            if header is not None:
                self._put(self._slot_of((*slot.path, header.key)), found)
                return
        if self._flags(index, found) or html_table(found.cells):
            return
        self._leftover(index, found)

    def _flags(self, index: int, found: Found) -> bool:
        """Read the boxes printed on a heading row (委託しない, 接続しない(入手)) into its flags."""
        text = " ".join(found.cells)
        done = False
        for child in self._children(index):
            slot = self.slots[child]
            if slot.spec.kind == "flag" and flag_state(text, slot.spec.label) is not None:
                self.values[slot.path] = [Found((text,), found.line)]
                done = True
        return done

    def _children(self, index: int) -> list[int]:
        path = self.slots[index].path
        return [
            i for i, s in enumerate(self.slots) if i > index and s.path[: len(path)] == path
        ]

    def _leftover(self, index: int, found: Found) -> None:
        """Place text printed on a heading row: a child that lacks its label, else the item above."""
        spec = self.slots[index].spec
        for child in self._children(index):
            slot = self.slots[child]
            usable = not slot.container and not self._filled(child) and slot.path not in self.later
            if usable and fits(slot.spec, found.cells):
                self._warn("shifted", found.line, f"read as {slot.spec.label}: it is printed on "
                           f"the {spec.label} row")
                self._put(child, found)
                return
        before = self._previous_text(index)
        if before is None:
            self._warn("unplaced", found.line, f"text on the {spec.label} row belongs to no item")
            return
        self._warn("shifted", found.line, f"read as part of {self.slots[before].spec.label}: it "
                   f"is printed on the {spec.label} row")
        self.values[self.slots[before].path].append(found)

    def _previous_text(self, index: int) -> int | None:
        for before in range(index - 1, -1, -1):
            slot = self.slots[before]
            if slot.spec.kind == "text" and self._filled(before):
                return before
        return None

    def _slot_of(self, path: Path) -> int:
        return next(i for i, s in enumerate(self.slots) if s.path == path)

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
        elif slot.spec.kind in ("text", "list") or not self._filled(index):
            if not fitting:
                self._warn("value", line, f"{slot.spec.label}: the printed value does not fit "
                           "this item; it is kept as written")
            self._put(index, found)
        else:
            self._warn("duplicate", line, f"{slot.spec.label} is printed twice; the first is kept")

    def _cells(self, index: int) -> tuple[str, ...]:
        return tuple(c for f in self.values[self.slots[index].path] for c in f.cells)

    def _unlabelled(self, rest: list[str], line: int, free: bool) -> None:
        """Handle a row without a label: a continuation, a duplicate, or a value that lost its label."""
        found = Found(tuple(rest), line)
        here = self.cursor
        slot = self.slots[here] if here >= 0 else None
        if slot is not None and slot.container and self._flags(here, found):
            return
        if slot is not None and slot.spec.kind == "multi" and looks_like_boxes(" ".join(rest)):
            self._put(here, found)
            return
        if slot is not None and not slot.container:
            if slot.spec.kind == "choice" and options_only(" ".join(rest), slot.spec.options):
                return
            if not self._filled(here) and fits(slot.spec, found.cells):
                self._put(here, found)
                return
            if self._filled(here) and same(slot.spec, self._cells(here), found.cells):
                if html_table(self._cells(here)):
                    return  # a table printed twice: once as HTML, once flattened (§5.1)
                if slot.spec.kind not in ("choice", "multi"):
                    self._warn("duplicate", line, f"{slot.spec.label}: the same text is printed "
                               "again; left out")
                    return
            if free and slot.spec.kind in ("text", "list") and self._filled(here):
                self._put(here, found)
                return
        other = self._nearby(here, found, forward=False)
        if other is not None:
            self._shifted(other, found, "its label is missing")
        elif slot is not None and slot.spec.kind in ("text", "list", "table"):
            self._put(here, found)
        else:
            self._warn("unplaced", line, "this row belongs to no item; it was left out")

    def _shifted(self, index: int, found: Found, why: str) -> None:
        self._warn("shifted", found.line, f"read as {self.slots[index].spec.label}: {why}")
        self._put(index, found)

    def _nearby(self, index: int, found: Found, forward: bool) -> int | None:
        """Return the nearest empty item of the same block that the value fits."""
        if index < 0:
            return None
        parent = self.slots[index].path if self.slots[index].container else self.slots[index].parent
        ahead = [i for i in range(index + 1, len(self.slots)) if self.slots[i].parent == parent]
        behind = [i for i in range(index - 1, -1, -1) if self.slots[i].parent == parent]
        for candidate in ahead[:_NEAR] + ([] if forward else behind[:2]):
            slot = self.slots[candidate]
            if not slot.container and not self._filled(candidate) and fits(slot.spec, found.cells):
                return candidate
        return None
