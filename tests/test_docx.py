"""The DOCX renderer on the evaluations of content/: complete text in printed order, the official
furniture, reproducible bytes, speed, and LibreOffice opening the result.

DOCX is checked through word/document.xml text, never as raw bytes, except for the
reproducibility test. Hostile text and the pandoc boundary: test_docx_text.py.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from docxtext import (
    LARGEST,
    LAYOUTS,
    assert_in_order,
    expected,
    need,
    paragraphs,
    part,
    raw_text,
    squash,
)

from pia_build.assemble.document import assemble
from pia_build.assemble.shapes import AssembledDoc
from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.render import docx


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
    shown = [(style, text) for style, text in paragraphs(data)]
    heads = [i for i, (style, text) in enumerate(shown) if text == "<選択肢>"]
    assert len(heads) > 50
    for i in heads:
        assert shown[i][0] == "ChoiceOptions" and shown[i + 1][0] == "ChoiceSelected"
        style, text = shown[i + 2]
        assert style == "ChoiceOptions"
        for line in text.split("\n"):
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
