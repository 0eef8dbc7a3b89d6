"""`pia new` writes a complete blank evaluation; `pia schema` describes the front matter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from pia_build.cli import main
from pia_build.forms import builtin_forms, find_form
from pia_build.schema import form_schemas
from pia_build.source.loader import split_front_matter

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    return tmp_path


@pytest.mark.parametrize("form", ["full", "focused", "basic"])
def test_blank_evaluation_has_every_item_and_only_missing_values(
    project: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(project), "new", "blank", "--form", form, "--org", "mihon"]) == 0
    capsys.readouterr()
    # a blank evaluation is 状態 案: its empty items are warnings, errors under --strict
    assert main(["--root", str(project), "check", "--strict"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out, "a blank evaluation must report its empty items"
    # nothing but empty required items: every label bound, every file present
    assert {line.split("error[")[1].split("]")[0] for line in out} == {"form.missing"}


def test_new_refuses_to_overwrite(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "new", "x", "--form", "focused", "--org", "mihon"]) == 0
    target = project / "content" / "evaluations" / "x" / "1-basic.md"
    before = target.read_bytes()
    assert main(["--root", str(project), "new", "x", "--form", "focused", "--org", "mihon"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_new_rejects_unknown_org(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "new", "x", "--form", "focused", "--org", "nowhere"]) == 2
    assert "content/orgs/nowhere.yml" in capsys.readouterr().err
    assert not (project / "content" / "evaluations" / "x").exists()


def _front(path: Path) -> object:
    """Return a file's front matter as an editor sees it (YAML dates are strings there)."""
    text = path.read_text(encoding="utf-8")
    front = text if path.suffix == ".yml" else split_front_matter(text)[0]
    return json.loads(json.dumps(yaml.safe_load(front) or {}, default=str))


@pytest.mark.parametrize("evaluation", ["chiba-yobosesshu", "mihon-jumin"])
def test_content_front_matter_satisfies_the_schema(evaluation: str) -> None:
    folder = REPO / "content" / "evaluations" / evaluation
    cover = _front(folder / "evaluation.md")
    form = find_form(cover["様式"], cover.get("様式の版"))  # type: ignore[index, union-attr]
    assert form is not None
    schemas = form_schemas(form)
    for path in sorted(folder.iterdir()):
        pattern = (
            path.name[: path.name.rfind("-") + 1] + "N" + path.suffix
            if path.name[-4:-3].isdigit()
            else path.name
        )
        schema = schemas.get(pattern) or schemas.get(path.name)
        if schema is None:
            continue
        jsonschema.validate(_front(path), schema)


def test_schema_rejects_a_misspelt_choice() -> None:
    schema = form_schemas(builtin_forms()["focused"])["1-basic.md"]
    good = {"1. 特定個人情報ファイルを取り扱う事務": {"③対象人数": "10万人以上30万人未満"}}
    jsonschema.validate(good, schema)
    bad = {"1. 特定個人情報ファイルを取り扱う事務": {"③対象人数": "10万人以上30万人"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
