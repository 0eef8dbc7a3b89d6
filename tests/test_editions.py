"""Editions of a form (issue 12): an evaluation declares its edition, prints as that edition, and
`pia migrate` moves it to another one, listing with file:line what needs a new answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from htmltext import html_text

from pia_build.assemble.document import assemble
from pia_build.building.build import check
from pia_build.cli import main
from pia_build.core.config import Config
from pia_build.forms import builtin_forms, editions, find_form
from pia_build.migrate import MigrateError, item_paths, migrate
from pia_build.render import html

REPO = Path(__file__).resolve().parents[1]
CHIBA = REPO / "content" / "evaluations" / "chiba-yobosesshu"
BEFORE, CURRENT = "令和6年9月以前", "令和6年10月"


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """A project holding a copy of 千葉市 (the earlier 様式3 edition) and its org and clauses."""
    content = tmp_path / "content"
    for name in ("orgs", "clauses"):  # standard clauses may come with the package instead
        if (REPO / "content" / name).is_dir():
            shutil.copytree(REPO / "content" / name, content / name)
    shutil.copytree(CHIBA, content / "evaluations" / "chiba-yobosesshu")
    return Config(tmp_path, tmp_path / "output")


def errors(config: Config) -> list[str]:
    return [d.render() for d in check(config).diagnostics if d.severity == "error"]


def test_focused_has_two_editions_and_the_current_one_is_the_default() -> None:
    assert editions("focused") == [BEFORE, CURRENT]
    assert builtin_forms()["focused"].edition == CURRENT
    assert find_form("重点項目評価書") is builtin_forms()["focused"]
    before = find_form("重点項目評価書", BEFORE)
    assert before is not None and before.marker == "" and not before.current
    assert builtin_forms()["focused"].marker == "[令和6年10月 様式3]"


def test_the_current_edition_carries_the_corrections_of_the_print() -> None:
    new = item_paths(builtin_forms()["focused"])
    old = item_paths(find_form("focused", BEFORE))  # type: ignore[arg-type]
    assert set(new) - set(old) == {("overview", "basic", "subject_necessity")}
    risk = ("risk", "use", "r1_linkage")
    assert "事務に必要な情報" in old[risk].label and "事務に必要のない情報" in new[risk].label
    for path in (("risk", "outsourcing", "other_risks"), ("risk", "provision", "other_risks")):
        assert "における他のリスク" in old[path].label
        assert "におけるその他のリスク" in new[path].label
    for path in (("basic", "systems"), ("overview", "outsourcing", "items")):
        assert new[path].max_rows == 20 and new[path].ranges
        assert old[path].max_rows is None and not old[path].ranges


def test_chiba_prints_as_published_on_the_earlier_edition() -> None:
    evaluation = next(e for e in check(Config(REPO)).evaluations if e.id == "chiba-yobosesshu")
    assert evaluation.form.edition == BEFORE
    doc = assemble(evaluation)
    text = html_text(html.render(doc, REPO / "layouts").decode("utf-8"))
    assert doc.marker == "" and "様式3]" not in text
    assert "事務に必要な情報との紐付け" in text and "その必要性" not in text
    assert "提供先2～5" in text and "システム2～5" not in text


def test_an_unknown_edition_is_reported_at_its_line(project: Config) -> None:
    cover = project.content / "evaluations" / "chiba-yobosesshu" / "evaluation.md"
    cover.write_text(cover.read_text().replace(BEFORE, "令和5年4月"), encoding="utf-8")
    found = errors(project)
    assert [e for e in found if "cover.edition" in e] == [
        "content/evaluations/chiba-yobosesshu/evaluation.md:3: error[cover.edition]: "
        "様式の版 '令和5年4月' is not an edition of the 重点項目評価書; editions: "
        "令和6年9月以前, 令和6年10月"
    ]
    # the rest is checked as the current edition, whose wordings 千葉市 does not use
    assert any("事務に必要のない情報" in e for e in found)


def test_migrating_chiba_to_the_current_edition(project: Config) -> None:
    """Every item that maps is carried; the one that needs a new answer is listed with file:line,
    and it is the only problem `pia check` finds in the migrated evaluation."""
    assert errors(project) == []
    done = migrate(project, "chiba-yobosesshu", CURRENT)
    folder = project.content / "evaluations" / "chiba-yobosesshu"
    assert done.edition == CURRENT
    assert sorted(p.name for p in done.written) == ["3-risk-1.md", "evaluation.md"]
    notes = [(d.location.path, d.location.line, d.message.split(":")[0]) for d in done.notes]
    assert notes == [("content/evaluations/chiba-yobosesshu/2-file-1.md", 3, "その必要性")]
    left = check(project).diagnostics
    assert [(d.location.path, d.location.line) for d in left if d.severity == "error"] == [
        (path, line) for path, line, _ in notes
    ]
    assert all("その必要性" in d.message for d in left if d.severity == "error")
    risk = (folder / "3-risk-1.md").read_text(encoding="utf-8")
    assert "事務に必要のない情報との紐付け" in risk and "における他のリスク" not in risk
    assert f"様式の版: {CURRENT}" in (folder / "evaluation.md").read_text(encoding="utf-8")
    evaluation = next(e for e in check(project).evaluations if e.id == "chiba-yobosesshu")
    doc = assemble(evaluation)
    assert doc.marker == "[令和6年10月 様式3]"
    # every answer carried: the printed values are those of the published document
    original = next(e for e in check(Config(REPO)).evaluations if e.id == "chiba-yobosesshu")
    values = [r.display for p in assemble(original).parts for r in p.rows if r.display]
    moved = [r.display for p in doc.parts for r in p.rows if r.display]
    assert [v for v in values if not v.empty] == [v for v in moved if not v.empty]


def test_migrating_back_restores_the_files(project: Config) -> None:
    folder = project.content / "evaluations" / "chiba-yobosesshu"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    migrate(project, "chiba-yobosesshu", CURRENT)
    assert migrate(project, "chiba-yobosesshu", BEFORE).notes == ()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_migrate_refuses_an_unknown_edition_or_evaluation(project: Config) -> None:
    with pytest.raises(MigrateError, match="editions: 令和6年9月以前, 令和6年10月"):
        migrate(project, "chiba-yobosesshu", "令和5年")
    with pytest.raises(MigrateError, match="no evaluation 'nowhere'"):
        migrate(project, "nowhere", CURRENT)
    assert main(["--root", str(project.root), "migrate", "nowhere", "--to", CURRENT]) == 2


def test_cli_migrate_lists_what_needs_an_answer(
    project: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(project.root), "migrate", "chiba-yobosesshu", "--to", CURRENT]) == 0
    out = capsys.readouterr().out
    assert "2-file-1.md:3: warning[migrate.new_item]: その必要性" in out
    assert "chiba-yobosesshu is on the 令和6年10月 edition; 1 item(s) need you" in out
