"""The PDF renderer: literal text (typst syntax, clause marks) and print furniture (draft mark, page
numbers, marks and choices, 禁則).

PDFs are checked through their extracted text (poppler's pdftotext), never as raw bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdftext import (
    BODY_BOTTOM,
    BODY_TOP,
    LAYOUTS,
    PAGE_HEIGHT,
    RAW,
    make_doc,
    needs_poppler,
    pdf_text,
    squash,
    text_row,
)
from test_typst_markup import HOSTILE

from pia_build.assemble.shapes import AssembledDoc, Cell, Display, Mark, Row
from pia_build.render import pdf

pytestmark = pytest.mark.skipif(
    pdf.disabled_message() is not None, reason=str(pdf.disabled_message())
)

# --------------------------------------------------------------------------- literal text


def hostile_doc() -> AssembledDoc:
    """Return a document with typst syntax in every kind of value."""
    marks = (Mark(1, RAW, True, detail=RAW, has_detail=True), Mark(2, "#none", False))
    table = Display("table", columns=(RAW, "b"), rows=((Cell(RAW), Cell("`#x` $y$", True)),))
    rows = (
        text_row("①prose", "\n\n".join(HOSTILE)),
        text_row("②line", RAW, "line"),
        text_row(RAW, "`" + RAW.replace("`", "") + "`"),
        Row("item", "③choice", "c", 0, display=Display("choice", marks=marks, selected=RAW)),
        Row("item", "④multi", "m", 0, display=Display("multi", marks=marks)),
        Row("item", "⑤list", "l", 0, display=Display("list", items=(RAW,))),
        Row("section", RAW, "s", 0, star=True),
        Row("item", "⑥table", "t", 0, display=table),
    )
    return make_doc(rows, cover=(text_row(RAW, RAW, "line"),))


@needs_poppler
def test_typst_syntax_in_values_prints_literally(tmp_path: Path) -> None:
    text = re.sub(r"\s+", "", pdf_text(pdf.render(hostile_doc(), LAYOUTS), tmp_path, "-raw"))
    for literal in [*HOSTILE, RAW, RAW.replace("`", ""), "`#x`"[1:-1], "$y$"]:
        assert re.sub(r"\s+", "", literal) in text, literal
    assert text.count(re.sub(r"\s+", "", RAW)) >= 8


@needs_poppler
def test_clause_text_is_marked_with_id_and_version(tmp_path: Path) -> None:
    prose = "前文\n\n::: clause chukan-pf/storage 3\n中間サーバーの標準記載\n:::\n"
    text = pdf_text(pdf.render(make_doc((text_row("①保管場所", prose),)), LAYOUTS), tmp_path)
    assert "標準記載 chukan-pf/storage v3" in text
    assert squash(text).index("前文") < squash(text).index("中間サーバーの標準記載")


# --------------------------------------------------------------------------- print furniture


@needs_poppler
@pytest.mark.parametrize("draft", [True, False])
def test_draft_mark_in_every_page_header(draft: bool, tmp_path: Path) -> None:
    data = pdf.render(make_doc((text_row("①名称", "予防接種", "line"),), draft=draft), LAYOUTS)
    headers = pdf_text(data, tmp_path, top=0, bottom=BODY_TOP).split("\f")[:-1]
    assert len(headers) == 3  # cover, 項目一覧, Ⅰ
    assert all(("案" in header) is draft for header in headers)


@needs_poppler
def test_page_numbers_in_footer(tmp_path: Path) -> None:
    data = pdf.render(make_doc((text_row("①名称", "予防接種", "line"),)), LAYOUTS)
    footers = pdf_text(data, tmp_path, top=BODY_BOTTOM, bottom=PAGE_HEIGHT).split("\f")[:-1]
    assert [squash(f) for f in footers] == ["1/3", "2/3", "3/3"]


@needs_poppler
def test_marks_and_choices_print_as_on_the_form(tmp_path: Path) -> None:
    marks = (Mark(1, "実施する", True), Mark(2, "実施しない", False))
    rows = (
        Row(
            "item",
            "①実施の有無",
            "a",
            0,
            display=Display("choice", marks=marks, selected="実施する"),
        ),
        Row("item", "②入手元", "b", 0, star=True, display=Display("multi", marks=marks)),
    )
    text = re.sub(r"\s+", "", pdf_text(pdf.render(make_doc(rows), LAYOUTS), tmp_path, "-raw"))
    assert "①実施の有無[実施する]<選択肢>1)実施する2)実施しない" in text
    assert "②入手元※[○]実施する[]実施しない" in text  # "[　]": an ideographic space


KINSOKU_START = "、。，．）」』】〕〉》］｝"
KINSOKU_END = "（「『【〔〈《［｛"


@needs_poppler
def test_no_line_starts_or_ends_with_forbidden_punctuation(tmp_path: Path) -> None:
    sentences = "".join("あ" * (k % 23) + "「記録」（項目）、確認。" for k in range(1, 80))
    data = pdf.render(make_doc((text_row("", sentences),)), LAYOUTS)
    lines = _lines(pdf_text(data, tmp_path, "-bbox"))
    assert len(lines) > 40
    bad = [line for line in lines if line[0] in KINSOKU_START or line[-1] in KINSOKU_END]
    assert not bad


_WORD = re.compile(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def _lines(bbox_html: str) -> list[str]:
    """Return the printed lines of pdftotext -bbox output: words grouped by page and baseline."""
    lines: dict[tuple[int, str], list[tuple[float, str]]] = {}
    for page, html in enumerate(bbox_html.split("<page ")):
        for x, y, word in _WORD.findall(html):
            lines.setdefault((page, y), []).append((float(x), word))
    return ["".join(w for _, w in sorted(words)) for words in lines.values()]
