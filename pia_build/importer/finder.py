"""Find the slot a printed label names, searching from a cursor (the mapper's position).

The block the cursor is in is searched first, forward then back, so a label printed twice stays
in its section; then the rest of the part; then a misprinted label (difflib); and last the first
item of a group row whose header row is missing, which adds that row.
"""

from __future__ import annotations

from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.importer.parts import PartRows
from pia_build.importer.slots import FUZZY, Path, Slot, build_slots, iter_groups, matches, similar

_FUZZY_WINDOW = 40
"""How many items after the cursor a misprinted label is compared with."""


class Finder:
    """The slots of one part and a cursor into them."""

    def __init__(self, part: PartRows, rows: dict[Path, int], source: str) -> None:
        self.part, self.rows, self.source = part, dict(rows), source
        self.slots: list[Slot] = build_slots(part.spec.items, self.rows)
        self.filled: set[Path] = set()
        self.problems: list[Diagnostic] = []
        self.cursor = -1

    def _warn(self, code: str, line: int, message: str) -> None:
        self.problems.append(warning(f"import.{code}", Location(self.source, line), message))

    def _filled(self, index: int) -> bool:
        return self.slots[index].path in self.filled

    def _find(self, text: str, line: int) -> int | None:
        """Return the slot a cell names, searching from the cursor; None when it names none.

        The block the cursor is in is searched first (forward, then back), so a label printed
        twice stays in its section; then the rest of the part.
        """
        if not text:
            return None
        scope = self._scope()
        for search in (
            lambda: self._forward(text, scope),
            lambda: self._here(text),
            lambda: self._row_starts(text, line),
            lambda: self._behind(text, scope, filled=True),
            lambda: self._forward(text, ()),
            lambda: self._behind(text, (), filled=False),
        ):
            index = search()
            if index is not None:
                return index
        return self._fuzzy(text, line) or self._new_row(text, line)

    def _row_starts(self, text: str, line: int) -> int | None:
        """Start the next row of the group the cursor is in when its first item comes again."""
        path = self.slots[self.cursor].path if self.cursor >= 0 else ()
        numbered = [i for i, key in enumerate(path) if isinstance(key, int)]
        if not numbered:
            return None
        group = next(s for s in self.slots if s.path == path[: numbered[-1]])
        first = next((c for c in group.spec.children if not c.header), None)
        if first is None or not matches(Slot((), first), text):
            return None
        return self._new_row(text, line)

    def _scope(self) -> Path:
        """Return the path of the block the cursor is in."""
        if self.cursor < 0:
            return ()
        slot = self.slots[self.cursor]
        return slot.path if slot.container else slot.parent

    def _forward(self, text: str, scope: Path) -> int | None:
        """Search forward inside ``scope``, not past the header of the next group row."""
        inside = self.cursor >= 0 and any(isinstance(p, int) for p in self.slots[self.cursor].path)
        for index in range(self.cursor + 1, len(self.slots)):
            slot = self.slots[index]
            if slot.path[: len(scope)] != scope:
                return None
            if matches(slot, text):
                return index
            if inside and slot.row:
                return None
        return None

    def _here(self, text: str) -> int | None:
        ok = self.cursor >= 0 and matches(self.slots[self.cursor], text)
        return self.cursor if ok else None

    def _behind(self, text: str, scope: Path, filled: bool) -> int | None:
        """Search back for an item printed out of order (or the section the cursor is in)."""
        current = self.slots[self.cursor].path if self.cursor >= 0 else ()
        for index in range(self.cursor - 1, -1, -1):
            slot = self.slots[index]
            if slot.path[: len(scope)] != scope:
                return None
            usable = not slot.container and (filled or not self._filled(index))
            ancestor = slot.container and current[: len(slot.path)] == slot.path
            if (usable or ancestor) and matches(slot, text):
                return index
        return None

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
            if (
                children
                and ends
                and ends[-1] <= self.cursor + 1
                and matches(Slot((), children[0]), text)
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
