"""Git-native change history: the generated 変更箇所 annex rows, and the annex in HTML, PDF and DOCX.

Every test builds its own git repository in a temporary folder from tests/projects/minimal (a
重点項目評価書, tests/gitproject.py) and drives it as an author would: edit, commit, ``pia publish``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from gitproject import EVALUATION, HTML_ONLY, Project, next_version, published_project, rendered
from htmltext import html_text

from pia_build.building.build import build
from pia_build.history.snapshots import changes_since, history


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The minimal evaluation, committed and published on 令和7年4月1日."""
    return published_project(tmp_path)


# --------------------------------------------------------------------------- the annex rows


def test_nothing_changed_gives_no_rows(project: Project) -> None:
    project.set_date("令和7年10月1日")
    project.commit("only a new 公表日")
    assert project.publish().tag == "pia/minimal/2025-10-01"
    assert history(project.config) == {"minimal": []}


def test_whitespace_only_edits_give_no_row(project: Project) -> None:
    project.edit(
        f"{EVALUATION}/1-basic.md", "見本法に基づく見本事務。", "見本法に基づく\n  見本事務。 "
    )
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署:   市民局　見本課")
    next_version(project, "変更: []\n")
    assert rendered(project.publish().diagnostics) == []
    assert history(project.config) == {"minimal": []}


def test_a_changed_item_is_one_row_with_its_path_texts_and_submission(project: Project) -> None:
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署: 市民局 見本第二課")
    project.edit(
        f"{EVALUATION}/2-file-1.md", "見本台帳で管理する。", "見本台帳及び見本システムで管理する。"
    )
    next_version(
        project,
        "変更:\n"
        "  - 項目: I-6 ①部署\n"
        "    提出時期: 事後\n"
        "    提出時期に係る説明: 組織改正に伴う名称変更\n"
        "  - 項目: Ⅱ－3 ⑤使用方法\n"  # Roman numeral, full-width dash: the same path
        "    変更日: 令和7年11月1日\n"
        "    提出時期: 事前\n"
        "    提出時期に係る説明: 見本システムの導入に伴う変更\n",
    )
    assert project.publish().tag == "pia/minimal/2025-10-01"
    rows = history(project.config)["minimal"]
    assert [
        (r.item, r.before, r.after, r.timing, r.reason, r.date, r.star, r.version) for r in rows
    ] == [
        (
            "I-6 ①部署",
            "市民局 見本課",
            "市民局 見本第二課",
            "事後",
            "組織改正に伴う名称変更",
            dt.date(2025, 10, 1),
            False,
            "pia/minimal/2025-10-01",
        ),
        (
            "II-3 ⑤使用方法",
            "見本台帳で管理する。",
            "見本台帳及び見本システムで管理する。",
            "事前",
            "見本システムの導入に伴う変更",
            dt.date(2025, 11, 1),
            False,
            "pia/minimal/2025-10-01",
        ),
    ]


def test_unpublished_changes_follow_the_published_ones(project: Project) -> None:
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署: 市民局 見本第二課")
    next_version(
        project, "変更:\n  - {項目: I-6 ①部署, 提出時期: 事後, 提出時期に係る説明: 名称変更}\n"
    )
    assert project.publish().tag
    project.edit(f"{EVALUATION}/1-basic.md", "見本課長", "見本第二課長")
    rows = history(project.config)["minimal"]
    assert [(r.item, r.version, r.date, r.timing) for r in rows] == [
        ("I-6 ①部署", "pia/minimal/2025-10-01", dt.date(2025, 10, 1), "事後"),
        ("I-6 ②所属長の役職名", "", None, ""),  # not published yet: no 変更日 until a new 公表日
    ]


def test_an_added_or_removed_group_row_is_one_row(project: Project) -> None:
    project.edit(f"{EVALUATION}/2-file-1.md", "- 提供を行っている: 1", "- 提供を行っている: 2")
    project.edit(
        f"{EVALUATION}/2-file-1.md",
        "    ⑥提供方法: [情報提供ネットワークシステム]\n",
        "    ⑥提供方法: [情報提供ネットワークシステム]\n"
        "  - 提供先名: 見本町長\n"
        "    ①法令上の根拠: 番号法第19条第8号\n"
        "    ②提供先における用途: 見本町の見本事務。\n"
        "    ③提供する情報: 見本情報\n"
        "    ④提供する情報の対象となる本人の数: 1万人未満\n"
        "    ⑤提供する情報の対象となる本人の範囲: 見本事務の対象者。\n"
        "    ⑥提供方法: [情報提供ネットワークシステム]\n"
        "    ⑦時期・頻度: 照会の都度。\n",
    )
    next_version(
        project,
        "変更:\n  - {項目: II-5 提供先2, 提出時期: 事後, 提出時期に係る説明: 提供先の追加}\n",
    )
    assert rendered(project.publish().diagnostics) == []
    project.git("revert", "--no-edit", "HEAD")  # and remove it again
    next_version(
        project,
        "変更:\n  - {項目: II-5 提供先2, 提出時期: 事後, 提出時期に係る説明: 提供先の削除}\n",
        "令和8年4月1日",
    )
    assert project.publish().tag == "pia/minimal/2026-04-01"
    rows = history(project.config)["minimal"]
    flattened = (
        "見本町長\n\n①法令上の根拠 番号法第19条第8号\n\n②提供先における用途 見本町の見本事務。\n\n"
        "③提供する情報 見本情報\n\n④提供する情報の対象となる本人の数 1万人未満\n\n"
        "⑤提供する情報の対象となる本人の範囲 見本事務の対象者。\n\n⑥提供方法 情報提供ネットワークシステム\n\n"
        "⑦時期・頻度 照会の都度。"
    )
    assert [(r.item, r.kind, r.before, r.after, r.reason) for r in rows] == [
        ("II-5 提供先2", "added", "－", flattened, "提供先の追加"),
        ("II-5 提供先2", "removed", flattened, "項目ごと削除", "提供先の削除"),
    ]


def test_a_new_clause_version_changes_every_evaluation_that_uses_it(tmp_path: Path) -> None:
    made = Project(tmp_path, ("a", "b"))
    shutil.rmtree(made.root / EVALUATION)
    made.commit("two evaluations")
    assert made.publish("a").tag and made.publish("b").tag
    clause = "content/clauses/chukan-pf/storage.md"
    made.edit(clause, "version: 1\n", "version: 2\n")
    made.edit(
        clause,
        "params:\n",
        "  - version: 2\n    date: 2025-06-01\n    提出時期: 事後\n"
        "    提出時期に係る説明: 標準記載の改訂であり、重要な変更には該当しない\n"
        "params:\n",
    )
    made.edit(
        clause,
        "バックアップもデータベース上に保存される。",
        "バックアップは別のデータセンターに保存される。",
    )
    made.commit("clause v2")
    since, problems = changes_since(made.config, "pia/a/2025-04-01")
    assert problems == []
    assert [(r.evaluation, r.item, r.clauses, r.timing, r.star) for r in since] == [
        ("a", "II-6", (("chukan-pf/storage", 2),), "事後", True),
        ("b", "II-6", (("chukan-pf/storage", 2),), "事後", True),
    ]
    for evaluation in ("a", "b"):
        made.set_date("令和7年7月1日", evaluation)
    made.commit("republish")
    assert made.publish("a").tag == "pia/a/2025-07-01" and made.publish("b").tag
    rows = history(made.config)
    for evaluation in ("a", "b"):
        (row,) = rows[evaluation]
        assert "バックアップもデータベース上に" in row.before
        assert "バックアップは別のデータセンターに" in row.after
        assert row.reason == "標準記載の改訂であり、重要な変更には該当しない"
        assert row.date == dt.date(2025, 7, 1)


# --------------------------------------------------------------------------- outputs


def test_generated_rows_follow_imported_ones_in_html_pdf_and_docx(project: Project) -> None:
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    project.write(
        f"{EVALUATION}/history.yml",
        "変更箇所:\n  - {変更日: 令和6年4月1日, 項目: I-6 ①部署, 変更前の記載: 見本室, 変更後の記載: 市民局 見本課,"
        " 提出時期: 事後, 提出時期に係る説明: 組織改正}\n",
    )
    project.commit("imported history")
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署: 市民局 見本第二課")
    next_version(
        project, "変更:\n  - {項目: I-6 ①部署, 提出時期: 事後, 提出時期に係る説明: 名称変更}\n"
    )
    assert project.publish().tag
    result = build(project.config)
    assert rendered(result.diagnostics) == []
    site = project.root / "output" / "site" / "minimal"
    expected = "令和6年4月1日I-6①部署見本室市民局見本課事後組織改正令和7年10月1日I-6①部署市民局見本課市民局見本第二課事後名称変更"
    html = squash(html_text((site / "index.html").read_text(encoding="utf-8")))
    assert expected in html
    assert expected in squash(docx_text((site / "minimal.docx").read_bytes()))
    if shutil.which("pdftotext"):  # pdftotext reads the row's cells in layout order
        text = squash(pdf_text(site / "minimal.pdf"))
        assert "令和7年10月1日I-6①部署市民局見本課市民局見本第二課事後" in text
        assert text.index("組織改正") < text.index("令和7年10月1日I-6") < text.index("名称変更")


def test_a_new_tag_rebuilds_the_annex(project: Project) -> None:
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    project.commit("layouts")
    build(project.config, formats=HTML_ONLY)
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署: 市民局 見本第二課")
    next_version(
        project, "変更:\n  - {項目: I-6 ①部署, 提出時期: 事後, 提出時期に係る説明: 名称変更}\n"
    )
    assert build(project.config, formats=HTML_ONLY).rendered == [("minimal", "html")]
    assert build(project.config, formats=HTML_ONLY).rendered == []
    assert project.publish().tag
    assert build(project.config, formats=HTML_ONLY).rendered == [("minimal", "html")]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
