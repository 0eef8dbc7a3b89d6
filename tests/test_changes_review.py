"""Git-native change history: review diffs (``pia diff``, redline) and the item paths rows are keyed by.

The diff tests build their own git repository in a temporary folder from tests/projects/minimal
(tests/gitproject.py).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from gitproject import EVALUATION, STAR_CHANGE, Project, published_project

from pia_build.cli import main
from pia_build.forms import builtin_forms
from pia_build.forms.spec import ItemSpec, PartSpec
from pia_build.history.itempath import item_path, part_names, sibling_names
from pia_build.history.redline import redline, render_markdown
from pia_build.history.shapes import ChangeRecord
from pia_build.render.redline import render_html


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The minimal evaluation, committed and published on 令和7年4月1日."""
    return published_project(tmp_path)


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
