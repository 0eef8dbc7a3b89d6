"""Place printed cells on items: the mapper's memory of what each item received.

Besides keeping values, a placer handles heading rows (a group row's header value, boxes printed
on a section heading, text printed on a heading whose item lost its label) and finds the nearest
empty item a value without a label fits.
"""

from __future__ import annotations

from dataclasses import dataclass

from pia_build.importer.finder import Finder
from pia_build.importer.fit import fits, html_table
from pia_build.importer.marks import flag_state
from pia_build.importer.parts import PartRows
from pia_build.importer.slots import Path

_NEAR = 4
"""How many items after the cursor a value without a label may move (two before)."""


@dataclass
class Found:
    """Cells printed for one item."""

    cells: tuple[str, ...]
    """The value cells, non-empty, as printed."""
    line: int
    """Source line of the row."""
    raw: tuple[str, ...] = ()
    """For -layout text: the row's physical lines, for tables sliced by column position."""


class Placer(Finder):
    """A finder that also keeps the cells given to each item."""

    def __init__(self, part: PartRows, rows: dict[Path, int], source: str, later: frozenset):
        super().__init__(part, rows, source)
        self.later = later
        """Items that receive a fitting value under their own label somewhere in the part."""
        self.values: dict[Path, list[Found]] = {}
        self.labelled: set[Path] = set()

    def _put(self, index: int, found: Found) -> None:
        """Give cells to an item and move the cursor there."""
        self._keep(self.slots[index].path, found)
        self.cursor = index

    def _keep(self, path: Path, found: Found) -> None:
        """Give cells to an item without moving the cursor."""
        self.values.setdefault(path, []).append(found)
        self.filled.add(path)

    def _cells(self, index: int) -> tuple[str, ...]:
        return tuple(c for f in self.values[self.slots[index].path] for c in f.cells)

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
                self._keep(slot.path, Found((text,), found.line))
                done = True
        return done

    def _children(self, index: int) -> list[int]:
        path = self.slots[index].path
        return [i for i, s in enumerate(self.slots) if i > index and s.path[: len(path)] == path]

    def _leftover(self, index: int, found: Found) -> None:
        """Place text printed on a heading row: a child that lacks its label, else the item above."""
        spec = self.slots[index].spec
        for child in self._children(index):
            slot = self.slots[child]
            usable = not slot.container and not self._filled(child) and slot.path not in self.later
            if usable and fits(slot.spec, found.cells):
                self._warn(
                    "shifted",
                    found.line,
                    f"read as {slot.spec.label}: it is printed on the {spec.label} row",
                )
                self._put(child, found)
                return
        before = self._previous_text(index)
        if before is None:
            self._warn("unplaced", found.line, f"text on the {spec.label} row belongs to no item")
            return
        self._warn(
            "shifted",
            found.line,
            f"read as part of {self.slots[before].spec.label}: it "
            f"is printed on the {spec.label} row",
        )
        self._keep(self.slots[before].path, found)

    def _previous_text(self, index: int) -> int | None:
        for before in range(index - 1, -1, -1):
            slot = self.slots[before]
            if slot.spec.kind == "text" and self._filled(before):
                return before
        return None

    def _slot_of(self, path: Path) -> int:
        return next(i for i, s in enumerate(self.slots) if s.path == path)
