"""The DOCX renderer: hostile text comes through literally, prose keeps its structure, the
reference document and SOURCE_DATE_EPOCH, and the pandoc boundary (missing or too old).

DOCX is checked through word/document.xml text, never as raw bytes.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from docxtext import LAYOUTS, markdown_text, need, paragraphs, part, raw_text, squash

from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from pia_build.render import docx
from pia_build.render import pandoc as pd


@pytest.fixture(autouse=True)
def _pandoc_present() -> None:
    need(docx.disabled_message())


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
    assert squash(markdown_text(HOSTILE)) in squash(text)  # prose: as the HTML output reads it
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
