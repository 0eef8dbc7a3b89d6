"""The printed rows a part of a form is expected to have, in print order, and label matching.

A slot is one printed row: a section heading, a repeated group's own heading, the header of one
of its rows (システム2), or a value item. Labels come from the form definition only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pia_build.core.labels import label_forms, normalise, without_numbering
from pia_build.forms.spec import ItemSpec

Path = tuple[str | int, ...]
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
FUZZY = 0.85
"""Labels this similar (difflib ratio) are taken as misprints of each other."""


@dataclass(frozen=True)
class Slot:
    """One printed row of a part."""

    path: Path
    """Item keys from the part's root; a group key is followed by its row number."""
    spec: ItemSpec
    """The item (for a row header: the group)."""
    row: int = 0
    """For the header of a group row: its number; 0 otherwise."""

    @property
    def container(self) -> bool:
        """Return True for headings (sections, groups, group rows): rows without a value."""
        return self.spec.kind in ("section", "group")

    @property
    def parent(self) -> Path:
        """Return the path of the block this slot belongs to."""
        return self.path[:-1]


def iter_groups(items: tuple[ItemSpec, ...], prefix: Path = ()) -> list[tuple[Path, ItemSpec]]:
    """Return every repeated group with its path."""
    found = []
    for spec in items:
        here = (*prefix, spec.key)
        if spec.kind == "group":
            found.append((here, spec))
        elif spec.kind == "section":
            found += iter_groups(spec.children, here)
    return found


def build_slots(
    items: tuple[ItemSpec, ...], rows: Mapping[Path, int], prefix: Path = ()
) -> list[Slot]:
    """Return the slots of ``items``; ``rows`` gives each group's number of rows."""
    slots: list[Slot] = []
    for spec in items:
        here = (*prefix, spec.key)
        if not spec.printed:
            continue
        slots.append(Slot(here, spec))
        if spec.kind == "section":
            slots += build_slots(spec.children, rows, here)
        elif spec.kind == "group":
            for number in range(1, rows.get(here, 0) + 1):
                slots.append(Slot((*here, number), spec, number))
                slots += build_slots(spec.children, rows, (*here, number))
    return slots


def cell_label(text: str) -> str:
    """Return a cell's text in label-comparison form (tags, ※ notes and a trailing * removed)."""
    plain = _TAG.sub("", text).replace("**", "")
    return normalise(plain).rstrip("*")


@cache
def _forms(label: str, key: str) -> frozenset[str]:
    """Return the comparison forms of a printed label."""
    return frozenset(label_forms(label, key) - {key})


def slot_forms(slot: Slot) -> frozenset[str]:
    """Return the texts that name this slot."""
    if slot.row:
        return frozenset({normalise(slot.spec.item_label.replace("{n}", str(slot.row)))})
    return _forms(slot.spec.label, slot.spec.key)


def matches(slot: Slot, text: str) -> bool:
    """Return True when ``text`` (in cell_label form) names the slot exactly."""
    forms = slot_forms(slot)
    return text in forms or normalise(without_numbering(text)) in forms


def similar(slot: Slot, text: str) -> float:
    """Return how close ``text`` is to the slot's printed label (0–1)."""
    if slot.row or not 6 <= len(text) <= 2 * len(slot.spec.label) + 8:
        return 0.0
    matcher = difflib.SequenceMatcher(None, text, normalise(slot.spec.label), autojunk=False)
    if matcher.real_quick_ratio() < FUZZY or matcher.quick_ratio() < FUZZY:
        return 0.0
    return matcher.ratio()


def row_range(spec: ItemSpec, text: str) -> bool:
    """Return True for a printed range header of a group (提供先2~5, 委託事項6～10)."""
    if not spec.item_label:
        return False
    head = re.escape(normalise(spec.item_label)).replace(r"\{n\}", r"[0-9]+[~〜～\-][0-9]+")
    return re.fullmatch(head, text) is not None


def row_number(spec: ItemSpec, text: str) -> int | None:
    """Return n when ``text`` is the header of row n of group ``spec`` (システム3)."""
    if not spec.item_label:
        return None
    head = re.escape(normalise(spec.item_label)).replace(r"\{n\}", r"([0-9]+)")
    match = re.fullmatch(head, text)
    return int(match.group(1)) if match else None
