"""Messages in Japanese (issue 13): the catalogue covers every message an author meets.

The catalogue is pia_build/core/messages.ja.yml; core/i18n.py translates at print time.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from test_bad_fixtures import BAD, EXPECTED, MINIMAL, fixture_names, make_project, run_check

from pia_build.cli import _parser, main
from pia_build.core.diagnostics import Diagnostic, Location, summary
from pia_build.core.i18n import cli_japanese, japanese, language


def _diagnostics(text: str) -> list[tuple[str, str]]:
    """Return (code, message) of every line of an expected.txt."""
    rows = []
    for line in text.splitlines():
        code = line.split("[", 1)[1].split("]", 1)[0]
        rows.append((code, line.split("]: ", 1)[1]))
    return rows


@pytest.mark.parametrize("fixture", fixture_names())
def test_every_message_of_every_bad_fixture_has_a_japanese_form(fixture: str) -> None:
    for code, message in _diagnostics((BAD / fixture / EXPECTED).read_text(encoding="utf-8")):
        translated = japanese(code, message)
        assert translated is not None, f"no Japanese for [{code}] {message}"
        assert "did you mean" not in translated and " is " not in translated, translated


def _help_texts(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.description or ""]
    for action in parser._actions:
        if action.help and action.help != "show this help message and exit":
            texts.append(action.help)
        for choice in getattr(action, "_choices_actions", ()):
            texts.append(choice.help or "")
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                texts += _help_texts(sub)
    return [t for t in texts if t]


def test_every_help_text_has_a_japanese_form() -> None:
    missing = [t for t in _help_texts(_parser()) if cli_japanese(t) is None]
    assert missing == []


def test_japanese_is_the_default_and_english_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert language(tmp_path) == "ja"
    monkeypatch.delenv("LANG")
    assert language(tmp_path) == "ja"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert language(tmp_path) == "en"
    (tmp_path / "pia.toml").write_text('language = "ja"\n', encoding="utf-8")
    assert language(tmp_path) == "ja"
    (tmp_path / "pia.toml").write_text('title = "x"\nlanguage = "en"\n', encoding="utf-8")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert language(tmp_path) == "en"


def test_codes_and_places_do_not_change_with_the_language(tmp_path: Path) -> None:
    project = make_project("several", tmp_path / "project")
    code_en, out_en = run_check(project, "--format", "json")
    code_ja, out_ja = run_check(project, "--format", "json", lang="ja_JP.UTF-8")
    rows_en, rows_ja = json.loads(out_en), json.loads(out_ja)
    assert code_en == code_ja == 1
    strip = [{k: v for k, v in r.items() if k != "message"} for r in rows_en]
    assert strip == [{k: v for k, v in r.items() if k != "message"} for r in rows_ja]
    assert [r["message"] for r in rows_en] != [r["message"] for r in rows_ja]


def test_summary_in_both_languages() -> None:
    found = [
        Diagnostic("form.missing", "error", Location("a.md", 1), "x is not filled in"),
        Diagnostic("file.unknown", "warning", Location("b.md"), "b.md is not a file of the …"),
    ]
    assert summary(found, "en") == "1 error, 1 warning"
    assert summary(found, "ja") == "エラー 1 件、警告 1 件"


def test_help_in_japanese(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "content/ を確認し" not in out  # the subcommand's own page shows its options
    assert "警告もエラーとして扱う" in out
    assert "このヘルプを表示して終了する" in out


def test_unknown_evaluation_in_japanese(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert main(["--root", str(MINIMAL), "check", "minimall"]) == 2
    assert capsys.readouterr().err == (
        "pia: content/evaluations に評価書「minimall」はありません（もしかして「minimal」？）\n"
    )


@pytest.mark.parametrize("form_id", ["basic", "focused", "full"])
def test_every_message_about_a_blank_evaluation_has_a_japanese_form(
    form_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a new author sees first: the check of what pia new wrote, strict and not."""
    (tmp_path / "content" / "orgs").mkdir(parents=True)
    (tmp_path / "content" / "orgs" / "mihon.yml").write_bytes(
        (MINIMAL / "content" / "orgs" / "mihon.yml").read_bytes()
    )
    assert main(["--root", str(tmp_path), "new", "blank", "--form", form_id, "--org", "mihon"]) == 0
    capsys.readouterr()
    main(["--root", str(tmp_path), "check", "--strict", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert rows
    missing = [r for r in rows if japanese(r["code"], r["message"]) is None]
    assert missing == []
