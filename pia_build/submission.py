"""The authors' 提出時期 and 説明 for changed items: ``changes.yml`` in the evaluation folder.

``changes.yml`` is not a part of the form: ``check`` takes it out of the evaluation before binding
and reports its mistakes. This module fills each ChangeRecord from the entry that names its item
(or from the version entry of the clause that changed it) and reports what a reviewer must act
on: a changed item without 提出時期, and a ※ item changed 事後 without saying why it is not a
重要な変更. The file format is described in docs/review.md.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .annex import changes_table
from .diagnostics import error
from .labels import did_you_mean, normalise
from .model import (
    ChangeRecord,
    Clause,
    Diagnostic,
    FormSpec,
    Location,
    RawList,
    RawMap,
    RawValue,
    Scalar,
    SourceDoc,
)
from .wareki import DateError, parse_date

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
VERBS = {"changed": "changed", "added": "was added", "removed": "was removed"}
AFTER = 1
"""Position of 事後 in the form's 提出時期 options (printed order: 事前, 事後)."""
# Wording that names an exception of 特定個人情報保護評価指針 第6 2(2): a change that does not
# change the risk considerably, that clearly lowers it, or a formal correction (spec §4.4).
EXCEPTIONS = (
    "重要な変更には該当しない",
    "重要な変更に該当しない",
    "重要な変更に当たらない",
    "重要な変更にあたらない",
    "形式的",
    "リスクを明らかに軽減",
    "明らかにリスクを軽減",
    "相当程度変動させるものではない",
    "誤字",
    "脱字",
    "記載誤り",
    "文言修正",
)
_DASHES = str.maketrans({c: "-" for c in "－ー—―‐−"})


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


def path_key(path: str) -> str:
    """Return an item path in comparison form: NFKC, no spaces, one kind of dash."""
    return normalise(unicodedata.normalize("NFKC", path)).translate(_DASHES)


def apply_submissions(
    records: Sequence[ChangeRecord],
    submissions: Sequence[Submission],
    library: Mapping[str, Clause],
    default_date: dt.date | None,
) -> list[ChangeRecord]:
    """Return the records with 変更日, 提出時期 and 説明 from changes.yml or their clause.

    変更日 is the entry's, else ``default_date`` (the 公表日 of the version that brings it).
    """
    table = {path_key(item): s for s in submissions for item in s.items}
    filled = []
    for record in records:
        timing, reason = _from_clauses(record, library)
        entry = _match(record.item, table)
        date = (entry.date if entry else None) or default_date
        if entry is not None:
            timing, reason, where = entry.timing, entry.reason, entry.location
            record = replace(record, exception=entry.exception, location=where)
        filled.append(replace(record, timing=timing, reason=reason, date=date))
    return filled


def _match(item: str, table: Mapping[str, Submission]) -> Submission | None:
    """Return the entry naming this item, or the nearest item above it."""
    words = item.split(" ")
    for size in range(len(words), 0, -1):
        entry = table.get(path_key(" ".join(words[:size])))
        if entry is not None:
            return entry
    return None


def _from_clauses(record: ChangeRecord, library: Mapping[str, Clause]) -> tuple[str, str]:
    """Return 提出時期 and 説明 from the version entry of the clause that made the change."""
    for clause_id, version in record.clauses:
        clause = library.get(clause_id)
        versions = clause.versions if clause else ()
        entry = next((v for v in versions if v.get("version") == version), None)
        if entry is not None:
            reason = entry.get("提出時期に係る説明") or entry.get("note") or ""
            return str(entry.get("提出時期") or ""), str(reason)
    return "", ""


def names_exception(text: str) -> bool:
    """Return True when ``text`` names why a ※ change is not a 重要な変更."""
    squeezed = _squeeze(text)
    return any(_squeeze(phrase) in squeezed for phrase in EXCEPTIONS)


def _squeeze(text: str) -> str:
    """Return text NFKC-normalised without whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _is_after(record: ChangeRecord, options: tuple[str, ...]) -> bool:
    """Return True when the record was submitted 事後."""
    return len(options) > AFTER and record.timing == options[AFTER]


def check_records(
    records: Sequence[ChangeRecord], options: tuple[str, ...], changes_file: str, since: str
) -> list[Diagnostic]:
    """Report changed items without 提出時期, and ※ items changed 事後 without an exception."""
    problems: list[Diagnostic] = []
    for record in records:
        if not record.timing:
            message = (
                f"{record.item} {VERBS[record.kind]} since {since}: give its 提出時期"
                f" ({' or '.join(options)}) and 提出時期に係る説明 in {changes_file}"
            )
            problems.append(error("changes.submission", record.location, message))
        elif record.star and _is_after(record, options) and not _explained(record):
            message = (
                f"{record.item} is a ※ item, so this may be a 重要な変更: submitted {record.timing},"
                " say why it is not one (a formal change, a change that clearly lowers the risk, …)"
                " in 提出時期に係る説明 or 重要な変更に該当しない理由"
            )
            problems.append(error("changes.important", record.location, message))
    return problems


def _explained(record: ChangeRecord) -> bool:
    """Return True when the record's 説明 or exception names why it is not a 重要な変更."""
    return names_exception(f"{record.reason}\n{record.exception}")
