"""The packaged theme and clause library: a project's files add to and override them, never silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clause_override import override_clause

from pia_build import build, check
from pia_build.core.config import Config
from pia_build.core.theme import Theme, package_theme, theme_for
from pia_build.source.library import PACKAGE_CLAUSES, load_library

REPO = Path(__file__).resolve().parents[1]
MINIMAL = REPO / "tests" / "projects" / "minimal"


def test_a_checkout_uses_layouts_itself_as_the_default_theme() -> None:
    assert package_theme() == REPO / "layouts"
    assert theme_for(REPO / "layouts").folders == (REPO / "layouts",)


def test_layouts_are_looked_up_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "style.css").write_text("body{}", encoding="utf-8")
    theme = theme_for(tmp_path)
    assert theme.folders == (tmp_path, package_theme())
    assert theme.find("assets/style.css") == tmp_path / "assets" / "style.css"
    assert theme.find("evaluation.html") == package_theme() / "evaluation.html"
    assert theme.origin("assets/style.css") == "project"
    assert theme.origin("pdf/evaluation.typ") == "package"
    assets = theme.files("assets/*")
    assert assets["assets/style.css"] == tmp_path / "assets" / "style.css"
    assert assets["assets/search.js"] == package_theme() / "assets" / "search.js"
    assert theme_for(tmp_path / "absent") == Theme((package_theme(),))


def test_a_project_without_layouts_or_clauses_builds(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL / "content" / "evaluations", tmp_path / "content" / "evaluations")
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    result = build(Config(tmp_path), formats=("html",), search=False)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    site = tmp_path / "output" / "site"
    assert (site / "minimal" / "index.html").is_file()
    assert (site / "assets" / "style.css").read_bytes() == (
        package_theme() / "assets" / "style.css"
    ).read_bytes()
    assert (site / "clauses" / "chukan-pf" / "storage" / "index.html").is_file()


def test_a_project_layout_file_overrides_the_packaged_one(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL / "content", tmp_path / "content")
    base = (package_theme() / "base.html").read_text(encoding="utf-8")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "base.html").write_text(
        base.replace("<body", '<body data-theme="mihon"'), encoding="utf-8"
    )
    build(Config(tmp_path), formats=("html",), search=False)
    page = (tmp_path / "output" / "site" / "minimal" / "index.html").read_text(encoding="utf-8")
    assert 'data-theme="mihon"' in page


def library_of(tmp_path: Path, clause_id: str, overrides: str | None, body: str) -> tuple:
    text = (PACKAGE_CLAUSES / f"{clause_id}.md").read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    if overrides is not None:
        head = head.replace("\nversion:", f"\noverrides: {overrides}\nversion:", 1)
    path = tmp_path / "content" / "clauses" / f"{clause_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}\n---\n{body}\n", encoding="utf-8")
    return load_library(tmp_path / "content", tmp_path)


def test_a_project_clause_with_a_packaged_id_must_declare_overrides(tmp_path: Path) -> None:
    library, problems = library_of(tmp_path, "chukan-pf/storage", None, "自前の文面")
    assert [d.render() for d in problems] == [
        "content/clauses/chukan-pf/storage.md:2: error[clause.override]: 'chukan-pf/storage' is "
        "a standard clause of pia (version 1); to replace it, say which version you started "
        "from: overrides: 1"
    ]
    assert library["chukan-pf/storage"].origin == "package"  # never silently shadowed


def test_an_override_replaces_the_packaged_clause(tmp_path: Path) -> None:
    library, problems = library_of(tmp_path, "chukan-pf/storage", "1", "自前の文面")
    clause = library["chukan-pf/storage"]
    assert problems == [] and clause.body == "自前の文面"
    assert (clause.origin, clause.overrides, clause.package_version) == ("project", 1, 1)
    assert not clause.outdated


def test_overrides_of_a_version_the_package_never_had_is_an_error(tmp_path: Path) -> None:
    _, problems = library_of(tmp_path, "chukan-pf/storage", "7", "x")
    assert [(d.code, d.location.line) for d in problems] == [("clause.override", 2)]


def test_check_warns_where_an_evaluation_uses_an_older_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(MINIMAL / "content", tmp_path / "content")
    override_clause(tmp_path, "chukan-pf/storage")
    assert [d for d in check(Config(tmp_path)).diagnostics if d.code == "clause.outdated"] == []
    package = tmp_path / "pkg"
    shutil.copytree(PACKAGE_CLAUSES, package)
    newer = package / "chukan-pf" / "storage.md"
    newer.write_text(
        newer.read_text(encoding="utf-8").replace("version: 1\n", "version: 2\n", 1),
        encoding="utf-8",
    )
    monkeypatch.setattr("pia_build.source.library.PACKAGE_CLAUSES", package)  # a newer pia
    found = [d for d in check(Config(tmp_path)).diagnostics if d.code == "clause.outdated"]
    assert [(d.severity, d.location.path) for d in found] == [
        ("warning", "content/evaluations/minimal/2-file-1.md")
    ]
    assert "written from version 1 of the standard clause; pia now carries version 2" in (
        found[0].message
    )
