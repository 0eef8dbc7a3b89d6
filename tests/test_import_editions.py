"""Editions of an imported document: recognised from its marker and its wording.

千葉市's 重点項目評価書 (content/) is on the edition before 令和6年10月: no marker, `…における他の
リスク…`. Printed by pia and read back as tab cells, it is imported on that edition; with the
marker of an edition pia does not know it goes into the nearest edition by wording; with the
marker of 令和6年10月 it keeps the marked edition and every difference of wording is reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_build.assemble.document import assemble
from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.importer import read_evaluation
from pia_build.render import pdf
from scripts.import_corpus import REPO, scratch_project, tab_cells


@pytest.fixture(scope="module")
def chiba_text(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    if pdf.disabled_message() is not None:
        pytest.skip(str(pdf.disabled_message()))
    folder = tmp_path_factory.mktemp("edition")
    original = next(e for e in check(Config(REPO)).evaluations if e.id == "chiba-yobosesshu")
    (folder / "chiba.pdf").write_bytes(pdf.render(assemble(original), REPO / "layouts"))
    return tab_cells(folder / "chiba.pdf").split("\n")


def _import(lines: list[str], marker: str | None, tmp_path: Path):  # type: ignore[no-untyped-def]
    text = lines if marker is None else [*lines[:3], marker, *lines[3:]]
    (tmp_path / "doc.txt").write_text("\n".join(text), encoding="utf-8")
    config = Config(scratch_project(tmp_path / "p"), tmp_path / "out")
    result = read_evaluation(config, tmp_path / "doc.txt", "chiba")
    notes = [d.message for d in result.diagnostics if d.code == "import.edition"]
    return result.form.edition, notes


def test_unmarked_document_keeps_the_edition_that_printed_no_marker(
    chiba_text: list[str], tmp_path: Path
) -> None:
    edition, notes = _import(chiba_text, None, tmp_path)
    assert edition == "令和6年9月以前"
    assert len(notes) == 1 and "no 様式 marker" in notes[0]


def test_unknown_edition_goes_to_the_nearest_by_wording(
    chiba_text: list[str], tmp_path: Path
) -> None:
    edition, notes = _import(chiba_text, "[令和8年4月 様式3]", tmp_path)
    assert edition == "令和6年9月以前"
    assert len(notes) == 1 and "令和8年4月" in notes[0] and "nearest" in notes[0]


def test_marked_edition_kept_and_wording_differences_reported(
    chiba_text: list[str], tmp_path: Path
) -> None:
    edition, notes = _import(chiba_text, "[令和6年10月 様式3]", tmp_path)
    assert edition == "令和6年10月"
    assert len(notes) == 1
    assert "における他のリスク" in notes[0]  # printed as in the edition before
    assert "その必要性" in notes[0]  # the marked edition's own row, not printed
