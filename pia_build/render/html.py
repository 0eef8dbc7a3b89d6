"""AssembledDoc → the evaluation's HTML page in the official layout (layouts/evaluation.html)."""

from __future__ import annotations

from markupsafe import Markup

from pia_build.assemble.risks import RATINGS, UNANSWERED, counts, risk_answers
from pia_build.assemble.shapes import AssembledDoc
from pia_build.core.theme import Layouts
from pia_build.render.charts import risk_strip
from pia_build.render.templates import render_template

FORMAT = "html"


def render(
    doc: AssembledDoc,
    layouts: Layouts,
    root: str = "../",
    downloads: list[tuple[str, str]] | None = None,
) -> bytes:
    """Return the HTML page of one evaluation.

    ``root`` is the relative path to the site root; ``downloads`` lists (label, href) pairs.
    """
    page = render_template(
        layouts,
        "evaluation.html",
        doc=doc,
        root=root,
        downloads=downloads or [],
        risks=risk_context(doc),
    )
    return page.encode("utf-8")


def risk_context(doc: AssembledDoc) -> dict[str, object]:
    """Return what the page's risk overview shows: the answers, their counts and the chart."""
    answers = risk_answers(doc)
    label = "リスクへの対策は十分か の回答: " + "、".join(
        f"{name} {n}件" for name, n in counts(answers).items() if n
    )
    return {
        "answers": answers,
        "counts": [(name, counts(answers)[name]) for name in (*RATINGS, UNANSWERED)],
        "chart": Markup(risk_strip(answers, label)) if answers else "",
    }
