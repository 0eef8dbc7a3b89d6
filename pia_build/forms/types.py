"""Item kinds: a small registry of classes that turn what an author wrote into a checked value.

Each leaf kind has one method, ``parse(raw, spec) -> (value, diagnostics)``; the value is None
when the item is empty or unusable. Adding a kind means one class and one registry entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from pia_build.core.diagnostics import Diagnostic, error
from pia_build.core.labels import did_you_mean, normalise
from pia_build.core.raw import RawList, RawMap, RawValue, Scalar
from pia_build.core.wareki import DateError, parse_date
from pia_build.forms.spec import ItemSpec, Option

Parsed = tuple[object, list[Diagnostic]]

CONTAINER_KINDS = ("section", "group")


@dataclass(frozen=True)
class Pick:
    """One chosen option, with its ( ) text or ( ) 件 count."""

    label: str
    """The option label as printed on the form."""
    detail: str = ""
    """Text of a ``その他 ( )`` option."""
    count: int | None = None
    """Number of a ``( ) 件`` option."""


def is_empty(raw: RawValue) -> bool:
    """Return True when the author left the value blank."""
    if isinstance(raw, Scalar):
        return raw.value is None or (isinstance(raw.value, str) and not raw.value.strip())
    if isinstance(raw, RawList):
        return not raw.items
    return not raw.entries


def _kind_error(spec: ItemSpec, raw: RawValue, expected: str) -> Parsed:
    """Return the diagnostic for a value of the wrong shape."""
    found = {Scalar: "a single value", RawList: "a list", RawMap: "a mapping"}[type(raw)]
    message = f"{spec.label}: {expected} is expected here, not {found}"
    return None, [error("form.kind", raw.location, message)]


class LineKind:
    """One line of text (numbers are taken as text: 評価書番号 39)."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if not isinstance(raw, Scalar) or isinstance(raw.value, bool):
            return _kind_error(spec, raw, "one line of text")
        text = str(raw.value).strip()
        if "\n" in text:
            message = f"{spec.label}: this item is one line; remove the line breaks"
            return text, [error("form.kind", raw.location, message)]
        return text, []


class TextKind:
    """Prose in Markdown."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if not isinstance(raw, Scalar) or isinstance(raw.value, bool):
            return _kind_error(spec, raw, "text")
        return str(raw.value).strip("\n"), []


class DateKind:
    """A date written in 和暦 or 西暦."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if not isinstance(raw, Scalar):
            return _kind_error(spec, raw, "a date")
        try:
            return parse_date(raw.value), []
        except DateError as exc:
            return None, [error("form.date", raw.location, f"{spec.label}: {exc}")]


class IntegerKind:
    """A whole number."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if (
            isinstance(raw, Scalar)
            and isinstance(raw.value, int)
            and not isinstance(raw.value, bool)
        ):
            return raw.value, []
        if isinstance(raw, Scalar) and str(raw.value).strip().isdecimal():
            return int(str(raw.value).strip()), []
        if isinstance(raw, Scalar):
            message = f"{spec.label}: '{raw.value}' is not a whole number"
            return None, [error("form.kind", raw.location, message)]
        return _kind_error(spec, raw, "a whole number")


class FlagKind:
    """A single checkbox: true or false."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if isinstance(raw, Scalar) and isinstance(raw.value, bool):
            return raw.value, []
        if isinstance(raw, Scalar):
            message = (
                f"{spec.label}: write true (checked) or false (not checked), not '{raw.value}'"
            )
            return None, [error("form.kind", raw.location, message)]
        return _kind_error(spec, raw, "true or false")


class ListKind:
    """A list of lines."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if not isinstance(raw, RawList):
            return _kind_error(spec, raw, "a list (one '- ' line per entry)")
        values, problems = [], []
        for entry in raw.items:
            if isinstance(entry, Scalar) and entry.value is not None:
                values.append(str(entry.value).strip())
            else:
                problems += _kind_error(spec, entry, "one line of text")[1]
        return tuple(values), problems


def _match_option(text: str, spec: ItemSpec) -> Option | None:
    """Return the option whose label matches ``text``."""
    wanted = normalise(text)
    return next((o for o in spec.options if normalise(o.label) == wanted), None)


def _pick(entry: RawValue, spec: ItemSpec) -> tuple[Pick | None, list[Diagnostic]]:
    """Read one chosen option: ``label`` or ``{label: detail-or-count}``."""
    extra: object = None
    if isinstance(entry, RawMap) and len(entry.entries) == 1:
        text, _, value = entry.entries[0]
        extra = value.value if isinstance(value, Scalar) else value
    elif isinstance(entry, Scalar) and entry.value is not None:
        text = str(entry.value)
    else:
        message = f"{spec.label}: write an option as printed, or 'option: text' for a ( ) option"
        return None, [error("form.kind", entry.location, message)]
    option = _match_option(text, spec)
    if option is None:
        hint = did_you_mean(text, [o.label for o in spec.options])
        message = f"{spec.label}: '{text}' is not an option{hint}"
        return None, [error("form.choice", entry.location, message)]
    return _with_extra(option, extra, entry, spec)


def _with_extra(
    option: Option, extra: object, entry: RawValue, spec: ItemSpec
) -> tuple[Pick | None, list[Diagnostic]]:
    """Attach the ( ) text or ( ) 件 count to a chosen option, checking it fits."""
    where = entry.location
    if option.count:
        if isinstance(extra, int) and not isinstance(extra, bool):
            return Pick(option.label, count=extra), []
        message = f"{spec.label}: '{option.label}' needs its number of cases: '{option.label}: 1'"
        return Pick(option.label), [error("form.count", where, message)]
    if option.detail and option.label.startswith("その他") and not str(extra or "").strip():
        message = (
            f"{spec.label}: '{option.label}' is checked but its ( ) text is empty; "
            f"write '{option.label}: …'"
        )
        return Pick(option.label), [error("form.other", where, message)]
    if extra is None or extra == "":
        return Pick(option.label), []
    if option.detail and not isinstance(extra, (RawMap, RawList)):
        return Pick(option.label, detail=str(extra).strip()), []
    message = f"{spec.label}: '{option.label}' takes no ( ) text"
    return Pick(option.label), [error("form.kind", where, message)]


class ChoiceKind:
    """One option of a printed `<選択肢>` list."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if isinstance(raw, RawList):
            return _kind_error(spec, raw, "one option")
        return _pick(raw, spec)


class MultiKind:
    """Checked boxes of a `[○]` list."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        entries = raw.items if isinstance(raw, RawList) else (raw,)
        picks: list[Pick] = []
        problems: list[Diagnostic] = []
        for entry in entries:
            pick, found = _pick(entry, spec)
            problems += found
            if pick and any(p.label == pick.label for p in picks):
                message = f"{spec.label}: '{pick.label}' is checked twice"
                problems.append(error("form.duplicate_option", entry.location, message))
            elif pick:
                picks.append(pick)
        problems += _exclusive(picks, spec, raw)
        return tuple(picks), problems


def _exclusive(picks: list[Pick], spec: ItemSpec, raw: RawValue) -> list[Diagnostic]:
    """Report an exclusive option (行っていない) checked together with others."""
    exclusive = {o.label for o in spec.options if o.exclusive}
    chosen = [p.label for p in picks if p.label in exclusive]
    if chosen and len(picks) > 1:
        message = f"{spec.label}: '{chosen[0]}' cannot be checked together with other options"
        return [error("form.exclusive", raw.location, message)]
    return []


class TableKind:
    """Rows of a bordered table; cells are checked by their column's kind."""

    def parse(self, raw: RawValue, spec: ItemSpec) -> Parsed:
        if not isinstance(raw, RawList):
            return _kind_error(spec, raw, "a list of rows")
        rows, problems = [], []
        for entry in raw.items:
            if not isinstance(entry, RawMap):
                problems += _kind_error(spec, entry, "a row (column label: value)")[1]
                continue
            row, found = _table_row(entry, spec)
            rows.append(row)
            problems += found
        return tuple(rows), problems


def _table_row(entry: RawMap, spec: ItemSpec) -> tuple[dict[str, object], list[Diagnostic]]:
    """Read one table row: cells keyed by column label, checked by column kind."""
    row: dict[str, object] = {}
    problems: list[Diagnostic] = []
    for label, where, cell in entry.entries:
        column = next((c for c in spec.children if normalise(c.label) == normalise(label)), None)
        if column is None:
            hint = did_you_mean(label, [c.label for c in spec.children])
            message = f"{spec.label}: '{label}' is not a column{hint}"
            problems.append(error("item.unknown", where, message))
            continue
        row[column.key], found = parse_value(cell, column)
        problems += found
    for column in spec.children:
        if row.get(column.key) is None and not column.optional:
            message = f"{spec.label}: this row has no '{column.label}'"
            problems.append(error("form.missing", entry.location, message))
    return row, problems


LEAF_KINDS: dict[str, object] = {
    "line": LineKind(),
    "text": TextKind(),
    "date": DateKind(),
    "integer": IntegerKind(),
    "choice": ChoiceKind(),
    "multi": MultiKind(),
    "flag": FlagKind(),
    "list": ListKind(),
    "table": TableKind(),
}
KINDS = (*CONTAINER_KINDS, *LEAF_KINDS)


def parse_value(raw: RawValue, spec: ItemSpec) -> Parsed:
    """Return the checked value of a leaf item (None when empty)."""
    if is_empty(raw):
        return None, []
    kind = LEAF_KINDS[spec.kind]
    return kind.parse(raw, spec)  # type: ignore[attr-defined]
