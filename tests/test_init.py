"""pia init: a new repository of evaluations in one command; never overwrites, never silent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pia_build import __version__
from pia_build.cli import main
from pia_build.core.config import load_config
from pia_build.source.orgs import load_orgs

FLAGS = ["--org-id", "chiba", "--body-name", "千葉市", "--org-name", "千葉市長"]
FILES = [
    ".github/workflows/pia-check.yml",
    ".github/workflows/pia-publish.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "content/evaluations/.gitkeep",
    "content/orgs/chiba.yml",
    "pia.toml",
]


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_a_working_repository(tmp_path: Path) -> None:
    root = tmp_path / "chiba-pia"
    assert main(["init", str(root), *FLAGS, "--base-url", "https://example.lg.jp/pia/"]) == 0
    assert files(root) == FILES
    config = load_config(root)
    assert config.settings.title == "千葉市 特定個人情報保護評価書"
    assert config.settings.default_org == "chiba"
    assert config.settings.base_url == "https://example.lg.jp/pia/"
    orgs, problems = load_orgs(config.content, root)
    assert problems == [] and orgs["chiba"]["評価実施機関名"] == "千葉市長"
    for name in FILES:
        if name.endswith((".yml", ".yaml")):
            assert yaml.safe_load((root / name).read_text(encoding="utf-8"))
    pinned = f"pia-build=={__version__}"
    for name in (".pre-commit-config.yaml", ".github/workflows/pia-check.yml"):
        assert pinned in (root / name).read_text(encoding="utf-8")
    publish = yaml.safe_load((root / ".github/workflows/pia-publish.yml").read_text("utf-8"))
    steps = [s.get("uses", "") for s in publish["jobs"]["build"]["steps"]]
    assert "actions/upload-pages-artifact@v3" in steps and "actions/upload-artifact@v4" in steps
    assert publish["jobs"]["deploy"]["steps"][0]["uses"] == "actions/deploy-pages@v4"
    assert "@" not in (root / "pia.toml").read_text(encoding="utf-8")


def test_then_new_and_check_work_with_the_default_org(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path), *FLAGS]) == 0
    assert main(["--root", str(tmp_path), "new", "jumin", "--form", "focused"]) == 0
    cover = tmp_path / "content" / "evaluations" / "jumin" / "evaluation.md"
    assert "評価実施機関: chiba" in cover.read_text(encoding="utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 0  # a blank draft: warnings only


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path), *FLAGS]) == 2
    assert "is not empty; pass --force" in capsys.readouterr().err
    assert files(tmp_path) == ["notes.txt"]


def test_force_adds_only_the_missing_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("ours", encoding="utf-8")
    assert main(["init", str(tmp_path), *FLAGS, "--force"]) == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "ours"
    assert files(tmp_path) == FILES


def test_without_flags_and_without_a_terminal_it_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["init", str(tmp_path)]) == 2
    assert "give --org-id" in capsys.readouterr().err
    assert files(tmp_path) == []


def test_prompts_ask_for_what_the_flags_did_not_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["funabashi", "船橋市", "船橋市長"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["init", str(tmp_path)]) == 0
    assert "評価実施機関名: 船橋市長" in (tmp_path / "content/orgs/funabashi.yml").read_text(
        "utf-8"
    )


def test_a_bad_org_id_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["init", str(tmp_path), "--org-id", "千葉", "--body-name", "a", "--org-name", "b"])
        == 2
    )
    assert "lower-case letters" in capsys.readouterr().err


def test_requirement_sets_what_ci_installs(tmp_path: Path) -> None:
    wheel = "https://example.lg.jp/pia/pia_build-0.1.0-py3-none-any.whl"
    assert main(["init", str(tmp_path), *FLAGS, "--requirement", wheel]) == 0
    for name in (".pre-commit-config.yaml", ".github/workflows/pia-publish.yml"):
        assert wheel in (tmp_path / name).read_text(encoding="utf-8")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out == f"pia {__version__}\n"
