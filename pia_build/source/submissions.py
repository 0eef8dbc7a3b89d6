"""Reading ``changes.yml``: the authors' 提出時期 and 説明 for changed items of an evaluation.

``changes.yml`` is not a part of the form: the check stage takes it out of the evaluation before
binding and reports its mistakes; the history stage (``history.submission``) applies the entries
to the change records. The file format is described in docs/review.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.core.labels import did_you_mean, normalise
from pia_build.core.raw import RawList, RawMap, RawValue, Scalar
from pia_build.core.wareki import DateError, parse_date
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.source.shapes import SourceDoc

CHANGES_PART = "changes"
"""Key of the 変更箇所 part in every form definition."""
COLUMNS = 6
SUBMISSIONS_FILE = "changes.yml"
"""The file in an evaluation folder that gives 提出時期 and 説明 for its changes."""
ENTRIES = "変更"
"""Its one top-level key: the list of entries."""
FIELDS = {
    "項目": "items",
    "提出時期": "timing",
    "提出時期に係る説明": "reason",
    "変更日": "date",
    "重要な変更に該当しない理由": "exception",
}


def changes_table(form: FormSpec) -> ItemSpec | None:
    """Return the 変更箇所 table item of a form, when it has the six printed columns."""
    part = next((p for p in form.parts if p.key == CHANGES_PART), None)
    table = next((i for i in part.items if i.kind == "table"), None) if part else None
    return table if table is not None and len(table.children) == COLUMNS else None


@dataclass(frozen=True)
class Submission:
    """One entry of changes.yml: 提出時期 and 説明 for one or more changed items."""

    items: tuple[str, ...]
    """項目 as written; each names an item or everything below it (``II-4 委託事項2``)."""
    timing: str
    """提出時期: 事前 or 事後."""
    reason: str = ""
    """提出時期に係る説明, printed in the annex."""
    date: dt.date | None = None
    """変更日, when it is not the 公表日 of the version."""
    exception: str = ""
    """Why a ※ change is not a 重要な変更, when the 説明 does not say it (not printed)."""
    location: Location = Location("")
    """Where the entry starts in changes.yml."""


def timing_options(form: FormSpec) -> tuple[str, ...]:
    """Return the form's 提出時期 options (the fifth column of its 変更箇所 table)."""
    table = changes_table(form)
    return tuple(o.label for o in table.children[4].options) if table else ()


def split_submissions(
    doc: SourceDoc, form: FormSpec
) -> tuple[SourceDoc, tuple[Submission, ...], list[Diagnostic]]:
    """Return the evaluation without changes.yml, the entries read from it, and its mistakes."""
    source = next((f for f in doc.files if f.name == SUBMISSIONS_FILE), None)
    if source is None:
        return doc, (), []
    rest = replace(doc, files=tuple(f for f in doc.files if f is not source))
    entries, problems = read_submissions(source.tree, timing_options(form))
    return rest, tuple(entries), problems


def read_submissions(
    tree: RawMap, options: tuple[str, ...]
) -> tuple[list[Submission], list[Diagnostic]]:
    """Read the entries of changes.yml; every mistake is a diagnostic with its line."""
    entries: list[Submission] = []
    problems: list[Diagnostic] = []
    for key, where, value in tree.entries:
        if normalise(key) != ENTRIES or not isinstance(value, (RawList, Scalar)):
            message = f"changes.yml holds one list, '{ENTRIES}:', not '{key}'"
            problems.append(error("changes.entry", where, message))
            continue
        for item in value.items if isinstance(value, RawList) else ():
            entry, found = _entry(item, options)
            problems += found
            entries += [entry] if entry else []
    return entries, problems


def _entry(raw: RawValue, options: tuple[str, ...]) -> tuple[Submission | None, list[Diagnostic]]:
    """Read one entry: 項目, 提出時期 and the optional fields."""
    if not isinstance(raw, RawMap):
        message = f"each entry of '{ENTRIES}' is a mapping: 項目, 提出時期, 提出時期に係る説明"
        return None, [error("changes.entry", raw.location, message)]
    fields, problems = _fields(raw)
    items = _texts(fields.get("items"))
    timing = _text(fields.get("timing"))
    for name, missing in (("項目", not items), ("提出時期", not timing)):
        if missing:
            message = f"this entry has no {name}"
            problems.append(error("changes.entry", raw.location, message))
    if timing and timing not in options:
        message = f"提出時期: '{timing}' is not an option; write {' or '.join(options)}"
        problems.append(error("changes.timing", raw.location, message))
    date, found = _date(fields.get("date"))
    problems += found
    if problems:
        return None, problems
    reason, exception = _text(fields.get("reason")), _text(fields.get("exception"))
    return Submission(items, timing, reason, date, exception, raw.location), []


def _fields(raw: RawMap) -> tuple[dict[str, RawValue], list[Diagnostic]]:
    """Return an entry's values by field name, reporting unknown keys."""
    fields: dict[str, RawValue] = {}
    problems: list[Diagnostic] = []
    known = {normalise(k): v for k, v in FIELDS.items()}
    for key, where, value in raw.entries:
        name = known.get(normalise(key))
        if name is None:
            hint = did_you_mean(key, FIELDS) or f"; the fields are {', '.join(FIELDS)}"
            problems.append(error("changes.entry", where, f"'{key}' is not a field{hint}"))
        else:
            fields[name] = value
    return fields, problems


def _text(raw: RawValue | None) -> str:
    """Return a scalar as stripped text ("" when absent)."""
    if isinstance(raw, Scalar) and raw.value is not None:
        return str(raw.value).strip()
    return ""


def _texts(raw: RawValue | None) -> tuple[str, ...]:
    """Return one text or a list of texts."""
    values = raw.items if isinstance(raw, RawList) else (raw,) if raw is not None else ()
    return tuple(t for t in (_text(v) for v in values) if t)


def _date(raw: RawValue | None) -> tuple[dt.date | None, list[Diagnostic]]:
    """Return 変更日, or a diagnostic when it is not a date."""
    if not isinstance(raw, Scalar) or raw.value is None:
        return None, []
    try:
        return parse_date(raw.value), []
    except DateError as exc:
        return None, [error("changes.date", raw.location, f"変更日: {exc}")]
