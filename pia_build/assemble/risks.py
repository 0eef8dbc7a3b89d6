"""Every リスクへの対策は十分か answer of an assembled evaluation, with its risk category.

The answers are the body's own rating of each risk (特に力を入れている / 十分である /
課題が残されている). Categories are the stages of Ⅲ リスク対策 that every form shares, so that
evaluations of different forms line up in one matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pia_build.assemble.shapes import AssembledDoc, AssembledPart

QUESTION = "リスクへの対策は十分か"
RATINGS = ("特に力を入れている", "十分である", "課題が残されている")
"""The answers, from best to worst."""
UNANSWERED = "未記入"
CATEGORIES = (
    ("acquisition", "入手"),
    ("use", "使用"),
    ("outsourcing", "委託"),
    ("provision", "提供・移転"),
    ("network", "情報連携"),
    ("storage", "保管・消去"),
)
"""Risk categories in printed order: (key, label)."""
_ALIASES = {"nws": "network"}
OTHER = ("other", "その他")


def category_of(anchor: str) -> tuple[str, str]:
    """Return the (key, label) of the category of an item anchor (``risk-1.use.r1.sufficiency``)."""
    steps = anchor.split(".")
    key = _ALIASES.get(steps[1], steps[1]) if len(steps) > 1 else ""
    return next((c for c in CATEGORIES if c[0] == key), OTHER)


def risk_answers(doc: AssembledDoc) -> list[dict]:
    """Return every rating row in printed order: part, category, risk, answer, anchor."""
    return [answer for part in doc.parts for answer in _answers(part)]


def _answers(part: AssembledPart) -> Iterator[dict]:
    """Yield the rating rows of one part, each with the risk heading above it."""
    heading = ""
    for row in part.rows:
        if row.kind == "section":
            heading = row.label
        elif row.kind == "item" and row.label == QUESTION and row.display is not None:
            key, label = category_of(row.anchor)
            yield {
                "part": part.label + (f" ({part.file_name})" if part.file_name else ""),
                "category": key,
                "category_label": label,
                "risk": heading,
                "answer": row.display.selected or UNANSWERED,
                "anchor": row.anchor,
            }


def counts(answers: Iterable[dict]) -> dict[str, int]:
    """Return how many answers each rating (and 未記入) has, in rating order."""
    found = {name: 0 for name in (*RATINGS, UNANSWERED)}
    for answer in answers:
        found[answer["answer"] if answer["answer"] in found else UNANSWERED] += 1
    return found


def worst(answers: Iterable[dict]) -> str:
    """Return the worst rating among ``answers`` (empty when there are none)."""
    given = [a["answer"] for a in answers]
    for rating in reversed(RATINGS):
        if rating in given:
            return rating
    return UNANSWERED if given else ""
