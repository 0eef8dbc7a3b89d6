"""Clause expansion: provenance blocks, parameters, spelling, and every error with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_build.core.diagnostics import Location
from pia_build.source.clauses import Expander, load_library
from pia_build.source.shapes import Clause

ORG = {"団体名": "見本市", "spelling": {"サーバー": "サーバ"}}
HERE = Location("content/evaluations/x/1-basic.md", 20)


def clause(cid: str, body: str, **extra: object) -> Clause:
    values: dict = {
        "id": cid,
        "family": cid.split("/")[0],
        "title": cid,
        "heading": "",
        "version": 2,
        "versions": (),
        "params": {},
        "items": {},
        "body": body,
        "location": Location(f"content/clauses/{cid}.md", 10),
    }
    values.update(extra)
    return Clause(**values)


LIBRARY = {
    "pf/storage": clause(
        "pf/storage",
        "{{ org.団体名 }}の中間サーバーは{% if mode == 'strict' %}厳重に{% endif %}管理する。",
        heading="中間サーバー・プラットフォームにおける措置",
        params={"mode": {"default": "plain", "choices": ["plain", "strict"]}},
    ),
    "loop/a": clause("loop/a", "A{{ clause('loop/b') }}"),
    "loop/b": clause("loop/b", "B{{ clause('loop/a') }}"),
}


def expand(text: str, org: dict = ORG) -> tuple[str, Expander]:
    expander = Expander(LIBRARY, org)
    return expander.expand(text, HERE, "basic.x"), expander


def codes(expander: Expander) -> list[tuple[str, int]]:
    return [(p.code, p.location.line) for p in expander.problems]


def test_plain_text_is_untouched() -> None:
    text, expander = expand("ただの文章。{ braces }")
    assert text == "ただの文章。{ braces }" and expander.problems == [] and expander.uses == []


def test_clause_is_wrapped_with_its_provenance_and_spelled_like_the_body() -> None:
    text, expander = expand("前文\n\n{{ clause('pf/storage', mode='strict') }}\n")
    assert text == (
        "前文\n\n::: clause pf/storage 2\n<中間サーバ・プラットフォームにおける措置>\n\n"
        "見本市の中間サーバは厳重に管理する。\n:::"
    )
    (use,) = expander.uses
    assert (use.clause_id, use.version, use.item, use.location.line) == (
        "pf/storage",
        2,
        "basic.x",
        22,
    )


def test_spelling_applies_to_clause_text_only() -> None:
    text, _ = expand("自前のサーバーです。\n{{ clause('pf/storage') }}")
    assert text.startswith("自前のサーバーです。") and "見本市の中間サーバは管理する。" in text


def test_org_heading_style() -> None:
    text, _ = expand("{{ clause('pf/storage') }}", {**ORG, "clause_heading": "【{}】"})
    assert "【中間サーバ・プラットフォームにおける措置】" in text


def test_unknown_clause_names_the_nearest() -> None:
    _, expander = expand("a\nb\n{{ clause('pf/storag') }}")
    assert codes(expander) == [("clause.unknown", 22)]
    assert (
        expander.problems[0].message == "there is no clause 'pf/storag'; did you mean 'pf/storage'?"
    )


def test_unknown_parameter_and_bad_value() -> None:
    _, expander = expand(
        "{{ clause('pf/storage', mod='strict') }}\n{{ clause('pf/storage', mode='x') }}"
    )
    messages = [p.message for p in expander.problems]
    assert messages == [
        "clause 'pf/storage' has no parameter 'mod'; did you mean 'mode'?",
        "'x' is not a value of mode (one of plain, strict)",
    ]


def test_cycle_is_reported_once_with_its_chain() -> None:
    _, expander = expand("{{ clause('loop/a') }}")
    assert [p.message for p in expander.problems] == [
        "clauses refer to each other in a cycle: loop/a → loop/b → loop/a"
    ]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("x\n{{ clause( }}", "template.syntax", 21),
        ("{{ unknown_name }}", "template.undefined", 20),
        ("{{ org.__class__.__mro__ }}", "template.unsafe", 20),
        ("{{ ''.__class__.__subclasses__() }}", "template.unsafe", 20),
    ],
)
def test_template_errors_are_diagnostics(text: str, code: str, line: int) -> None:
    result, expander = expand(text)
    assert codes(expander) == [(code, line)]
    assert result == text  # the source text is kept, nothing is lost


def test_library_ids_follow_paths(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "clauses" / "pf"
    folder.mkdir(parents=True)
    (folder / "ok.md").write_text("---\nid: pf/ok\nversion: 3\n---\n本文\n", encoding="utf-8")
    (folder / "bad.md").write_text("---\nid: pf/wrong\n---\n本文\n", encoding="utf-8")
    library, problems = load_library(tmp_path / "content", tmp_path)
    assert sorted(k for k, c in library.items() if c.origin == "project") == ["pf/bad", "pf/ok"]
    assert library["pf/ok"].version == 3 and library["pf/ok"].body == "本文"
    assert [(p.code, p.location.path) for p in problems] == [
        ("clause.id", "content/clauses/pf/bad.md")
    ]


def test_repository_library_renders_with_defaults() -> None:
    repo = Path(__file__).resolve().parents[1]
    library, problems = load_library(repo / "content", repo)
    assert problems == [] and len(library) >= 60
    expander = Expander(library, ORG)
    for cid in library:
        expander.expand(f"{{{{ clause('{cid}') }}}}", HERE, "x")
    assert expander.problems == []
