"""Incremental builds: unchanged work is skipped, changes rebuild exactly what they affect,
and every executor produces the same bytes."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from clause_override import override_clause

from pia_build import build
from pia_build.building.executors import PoolExecutor, make_executor
from pia_build.core.config import Config

REPO = Path(__file__).resolve().parents[1]
HTML = ("html",)


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """A project with three evaluations: two use chukan-pf/education, one uses none."""
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    override_clause(tmp_path, "chukan-pf/education")  # a project copy, edited below
    evaluations = tmp_path / "content" / "evaluations"
    shutil.copytree(REPO / "content" / "evaluations" / "chiba-yobosesshu", evaluations / "a")
    shutil.copytree(REPO / "content" / "evaluations" / "chiba-yobosesshu", evaluations / "b")
    shutil.copytree(
        REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal",
        evaluations / "c",
    )
    return Config(tmp_path)


def site_files(config: Config) -> dict[str, bytes]:
    site = config.output / "site"
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_second_build_calls_no_renderer(project: Config) -> None:
    first = build(project, formats=HTML)
    assert sorted(first.rendered) == [("a", "html"), ("b", "html"), ("c", "html")]
    again = build(project, formats=HTML)
    assert again.rendered == [] and again.written == []
    assert again.diagnostics == first.diagnostics


def test_editing_a_clause_rebuilds_exactly_its_users(project: Config) -> None:
    build(project, formats=HTML)
    clause = project.content / "clauses" / "chukan-pf" / "education.md"
    clause.write_text(
        clause.read_text(encoding="utf-8").replace("年次（年2回）", "年次（年3回）"),
        encoding="utf-8",
    )
    again = build(project, formats=HTML)
    assert sorted(again.rendered) == [("a", "html"), ("b", "html")]
    assert "年次(年3回)" in (project.output / "site" / "a" / "index.html").read_text(
        encoding="utf-8"
    )


def test_editing_one_evaluation_rebuilds_it_alone(project: Config) -> None:
    build(project, formats=HTML)
    basic = project.content / "evaluations" / "b" / "1-basic.md"
    basic.write_text(
        basic.read_text(encoding="utf-8").replace("予防接種に関する事務", "予防接種事務", 1),
        encoding="utf-8",
    )
    assert build(project, formats=HTML).rendered == [("b", "html")]


def test_a_new_layout_rerenders_only_its_format(project: Config) -> None:
    build(project, formats=("html", "docx"))
    css_free_layout = project.layouts / "macros.html"
    css_free_layout.write_text(
        css_free_layout.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8"
    )
    again = build(project, formats=("html", "docx"))
    assert sorted(again.rendered) == [("a", "html"), ("b", "html"), ("c", "html")]


def test_errors_are_reported_again_without_rechecking(project: Config) -> None:
    cover = project.content / "evaluations" / "c" / "evaluation.md"
    cover.write_text(
        cover.read_text(encoding="utf-8").replace("令和6年10月", "令和9年1月"), encoding="utf-8"
    )
    first = build(project, formats=HTML)
    assert first.check.invalid == {"c"} and not (project.output / "site" / "c").exists()
    again = build(project, formats=HTML)
    assert again.rendered == [] and [d.render() for d in again.diagnostics] == [
        d.render() for d in first.diagnostics
    ]


def test_removed_evaluation_is_pruned(project: Config) -> None:
    build(project, formats=HTML)
    shutil.rmtree(project.content / "evaluations" / "c")
    again = build(project, formats=HTML)
    assert [r for r in again.removed if not r.startswith("site/pagefind/")] == ["site/c/index.html"]


def test_corrupted_manifest_is_discarded_with_a_message(project: Config) -> None:
    build(project, formats=HTML)
    (project.output / ".pia_build" / "manifest.json").write_text("{not json", encoding="utf-8")
    again = build(project, formats=HTML)
    assert len(again.notes) == 1 and "could not be read" in again.notes[0]
    assert sorted(again.rendered) == [("a", "html"), ("b", "html"), ("c", "html")]
    assert build(project, formats=HTML).rendered == []


def test_deleted_output_is_rebuilt(project: Config) -> None:
    build(project, formats=HTML)
    (project.output / "site" / "a" / "index.html").unlink()
    assert build(project, formats=HTML).rendered == [("a", "html")]


def test_process_pool_gives_the_same_bytes(project: Config, tmp_path: Path) -> None:
    build(project, formats=("html", "pdf", "docx"))
    serial = site_files(project)
    pooled = Config(project.root, tmp_path / "pooled")
    build(pooled, formats=("html", "pdf", "docx"), executor=PoolExecutor(2))
    assert site_files(pooled) == serial


def test_dask_executor_gives_the_same_bytes(project: Config, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    build(project, formats=("html", "pdf"))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        executor = make_executor("dask", scheduler=cluster.scheduler_address)
        remote = Config(project.root, tmp_path / "dask")
        result = build(remote, formats=("html", "pdf"), executor=executor)
        executor.close()  # type: ignore[attr-defined]
    assert sorted(result.rendered) == sorted((e, f) for e in "abc" for f in ("html", "pdf"))
    assert site_files(remote) == site_files(project)


def test_search_index_is_kept_when_no_page_changed(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_module = importlib.import_module("pia_build.building.build")

    build(project, formats=HTML)
    bundle = sorted(
        p.name for p in (project.output / "site" / "pagefind").rglob("*") if p.is_file()
    )
    calls: list[int] = []
    real = build_module.index_site
    monkeypatch.setattr(build_module, "index_site", lambda *a: calls.append(1) or real(*a))
    again = build(project, formats=HTML)
    assert calls == [] and again.removed == []
    assert (
        sorted(p.name for p in (project.output / "site" / "pagefind").rglob("*") if p.is_file())
        == bundle
    )
    basic = project.content / "evaluations" / "c" / "1-basic.md"
    basic.write_text(
        basic.read_text(encoding="utf-8").replace("見本事務", "見本事務二"), encoding="utf-8"
    )
    build(project, formats=HTML)
    assert calls == [1]


def test_no_search_keeps_the_last_index(project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    build_module = importlib.import_module("pia_build.building.build")
    build(project, formats=HTML)
    calls: list[int] = []
    monkeypatch.setattr(build_module, "index_site", lambda *a: calls.append(1) or [])
    basic = project.content / "evaluations" / "c" / "1-basic.md"
    basic.write_text(
        basic.read_text(encoding="utf-8").replace("見本事務", "見本事務二"), encoding="utf-8"
    )
    again = build(project, formats=HTML, search=False)
    assert calls == [] and again.rendered == [("c", "html")]
    assert not [p for p in again.removed if "pagefind" in p]
    assert (project.output / "site" / "pagefind" / "pagefind.js").is_file()
