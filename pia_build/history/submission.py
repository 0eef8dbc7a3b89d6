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
from dataclasses import replace

from pia_build.core.diagnostics import Diagnostic, error
from pia_build.core.labels import normalise
from pia_build.history.shapes import ChangeRecord
from pia_build.source.shapes import Clause
from pia_build.source.submissions import Submission

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
