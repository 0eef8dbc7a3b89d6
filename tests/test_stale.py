"""The build cache never serves stale output (issue 15): each reproduction of the issue as a test.

A build killed between its outputs and its manifest, a commented cover line, a computed clause
id, deleted or truncated outputs, a layout edit, ``--formats`` subsets and damaged manifest
records: after each, the next build's output is what a clean build makes, and builds settle.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from clause_override import override_clause

from pia_build import build
from pia_build.core.config import Config

REPO = Path(__file__).resolve().parents[1]
HTML = ("html",)
TWO = ("html", "docx")


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """A project with one evaluation (the minimal one, org mihon) as ``c``."""
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    override_clause(tmp_path, "chukan-pf/nws-other-risks")  # a project copy, edited below
    shutil.copytree(
        REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal",
        tmp_path / "content" / "evaluations" / "c",
    )
    return Config(tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page(config: Config, evaluation: str = "c") -> str:
    return (config.output / "site" / evaluation / "index.html").read_text(encoding="utf-8")


def site_files(output: Path) -> dict[str, bytes]:
    site = output / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_build_killed_before_its_manifest_then_a_revert_rebuilds(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_module = importlib.import_module("pia_build.building.build")
    basic = project.content / "evaluations" / "c" / "1-basic.md"
    build(project, formats=HTML)
    edit(basic, "見本事務", "改訂事務")

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # the outputs are written; the manifest is not

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "new_records", killed)
        with pytest.raises(KeyboardInterrupt):
            build(project, formats=HTML)
    assert "改訂事務" in page(project)
    edit(basic, "改訂事務", "見本事務")
    again = build(project, formats=HTML)
    assert again.rendered == [("c", "html")]
    assert "改訂事務" not in page(project) and "見本事務" in page(project)


def test_site_pages_killed_before_their_record_then_a_revert_rebuilds(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_module = importlib.import_module("pia_build.building.build")
    cover = project.content / "evaluations" / "c" / "evaluation.md"
    build(project, formats=HTML)
    clean = site_files(project.output)
    edit(cover, "評価書名: 見本市 見本事務", "評価書名: 見本市 改訂事務")
    real = build_module.dump_record

    def killed(key: str, files: list[str], sizes: list[int] | None = None) -> bytes:
        if any(f == "index.html" for f in files):
            raise KeyboardInterrupt  # the home page is written; its record is not
        return real(key, files, sizes)

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "dump_record", killed)
        with pytest.raises(KeyboardInterrupt):
            build(project, formats=HTML)
    edit(cover, "評価書名: 見本市 改訂事務", "評価書名: 見本市 見本事務")
    build(project, formats=HTML)
    assert site_files(project.output) == clean


def test_a_comment_on_the_cover_line_still_follows_the_org(project: Config) -> None:
    cover = project.content / "evaluations" / "c" / "evaluation.md"
    edit(cover, "評価実施機関: mihon\n", "評価実施機関: mihon   # 団体の略号\n")
    build(project, formats=HTML)
    assert "見本市は" in page(project)
    edit(project.content / "orgs" / "mihon.yml", "団体名: 見本市", "団体名: 新見本市")
    assert build(project, formats=HTML).rendered == [("c", "html")]
    assert "新見本市は" in page(project)


def test_a_quoted_or_flow_style_org_is_followed(project: Config) -> None:
    cover = project.content / "evaluations" / "c" / "evaluation.md"
    edit(cover, "評価実施機関: mihon\n", '"評価実施機関": "mih\\u006Fn"\n')
    build(project, formats=HTML)
    edit(project.content / "orgs" / "mihon.yml", "団体名: 見本市", "団体名: 新見本市")
    assert build(project, formats=HTML).rendered == [("c", "html")]
    assert "新見本市は" in page(project)


def test_a_clause_reached_through_a_computed_id_is_followed(project: Config) -> None:
    risk = project.content / "evaluations" / "c" / "3-risk-1.md"
    edit(
        risk,
        '{{ clause("chukan-pf/nws-other-risks") }}',
        '{% set c = "chukan-pf/nws-other" ~ "-risks" %}\n{{ clause(c) }}',
    )
    build(project, formats=HTML)
    clause = project.content / "clauses" / "chukan-pf" / "nws-other-risks.md"
    text = clause.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2].strip().splitlines()[0]
    assert "差し替えた標準文言" not in page(project)
    clause.write_text(text.replace(body, "差し替えた標準文言。"), encoding="utf-8")
    assert build(project, formats=HTML).rendered == [("c", "html")]
    assert "差し替えた標準文言。" in page(project)


def test_a_clause_added_later_under_a_name_already_used_rebuilds(project: Config) -> None:
    risk = project.content / "evaluations" / "c" / "3-risk-1.md"
    edit(risk, '{{ clause("chukan-pf/nws-other-risks") }}', '{{ clause("local/" ~ "later") }}')
    assert build(project, formats=HTML).check.invalid == {"c"}
    later = project.content / "clauses" / "local" / "later.md"
    later.parent.mkdir()
    later.write_text("---\nid: local/later\ntitle: 後から\n---\n後から足した文言。\n", "utf-8")
    assert build(project, formats=HTML).rendered == [("c", "html")]
    assert "後から足した文言。" in page(project)


def test_deleting_one_output_settles_after_one_rebuild(project: Config) -> None:
    build(project, formats=TWO)
    (project.output / "site" / "c" / "c.docx").unlink()
    assert build(project, formats=TWO).rendered == [("c", "docx")]
    assert build(project, formats=TWO).rendered == []
    assert build(project, formats=TWO).rendered == []


def test_editing_a_layout_settles_after_one_rebuild(project: Config) -> None:
    build(project, formats=TWO)
    macros = project.layouts / "macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    assert build(project, formats=TWO).rendered == [("c", "html")]
    assert build(project, formats=TWO).rendered == []


def test_formats_limits_what_is_rendered_never_what_is_kept(project: Config) -> None:
    build(project, formats=TWO)
    docx_only = build(project, formats=("docx",))
    assert docx_only.rendered == [] and docx_only.removed == []
    assert (project.output / "site" / "c" / "index.html").is_file()
    assert (project.output / "site" / "c" / "c.docx").is_file()
    assert build(project, formats=TWO).rendered == []


def test_formats_drops_kept_outputs_that_went_stale(project: Config) -> None:
    build(project, formats=TWO)
    edit(project.content / "evaluations" / "c" / "1-basic.md", "見本事務", "改訂事務")
    assert build(project, formats=("docx",)).rendered == [("c", "docx")]
    assert not (project.output / "site" / "c" / "index.html").exists()  # stale: not served
    assert build(project, formats=TWO).rendered == [("c", "html")]


def test_a_truncated_output_is_rebuilt(project: Config) -> None:
    build(project, formats=TWO)
    (project.output / "site" / "c" / "c.docx").write_bytes(b"")
    (project.output / "site" / "c" / "index.html").write_bytes(b"")
    assert sorted(build(project, formats=TWO).rendered) == [("c", "docx"), ("c", "html")]
    assert "見本事務" in page(project)


def manifest(config: Config) -> dict:
    return json.loads((config.output / ".pia_build" / "manifest.json").read_text("utf-8"))


def write_manifest(config: Config, data: dict) -> None:
    (config.output / ".pia_build" / "manifest.json").write_text(json.dumps(data), "utf-8")


def test_a_record_marked_invalid_by_hand_is_rebuilt_with_a_message(project: Config) -> None:
    build(project, formats=HTML)
    data = manifest(project)
    data["evaluations"]["c"]["invalid"] = True
    write_manifest(project, data)
    again = build(project, formats=HTML)
    assert again.rendered == [("c", "html")] and "damaged records for c" in again.notes[0]
    assert (project.output / "site" / "c" / "index.html").is_file()
    assert build(project, formats=HTML).rendered == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda r: r.update(key=5),
        lambda r: r.update(outputs=["html"]),
        lambda r: r.update(diagnostics=[{"code": 1}]),
        lambda r: r.update(summary="x"),
        lambda r: r.update(deps=None),
        lambda r: r.update(sizes={"html": "big"}),
        lambda r: r.clear(),
    ],
)
def test_manifest_records_of_the_wrong_types_are_rebuilt(project: Config, damage) -> None:  # type: ignore[no-untyped-def]
    build(project, formats=HTML)
    data = manifest(project)
    damage(data["evaluations"]["c"])
    write_manifest(project, data)
    again = build(project, formats=HTML)
    assert again.rendered == [("c", "html")] and "damaged records" in again.notes[0]


def test_a_manifest_of_the_wrong_shape_is_discarded(project: Config) -> None:
    build(project, formats=HTML)
    for data in ([], {"version": 2, "evaluations": []}, "x", None):
        (project.output / ".pia_build" / "manifest.json").write_text(json.dumps(data), "utf-8")
        again = build(project, formats=HTML)
        assert again.rendered == [("c", "html")] and "could not be read" in again.notes[0]


def test_a_truncated_site_page_is_rebuilt(project: Config) -> None:
    build(project, formats=HTML)
    home = project.output / "site" / "index.html"
    clean = home.read_bytes()
    home.write_bytes(b"")
    build(project, formats=HTML)
    assert home.read_bytes() == clean
