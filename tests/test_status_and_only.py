"""pia status, and checking or building one evaluation while a colleague's draft is broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pia_build.cli import main

MINIMAL = Path(__file__).resolve().parent / "projects" / "minimal"
EVALUATIONS = "content/evaluations"


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """The minimal project with a second, broken evaluation beside it."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "content", project / "content")
    broken = project / EVALUATIONS / "broken"
    shutil.copytree(project / EVALUATIONS / "minimal", broken)
    text = (broken / "1-basic.md").read_text(encoding="utf-8")
    (broken / "1-basic.md").write_text(
        text.replace("①部署: 市民局 見本課", "①部署:"), encoding="utf-8"
    )
    return project


def test_status_as_json(two: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(two), "status", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    basic = {(r["evaluation"], r["part"]): r for r in rows}
    assert basic[("minimal", "Ⅰ 基本情報")]["required_empty"] == 0
    broken = basic[("broken", "Ⅰ 基本情報")]
    assert (broken["required_empty"], broken["errors"]) == (1, 1)
    assert broken["filled"] == basic[("minimal", "Ⅰ 基本情報")]["filled"] - 1
    assert {r["evaluation"] for r in rows} == {"minimal", "broken"}


def test_status_of_one_evaluation_as_a_table(two: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(two), "status", "broken"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "evaluation",
        "part",
        "file",
        "filled",
        "empty",
        "required",
        "errors",
        "warnings",
    ]
    assert all(line.startswith("broken ") for line in lines[1:])
    assert any("1-basic.md" in line and line.split()[-3:-1] == ["1", "1"] for line in lines)


def test_check_one_evaluation_while_another_is_broken(
    two: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(two), "check"]) == 1
    assert "broken/1-basic.md" in capsys.readouterr().out
    assert main(["--root", str(two), "check", "minimal"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "no problems in 1 evaluation\n")


def test_build_one_evaluation_while_another_is_broken(
    two: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(two), "build", "minimal", "--formats", "html", "--no-search"]) == 0
    out = capsys.readouterr()
    assert "broken" not in out.out + out.err
    site = two / "output" / "site"
    assert (site / "minimal" / "index.html").is_file()
    assert not (site / "broken").exists()
