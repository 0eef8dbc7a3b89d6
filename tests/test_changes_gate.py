"""Git-native change history: published versions (``pia publish``) and the ※ gate (``check --since``).

Every test builds its own git repository in a temporary folder from tests/projects/minimal (a
重点項目評価書, tests/gitproject.py) and drives it as an author would: edit, commit, ``pia publish``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitproject import EVALUATION, STAR_CHANGE, Project, published_project, rendered

from pia_build.building.build import check
from pia_build.cli import main


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The minimal evaluation, committed and published on 令和7年4月1日."""
    return published_project(tmp_path)


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


# --------------------------------------------------------------------------- the ※ gate


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
