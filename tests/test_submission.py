"""The copy for submission (issue 12): `pia build --for submission`, or `build_for = "submission"`
in pia.toml, leaves the clause provenance marks (標準記載 <id> v<version>) out of PDF and DOCX;
the site keeps them, and switching back rebuilds the submitted formats (outputs never stale)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pia_build.assemble.provenance import unwrap_clauses
from pia_build.cli import main

REPO = Path(__file__).resolve().parents[1]
MARK = "標準記載"


def test_unwrap_keeps_the_clause_text_and_drops_the_fences() -> None:
    text = "前の文。\n\n::: clause chukan-pf/education 1\n職員に研修を行う。\n:::\n後の文。"
    assert unwrap_clauses(text) == "前の文。\n\n\n職員に研修を行う。\n\n後の文。"
    assert unwrap_clauses("時刻は 10:00 です。") == "時刻は 10:00 です。"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the 千葉市 evaluation (it uses standard clauses) with its org."""
    content = tmp_path / "content"
    for name in ("orgs", "clauses"):
        if (REPO / "content" / name).is_dir():
            shutil.copytree(REPO / "content" / name, content / name)
    chiba = REPO / "content" / "evaluations" / "chiba-yobosesshu"
    shutil.copytree(chiba, content / "evaluations" / "chiba-yobosesshu")
    return tmp_path


def marks(root: Path) -> dict[str, int]:
    """Return how many provenance marks each output of the 千葉市 evaluation prints."""
    site = root / "output" / "site" / "chiba-yobosesshu"
    pdf = subprocess.run(
        ["pdftotext", str(site / "chiba-yobosesshu.pdf"), "-"], capture_output=True, text=True
    ).stdout
    with zipfile.ZipFile(site / "chiba-yobosesshu.docx") as z:
        docx = z.read("word/document.xml").decode("utf-8")
    page = (site / "index.html").read_text(encoding="utf-8")
    return {"pdf": pdf.count(MARK), "docx": docx.count(MARK), "html": page.count(MARK)}


def build(root: Path, *extra: str) -> None:
    args = ["--root", str(root), "build", "--no-search", "-j", "1", "--executor", "serial"]
    assert main([*args, *extra]) == 0


def test_submission_leaves_marks_out_of_pdf_and_docx_only(project: Path) -> None:
    build(project)
    review = marks(project)
    assert review["pdf"] > 0 and review["docx"] > 0 and review["html"] > 0
    build(project, "--for", "submission")
    submitted = marks(project)
    assert submitted["pdf"] == 0 and submitted["docx"] == 0
    assert submitted["html"] == review["html"]
    build(project)  # back to review: PDF and DOCX are rebuilt, not kept from the submission
    assert marks(project) == review


def test_pia_toml_build_for(project: Path) -> None:
    (project / "pia.toml").write_text('build_for = "submission"\n', encoding="utf-8")
    build(project)
    assert marks(project)["pdf"] == 0
    (project / "pia.toml").write_text('build_for = "submitted"\n', encoding="utf-8")
    assert main(["--root", str(project), "build", "--no-search"]) == 2
