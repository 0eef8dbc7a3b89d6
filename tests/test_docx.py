"""DOCX output: every text in order, merged cells, official furniture, same bytes twice, hostile text
kept literal, and LibreOffice opens the file.

Tests that need pandoc or LibreOffice skip when the tool is absent, except under CI=true, where a
missing tool fails the run (CI must have the tools).
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import time
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from htmltext import html_text

from pia_build.assemble.document import assemble
from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.render import docx
from pia_build.render import pandoc as pd
from pia_build.render.markdown import render_markdown

LAYOUTS = REPO / "layouts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LARGEST = "mihon-jumin"


def need(missing: str | None) -> None:
    """Skip when a tool is missing, but fail under CI=true: CI must run every test."""
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing} (CI=true: the tool must be installed)")
    pytest.skip(missing)


@pytest.fixture(autouse=True)
def _pandoc_present() -> None:
    need(docx.disabled_message())


@pytest.fixture(scope="session")
def docs() -> dict[str, AssembledDoc]:
    result = check(Config(REPO))
    return {e.id: assemble(e) for e in result.evaluations}


@pytest.fixture(scope="session")
def rendered(docs: dict[str, AssembledDoc]) -> dict[str, bytes]:
    need(docx.disabled_message())
    return {key: docx.render(doc, LAYOUTS) for key, doc in docs.items()}


# --------------------------------------------------------------------------- reading DOCX


def part(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """Return (style id, text) of every paragraph; a line break reads as a newline."""
    out = []
    for p in ET.fromstring(part(data)).iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(
            (e.text or "") if e.tag == f"{W}t" else "\n"
            for e in p.iter()
            if e.tag in (f"{W}t", f"{W}br")
        )
        out.append(("" if style is None else style.get(f"{W}val", ""), text))
    return out


def raw_text(data: bytes) -> str:
    return "".join(e.text or "" for e in ET.fromstring(part(data)).iter(f"{W}t"))


def squash(text: str) -> str:
    """NFKC, no whitespace: how texts are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------- expected content


def expected(doc: AssembledDoc) -> list[str]:
    """Return, in printed order, every label and value text the document must carry."""
    pieces = [doc.title, *_rows(doc.cover), doc.marker, "項目一覧"]
    pieces += [label for label, _ in doc.toc]
    for p in doc.parts:
        pieces += [p.label, p.star, p.file_name, *_rows(p.rows)]
    return [s for s in (squash(p) for p in pieces) if s]


def _rows(rows: tuple[Row, ...]) -> list[str]:
    out: list[str] = []
    for row in rows:
        out.append(row.label)
        if row.display is not None:
            out += _values(row.display)
    return out


def _values(d: Display) -> list[str]:
    if d.kind == "choice":
        return [d.selected, "<選択肢>", *(m.label for m in d.marks)]
    if d.kind == "multi":
        groups = [
            m.group if i == 0 or m.group != d.marks[i - 1].group else ""
            for i, m in enumerate(d.marks)
        ]
        return [p for g, m in zip(groups, d.marks, strict=True) for p in (g, m.label, m.detail)]
    if d.kind == "text":
        return [_markdown_text(d.text)]
    if d.kind == "list":
        return list(d.items)
    if d.kind == "table":
        cells = [_cell_text(c) for row in d.rows for c in row]
        return [*d.columns, *cells]
    return [d.text]


def _markdown_text(text: str) -> str:
    """Return the visible text of prose, as the HTML output shows it."""
    return html_text(render_markdown(text))


def _cell_text(cell: Cell) -> str:
    return _markdown_text(cell.text) if cell.markdown else cell.text


def assert_in_order(text: str, pieces: list[str]) -> None:
    cursor = 0
    for piece in pieces:
        found = text.find(piece, cursor)
        assert found >= 0, f"{piece!r} missing after …{text[max(cursor - 60, 0) : cursor]!r}"
        cursor = found + len(piece)


# --------------------------------------------------------------------------- content


def test_every_label_and_value_appears_in_order(
    docs: dict[str, AssembledDoc], rendered: dict[str, bytes]
) -> None:
    assert LARGEST in docs
    for key, doc in docs.items():
        assert_in_order(squash(raw_text(rendered[key])), expected(doc))


def test_order_check_catches_a_missing_text(
    docs: dict[str, AssembledDoc], rendered: dict[str, bytes]
) -> None:
    pieces = expected(docs[LARGEST])
    with pytest.raises(AssertionError):
        assert_in_order(squash(raw_text(rendered[LARGEST])), [*pieces, "この文は出力にない"])
    with pytest.raises(AssertionError):  # two texts swapped
        assert_in_order(squash(raw_text(rendered[LARGEST])), [pieces[-1], pieces[0]])


def test_headings_and_merged_rows_are_real_merged_cells(
    docs: dict[str, AssembledDoc], rendered: dict[str, bytes]
) -> None:
    for key, doc in docs.items():
        rows = [*doc.cover, *(r for p in doc.parts for r in p.rows)]
        merged = sum(
            2 if r.display is not None and r.display.kind == "table" else r.kind != "item"
            for r in rows
        )
        assert merged > 10
        assert part(rendered[key]).count('<w:gridSpan w:val="2" />') == merged


def test_official_furniture(docs: dict[str, AssembledDoc], rendered: dict[str, bytes]) -> None:
    doc, data = docs[LARGEST], rendered[LARGEST]
    text = raw_text(data)
    marks = [
        m
        for p in doc.parts
        for r in p.rows
        if r.display and r.display.kind == "multi"
        for m in r.display.marks
    ]
    flags = [r.display for p in doc.parts for r in p.rows if r.display and r.display.kind == "flag"]
    assert text.count("[○]") == sum(m.checked for m in marks) + sum(f.checked for f in flags)
    assert text.count("[\u3000]") == sum(not m.checked for m in marks) + sum(
        not f.checked for f in flags
    )
    assert "☐" not in text and "☑" not in text
    assert "[ 30万人以上 ]" in text and "※" in text and doc.marker in text
    styles = {style for style, _ in paragraphs(data)}
    assert {"Title", "Heading1", "Label1", "Label2", "SectionRow", "ChoiceOptions"} <= styles


def test_choice_options_are_right_aligned_and_never_split(rendered: dict[str, bytes]) -> None:
    data = rendered[LARGEST]
    options = [text for style, text in paragraphs(data) if style == "ChoiceOptions"]
    assert len(options) > 50
    for text in options:
        head, *lines = text.split("\n")
        assert head == "<選択肢>" and lines
        for line in lines:
            assert all(re.match(r"\d+\) \S", option) for option in line.split("\u3000")), line
    style = re.search(r'w:styleId="ChoiceOptions".*?</w:style>', part(data, "word/styles.xml"))
    assert style and '<w:jc w:val="right"' in style.group(0)


def test_standard_clauses_are_marked(
    docs: dict[str, AssembledDoc], rendered: dict[str, bytes]
) -> None:
    doc = docs[LARGEST]
    marks = [text for style, text in paragraphs(rendered[LARGEST]) if style == "ClauseMark"]
    assert doc.clause_uses
    for use in doc.clause_uses:
        assert f"標準記載 {use.clause_id} v{use.version}" in marks


def test_draft_mark_only_on_drafts(docs: dict[str, AssembledDoc]) -> None:
    doc = docs["chiba-yobosesshu"]
    for draft in (True, False):
        found = paragraphs(docx.render(dataclasses.replace(doc, draft=draft), LAYOUTS))
        assert (("DraftMark", "案") in found) is draft
        assert found[0] == ("Title", doc.title)
    assert found[1] != ("DraftMark", "案")


def test_every_style_used_is_defined_in_the_reference(rendered: dict[str, bytes]) -> None:
    with zipfile.ZipFile(LAYOUTS / docx.REFERENCE) as reference:
        defined = set(
            re.findall(r'w:styleId="([^"]+)"', reference.read("word/styles.xml").decode())
        )
    for data in rendered.values():
        used = set(re.findall(r'<w:pStyle w:val="([^"]+)"', part(data)))
        assert used - defined == set()


# --------------------------------------------------------------------------- hostile text

HOSTILE = (
    '<script>alert("x")</script> & &amp; {{ doc.id }} {% if x %} \\ \\\\ \\n *em* _u_ `c` '
    "$x$ @cite [l](u) ^s^ ~t~ | a | ::: {.x} <!-- c --> ]]> # h"
)


def item(label: str, display: Display) -> Row:
    return Row("item", label, label, 1, display=display)


def hostile_doc() -> AssembledDoc:
    """Return a draft whose every text field holds HOSTILE."""
    marks = (Mark(1, HOSTILE, True, detail=HOSTILE, has_detail=True), Mark(2, "b", False))
    table = Display("table", columns=(HOSTILE, "md"), rows=((Cell(HOSTILE), Cell(HOSTILE, True)),))
    rows = (
        Row("section", HOSTILE, "s", 0, True),
        item(HOSTILE, Display("line", text=HOSTILE, empty=False)),
        item("list", Display("list", items=(HOSTILE,), empty=False)),
        item("choice", Display("choice", marks=marks, selected=HOSTILE)),
        item("multi", Display("multi", marks=marks, empty=False)),
        item("prose", Display("text", text=HOSTILE, empty=False)),
        item("table", table),
    )
    body = AssembledPart("basic", HOSTILE, "basic", 1, HOSTILE, "※", rows)
    return AssembledDoc(
        id="x",
        title=HOSTILE,
        name=HOSTILE,
        marker="[様式]",
        form_id="full",
        draft=True,
        org_name=HOSTILE,
        published="",
        cover=rows[1:2],
        parts=(body,),
        toc=((HOSTILE, "basic"),),
        clause_uses=(),
    )


def test_hostile_text_comes_through_literally() -> None:
    data = docx.render(hostile_doc(), LAYOUTS)
    text = raw_text(data)
    # title, cover value, 項目一覧, part heading, section, label, line, list, selected, option,
    # check line (twice: label and detail), table header and plain cell
    assert text.count(HOSTILE) >= 14
    assert squash(_markdown_text(HOSTILE)) in squash(text)  # prose: as the HTML output reads it
    assert "<script>" not in part(data).replace("&lt;script&gt;", "")
    assert HOSTILE in part(data, "docProps/core.xml").replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&amp;", "&").replace("&quot;", '"')


def test_prose_keeps_japanese_lines_joined_and_its_structure() -> None:
    text = (
        "日本語の文を\n途中で折り返す。\nEnglish words\nwrap with a space.\n\n"
        "3. 三番目\n4. 四番目\n\n::: clause chukan-pf/storage 2\n<標準>\n\n本文\n:::\n"
    )
    row = item("prose", Display("text", text=text, empty=False))
    doc = dataclasses.replace(
        hostile_doc(), parts=(AssembledPart("p", "P", "p", 0, "", "", (row,)),)
    )
    data = docx.render(doc, LAYOUTS)
    found = paragraphs(data)
    assert ("Value", "日本語の文を途中で折り返す。English words wrap with a space.") in found
    assert ("ClauseMark", "標準記載 chukan-pf/storage v2") in found
    assert ("Value", "<標準>") in found and ("Value", "本文") in found
    numbering = re.findall(r"<w:numId w:val=\"(\d+)\"", part(data))
    assert len(numbering) == 2 and numbering[0] == numbering[1]  # one list, two items
    assert '<w:startOverride w:val="3" />' in part(data, "word/numbering.xml")


# --------------------------------------------------------------------------- reproducibility


def test_two_renders_are_byte_identical(
    docs: dict[str, AssembledDoc], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = docx.render(docs[LARGEST], LAYOUTS)
    assert docx.render(docs[LARGEST], LAYOUTS) == first
    assert "2000-01-01T00:00:00Z" in part(first, "docProps/core.xml")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = docx.render(docs[LARGEST], LAYOUTS)
    assert "2023-11-14T22:13:20Z" in part(dated, "docProps/core.xml") and dated != first


def test_source_date_epoch_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert pd.source_date_epoch() == pd.FIXED_EPOCH
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert pd.source_date_epoch() == 1234567890


def test_reference_docx_is_what_the_script_writes() -> None:
    from scripts.make_reference_docx import build_reference

    built = build_reference()
    assert build_reference() == built
    with (
        zipfile.ZipFile(io.BytesIO(built)) as new,
        zipfile.ZipFile(LAYOUTS / docx.REFERENCE) as committed,
    ):
        assert new.namelist() == committed.namelist()
        for name in new.namelist():
            assert new.read(name) == committed.read(name), f"{name}: run make_reference_docx.py"
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in part(built)  # A4
    assert 'w:eastAsia="Noto Sans CJK JP"' in part(built, "word/styles.xml")


# --------------------------------------------------------------------------- tool boundary


def test_disabled_when_pandoc_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypandoc

    def missing() -> str:
        raise OSError("No pandoc was found")

    pd._pandoc.cache_clear()
    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    try:
        message = docx.disabled_message()
        assert message and message.startswith("DOCX output is disabled: pandoc was not found")
        with pytest.raises(pd.PandocError, match="DOCX output is disabled"):
            docx.render(hostile_doc(), LAYOUTS)
    finally:
        pd._pandoc.cache_clear()


def test_disabled_when_pandoc_is_too_old(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypandoc

    pd._pandoc.cache_clear()
    monkeypatch.setattr(pypandoc, "get_pandoc_version", lambda: "2.19.2")
    try:
        assert docx.disabled_message() == (
            "DOCX output is disabled: it needs pandoc >= 3.0, found 2.19.2"
        )
    finally:
        pd._pandoc.cache_clear()


def test_largest_evaluation_renders_fast(docs: dict[str, AssembledDoc]) -> None:
    doc = docs[LARGEST]
    twice = dataclasses.replace(doc, parts=doc.parts * 2)  # about 90 pages in LibreOffice
    docx.render(doc, LAYOUTS)  # pandoc's version and AST version are asked once
    start = time.perf_counter()
    docx.render(twice, LAYOUTS)
    assert time.perf_counter() - start < 1.5


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_opens_and_converts_to_pdf(rendered: dict[str, bytes], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    need(None if soffice else "LibreOffice (soffice) is not installed")
    assert soffice
    source = tmp_path / f"{LARGEST}.docx"
    source.write_bytes(rendered[LARGEST])
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / f"{LARGEST}.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.is_file(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000
