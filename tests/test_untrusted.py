"""Untrusted input is bounded (issue 15): YAML aliases and depth, template runtime errors and
limits, clause and org schemas. Every reproduction ends as a ``path:line`` diagnostic, never a
traceback or a hang."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.core.diagnostics import Location
from pia_build.source.clauses import Expander
from pia_build.source.loader import load_yaml
from pia_build.source.shapes import Clause

REPO = Path(__file__).resolve().parents[1]
HERE = Location("content/evaluations/x/1-basic.md", 20)
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def body_clause(cid: str, body: str) -> Clause:
    return Clause(cid, "x", cid, "", 1, (), {}, {}, body, Location(f"content/clauses/{cid}.md", 8))


LIBRARY = {"x/bad": body_clause("x/bad", "一行目\n{{ 1/0 }}")}


def expand(text: str) -> tuple[str, list[tuple[str, str, int]]]:
    expander = Expander(LIBRARY, {"団体名": "見本市"})
    out = expander.expand(text, HERE, "basic.x")
    return out, [(p.code, p.location.path, p.location.line) for p in expander.problems]


@pytest.mark.parametrize(
    ("yaml_text", "code", "line"),
    [
        (LAUGHS, "yaml.alias", 3),
        ("a: &a [*a]\n", "yaml.alias", 2),
        ("x: 1\na: " + "[" * 500 + "]" * 500 + "\n", "yaml.depth", 3),
        ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)), "yaml.depth", 22),
    ],
)
def test_yaml_aliases_and_depth_are_refused_at_their_line(
    yaml_text: str, code: str, line: int
) -> None:
    tree, problems = load_yaml(yaml_text, "content/evaluations/x/evaluation.md", 2)
    assert [(p.code, p.location.line) for p in problems] == [(code, line)]
    assert tree.entries == ()


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("前\n{{ 1/0 }}", "template.error", 21),
        ("{{ 10**5000 }}", "template.limit", 20),
        ("{% for i in range(10**9) %}{% endfor %}", "template.limit", 20),
        ("{{ clause() }}", "clause.call", 20),
        ("{{ clause(1) }}", "clause.call", 20),
        ("{% macro m(n) %}{{ m(n) }}{% endmacro %}\n{{ m(1) }}", "template.limit", 20),
        (
            "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}{{ m(40) }}",
            "template.limit",
            20,
        ),
        ("{% include 'evaluation.md' %}", "template.limit", 20),
        ("{% import 'x.html' as x %}", "template.limit", 20),
        ("{% from 'x.html' import y %}", "template.limit", 20),
        ("{% extends 'base.html' %}", "template.limit", 20),
        ("{{ 'x'.format }}", "template.limit", 20),
        ("{{ [1, 2] }}", "template.limit", 20),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "template.limit",
            20,
        ),
        ("{{ 'x' * 10**9 }}", "template.limit", 20),
        ("{{ 'x' * 1000000000 }}", "template.limit", 20),
        ("{{ 'x'|center(1000000000) }}", "template.limit", 20),
        ("{{ '%099999999d' % 1 }}", "template.limit", 20),
        ("{{ lipsum(10**6) }}", "template.undefined", 20),
    ],
)
def test_template_runtime_errors_are_diagnostics_at_their_line(
    text: str, code: str, line: int
) -> None:
    out, problems = expand(text)
    assert problems == [(code, HERE.path, line)]
    assert "object at 0x" not in out and "<built-in" not in out


def test_an_error_inside_a_clause_names_the_clause_file_and_line() -> None:
    _, problems = expand('{{ clause("x/bad") }}')
    assert problems == [("template.error", "content/clauses/x/bad.md", 9)]


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """The minimal project (one evaluation, org mihon; the packaged clauses)."""
    shutil.copytree(REPO / "content" / "orgs", tmp_path / "content" / "orgs")
    shutil.copytree(
        REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal",
        tmp_path / "content" / "evaluations" / "minimal",
    )
    return Config(tmp_path)


def found(config: Config) -> list[tuple[str, str, int]]:
    return [(d.code, d.location.path, d.location.line) for d in check(config).diagnostics]


def test_an_alias_bomb_in_front_matter_is_one_diagnostic(project: Config) -> None:
    cover = project.content / "evaluations" / "minimal" / "evaluation.md"
    text = cover.read_text(encoding="utf-8")
    cover.write_text(text.replace("---\n", "---\n" + LAUGHS, 1), encoding="utf-8")
    assert ("yaml.alias", "content/evaluations/minimal/evaluation.md", 3) in found(project)


@pytest.mark.parametrize("name", ["changes.yml", "history.yml"])
def test_an_alias_in_changes_or_history_is_refused(project: Config, name: str) -> None:
    path = project.content / "evaluations" / "minimal" / name
    path.write_text("a: &a [*a]\n", encoding="utf-8")
    assert ("yaml.alias", f"content/evaluations/minimal/{name}", 1) in found(project)


ORG_HEAD = "団体名: 見本市\n評価実施機関名: 見本市長\n"


@pytest.mark.parametrize(
    ("profile", "code", "line"),
    [
        (LAUGHS, "yaml.alias", 2),
        ("a: &a [*a]\n", "yaml.alias", 1),
        (ORG_HEAD + 'clause_heading: "{}{}"\n', "org.type", 3),
        (ORG_HEAD + 'clause_heading: "{0.__class__.__mro__}"\n', "org.type", 3),
        (ORG_HEAD + "spelling: サーバー\n", "org.type", 3),
        ("- 団体名: 見本市\n", "org.structure", 1),
        ("団体名: [a]\n評価実施機関名: 見本市長\n", "org.type", 1),
        (ORG_HEAD + "団体名: 別の市\n", "org.duplicate", 3),
    ],
)
def test_org_profiles_are_checked_against_their_schema(
    project: Config, profile: str, code: str, line: int
) -> None:
    (project.content / "orgs" / "mihon.yml").write_text(profile, encoding="utf-8")
    assert (code, "content/orgs/mihon.yml", line) in found(project)


def test_a_format_string_in_clause_heading_is_never_run() -> None:
    org = {"団体名": "見本市", "clause_heading": "{0.__class__.__mro__}"}
    headed = Clause("x/h", "x", "x/h", "見出し", 1, (), {}, {}, "本文", Location("c.md", 8))
    out = Expander({"x/h": headed}, org).expand('{{ clause("x/h") }}', HERE, "a")
    assert "<class" not in out and "本文" in out


CLAUSE_HEAD = "---\nid: local/own\ntitle: 自前\n"
OWN = "content/clauses/local/own.md"


def write_clause(config: Config, text: str) -> None:
    path = config.content / "clauses" / "local" / "own.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("meta", "line"),
    [
        ("version: abc\n", 4),
        ("params: [a, b]\n", 4),
        ("items: 5\n", 4),
        ("versions: [1, 2]\n", 4),
        ("heading: [a]\n", 4),
        ("params:\n  mode: {choices: 5}\n", 5),
    ],
)
def test_clause_metadata_of_the_wrong_type_is_an_error(
    project: Config, meta: str, line: int
) -> None:
    write_clause(project, CLAUSE_HEAD + meta + "---\n本文\n")
    assert ("clause.type", OWN, line) in found(project)


def test_a_duplicate_key_in_clause_metadata_is_an_error(project: Config) -> None:
    write_clause(project, CLAUSE_HEAD + "title: 二度目\n---\n本文\n")
    assert ("clause.duplicate", OWN, 4) in found(project)


def test_pia_check_on_hostile_content_prints_no_traceback(project: Config) -> None:
    (project.content / "orgs" / "mihon.yml").write_text(LAUGHS, encoding="utf-8")
    risk = project.content / "evaluations" / "minimal" / "3-risk-1.md"
    risk.write_text(
        risk.read_text(encoding="utf-8") + "\n{{ 10**5000 }}{{ clause(1) }}\n", encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pia_build", "--root", str(project.root), "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr + run.stdout
    assert "content/orgs/mihon.yml:2: error[yaml.alias]" in run.stdout
