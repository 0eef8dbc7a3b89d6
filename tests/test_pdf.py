"""The PDF renderer: complete text in print order, embedded fonts, reproducible bytes.

PDFs are checked through their extracted text (poppler's pdftotext), never as raw bytes, except
for the reproducibility test. Literal prose and print furniture: test_pdf_print.py.
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pdftext import (
    EVALUATIONS,
    LAYOUTS,
    REPO,
    assert_in_order,
    iter_printed,
    make_doc,
    missing_chars,
    needs_poppler,
    pdf_text,
    poppler,
    printed_chars,
    squash,
    text_row,
)

from pia_build.assemble.document import assemble
from pia_build.assemble.shapes import AssembledDoc, Display, Row
from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.render import fonts, pdf

pytestmark = pytest.mark.skipif(
    pdf.disabled_message() is not None, reason=str(pdf.disabled_message())
)

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def content_docs() -> dict[str, AssembledDoc]:
    """Assemble every evaluation under content/ (validation problems do not matter here)."""
    result = check(Config(REPO))
    return {e.id: assemble(e) for e in result.evaluations}


@pytest.fixture(scope="session")
def rendered(content_docs: dict[str, AssembledDoc]) -> dict[str, bytes]:
    """Render every content evaluation once."""
    return {doc_id: pdf.render(doc, LAYOUTS) for doc_id, doc in content_docs.items()}


@pytest.fixture(params=EVALUATIONS)
def doc_id(request: pytest.FixtureRequest, content_docs: dict[str, AssembledDoc]) -> str:
    if request.param not in content_docs:
        pytest.skip(f"{request.param} could not be bound to a form")
    return str(request.param)


@pytest.fixture(scope="session")
def font_cmap() -> set[int]:
    """Return the code points that every shipped font maps to a glyph."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    cmaps = [set(ttlib.TTFont(p, lazy=True)["cmap"].getBestCmap()) for p in fonts.font_files()]
    return set.intersection(*cmaps)


# --------------------------------------------------------------------------- content


@needs_poppler
def test_every_label_and_value_prints_in_order(
    doc_id: str, content_docs: dict[str, AssembledDoc], rendered: dict[str, bytes], tmp_path: Path
) -> None:
    text = pdf_text(rendered[doc_id], tmp_path, "-raw")
    assert_in_order(iter_printed(content_docs[doc_id]), text)


@needs_poppler
def test_order_check_can_fail(tmp_path: Path) -> None:
    doc = make_doc((text_row("①事務の名称", "予防接種", "line"), text_row("②対象", "住民", "line")))
    text = pdf_text(pdf.render(doc, LAYOUTS), tmp_path, "-raw")
    assert_in_order(iter(["①事務の名称", "予防接種", "②対象"]), text)
    with pytest.raises(AssertionError):
        assert_in_order(iter(["②対象", "予防接種"]), text)


@needs_poppler
def test_headers_never_end_a_page(
    doc_id: str, content_docs: dict[str, AssembledDoc], rendered: dict[str, bytes], tmp_path: Path
) -> None:
    rows = [row for part in content_docs[doc_id].parts for row in part.rows]
    headers = [r for r in rows if r.kind != "item" or (r.display and r.display.kind == "table")]
    bars = {squash(r.label + star) for r in headers for star in ("", "※")}
    pages = pdf_text(rendered[doc_id], tmp_path, "-raw").split("\f")[:-1]
    ends = [page.strip().splitlines()[-2:] for page in pages if page.strip()]
    # A header may wrap: compare the last line, and the last two lines together.
    orphans = [end for end in ends if {squash(end[-1]), squash("".join(end))} & bars]
    assert not orphans


def test_segments_keep_headers_apart_from_item_tables() -> None:
    item = text_row("①名称", "x", "line")
    table = Row("item", "記録項目", "t", 0, display=Display("table", columns=("分類",)))
    rows = (
        Row("section", "1. 事務", "s", 0),
        item,
        item,
        Row("group", "システム1", "g", 1),
        item,
        table,
    )
    assert [s["kind"] for s in pdf.segments(rows)] == ["bar", "items", "bar", "items", "wide"]
    assert len(pdf.segments(rows)[1]["rows"]) == 2  # type: ignore[arg-type]


def test_template_never_evaluates_strings() -> None:
    template = (LAYOUTS / pdf.TEMPLATE).read_text(encoding="utf-8")
    assert "eval(" not in template


# --------------------------------------------------------------------------- fonts


@needs_poppler
def test_every_font_is_embedded_and_subset(rendered: dict[str, bytes], tmp_path: Path) -> None:
    for data in rendered.values():
        lines = poppler("pdffonts", data, tmp_path).splitlines()[2:]
        assert lines, "no fonts listed"
        for line in lines:
            name, *_, emb, sub, _uni, _obj, _gen = line.split()
            assert (emb, sub) == ("yes", "yes"), line
            assert "NotoSansCJKjp" in name, line


def test_fonts_cover_every_printed_character(
    doc_id: str, content_docs: dict[str, AssembledDoc], font_cmap: set[int]
) -> None:
    assert missing_chars(printed_chars(content_docs[doc_id]), font_cmap) == []


def test_font_check_can_fail(font_cmap: set[int]) -> None:
    # The ballot boxes the form seems to call for are missing: hence [○] marks.
    assert missing_chars({"☐", "☑", "○"}, font_cmap) == ["☐", "☑"]


def test_fonts_come_from_the_font_packages() -> None:
    names = [path.name for path in fonts.font_files()]
    assert names == ["NotoSansCJKjp-Regular.otf", "NotoSansCJKjp-Bold.otf"]


# --------------------------------------------------------------------------- reproducible


def test_two_processes_give_identical_bytes(
    content_docs: dict[str, AssembledDoc], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = next(iter(content_docs.values()))
    (tmp_path / "doc.pickle").write_bytes(pickle.dumps(doc))
    code = (
        "import pickle, sys; from pathlib import Path; from pia_build.render import pdf; "
        "doc = pickle.loads(Path(sys.argv[1]).read_bytes()); "
        "Path(sys.argv[2]).write_bytes(pdf.render(doc, Path(sys.argv[3])))"
    )
    args = [str(tmp_path / "doc.pickle"), str(tmp_path / "other.pdf"), str(LAYOUTS)]
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=REPO)
    assert pdf.render(doc, LAYOUTS) == (tmp_path / "other.pdf").read_bytes()


@needs_poppler
def test_no_date_without_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    info = poppler("pdfinfo", pdf.render(make_doc(()), LAYOUTS), tmp_path)
    assert "CreationDate" not in info and "ModDate" not in info


@needs_poppler
def test_date_from_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = poppler("pdfinfo", pdf.render(make_doc(()), LAYOUTS), tmp_path)
    assert re.search(r"CreationDate:\s+Tue Nov 14 22:13:20 2023 UTC", info), info
