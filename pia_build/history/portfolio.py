"""What a body's portfolio needs to know of one evaluation, as JSON-ready facts.

The facts hold no judgement that depends on the day (days left, overdue): those are computed from
them by ``site.portfolio`` for the day the portfolio is made. They are computed once per build job
from the bound evaluation and the rows of its 変更箇所 annex (``history.snapshots.annex_rows``), and
travel in the build manifest with the evaluation's summary.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pia_build.check.shapes import Evaluation
from pia_build.forms.types import Pick
from pia_build.history.shapes import ChangeRecord
from pia_build.history.submission import EXCEPTIONS
from pia_build.source.shapes import Clause, Field
from pia_build.source.walk import lookup

# Where each fact is written, per form id (paths are ``part.key.key``).
PATHS: Mapping[str, Mapping[str, str]] = {
    "common": {
        "status": "cover.status",
        "published": "cover.publication_date",
        "org": "cover.org",
        "edition": "cover.edition",
        "population": "cover.threshold.population",
        "handlers": "cover.threshold.handlers",
        "incident": "cover.threshold.incident",
        "implemented": "procedure.basic_assessment.date",
        "result": "procedure.basic_assessment.threshold_result",
    },
    "basic": {
        "affair": "basic.business.name",
        "population": "threshold_inputs.population.band",
        "handlers": "threshold_inputs.handlers.ge_500",
        "incident": "threshold_inputs.accident.occurred",
        "result": "threshold_result.result",
    },
    "focused": {"affair": "basic.business.name"},
    "full": {"affair": "basic.affair.name"},
}


def value_at(evaluation: Evaluation, path: str) -> object:
    """Return the value written at ``part.key.key`` (first file of a per-file part), or None."""
    part_key, *keys = path.split(".")
    part = next((p for p in evaluation.parts if p.spec.key == part_key), None)
    if part is None:
        return None
    _, entry = lookup(part, keys)
    return entry.value if isinstance(entry, Field) and entry.valid else None


def _text(value: object) -> str:
    """Return a value as printed: an option's label, a date in ISO form, else its text."""
    if isinstance(value, Pick):
        return value.label
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def facts_of(
    evaluation: Evaluation, annex: Sequence[ChangeRecord], library: Mapping[str, Clause]
) -> dict:
    """Return the portfolio facts of an evaluation: dates, threshold, open changes, clauses."""
    paths = {**PATHS["common"], **PATHS.get(evaluation.form.id, {})}
    values = {name: _text(value_at(evaluation, path)) for name, path in paths.items()}
    pending = [r for r in annex if not r.version]
    return {
        **values,
        "status": values["status"] or "案",
        "edition": values["edition"] or evaluation.form.edition,
        "form_id": evaluation.form.id,
        "form_name": evaluation.form.name,
        "changes": [_change(r) for r in pending],
        "old_clauses": old_clauses(evaluation, pending, library),
    }


def is_important(record: ChangeRecord) -> bool:
    """Return True for a 重要な変更: a ※ item changed, not said to be one of the exceptions."""
    if not record.star:
        return False
    said = f"{record.exception} {record.reason}"
    return not any(word in said for word in EXCEPTIONS) or record.timing == "事前"


def _change(record: ChangeRecord) -> dict:
    """Return one unpublished change as the portfolio lists it."""
    return {
        "item": record.item,
        "anchor": record.anchor,
        "star": record.star,
        "important": is_important(record),
        "date": record.date.isoformat() if record.date else "",
        "timing": record.timing,
    }


def old_clauses(
    evaluation: Evaluation, pending: Sequence[ChangeRecord], library: Mapping[str, Clause]
) -> list[dict]:
    """Return the clauses its last published version (or its text) uses at an older version.

    A clause whose new version alone changed an item is in the published version at its older
    version until the evaluation is published again; a use expanded at an older version than the
    library's (never in a fresh build, but in a kept one) counts the same way.
    """
    found: dict[str, dict] = {}
    for record in pending:
        for clause_id, version in record.clauses:
            clause = library.get(clause_id)
            current = clause.version if clause else version
            used = _previous(clause, version) if clause else version - 1
            found.setdefault(clause_id, {"id": clause_id, "used": used, "current": current})
    for use in evaluation.clause_uses:
        clause = library.get(use.clause_id)
        if clause is not None and use.version < clause.version:
            entry = {"id": use.clause_id, "used": use.version, "current": clause.version}
            found.setdefault(use.clause_id, entry)
    return [found[k] for k in sorted(found)]


def _previous(clause: Clause, version: int) -> int:
    """Return the version of ``clause`` before ``version`` (from its history, else one less)."""
    numbers = [v.get("version") for v in clause.versions]
    earlier = [n for n in numbers if isinstance(n, int) and n < version]
    return max(earlier) if earlier else version - 1
