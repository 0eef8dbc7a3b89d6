"""XLSX in the layout of the form: opened by LibreOffice (Calc), every item's value is in its cells,
in printed order; the workbook carries the form's furniture (merged headers, shaded labels, the
<選択肢> legends, ※, print area and page breaks)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from pia_build.building.build import BuildResult
from pia_build.render.workbook import plain
from pia_build.site.opendata import cell_text

EVALUATIONS = sorted(p.name for p in (REPO / "content" / "evaluations").iterdir() if p.is_dir())
CALC = Path("/usr/lib/libreoffice/program/libsclo.so")
_SKIP = re.compile(r"[\s*#>`|\-－―—・\[\]()（）]")


def squash(text: str) -> str:
    """Return text for comparison: no whitespace, Markdown marks, brackets or dashes."""
    return _SKIP.sub("", text)


def calc_csv(workbook: Path, out: Path) -> str:
    """Return the workbook's first sheet as LibreOffice Calc exports it to CSV (UTF-8)."""
    soffice = shutil.which("soffice")
    if soffice is None or not CALC.is_file():
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
    profile = out / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out / f"{workbook.stem}.csv").read_text(encoding="utf-8")


def expected_values(data: dict) -> list[str]:
    """Return the text of every filled item of an evaluation's open data, in printed order."""
    found = []
    for item in data["items"]:
        value = item.get("value")
        if value in (None, "", [], False):
            continue
        if value is True:
            found.append("[○]")  # a checked flag
        elif isinstance(value, dict) and "rows" in value:
            found += [plain(cell) for row in value["rows"] for cell in row if cell]
        elif isinstance(value, list):
            found += [v["label"] if isinstance(v, dict) else plain(v) for v in value]
        else:
            found.append(plain(cell_text(value)))
    return [v for v in found if squash(v)]


@pytest.mark.parametrize("evaluation", EVALUATIONS)
def test_libreoffice_opens_the_workbook_with_every_value_in_its_cells(
    repo_build: tuple[BuildResult, Path], evaluation: str, tmp_path: Path
) -> None:
    import json

    _, site = repo_build
    text = calc_csv(site / evaluation / f"{evaluation}.xlsx", tmp_path)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell]
    data = json.loads((site / evaluation / f"{evaluation}.json").read_text(encoding="utf-8"))
    values = expected_values(data)
    assert len(values) > 20
    at, missing = 0, []
    squashed = [squash(c) for c in cells]
    for value in values:
        hit = next((i for i in range(at, len(cells)) if squash(value) in squashed[i]), None)
        if hit is None:
            missing.append(value[:60])
        else:
            at = hit
    assert missing == []
    assert any(c.startswith("<選択肢>") for c in cells)
    assert any(c.endswith(" ※") for c in cells)


def test_the_workbook_has_the_forms_furniture(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    with zipfile.ZipFile(site / "chiba-yobosesshu" / "chiba-yobosesshu.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        styles = book.read("xl/styles.xml").decode("utf-8")
        assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = book.read("docProps/core.xml").decode("utf-8")
    assert sheet.count("<mergeCell ") >= 10  # part and section headers span the sheet
    parts = sheet.count("<brk ")
    assert parts >= 5  # a page break before every part
    assert "_xlnm.Print_Area" in workbook and "評価書!$A$1:$C$" in workbook
    assert '<pageSetup paperSize="9"' in sheet and 'fitToHeight="0"' in sheet
    assert 'rgb="FFE6E6E6"' in styles  # shaded label cells
    assert "2000-01-01T00:00:00Z" in core  # no build time in the file
