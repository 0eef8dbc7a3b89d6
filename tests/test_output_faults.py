"""Output folder faults (issue 15) are one-line errors found before any rendering starts."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from pia_build import build
from pia_build.cli import main
from pia_build.core.config import Config, ConfigError

REPO = Path(__file__).resolve().parents[1]
build_module = importlib.import_module("pia_build.building.build")
output_module = importlib.import_module("pia_build.building.output")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content" / "orgs", root / "content" / "orgs")
    shutil.copytree(
        REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal",
        root / "content" / "evaluations" / "minimal",
    )

    def no_rendering(*_: object) -> None:
        raise AssertionError("rendering started before the output folder was checked")

    monkeypatch.setattr(build_module, "run_job", no_rendering)
    return Config(root)


@pytest.mark.parametrize("where", ["", "site", ".pia_build", "site/minimal"])
def test_a_file_where_a_folder_should_be(project: Config, where: str) -> None:
    target = project.output / where if where else project.output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        build(project, formats=("html",))
    assert "is a file where pia writes a folder" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_parent_that_is_a_file(project: Config, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="plain"):
        build(Config(project.root, tmp_path / "plain" / "out"), formats=("html",))


def test_a_folder_that_cannot_be_written(project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(folder: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output_module, "probe", read_only)
    with pytest.raises(ConfigError, match="cannot write in .*: Permission denied"):
        build(project, formats=("html",))


def test_the_cli_prints_one_line_and_exits_2(
    project: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    project.output.write_text("not a folder", encoding="utf-8")
    assert main(["--root", str(project.root), "build", "--formats", "html"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_pia_diff_into_a_missing_folder(
    project: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "diff.md"
    assert main(["--root", str(project.root), "diff", "-o", str(out)]) == 2
    assert "is not a folder" in capsys.readouterr().err and not out.exists()
