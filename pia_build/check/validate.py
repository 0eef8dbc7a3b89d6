"""Check a bound evaluation against its form: required items, conditions, counts and rows.

Returns diagnostics; never raises for an author's mistake and never stops at the first one.
Value kinds were already checked while binding; document-wide rules live in ``rules``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.core.labels import DASHES, normalise
from pia_build.forms.spec import Condition, ItemSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Block, Entry, Field, PartData, Rows


@dataclass(frozen=True)
class Scope:
    """A block and the chain of blocks above it, for resolving ``when`` paths."""

    block: Block
    parent: Scope | None
    label: str
    items: tuple[ItemSpec, ...] = ()
    section: str = ""
    """The printed number of the enclosing section (``Ⅲ-2``), to name リスク in messages."""


def validate_part(part: PartData) -> list[Diagnostic]:
    """Return every structural problem in one bound part."""
    if not part.present:
        return []
    roman = part.spec.label.split(" ", 1)[0]
    scope = Scope(part.block, None, "", part.spec.items, roman if _ROMAN.match(roman) else "")
    where = Location(part.path, 1)
    return _check_items(part.spec.items, scope, where, True)


def _check_items(
    items: tuple[ItemSpec, ...], scope: Scope, where: Location, known: bool
) -> list[Diagnostic]:
    """Check each item of a block; ``known`` is False when its section may not apply."""
    problems: list[Diagnostic] = []
    for spec in items:
        entry = scope.block.entries.get(spec.key)
        applies = _applies(spec.when, scope)
        if applies is False:
            if _filled(entry):
                problems.append(_condition_error(spec, entry, scope))
            continue
        problems += _check_item(spec, entry, scope, where, known and applies is True)
    return problems


def _check_item(
    spec: ItemSpec, entry: Entry | None, scope: Scope, where: Location, known: bool
) -> list[Diagnostic]:
    """Check one applicable item: required, counts, and its children."""
    here = entry.location if entry is not None and entry.location.path else where
    label = f"{scope.label}{spec.label}"
    if spec.kind == "section":
        block = entry if isinstance(entry, Block) else Block({}, here)
        inner = Scope(
            block,
            scope,
            scope.label + _context(spec.label, scope.section),
            spec.children,
            _section(spec.label, scope.section),
        )
        return _check_items(spec.children, inner, here, known)
    if spec.kind == "group":
        return _check_group(spec, entry if isinstance(entry, Rows) else None, scope, here)
    if entry is None or (isinstance(entry, Field) and entry.value is None):
        if spec.optional or spec.kind == "flag" or not known or not getattr(entry, "valid", True):
            return []
        return [error("form.missing", here, f"{label} is not filled in")]
    assert isinstance(entry, Field)
    return _check_counts(spec, entry, scope)


def _check_group(
    spec: ItemSpec, rows: Rows | None, scope: Scope, where: Location
) -> list[Diagnostic]:
    """Check the number of rows of a group, then each row."""
    problems: list[Diagnostic] = []
    count = len(rows.rows) if rows else 0
    if count < spec.min_rows:
        message = f"{spec.label} needs at least {spec.min_rows} row{'s' * (spec.min_rows > 1)} ({count} written)"
        problems.append(error("form.rows", where, message))
    if spec.max_rows is not None and count > spec.max_rows:
        message = f"{spec.label} allows at most {spec.max_rows} rows ({count} written)"
        problems.append(error("form.rows", where, message))
    for number, row in enumerate(rows.rows if rows else (), start=1):
        label = (
            spec.item_label.replace("{n}", str(number))
            if spec.item_label
            else f"{spec.label} {number}"
        )
        problems += _check_items(
            spec.children,
            Scope(row, scope, f"{scope.label}{label} > ", spec.children),
            row.location,
            True,
        )
    return problems


def _check_counts(spec: ItemSpec, entry: Field, scope: Scope) -> list[Diagnostic]:
    """Check a ( ) 件 count against the rows it counts."""
    problems: list[Diagnostic] = []
    if spec.rows_of and isinstance(entry.value, int):
        rows = _rows(scope, spec.rows_of)
        if rows != entry.value:
            message = f"{spec.label} says {entry.value}, but {_written(rows)}"
            problems.append(error("form.count", entry.location, message))
    for option, group in spec.option_rows:
        pick = _picked(entry.value, option)
        rows = _rows(scope, group)
        if pick is not None and pick.count is not None and pick.count != rows:
            message = f"{spec.label}: '{option}' says {pick.count} 件, but {_written(rows)}"
            problems.append(error("form.count", entry.location, message))
    return problems


def _written(rows: int) -> str:
    """Return '1 row is written' / '3 rows are written'."""
    return "1 row is written" if rows == 1 else f"{rows} rows are written"


def _rows(scope: Scope, path: str) -> int:
    """Return the number of rows of the group at ``path``."""
    entry = _lookup(scope, path)
    return len(entry.rows) if isinstance(entry, Rows) else 0


def _picked(value: object, label: str) -> Pick | None:
    """Return the chosen option ``label`` of a choice or multi value."""
    picks = value if isinstance(value, tuple) else (value,)
    return next(
        (p for p in picks if isinstance(p, Pick) and normalise(p.label) == normalise(label)), None
    )


def _lookup(scope: Scope, path: str) -> Entry | None:
    """Return the entry at a path relative to ``scope`` (``../`` goes up; ``.`` nests)."""
    current: Scope | None = scope
    while path.startswith("../") and current is not None:
        current, path = current.parent, path[3:]
    if current is None:
        return None
    entry: Entry | None = current.block
    for key in path.split("."):
        entry = entry.entries.get(key) if isinstance(entry, Block) else None
    return entry


def _applies(condition: Condition | None, scope: Scope) -> bool | None:
    """Return whether a condition holds; None when the item it depends on is empty."""
    if condition is None:
        return True
    entry = _lookup(scope, condition.item)
    if not isinstance(entry, Field) and not isinstance(condition.value, bool):
        return None
    if isinstance(entry, Field) and not entry.valid:
        return None  # unreadable (already reported): whether the item applies is unknown
    value = entry.value if isinstance(entry, Field) else False  # an unset flag is unchecked
    if condition.op == "includes":
        return _picked(value, str(condition.value)) is not None
    if isinstance(value, Pick):
        equal = normalise(value.label) == normalise(str(condition.value))
    else:
        equal = value == condition.value
    return equal if condition.op == "equals" else not equal


def _filled(entry: Entry | None) -> bool:
    """Return True when an entry holds any value."""
    if entry is None:
        return False
    if isinstance(entry, Field):
        # a lone dash is how printed forms say "nothing here"
        return entry.value not in (None, False, (), "") and entry.value not in DASHES
    if isinstance(entry, Rows):
        return any(_filled(row) for row in entry.rows)
    return any(_filled(e) for e in entry.entries.values())


def _condition_error(spec: ItemSpec, entry: Entry | None, scope: Scope) -> Diagnostic:
    """Explain that an item is filled although the item it depends on says it does not apply."""
    assert spec.when is not None and entry is not None
    other = _lookup(scope, spec.when.item)
    controller = _lookup_spec(scope, spec.when.item)
    name = controller.label if controller else spec.when.item
    where = f"{scope.label}{spec.label} is filled in, but"
    if isinstance(spec.when.value, bool):
        state = "checked" if spec.when.value is False else "not checked"
        return error("form.condition", entry.location, f"{where} '{name}' is {state}")
    value = getattr(other, "value", None)
    if isinstance(value, tuple):
        shown = "、".join(p.label for p in value) or "nothing checked"
    else:
        shown = value.label if isinstance(value, Pick) else str(value)
    verb = {"equals": "is", "not_equals": "is not", "includes": "includes"}[spec.when.op]
    message = f"{where} it applies only when {name} {verb} '{spec.when.value}' (it is '{shown}')"
    return error("form.condition", entry.location, message)


def _lookup_spec(scope: Scope, path: str) -> ItemSpec | None:
    """Return the item at a ``when`` path (for naming it in messages)."""
    current: Scope | None = scope
    while path.startswith("../") and current is not None:
        current, path = current.parent, path[3:]
    items = current.items if current else ()
    spec = None
    for key in path.split("."):
        spec = next((i for i in items if i.key == key), None)
        items = spec.children if spec else ()
    return spec


def _context(label: str, section: str) -> str:
    """Return the short form of a section label used to qualify messages ("" for numbered sections).

    A リスク is named with its section, as an examiner cites it: ``Ⅲ-2 リスク1 > ``.
    """
    head = label.replace("：", ":").split(":")[0]
    if not head.startswith("リスク"):
        return ""
    return f"{section} {head} > " if "-" in section else f"{head} > "


_ROMAN = re.compile(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+$")
_NUMBERED = re.compile(r"^([0-9]+)[.．]")


def _section(label: str, section: str) -> str:
    """Return the section number below a part (``Ⅲ`` + ``2. …`` → ``Ⅲ-2``); else keep ``section``."""
    number = _NUMBERED.match(label)
    if number and section and "-" not in section:
        return f"{section}-{number.group(1)}"
    return section
