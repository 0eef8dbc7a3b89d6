"""One bad evaluation holds back nothing else; a draft with gaps builds with 未記入 marks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from htmltext import html_text

from pia_build.cli import main
from pia_build.core.config import Config
from pia_build.importer import import_evaluation

REPO = Path(__file__).resolve().parents[1]
MINIMAL = REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal"
DAMAGED = REPO / "tests" / "fixtures" / "import" / "damaged.txt"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pia(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """A project with three valid evaluations a, b, c."""
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    for name in "abc":
        shutil.copytree(MINIMAL, tmp_path / "content" / "evaluations" / name)
    return tmp_path


def test_an_invalid_evaluation_keeps_its_last_good_outputs(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = three / "output" / "site"
    assert pia(three, "build", "--formats", "html,docx", "--no-search") == 0
    before = {f: (site / "c" / f).read_bytes() for f in ("index.html", "c.docx")}
    evaluations = three / "content" / "evaluations"
    for name in "ab":
        edit(evaluations / name / "1-basic.md", "見本事務", f"見本事務（{name}改訂）")
    edit(
        evaluations / "c" / "evaluation.md",
        "重大事故の発生: 発生なし",
        "重大事故の発生: たぶんなし",
    )
    capsys.readouterr()
    assert pia(three, "build", "--formats", "html,docx", "--no-search") == 1
    out = capsys.readouterr()
    assert (
        "error[form.choice]" in out.out and "c: 1 error(s); its last good outputs stay" in out.err
    )
    for name in "ab":  # the other two are rendered
        assert f"見本事務（{name}改訂）" in html_text(
            (site / name / "index.html").read_text("utf-8")
        )
    assert {f: (site / "c" / f).read_bytes() for f in before} == before  # c keeps its outputs
    home = html_text((site / "index.html").read_text(encoding="utf-8"))
    assert "未更新（エラー 1 件: 前回の版を掲載中）" in home
    assert pia(three, "build", "--formats", "html,docx", "--no-search") == 1  # still held
    assert {f: (site / "c" / f).read_bytes() for f in before} == before
    edit(
        evaluations / "c" / "evaluation.md",
        "重大事故の発生: たぶんなし",
        "重大事故の発生: 発生なし",
    )
    assert pia(three, "build", "--formats", "html,docx", "--no-search") == 0
    assert "未更新" not in html_text((site / "index.html").read_text(encoding="utf-8"))


def test_a_new_evaluation_with_errors_publishes_nothing_and_holds_back_nothing(
    three: Path,
) -> None:
    edit(three / "content/evaluations/c/evaluation.md", "発生なし", "たぶんなし")
    assert pia(three, "build", "--formats", "html", "--no-search") == 1
    site = three / "output" / "site"
    assert (site / "a" / "index.html").is_file() and (site / "b" / "index.html").is_file()
    assert not (site / "c").exists()


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    """A draft made by pia import from a published evaluation whose text has gaps."""
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    # a damaged text is below the importer's coverage threshold: written anyway, as --force does
    import_evaluation(Config(tmp_path), DAMAGED, "gaps", "mihon", force=True)
    folder = tmp_path / "content" / "evaluations" / "gaps"
    # the one value that is wrong rather than missing: a date without its day
    edit(folder / "2-file-1.md", "平成29年4月\n", "平成29年4月1日\n")
    assert "状態: 案" in (folder / "evaluation.md").read_text(encoding="utf-8")
    return tmp_path


def test_an_imported_draft_with_gaps_builds_with_unwritten_marks(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docxtext import raw_text as docx_text
    from pdftext import pdf_text

    assert pia(imported, "build", "--no-search") == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if "warning[form.missing]" in line]
    items = [w for w in warnings if "history.yml" not in w]  # 変更箇所 rows are no form items
    assert len(items) >= 30 and all("it prints as 未記入 while 状態 is 案" in w for w in items)
    site = imported / "output" / "site" / "gaps"
    html = (site / "index.html").read_text(encoding="utf-8")
    marks = re.findall(r'class="(?:selected )?unwritten">(?:\[ )?未記入', html)
    assert len(marks) == len(items)  # the page's risk strip says 未記入 too: count the marks
    pdf = pdf_text((site / "gaps.pdf").read_bytes(), imported)
    docx = docx_text((site / "gaps.docx").read_bytes())
    assert pdf.count("未記入") == docx.count("未記入") == len(items)
    assert pia(imported, "build", "--no-search", "--strict") == 1


def test_a_published_evaluation_with_an_empty_required_item_stays_an_error(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cover = imported / "content" / "evaluations" / "gaps" / "evaluation.md"
    edit(cover, "状態: 案", "状態: 公表")
    assert pia(imported, "check") == 1
    out = capsys.readouterr().out
    assert "error[form.missing]" in out and "未記入" not in out
