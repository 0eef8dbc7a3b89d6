"""``pia new`` puts what an author needs in view (issue 13): options, hints, the profile's values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pia_build.check.folder import check_folder
from pia_build.cli import main
from pia_build.forms import all_forms, builtin_forms
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.scaffold import blank_files
from pia_build.source.clauses import load_library
from pia_build.source.orgs import load_orgs

MINIMAL = Path(__file__).resolve().parent / "projects" / "minimal"


def _items(items: tuple[ItemSpec, ...]) -> Iterator[ItemSpec]:
    for spec in items:
        yield spec
        yield from _items(spec.children)


def _files_of(form: FormSpec) -> Iterator[tuple[str, ItemSpec]]:
    """Yield (file name pia new writes, item) for every item of the form."""
    for part in form.parts:
        for spec in _items(part.items):
            yield part.file.replace("{n}", "1"), spec


FORMS = sorted(builtin_forms())
EDITIONS = {f"{f.id}-{f.edition}": f for f in all_forms()}  # every form file, every edition


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_pia_new_lists_the_options_of_every_choice_item(edition: str) -> None:
    form = EDITIONS[edition]
    files = blank_files(form, {})
    checked = 0
    for name, spec in _files_of(form):
        if spec.kind not in ("choice", "multi"):
            continue
        lines = [line for line in files[name].splitlines() if spec.label in line]
        assert lines, f"{name}: no line for {spec.label}"
        comments = [line.split("  # ", 1)[1] for line in lines if "  # " in line]
        assert any(
            all(option.label in comment for option in spec.options) for comment in comments
        ), f"{name}: {spec.label} does not list its options {[o.label for o in spec.options]}"
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("edition", sorted(EDITIONS))
def test_pia_new_gives_every_prose_item_a_hint(edition: str) -> None:
    form = EDITIONS[edition]
    files = blank_files(form, {})
    for name, spec in _files_of(form):
        if spec.kind != "text" or name.endswith(".yml"):
            continue
        lines = files[name].splitlines()
        heads = [i for i, line in enumerate(lines) if line.lstrip("#").strip() == spec.label]
        assert heads, f"{name}: no heading for {spec.label}"
        assert any(
            lines[i + 2].startswith("<!-- ") and spec.label in lines[i + 2] for i in heads
        ), f"{name}: {spec.label} has no hint"


@pytest.mark.parametrize("form_id", FORMS)
def test_a_blank_evaluation_reads_cleanly(form_id: str, tmp_path: Path) -> None:
    """What pia new writes is valid YAML whose only problems are the items left to fill in."""
    project = tmp_path / "project"
    (project / "content" / "orgs").mkdir(parents=True)
    (project / "content" / "orgs" / "mihon.yml").write_bytes(
        (MINIMAL / "content" / "orgs" / "mihon.yml").read_bytes()
    )
    assert main(["--root", str(project), "new", "blank", "--form", form_id, "--org", "mihon"]) == 0
    library, _ = load_library(project / "content", project)
    orgs, _ = load_orgs(project / "content", project)
    folder = project / "content" / "evaluations" / "blank"
    _, evaluation, problems = check_folder(folder, project, library, orgs)
    assert evaluation is not None
    codes = {p.code for p in problems}
    assert codes <= {"form.missing", "form.rows", "threshold.result"}, problems


def test_pia_new_fills_the_contacts_from_the_profile(tmp_path: Path) -> None:
    form = builtin_forms()["focused"]
    org = {"開示請求先": "〒100-0000 …", "問合せ先": "〒100-0001 …"}
    text = blank_files(form, {}, org)["4-inquiry.md"]
    assert "## ①請求先\n\n<!-- " in text
    assert "{{ org.開示請求先 }}" in text
    assert "{{ org.問合せ先 }}" in text


def test_pia_org_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content").mkdir()
    assert main(["--root", str(tmp_path), "org", "new", "town"]) == 0
    path = tmp_path / "content" / "orgs" / "town.yml"
    assert capsys.readouterr().out == f"{path.resolve()}\n"
    text = path.read_text(encoding="utf-8")
    for key in ("団体名:", "評価実施機関名:", "開示請求先:", "問合せ先:", "spelling:"):
        assert key in text
    assert main(["--root", str(tmp_path), "org", "new", "town"]) == 2
    assert "already exists" in capsys.readouterr().err
