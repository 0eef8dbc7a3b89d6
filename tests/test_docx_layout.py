"""DOCX layout (issue 12): label, group and section cells shaded as in HTML and PDF, choice and
checkbox rows kept on one page, the bytes still reproducible."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from test_form_rows import FORMS, LAYOUTS, blank_doc

from pia_build.render import docx


def document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


def cells(xml: str) -> list[str]:
    return re.findall(r"<w:tc>((?:(?!</w:tc>).)*)</w:tc>", xml)


def test_label_cells_are_shaded_and_choice_rows_kept_together(tmp_path: Path) -> None:
    data = docx.render(blank_doc(FORMS["focused 令和6年10月"], tmp_path), LAYOUTS)
    xml = document_xml(data)
    labels = [c for c in cells(xml) if re.search(r'w:pStyle w:val="(Label\d|SectionRow)"', c)]
    assert len(labels) > 100
    unshaded = [c[:200] for c in labels if "<w:shd " not in c]
    assert not unshaded, unshaded
    values = [c for c in cells(xml) if 'w:pStyle w:val="Value"' in c]
    assert values and not any("<w:shd " in c for c in values)
    assert 'w:fill="CFCFCF"' in xml and 'w:fill="E6E6E6"' in xml
    rows = re.findall(r"<w:tr>((?:(?!</w:tr>).)*)</w:tr>", xml)
    choices = [r for r in rows if 'w:val="ChoiceSelected"' in r]
    assert choices and all("<w:cantSplit />" in r for r in choices)
    assert docx.render(blank_doc(FORMS["focused 令和6年10月"], tmp_path / "again"), LAYOUTS) == data


def test_shading_is_applied_once() -> None:
    xml = '<w:tc><w:tcPr /><w:p><w:pPr><w:pStyle w:val="Label1" /></w:pPr></w:p></w:tc>'
    once = docx._LABEL_CELL.sub(docx._shaded, xml)
    assert once.count("<w:shd ") == 1
    assert docx._LABEL_CELL.sub(docx._shaded, once) == once
