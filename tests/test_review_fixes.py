"""Issue 13's review defects: diffs of added evaluations, --since per evaluation, choice redlines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitproject import EVALUATION, STAR_CHANGE, Project

from pia_build.cli import main
from pia_build.history.redline import redline
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import changes_between


def test_diff_shows_an_evaluation_added_on_the_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path)
    project.git("checkout", "-q", "-b", "topic")
    shutil.copytree(project.root / EVALUATION, project.root / "content" / "evaluations" / "added")
    project.commit("a new evaluation")
    assert main(["--root", str(project.root), "diff"]) == 0
    out = capsys.readouterr().out
    assert "added" in out and "I-6 ①部署" in out
    records = changes_between(
        project.config, project.git("merge-base", "HEAD", "main").strip(), None
    )
    assert {r.evaluation for r in records} == {"added"}
    assert all(r.before == "－" or r.kind == "added" for r in records), records[:3]


def test_since_a_tag_of_one_evaluation_asks_nothing_of_a_never_published_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = Project(tmp_path, ("minimal", "draft"))
    tag = project.publish("minimal").tag
    assert tag == "pia/minimal/2025-04-01"
    project.edit(f"{EVALUATION}/2-file-1.md", *STAR_CHANGE)
    project.edit("content/evaluations/draft/2-file-1.md", *STAR_CHANGE)
    code = main(["--root", str(project.root), "check", "--since", tag])
    out = capsys.readouterr().out
    assert "content/evaluations/minimal/2-file-1.md" in out  # the published one needs its entry
    assert "content/evaluations/draft/" not in out  # the draft has no 変更箇所 yet
    assert code == 1


def test_a_choice_is_redlined_as_old_value_then_new_value() -> None:
    record = ChangeRecord(
        "x", "II-2 ②対象となる本人の数", "1万人以上10万人未満", "10万人以上100万人未満", whole=True
    )
    assert [(p.op, p.text) for p in redline(record)] == [
        ("delete", "1万人以上10万人未満"),
        ("insert", "10万人以上100万人未満"),
    ]


def test_a_changed_choice_in_a_real_diff_is_whole(tmp_path: Path) -> None:
    project = Project(tmp_path)
    base = project.git("rev-parse", "HEAD").strip()
    project.edit(
        f"{EVALUATION}/1-basic.md",
        "③対象人数: 10万人以上30万人未満",
        "③対象人数: 1万人以上10万人未満",
    )
    records = [r for r in changes_between(project.config, base, None) if "対象人数" in r.item]
    assert records and all(r.whole for r in records)
    assert [(p.op, p.text) for p in redline(records[0])] == [
        ("delete", "10万人以上30万人未満"),
        ("insert", "1万人以上10万人未満"),
    ]
