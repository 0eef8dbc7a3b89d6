"""No layout breaks in the PDF (issue 12), judged from the text positions of the rendered pages.

Each form definition (every edition) is rendered with every row of its blank evaluation, its
choices answered with their longest option and many of its texts filled with long, several-block
prose, so that page breaks fall inside rows of every kind. From ``pdftotext -bbox`` each page's
first body line must start in the label column: a choice row split from its legend, or a text
continued beside an empty label cell, would start the page in the value column.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from test_form_rows import FORMS, LAYOUTS, blank_doc

from pia_build.assemble.shapes import AssembledDoc, Display, Row
from pia_build.render import pdf

# layouts/pdf/evaluation.typ: A4 (595 × 842 pt), 16 mm side margins, label column 30 %.
MARGIN_X = 45.4
LABEL_EDGE = MARGIN_X + 0.30 * (595.3 - 2 * MARGIN_X)
BODY_TOP, BODY_BOTTOM = 56.0, 842 - 46.0
PARAGRAPH = "特定個人情報ファイルの取扱いについて、担当職員に対する研修を毎年度実施し、" * 6
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
)


def long_document(doc: AssembledDoc) -> AssembledDoc:
    """Return the document with its choices answered by their longest option and its text rows
    holding long texts (varied, so that breaks fall in varied places)."""
    count = 0

    def fill(row: Row) -> Row:
        nonlocal count
        d = row.display
        if d is None or row.on_heading:
            return row
        if d.kind == "choice" and d.marks:
            return replace(
                row, display=replace(d, selected=max((m.label for m in d.marks), key=len))
            )
        if d.kind == "text":
            count += 1
            return replace(row, display=Display("text", text=long_text(count), empty=False))
        return row

    parts = tuple(replace(p, rows=tuple(fill(r) for r in p.rows)) for p in doc.parts)
    return replace(doc, parts=parts)


def long_text(count: int) -> str:
    """Return four or six long paragraphs and a list, or (every third text) one paragraph of
    more than a page, with sentences or with no 。 at all."""
    if count % 3 == 0:
        return (PARAGRAPH + "研修の記録を残す。") * 10 if count % 2 else PARAGRAPH * 14
    paragraphs = [PARAGRAPH] * (2 + 2 * (count % 2))
    items = [f"- {PARAGRAPH}" for _ in range(3)]
    return "\n\n".join(paragraphs) + "\n\n" + "\n".join(items)


def page_tops(data: bytes, tmp_path: Path) -> list[tuple[float, str]]:
    """Return, per page, the x position and text of the first line of the body."""
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    tops = []
    for page in xml.split("<page ")[1:]:
        words = [(float(y), float(x), w) for x, y, w in WORD.findall(page)]
        body = sorted(w for w in words if BODY_TOP < w[0] < BODY_BOTTOM)
        if body:
            first_y = body[0][0]
            line = sorted((x, w) for y, x, w in body if abs(y - first_y) < 2)
            tops.append((line[0][0], "".join(w for _, w in line)))
    return tops


@pytest.mark.parametrize("name", list(FORMS))
def test_no_page_starts_beside_an_empty_label(name: str, tmp_path: Path) -> None:
    doc = long_document(blank_doc(FORMS[name], tmp_path))
    tops = page_tops(pdf.render(doc, LAYOUTS), tmp_path)
    assert len(tops) > 8, "the document should span many pages"
    broken = [(n, x, text) for n, (x, text) in enumerate(tops, 1) if x > LABEL_EDGE]
    assert not broken, f"pages starting in the value column: {broken}"
    continued = [text for _, text in tops if "（続き）" in text]
    assert continued, "some long text should continue on a new page with its label"


def test_the_check_can_fail(tmp_path: Path) -> None:
    """A table whose long value cell breaks across pages beside an empty label is seen."""
    import typst

    source = tmp_path / "broken.typ"
    source.write_text(
        '#set page(paper: "a4", margin: (x: 16mm, top: 20mm, bottom: 16mm))\n'
        f"#table(columns: (30%, 1fr), [ラベル], [{PARAGRAPH * 40}])\n",
        encoding="utf-8",
    )
    tops = page_tops(typst.compile(source, font_paths=pdf_fonts()), tmp_path)
    assert len(tops) > 1 and tops[1][0] > LABEL_EDGE


def pdf_fonts() -> list[str]:
    from pia_build.render.fonts import font_dirs

    return [str(path) for path in font_dirs()]
