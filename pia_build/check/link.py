"""The 基礎項目評価書 of a 事務 and its 重点/全項目評価書 say the same thing about the 事務.

A 重点項目評価書 or 全項目評価書 is linked to the body's 基礎項目評価書 of the same 事務: the one
with the same 評価書番号 (the number the 委員会 gives one 事務's 評価書, shared by the 基礎 and the
重点/全項目評価書) or, when no 基礎項目評価書 has that number, the one whose Ⅰ-1 ①事務の名称 is
the same. Then its しきい値判断項目 (対象人数, 取扱者数, 重大事故), its
②しきい値判断結果 and its ①実施日 (基礎項目評価) must agree with the 基礎項目評価書's Ⅱ, Ⅲ and
公表日. Facts are plain JSON (``link_facts``) so a cached check can keep them per evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from pia_build.check.shapes import Evaluation
from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.core.labels import normalise
from pia_build.core.wareki import format_wareki
from pia_build.forms.types import Pick
from pia_build.source.shapes import Field
from pia_build.source.walk import lookup

COMPARED = ("population", "handlers", "incident", "result", "date")
# Where each fact is written, per form id, besides the form's own ``threshold:`` paths.
PLACES: Mapping[str, Mapping[str, str]] = {
    "basic": {
        "affair": "related_info.business.name",
        "number": "cover.report_number",
        "date": "cover.publication_date",
    },
    "focused": {
        "affair": "basic.business.name",
        "number": "cover.report_number",
        "date": "procedure.basic_assessment.date",
    },
    "full": {
        "affair": "basic.affair.name",
        "number": "cover.report_number",
        "date": "procedure.basic_assessment.date",
    },
}

Fact = dict[str, object]


def link_facts(evaluation: Evaluation) -> Fact:
    """Return the facts of an evaluation the link check compares (JSON-ready)."""
    paths = {**evaluation.form.threshold, **PLACES.get(evaluation.form.id, {})}
    facts: Fact = {"id": evaluation.id, "form": evaluation.form.id}
    for role, path in paths.items():
        found = _value(evaluation, path)
        if found is not None:
            facts[role] = found
    return facts


def _value(evaluation: Evaluation, path: str) -> list[object] | None:
    """Return [label, text, path, line] of the value at ``part.key.key``, or None when empty."""
    part_key, *keys = path.split(".")
    part = next((p for p in evaluation.parts if p.spec.key == part_key), None)
    if part is None:
        return None
    spec, entry = lookup(part, keys)
    if spec is None or not isinstance(entry, Field) or not entry.valid or entry.value is None:
        return None
    value = entry.value
    if isinstance(value, Pick):
        text = value.label
    elif isinstance(value, dt.date):
        text = format_wareki(value)
    else:
        text = str(value)
    return [spec.label, text, entry.location.path, entry.location.line]


def check_links(facts: Iterable[Fact]) -> list[Diagnostic]:
    """Return where a 重点/全項目評価書 disagrees with its 基礎項目評価書."""
    every = list(facts)
    basics = {str(f["id"]): f for f in every if f["form"] == "basic"}
    problems: list[Diagnostic] = []
    for fact in every:
        if fact["form"] == "basic":
            continue
        basic = _linked(fact, basics)
        if basic is not None:
            problems += _compare(fact, basic)
    return problems


def _linked(fact: Fact, basics: Mapping[str, Fact]) -> Fact | None:
    """Return the 基礎項目評価書 of the same 評価書番号, else of the same 事務の名称 (if only one)."""
    for role in ("number", "affair"):
        same = [b for b in basics.values() if _same(b.get(role), fact.get(role))]
        if len(same) == 1:
            return same[0]
    return None


def _same(a: object, b: object) -> bool:
    """Return True when two facts hold the same text (width, spaces and numbering aside)."""
    return (
        isinstance(a, list) and isinstance(b, list) and normalise(str(a[1])) == normalise(str(b[1]))
    )


def _compare(fact: Fact, basic: Fact) -> list[Diagnostic]:
    """Return one diagnostic per compared fact that differs."""
    problems = []
    for role in COMPARED:
        mine, theirs = fact.get(role), basic.get(role)
        if not isinstance(mine, list) or not isinstance(theirs, list) or _same(mine, theirs):
            continue
        message = (
            f"{mine[0]} '{mine[1]}' differs from the 基礎項目評価書 {basic['id']}: "
            f"{theirs[0]} '{theirs[1]}' in {theirs[2]}:{theirs[3]}"
        )
        problems.append(error("link.differs", Location(str(mine[2]), int(mine[3])), message))
    return problems
