"""``pia import FILE.pdf`` and the import corpus (scripts/import_corpus.py).

Every evaluation of content/ is printed by pia (typst) and through DOCX → LibreOffice, imported
back from the PDF itself and from its texts, and compared item by item with its source: the
share of items whose value came back. The corpus is built once per content and renderer version
and cached in pytest's cache folder (LibreOffice takes about a minute for the three DOCX).
Every case also checks that no row of the input is lost: each is in an item, is the form's own
structure, or is listed as unplaced in IMPORT.md.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pia_build.cli import main
from pia_build.render import pdf
from scripts.import_corpus import REPO, Input, Measured, build, measure, scratch_project

PDF_GOAL = 0.98
"""The issue's goal for PDF input, from either producer."""
TEXT_FLOOR = {"tab": 0.98, "layout": 0.95}
DAMAGED_FLOOR = {"swapped": 0.97, "noheader": 0.97, "split": 0.97, "legends": 0.95, "dropped": 0.88}
RAW_FLOOR = {"raw": 0.90, "shuffled": 0.0}
"""Measured shares less a margin (docs/benchmarks.md has the figures): a regression fails."""
RAW_TEXT_FLOOR = {
    ("chiba-yobosesshu", "typst"): 0.93,
    ("chiba-yobosesshu", "libreoffice"): 0.96,
    ("kawaguchi-jumin", "typst"): 0.94,
    ("kawaguchi-jumin", "libreoffice"): 0.90,
    ("mihon-jumin", "typst"): 0.90,
    ("mihon-jumin", "libreoffice"): 0.89,
}
"""Plain pdftotext text of either producer: measured shares less a margin (the goal is 90%)."""
LIBREOFFICE_LAYOUT_FLOOR = {"chiba-yobosesshu": 0.93, "kawaguchi-jumin": 0.92, "mihon-jumin": 0.93}
"""``pdftotext -layout`` text of LibreOffice's PDFs: measured shares less a margin."""

needs_tools = pytest.mark.skipif(
    pdf.disabled_message() is not None
    or shutil.which("pdftotext") is None
    or shutil.which("soffice") is None,
    reason="needs typst, poppler-utils (pdftotext) and LibreOffice (soffice)",
)


def _fingerprint() -> str:
    """Return a digest of what the corpus is made from (content, layouts, renderers)."""
    digest = hashlib.sha256()
    for folder in ("content/evaluations", "layouts", "pia_build/render", "pia_build/assemble"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(REPO)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str, str], Input]:
    """Return the corpus inputs by (evaluation, producer, kind), built once and cached.

    Without pytest's cache (``-p no:cacheprovider``) the corpus is built for this session in a
    temporary folder.
    """
    cache = getattr(request.config, "cache", None)
    name = f"import-corpus-{_fingerprint()}"
    folder = Path(cache.mkdir(name)) if cache is not None else tmp_path_factory.mktemp(name)
    return {(i.evaluation, i.producer, i.kind): i for i in build(folder)}


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_project(tmp_path_factory.mktemp("corpus-project"))


def _measured(corpus: dict, project: Path, key: tuple[str, str, str]) -> Measured:  # type: ignore[type-arg]
    measured = measure(corpus[key], project)
    print(f"{corpus[key].path.name}: {measured.right}/{measured.items} ({measured.accuracy:.1%})")
    print(measured.result.coverage.summary())
    for miss in measured.misses:
        print(f"  missed {miss}")
    return measured


@needs_tools
@pytest.mark.parametrize("producer", ["typst", "libreoffice"])
@pytest.mark.parametrize("evaluation", ["mihon-jumin", "chiba-yobosesshu", "kawaguchi-jumin"])
def test_pdf_import_item_accuracy(
    corpus: dict, project: Path, evaluation: str, producer: str
) -> None:  # type: ignore[type-arg]
    measured = _measured(corpus, project, (evaluation, producer, "pdf"))
    assert measured.result.coverage.understood
    assert measured.lost == 0
    assert measured.accuracy >= PDF_GOAL, measured.misses


@needs_tools
@pytest.mark.parametrize("kind", ["tab", "layout"])
def test_text_import_item_accuracy(corpus: dict, project: Path, kind: str) -> None:  # type: ignore[type-arg]
    measured = _measured(corpus, project, ("mihon-jumin", "typst", kind))
    assert measured.lost == 0
    assert measured.accuracy >= TEXT_FLOOR[kind], measured.misses


@needs_tools
@pytest.mark.parametrize("evaluation", sorted(LIBREOFFICE_LAYOUT_FLOOR))
def test_libreoffice_layout_item_accuracy(corpus: dict, project: Path, evaluation: str) -> None:  # type: ignore[type-arg]
    measured = _measured(corpus, project, (evaluation, "libreoffice", "layout"))
    assert measured.result.coverage.understood
    assert measured.lost == 0
    assert measured.accuracy >= LIBREOFFICE_LAYOUT_FLOOR[evaluation], measured.misses


@needs_tools
@pytest.mark.parametrize("kind", sorted(DAMAGED_FLOOR))
def test_damaged_input(corpus: dict, project: Path, kind: str) -> None:  # type: ignore[type-arg]
    measured = _measured(corpus, project, ("mihon-jumin", "typst", kind))
    assert measured.lost == 0
    assert measured.accuracy >= DAMAGED_FLOOR[kind], measured.misses


@needs_tools
@pytest.mark.parametrize("kind", ["raw", "shuffled"])
def test_scrambled_text_no_line_lost(corpus: dict, project: Path, kind: str) -> None:  # type: ignore[type-arg]
    measured = _measured(corpus, project, ("mihon-jumin", "typst", kind))
    assert measured.lost == 0
    assert measured.accuracy >= RAW_FLOOR[kind], measured.misses


@needs_tools
@pytest.mark.parametrize(("evaluation", "producer"), sorted(RAW_TEXT_FLOOR))
def test_raw_text_item_accuracy(
    corpus: dict,  # type: ignore[type-arg]
    project: Path,
    evaluation: str,
    producer: str,
) -> None:
    measured = _measured(corpus, project, (evaluation, producer, "raw"))
    assert measured.result.coverage.understood
    assert measured.lost == 0
    assert measured.accuracy >= RAW_TEXT_FLOOR[(evaluation, producer)], measured.misses


@needs_tools
def test_scrambled_input_is_not_understood(
    corpus: dict,  # type: ignore[type-arg]
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = scratch_project(tmp_path)
    source = corpus[("mihon-jumin", "typst", "shuffled")].path
    args = ["--root", str(root), "import", str(source), "--id", "scrambled", "--org", "mihon"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "not understood" in err and "Nothing was written" in err
    assert not (root / "content" / "evaluations" / "scrambled").exists()
    assert main([*args, "--force"]) == 0
    report = (root / "content" / "evaluations" / "scrambled" / "IMPORT.md").read_text("utf-8")
    assert "## Unplaced" in report and "Coverage:" in report


@needs_tools
def test_pdf_rows_carry_page_and_line(corpus: dict, project: Path) -> None:  # type: ignore[type-arg]
    result = _measured(corpus, project, ("mihon-jumin", "typst", "dropped")).result
    coverage = result.coverage
    assert coverage.where and all(p >= 1 and line >= 1 for p, line in coverage.where.values())
    for line, _ in coverage.unplaced:
        assert f"{coverage.place(line)} (row {line})" in result.files["IMPORT.md"]
