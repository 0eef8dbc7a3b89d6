"""Everything stays inside the project (issue 15): evaluation ids, symlinks out of content/,
``pia new`` and ``pia import`` ids, ``import --force``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pia_build import build
from pia_build.building.build import check
from pia_build.cli import main
from pia_build.core.config import Config
from pia_build.importer import import_evaluation
from pia_build.source.ids import id_problem
from pia_build.source.loader import is_source

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parent / "seeds"
MINIMAL = REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal"


@pytest.fixture
def project(tmp_path: Path) -> Config:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content" / "orgs", root / "content" / "orgs")
    shutil.copytree(MINIMAL, root / "content" / "evaluations" / "minimal")
    return Config(root)


def codes(config: Config) -> list[tuple[str, str]]:
    return [(d.code, d.location.path) for d in check(config).diagnostics]


@pytest.mark.parametrize(
    "name", ["search", "clauses", "index.html", "Search", "a#b", "a?b", "100%", "a b", "pagefind"]
)
def test_a_folder_name_that_is_not_an_id_is_an_error_and_builds_nothing(
    project: Config, name: str
) -> None:
    shutil.copytree(MINIMAL, project.content / "evaluations" / name)
    assert ("evaluation.id", f"content/evaluations/{name}") in codes(project)
    result = build(project, formats=("html",))
    assert ("minimal", "html") in result.rendered
    assert not any(e == name for e, _ in result.rendered)
    assert (project.output / "site" / "index.html").is_file()


def test_a_folder_name_that_is_not_utf8_is_an_error(
    project: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = os.fsdecode(b"bad\xff")
    shutil.copytree(MINIMAL, project.content / "evaluations" / bad)
    assert ("evaluation.id", "content/evaluations/bad\\xff") in codes(project)
    assert main(["--root", str(project.root), "check"]) == 1
    assert "content/evaluations/bad\\xff: error[evaluation.id]" in capsys.readouterr().out
    assert build(project, formats=("html",)).rendered == [("minimal", "html")]


def test_an_evaluation_file_linked_outside_content_is_not_read(
    project: Config, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("## 秘密\n\n外の文書\n", encoding="utf-8")
    (project.content / "evaluations" / "minimal" / "6-secret.md").symlink_to(secret)
    assert ("file.outside", "content/evaluations/minimal/6-secret.md") in codes(project)
    build(project, formats=("html",))
    assert not any("外の文書" in p.read_text("utf-8") for p in project.output.rglob("*.html"))


def test_an_evaluation_folder_linked_outside_content_is_not_read(
    project: Config, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    shutil.copytree(MINIMAL, outside)
    (project.content / "evaluations" / "linked").symlink_to(outside)
    assert ("evaluation.id", "content/evaluations/linked") in codes(project)


@pytest.mark.parametrize("bad", ["../../../x", "/abs/path", "..", "a/b", "", "  ", "search"])
def test_pia_new_never_writes_outside_content_evaluations(
    project: Config, bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(tmp_path.rglob("*"))
    code = main(["--root", str(project.root), "new", bad, "--form", "focused", "--org", "mihon"])
    assert code == 2 and sorted(tmp_path.rglob("*")) == before
    err = capsys.readouterr().err
    assert "nothing was written" in err and "Traceback" not in err
    if not bad.strip():
        assert "an evaluation id is needed" in err


@pytest.mark.parametrize("bad", ["../../../x", "/abs/path", "a/../../b", "", "x#y"])
def test_pia_import_never_writes_outside_content_evaluations(
    project: Config, bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(tmp_path.rglob("*"))
    seed = str(SEEDS / "003_c8b8949bf602a6a1.txt")
    code = main(["--root", str(project.root), "import", seed, "--id", bad, "--org", "mihon"])
    assert code == 2 and sorted(tmp_path.rglob("*")) == before
    assert "nothing was written" in capsys.readouterr().err


def test_id_rules() -> None:
    assert id_problem("chiba-yobosesshu") == "" and id_problem("千葉市-予防接種") == ""
    assert all(id_problem(bad) for bad in ("", ".", "..", "a/b", "_x", ".x", "a\tb", "x" * 101))


def test_import_force_replaces_every_generated_file_and_keeps_notes(project: Config) -> None:
    folder = project.content / "evaluations" / "imported"
    first = import_evaluation(
        project, SEEDS / "003_c8b8949bf602a6a1.txt", "imported", "mihon", force=True
    )
    (folder / "NOTES.md").write_text("手書きのメモ\n", encoding="utf-8")
    (folder / "_draft.md").write_text("下書き\n", encoding="utf-8")
    (folder / "9-stray.md").write_text("## 古い部分\n", encoding="utf-8")
    second = import_evaluation(
        project, SEEDS / "001_fb1bf0b09c48865e.txt", "imported", "chiba", force=True
    )
    sources = sorted(p.name for p in folder.iterdir() if is_source(p.name))
    assert not (folder / "9-stray.md").exists() and set(sources) <= set(second.files)
    assert not [n for n in set(first.files) - set(second.files) if (folder / n).exists()]
    assert (folder / "NOTES.md").read_text("utf-8") == "手書きのメモ\n"
    assert (folder / "_draft.md").is_file()


def test_publish_refuses_when_a_clause_it_uses_is_gitignored(tmp_path: Path) -> None:
    from gitproject import EVALUATION, Project

    project = Project(tmp_path / "repo")
    clause = project.root / "content" / "clauses" / "local" / "secret.md"
    clause.parent.mkdir(parents=True)
    clause.write_text("---\nid: local/secret\ntitle: 秘\n---\n無視された文言。\n", "utf-8")
    project.write(".gitignore", "content/clauses/local/\n")
    risk = f"{EVALUATION}/3-risk-1.md"
    project.edit(risk, '{{ clause("chukan-pf/nws-other-risks") }}', '{{ clause("local/secret") }}')
    project.commit("uses an ignored clause")
    assert project.git("status", "--porcelain") == ""  # git sees nothing to commit
    result = project.publish()
    assert result.tag == "" and project.git("tag") == ""
    assert [(d.code, d.location.path) for d in result.diagnostics if d.severity == "error"] == [
        ("changes.ignored", "content/clauses/local/secret.md")
    ]
