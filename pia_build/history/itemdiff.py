"""Compare two bound evaluations item by item: the rows of the 変更箇所 annex, without 提出時期.

Values are compared as printed and whitespace-insensitively, so a re-wrapped paragraph is no
change, with clause text expanded, so a new clause version is one. Group rows (システム, 委託事項,
提供先 …) are matched by their header value; a row added or removed is one record. A choice
changed together with the items that appear or disappear with it is one record for its section
(Ⅲ-5 提供・移転しない). Counts that only follow the rows (( ) 件) are not compared on their own.
The 変更箇所 annex itself and the 公表日 are not compared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Literal

from pia_build.check.shapes import Evaluation
from pia_build.core.diagnostics import Location
from pia_build.forms.spec import ItemSpec
from pia_build.history.itempath import (
    ABSENT,
    REMOVED,
    compare_key,
    file_label,
    flatten,
    item_path,
    part_names,
    sibling_names,
    value_text,
    without_clauses,
)
from pia_build.history.shapes import ChangeRecord
from pia_build.source.shapes import Block, Entry, Field, PartData, Rows
from pia_build.source.walk import item_anchor, part_anchor

Kind = Literal["changed", "added", "removed"]
SKIPPED_PARTS = ("changes",)
"""Parts never compared: the annex is the result, not a source of changes."""
SKIPPED_ITEMS = ("cover.publication_date",)
"""Items never compared: every published version has a new 公表日."""


@dataclass(frozen=True)
class _Scope:
    """Where the walk is: the part, the container's path, anchor and ※."""

    evaluation: str
    part: PartData
    segments: tuple[str, ...]
    keys: tuple[str, ...]
    anchor: str
    star: bool
    file_name: str
    title: str = ""
    uses: tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]] = ({}, {})

    def child(self, spec: ItemSpec, names: tuple[str, ...], row: int | None = None) -> _Scope:
        """Return the scope of an item (or one group row) inside this one."""
        return replace(
            self,
            segments=self.segments + names,
            keys=self.keys + (spec.key,),
            anchor=item_anchor(self.anchor, spec.key, row),
            star=self.star or spec.star,
            title=spec.label,
        )

    @property
    def path(self) -> str:
        """Return the 項目 text of this scope."""
        return item_path(self.part.spec, self.segments, self.file_name)

    def is_star(self, spec: ItemSpec) -> bool:
        """Return True when ``spec`` here carries ※ (itself, a section above, or its part)."""
        dotted = ".".join(self.keys + (spec.key,))
        part = self.part.spec
        return spec.star or self.star or (part.star and dotted not in part.star_except)


def diff_evaluations(old: Evaluation, new: Evaluation) -> list[ChangeRecord]:
    """Return one record per item or group that differs between two versions, in printed order."""
    several = len({p.number for p in (*old.parts, *new.parts) if p.number}) > 1
    uses = (_uses_by_anchor(old), _uses_by_anchor(new))
    records: list[ChangeRecord] = []
    for part in _part_pairs(old, new):
        before, after = part
        data = after if after.present or not before.present else before
        if data.spec.key in SKIPPED_PARTS:
            continue
        file_name = file_label(new if data is after else old, data.number) if several else ""
        scope = _Scope(new.id, data, (), (), part_anchor(data), False, file_name, uses=uses)
        records += _diff_part(before, after, scope)
    return records


def _part_pairs(old: Evaluation, new: Evaluation) -> list[tuple[PartData, PartData]]:
    """Return (old, new) for every part of either version; a missing one is an empty stand-in."""
    keys = list(dict.fromkeys((p.spec.key, p.number) for p in (*new.parts, *old.parts)))
    pairs = []
    for key, number in keys:
        a, b = old.part(key, number), new.part(key, number)
        stand_in = a or b
        assert stand_in is not None
        empty = replace(stand_in, block=Block({}, stand_in.block.location), present=False)
        pairs.append((a or empty, b or empty))
    return pairs


def _diff_part(before: PartData, after: PartData, scope: _Scope) -> list[ChangeRecord]:
    """Compare one part; a per-file part that appears or disappears is one record."""
    items = scope.part.spec.items
    if before.present != after.present and scope.part.number:
        old_text = flatten(items, before.block) if before.present else ABSENT
        new_text = flatten(items, after.block) if after.present else REMOVED
        kind: Kind = "added" if after.present else "removed"
        star = scope.part.spec.star
        return [_record(scope, old_text, new_text, star, kind, Location(scope.part.path))]
    return _diff_block(items, before.block, after.block, scope, part_names(scope.part.spec))


def _diff_block(
    items: tuple[ItemSpec, ...],
    old: Block,
    new: Block,
    scope: _Scope,
    names: dict[str, tuple[str, ...]] | None = None,
) -> list[ChangeRecord]:
    """Compare the items of a section, group row or part."""
    if _switched(items, old, new):
        star = any(scope.is_star(s) for s in items)
        location = _location(None, new, scope)
        text = (flatten(items, old), flatten(items, new))
        return [_record(scope, *text, star, "changed", location)]
    names = names if names is not None else sibling_names(items, scope.title)
    records: list[ChangeRecord] = []
    for spec in (s for s in items if s.printed):
        here = scope.child(spec, names[spec.key])
        if ".".join((scope.part.spec.key, *here.keys)) in SKIPPED_ITEMS:
            continue
        a, b = old.entries.get(spec.key), new.entries.get(spec.key)
        if spec.kind == "section":
            records += _diff_block(spec.children, _block(a, old), _block(b, new), here)
        elif spec.kind == "group":
            records += _diff_rows(spec, items, a, b, scope.child(spec, names[spec.key]))
        elif compare_key(spec, _value(a)) != compare_key(spec, _value(b)):
            records.append(_leaf_record(spec, a, b, here, scope))
    return records


WHOLE_KINDS = ("choice", "multi", "flag", "date", "integer")
"""Kinds whose values are options or numbers, not prose: redlined as old value → new value."""


def _leaf_record(
    spec: ItemSpec, a: Entry | None, b: Entry | None, here: _Scope, scope: _Scope
) -> ChangeRecord:
    """Return the record of one changed item."""
    old, new = value_text(spec, _value(a)), value_text(spec, _value(b))
    star, location = scope.is_star(spec), _location(b, None, scope)
    record = _record(here, old or ABSENT, new or ABSENT, star, "changed", location)
    if spec.kind in WHOLE_KINDS:
        record = replace(record, whole=True)
    if spec.kind == "text" and without_clauses(old) == without_clauses(new):
        record = replace(record, clauses=_new_versions(here))
    return record


def _diff_rows(
    spec: ItemSpec, siblings: tuple[ItemSpec, ...], a: Entry | None, b: Entry | None, scope: _Scope
) -> list[ChangeRecord]:
    """Compare the rows of a group, matched by their header value; unmatched rows are one record."""
    old = a.rows if isinstance(a, Rows) else ()
    new = b.rows if isinstance(b, Rows) else ()
    keys = ([_row_key(spec, r) for r in old], [_row_key(spec, r) for r in new])
    star = scope.is_star(spec) or _tracking_star(spec, siblings)
    records: list[ChangeRecord] = []
    for _, i1, i2, j1, j2 in SequenceMatcher(None, *keys, autojunk=False).get_opcodes():
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        for i, j in pairs:
            records += _diff_block(spec.children, old[i], new[j], _row_scope(spec, scope, j + 1))
        gone = range(i1 + len(pairs), i2)
        records += [_whole_row(spec, scope, n + 1, old[n], "removed", star) for n in gone]
        came = range(j1 + len(pairs), j2)
        records += [_whole_row(spec, scope, n + 1, new[n], "added", star) for n in came]
    return records


def _whole_row(
    spec: ItemSpec, group: _Scope, number: int, row: Block, kind: Kind, star: bool
) -> ChangeRecord:
    """Return the one record of a group row added or removed (a new 委託事項, a deleted 提供先)."""
    scope, text = _row_scope(spec, group, number), flatten(spec.children, row)
    if kind == "removed":
        return _record(scope, text, REMOVED, star, kind, _location(None, None, group))
    return _record(scope, ABSENT, text, star, kind, _location(None, row, group))


def _row_scope(spec: ItemSpec, group: _Scope, number: int) -> _Scope:
    """Return the scope of row ``number`` of a group (システム7, 委託事項2)."""
    label = spec.item_label.replace("{n}", str(number)) if spec.item_label else str(number)
    anchor = group.anchor.rsplit(".", 1)[0]
    return replace(
        group, segments=group.segments + (label,), anchor=item_anchor(anchor, spec.key, number)
    )


def _row_key(spec: ItemSpec, row: Block) -> str:
    """Return what identifies a group row across versions: its header (or first) value."""
    first = next(
        (c for c in spec.children if c.printed and c.kind not in ("section", "group")), None
    )
    header = next((c for c in spec.children if c.header), first)
    if header is None:
        return ""
    return compare_key(header, _value(row.entries.get(header.key)))


def _tracking_star(spec: ItemSpec, siblings: tuple[ItemSpec, ...]) -> bool:
    """Return True when the item that decides or counts a group's rows carries ※ (委託の有無)."""
    for other in siblings:
        decides = spec.when is not None and spec.when.item == other.key
        counts = other.rows_of == spec.key or spec.key in dict(other.option_rows).values()
        if other.star and (decides or counts):
            return True
    return False


def _switched(items: tuple[ItemSpec, ...], old: Block, new: Block) -> bool:
    """Return True when a choice changed and the items that depend on it appeared or vanished."""
    changed = {
        s.key
        for s in items
        if s.kind not in ("section", "group")
        and compare_key(s, _value(old.entries.get(s.key)))
        != compare_key(s, _value(new.entries.get(s.key)))
    }
    for spec in items:
        if spec.when is not None and spec.when.item in changed:
            if _filled(spec, old.entries.get(spec.key)) != _filled(spec, new.entries.get(spec.key)):
                return True
    return False


def _filled(spec: ItemSpec, entry: Entry | None) -> bool:
    """Return True when an item (or anything inside a section or group) was written."""
    if isinstance(entry, Field):
        return bool(compare_key(spec, entry.value))
    if isinstance(entry, Block):
        return any(_filled(c, entry.entries.get(c.key)) for c in spec.children)
    if isinstance(entry, Rows):
        return bool(entry.rows)
    return False


def _record(
    scope: _Scope, before: str, after: str, star: bool, kind: Kind, location: Location
) -> ChangeRecord:
    """Return a ChangeRecord of the item (or group row, or section) at ``scope``."""
    return ChangeRecord(
        evaluation=scope.evaluation,
        item=scope.path,
        before=before,
        after=after,
        kind=kind,
        star=star,
        anchor=scope.anchor,
        location=location,
    )


def _location(entry: Entry | None, block: Block | None, scope: _Scope) -> Location:
    """Return where the author wrote the item, else its block, else its part's file."""
    if isinstance(entry, Field):
        return entry.location
    if block is not None and block.location.path:
        return block.location
    return Location(scope.part.path)


def _value(entry: Entry | None) -> object:
    """Return a leaf entry's value (None when it was not written)."""
    return entry.value if isinstance(entry, Field) else None


def _block(entry: Entry | None, parent: Block) -> Block:
    """Return a section's block, or an empty one at the parent's place."""
    return entry if isinstance(entry, Block) else Block({}, parent.location)


def _uses_by_anchor(evaluation: Evaluation) -> dict[str, dict[str, int]]:
    """Return item anchor → clause id → version of every clause expansion."""
    uses: dict[str, dict[str, int]] = {}
    for use in evaluation.clause_uses:
        uses.setdefault(use.item, {})[use.clause_id] = use.version
    return uses


def _new_versions(scope: _Scope) -> tuple[tuple[str, int], ...]:
    """Return the clauses of an item whose version differs between the two versions."""
    old, new = (uses.get(scope.anchor, {}) for uses in scope.uses)
    return tuple(sorted((c, v) for c, v in new.items() if c in old and old[c] != v))
