"""Git-native change history: published versions, the generated 変更箇所 annex, the ※ gate, review diffs.

Every test builds its own git repository in a temporary folder from tests/projects/minimal (a
重点項目評価書) and drives it as an author would: edit, commit, ``pia publish``.
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
from htmltext import html_text

from pia_build.building.build import build, check
from pia_build.cli import main
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, ordered
from pia_build.forms import builtin_forms
from pia_build.forms.spec import ItemSpec, PartSpec
from pia_build.history.itempath import item_path, part_names, sibling_names
from pia_build.history.redline import redline, render_markdown
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import changes_since, history
from pia_build.publish import PublishResult, publish
from pia_build.render.redline import render_html

MINIMAL = REPO / "tests" / "projects" / "minimal"
EVALUATION = "content/evaluations/minimal"
HTML_ONLY = ("html",)


class Project:
    """A pia project in its own git repository."""

    def __init__(self, root: Path, evaluations: tuple[str, ...] = ("minimal",)) -> None:
        self.root = root
        shutil.copytree(MINIMAL / "content", root / "content")
        for other in (e for e in evaluations if e != "minimal"):
            shutil.copytree(root / EVALUATION, root / "content" / "evaluations" / other)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "見本 太郎")
        self.git("config", "user.email", "author@example.com")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")
        self.commit("first version")

    @property
    def config(self) -> Config:
        return Config(self.root, self.root / "output")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def publish(self, evaluation: str = "minimal") -> PublishResult:
        return publish(self.config, evaluation)

    def set_date(self, date: str, evaluation: str = "minimal") -> None:
        cover = self.root / "content" / "evaluations" / evaluation / "evaluation.md"
        text = re.sub(r"公表日: .*", f"公表日: {date}", cover.read_text(encoding="utf-8"))
        cover.write_text(text, encoding="utf-8")


def rendered(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.render() for d in ordered(diagnostics)]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The minimal evaluation, committed and published on 令和7年4月1日."""
    made = Project(tmp_path)
    assert made.publish().tag == "pia/minimal/2025-04-01"
    return made


def next_version(project: Project, submissions: str, date: str = "令和7年10月1日") -> None:
    """Give the evaluation a new 公表日 and changes.yml, and commit."""
    project.set_date(date)
    project.write(f"{EVALUATION}/changes.yml", submissions)
    project.commit("next version")


# --------------------------------------------------------------------------- publishing


def test_publish_tags_the_checked_commit_with_its_date(project: Project) -> None:
    message = project.git("tag", "-l", "--format=%(contents)", "pia/minimal/2025-04-01")
    assert message == "公表日: 令和7年4月1日\n\n見本市 見本事務 重点項目評価書\n\n"
    tagged = project.git("rev-parse", "pia/minimal/2025-04-01^{commit}")
    assert tagged == project.git("rev-parse", "HEAD")


def test_publish_refuses_uncommitted_files_and_an_old_date(project: Project) -> None:
    project.edit(f"{EVALUATION}/1-basic.md", "見本課長", "見本第一課長")
    result = project.publish()
    assert result.tag == ""
    assert rendered(result.diagnostics) == [
        f"{EVALUATION}/1-basic.md:16: error[changes.submission]: I-6 ②所属長の役職名 changed since"
        " pia/minimal/2025-04-01: give its 提出時期 (事前 or 事後) and 提出時期に係る説明 in"
        f" {EVALUATION}/changes.yml",
        f"{EVALUATION}/evaluation.md: error[changes.publish_date]: 公表日 must be later than that"
        " of the last published version, pia/minimal/2025-04-01",
    ]
    project.set_date("令和7年10月1日")
    project.write(
        f"{EVALUATION}/changes.yml", "変更:\n  - {項目: I-6 ②所属長の役職名, 提出時期: 事後}\n"
    )
    assert rendered(project.publish().diagnostics) == [
        f"{path}: error[changes.uncommitted]: commit this file first: pia publish tags the last"
        " commit, which must be what was checked"
        for path in (
            f"{EVALUATION}/1-basic.md",
            f"{EVALUATION}/changes.yml",
            f"{EVALUATION}/evaluation.md",
        )
    ]
    project.commit("v2")
    assert project.publish().tag == "pia/minimal/2025-10-01"


def test_publish_needs_a_clean_strict_check_and_a_published_cover(tmp_path: Path) -> None:
    made = Project(tmp_path)
    made.edit(f"{EVALUATION}/evaluation.md", "状態: 公表", "状態: 案")
    made.edit(f"{EVALUATION}/1-basic.md", "①事務の名称: 見本事務", "①事務の名称:")
    made.commit("draft")
    result = made.publish()
    assert result.tag == ""
    assert [d.code for d in result.diagnostics] == ["form.missing", "changes.unpublished"]
    assert made.git("tag", "-l") == ""


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


# --------------------------------------------------------------------------- the ※ gate


STAR_CHANGE = (
    "①入手元: [本人又は本人の代理人]",
    "①入手元: [本人又は本人の代理人, {民間事業者: 見本株式会社}]",
)


def test_check_since_reports_missing_submissions_and_unexplained_star_changes(
    project: Project,
) -> None:
    project.edit(f"{EVALUATION}/2-file-1.md", *STAR_CHANGE)
    project.write(
        f"{EVALUATION}/changes.yml",
        "変更:\n  - 項目: II-3 ①入手元\n    提出時期: 事後\n    提出時期に係る説明: 入手元の追加\n",
    )
    result = check(project.config, since="pia/minimal/2025-04-01")
    assert rendered(result.diagnostics) == [
        f"{EVALUATION}/changes.yml:2: error[changes.important]: II-3 ①入手元 is a ※ item, so this"
        " may be a 重要な変更: submitted 事後, say why it is not one (a formal change, a change that"
        " clearly lowers the risk, …) in 提出時期に係る説明 or 重要な変更に該当しない理由"
    ]
    assert [(r.item, r.star) for r in result.changes] == [("II-3 ①入手元", True)]


@pytest.mark.parametrize(
    "entry",
    [
        "    提出時期: 事前\n",
        "    提出時期: 事後\n    提出時期に係る説明: 入手元の明記であり、重要な変更には該当しない\n",
        "    提出時期: 事後\n    重要な変更に該当しない理由: リスクを明らかに軽減させる変更\n",
    ],
)
def test_a_star_change_passes_before_or_with_a_named_exception(
    project: Project, entry: str
) -> None:
    project.edit(f"{EVALUATION}/2-file-1.md", *STAR_CHANGE)
    project.write(f"{EVALUATION}/changes.yml", "変更:\n  - 項目: II-3 ①入手元\n" + entry)
    assert check(project.config, since="pia/minimal/2025-04-01").diagnostics == []


def test_mistakes_in_changes_yml_are_reported_with_their_lines(tmp_path: Path) -> None:
    made = Project(tmp_path)
    made.write(
        f"{EVALUATION}/changes.yml",
        "変更:\n"
        "  - 項目: I-6 ①部署\n"
        "    提出時期: あと\n"
        "    変更日: 令和7年13月1日\n"
        "  - 提出時期: 事後\n"
        "    説明: 誤記\n"
        "変更箇所: []\n",
    )
    path = f"{EVALUATION}/changes.yml"
    assert rendered(check(made.config).diagnostics) == [
        f"{path}:2: error[changes.timing]: 提出時期: 'あと' is not an option; write 事前 or 事後",
        f"{path}:4: error[changes.date]: 変更日: '令和7年13月1日' is not a day of the calendar",
        f"{path}:5: error[changes.entry]: this entry has no 項目",
        f"{path}:6: error[changes.entry]: '説明' is not a field; the fields are 項目, 提出時期,"
        " 提出時期に係る説明, 変更日, 重要な変更に該当しない理由",
        f"{path}:7: error[changes.entry]: changes.yml holds one list, '変更:', not '変更箇所'",
    ]


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


# --------------------------------------------------------------------------- review diffs


def test_diff_shows_items_as_markdown_and_as_an_html_redline(project: Project) -> None:
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署: 市民局 見本第二課")
    project.edit(f"{EVALUATION}/2-file-1.md", *STAR_CHANGE)
    out = project.root / "diff.html"
    assert (
        main(
            [
                "--root",
                str(project.root),
                "diff",
                "pia/minimal/2025-04-01",
                "--format",
                "html",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    page = out.read_text(encoding="utf-8")
    assert "市民局 見本<ins>第二</ins>課" in page
    assert 'II-3 ①入手元 <span class="star">※ 重要な変更の対象</span>' in page
    records = [
        ChangeRecord(
            "minimal",
            "I-6 ①部署",
            "市民局 見本課",
            "市民局 見本第二課",
            timing="事後",
            reason="a | b",
        ),
    ]
    assert render_markdown(records, "main", "working tree") == (
        "### pia diff: `main` → `working tree`\n\n"
        "1 changed item(s) in 1 evaluation(s); 0 of them ※ item(s), possible 重要な変更.\n\n"
        "#### minimal\n\n| 項目 | ※ | 提出時期 | 提出時期に係る説明 |\n|---|---|---|---|\n"
        "| I-6 ①部署 |  | 事後 | a \\| b |\n\n"
        "<details><summary>I-6 ①部署</summary>\n\n```diff\n- 市民局 見本課\n+ 市民局 見本第二課\n```\n\n"
        "</details>\n"
    )


def test_diff_defaults_to_the_merge_base_with_main_and_the_working_tree(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.git("checkout", "-q", "-b", "topic")
    project.edit(f"{EVALUATION}/1-basic.md", "見本課長", "見本第二課長")
    project.commit("on a branch")
    project.edit(f"{EVALUATION}/1-basic.md", "①部署: 市民局 見本課", "①部署: 市民局 見本第二課")
    assert main(["--root", str(project.root), "diff"]) == 0
    out = capsys.readouterr().out
    assert "→ `working tree`" in out and "(merge-base with main)" in out
    assert re.findall(r"<summary>(.*)</summary>", out) == ["I-6 ①部署", "I-6 ②所属長の役職名"]


def test_redline_marks_characters_within_changed_lines() -> None:
    record = ChangeRecord("x", "I-1", "一\n見本課の事務\n三", "一\n見本第二課の事務\n三")
    assert [(p.op, p.text) for p in redline(record)] == [
        ("equal", "一\n見本"),
        ("insert", "第二"),
        ("equal", "課の事務\n三"),
    ]
    assert b"<ins>" not in render_html([], "a", "b", REPO / "layouts")


def test_cli_publish_and_check_since(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = Project(tmp_path)
    assert main(["--root", str(tmp_path), "publish", "minimal"]) == 0
    assert "published minimal as pia/minimal/2025-04-01" in capsys.readouterr().out
    made.edit(f"{EVALUATION}/2-file-1.md", *STAR_CHANGE)
    assert main(["--root", str(tmp_path), "check", "--since", "pia/minimal/2025-04-01"]) == 1
    err = capsys.readouterr().err
    assert (
        "1 change(s) to ※ items (重要な変更の対象):\n  minimal: II-3 ①入手元 (提出時期 not given)"
        in err
    )
    assert main(["--root", str(tmp_path), "check", "--since", "no-such-rev"]) == 2
    assert "'no-such-rev' is not a commit, branch or tag" in capsys.readouterr().err
    assert main(["--root", str(tmp_path), "publish", "nothing"]) == 2


# --------------------------------------------------------------------------- item paths


def leaf_paths(part: PartSpec) -> list[str]:
    """Return the path of every leaf item of a part (groups with one row)."""
    paths: list[str] = []

    def walk(
        items: tuple[ItemSpec, ...], names: dict[str, tuple[str, ...]], segments: tuple[str, ...]
    ) -> None:
        for spec in (s for s in items if s.printed):
            here = segments + names[spec.key]
            if spec.kind == "section":
                walk(spec.children, sibling_names(spec.children, spec.label), here)
            elif spec.kind == "group":
                row = here + (spec.item_label.replace("{n}", "1"),)
                walk(spec.children, sibling_names(spec.children, spec.label), row)
            else:
                paths.append(item_path(part, here))

    walk(part.items, part_names(part), ())
    return paths


@pytest.mark.parametrize("form_id", sorted(builtin_forms()))
def test_every_item_of_every_form_has_its_own_path(form_id: str) -> None:
    paths = [p for part in builtin_forms()[form_id].parts for p in leaf_paths(part)]
    assert len(paths) == len(set(paths)), sorted({p for p in paths if paths.count(p) > 1})


def test_paths_follow_the_notation_of_the_seeds() -> None:
    full = {p for part in builtin_forms()["full"].parts for p in leaf_paths(part)}
    for path in (
        "I-1 ②事務の内容",
        "I-2 システム1 ②システムの機能",
        "I-5",
        "II-3 ⑦使用の主体 使用部署",
        "II-3 ⑧使用方法 情報の突合",
        "II-4 委託事項1",
        "II-4 委託事項1 ②取扱いを委託する特定個人情報ファイルの範囲 その妥当性",
        "III-3 リスク2 ユーザ認証の管理 具体的な管理方法",
        "III-7 リスク1 ⑤物理的対策 具体的な対策の内容",
        "III-7 リスク1 その他の措置の内容",
        "IV-2 従業者に対する教育・啓発 具体的な方法",
        "IV-3",
        "V-1 ③手数料等 手数料額、納付方法",
        "（別添1）事務の内容",
        "（別添1）事務の内容 （備考）",
        "（別添2）特定個人情報ファイル記録項目",
    ):
        assert path in full, path


def test_a_diff_too_long_for_a_comment_keeps_only_the_tables() -> None:
    records = [ChangeRecord("minimal", "I-1 ②事務の内容", "前" * 50, "後" * 50, star=True)]
    short = render_markdown(records, "a", "b", limit=200)
    assert "<details>" not in short and "| I-1 ②事務の内容 | ※ | 未記入 |  |" in short
    assert short.endswith("read them in the HTML redline page (pia diff --format html).\n")


def test_only_the_git_module_runs_git() -> None:
    pattern = re.compile(r"""\[\s*["']git["']""")
    modules = (REPO / "pia_build").rglob("*.py")
    assert {
        p.relative_to(REPO / "pia_build").as_posix()
        for p in modules
        if pattern.search(p.read_text(encoding="utf-8"))
    } == {"history/git.py"}
