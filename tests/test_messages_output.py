"""Messages in Japanese beyond diagnostics (issue 13): build notes, pia import, argparse errors.

Each kind is printed in Japanese under LANG=ja_JP.UTF-8 and in English under language = "en".
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from test_bad_fixtures import MINIMAL

from pia_build.building.build import _held_notes
from pia_build.building.cache import MANIFEST, load_manifest
from pia_build.building.checking import WATCHING
from pia_build.cli import main
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location
from pia_build.core.i18n import Language, japanese, say
from pia_build.site.watch import run_build

TESTS = Path(__file__).parent
IMPORT = TESTS / "fixtures" / "import"
SEED = TESTS / "seeds" / "001_fb1bf0b09c48865e.txt"
Capture = pytest.CaptureFixture[str]


def _english(root: Path) -> None:
    (root / "pia.toml").write_text('language = "en"\n', encoding="utf-8")


# ---------------------------------------------------------------------------- pia build notes


@pytest.mark.parametrize(
    "note",
    [
        "pdf output is disabled: PDF output needs the typst package (pip install typst)",
        "pdf output is disabled: PDF output needs its fonts: no font found",
        "xlsx output is disabled: XLSX output needs the XlsxWriter package (pip install XlsxWriter)",
        "docx output is disabled: DOCX output is disabled: it needs pandoc (pip install pypandoc-binary)",
        "docx output is disabled: DOCX output is disabled: it needs pandoc >= 3.0, found 2.19",
        *_held_notes({"chiba": 3}),
    ],
)
def test_every_build_note_has_a_japanese_form(note: str) -> None:
    translated = say(note, "ja")
    assert translated != note
    assert not any(w in translated for w in ("needs", "disabled", "error(s)", "pandoc (")), (
        translated
    )


def test_manifest_notes_have_a_japanese_form(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / MANIFEST).write_text("{broken", encoding="utf-8")
    unreadable = load_manifest(tmp_path).message
    assert "ビルドの記録" in say(unreadable, "ja") and "building" not in say(unreadable, "ja")


def _build_with_broken_manifest(root: Path, capsys: Capture, english: bool = False) -> str:
    shutil.copytree(MINIMAL, root, ignore=lambda d, _: ["output"] if Path(d) == MINIMAL else [])
    if english:
        _english(root)
    manifest = Config(root).output / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text("{broken", encoding="utf-8")
    main(["--root", str(root), "build", "--formats", "html", "--no-search"])
    return capsys.readouterr().err


def test_build_notes_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Capture
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    err = _build_with_broken_manifest(tmp_path / "ja", capsys)
    assert "pia build: ビルドの記録 " in err and "すべてを作り直します" in err
    err = _build_with_broken_manifest(tmp_path / "en", capsys, english=True)
    assert "pia build: the build manifest " in err and "; building everything" in err


# ----------------------------------------------------------------------------------- pia import


def test_every_import_warning_of_the_damaged_input_has_a_japanese_form(tmp_path: Path) -> None:
    from pia_build.importer import read_evaluation

    shutil.copytree(TESTS.parent / "content" / "orgs", tmp_path / "content" / "orgs")
    result = read_evaluation(Config(tmp_path), IMPORT / "damaged.txt", "mihon", shown="d.txt")
    assert result.diagnostics
    for d in result.diagnostics:
        translated = japanese(d.code, d.message)
        assert translated is not None, f"no Japanese for [{d.code}] {d.message}"
        assert " is " not in translated and " as " not in translated, translated


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("import.choice", "③対象人数: '1万人' is not one of its options"),
        ("import.option", "③対象人数: printed as 2); read as '1万人以上10万人未満'"),
        ("import.option", "③対象人数: printed as (a list of boxes); read as '1万人以上10万人未満'"),
        ("import.boxes", "①事務: '○ その他' is not ticked but has a count of 3; read as ticked"),
        ("import.boxes", "①事務: 'その他' is printed without a box; read as not checked"),
        ("import.merged_cell", "the 変更前 cell also holds 変更後; split at its first paragraph"),
        (
            "import.records_layout",
            "this list is printed 2 across; it was read column by column: "
            "check the order and the group of each entry",
        ),
        ("import.label", "the label is printed as '①事 務'; read as '①事務'"),
        ("import.missing_row", "the row header '②法令' is missing; it starts here"),
        ("import.form", "the marker says 様式2 but the title says 全項目評価書 (様式4)"),
        ("import.org", "no --org given: 評価実施機関 is empty"),
        ("import.unplaced", "this row belongs to no item; it was left out"),
        (
            "import.value",
            "③対象人数: the printed value does not fit this item; it is kept as written",
        ),
        (
            "import.edition",
            "printed on the 令和2年4月 edition; imported into the 令和6年10月 "
            "definition, the one pia has: check items whose wording changed between editions",
        ),
    ],
)
def test_import_warnings_have_a_japanese_form(code: str, message: str) -> None:
    translated = japanese(code, message)
    assert translated is not None and " is " not in translated, translated
    assert "boxes" not in translated


def _import(root: Path, capsys: Capture) -> tuple[str, str]:
    shutil.copytree(TESTS.parent / "content" / "orgs", root / "content" / "orgs")
    main(["--root", str(root), "import", str(SEED), "--id", "imp", "--org", "chiba"])
    main(["--root", str(root), "import", str(SEED), "--id", "imp", "--org", "chiba"])
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_import_report_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Capture
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    out, err = _import(tmp_path / "ja", capsys)
    assert "取り込み率: 入力の文章の " in out and "定型文に近い文 " in out
    assert "warning[import.edition]: " in out and " edition" not in out
    assert "何も書き込んでいません（置き換えるには --force）" in err
    (tmp_path / "en").mkdir()
    _english(tmp_path / "en")
    out, err = _import(tmp_path / "en", capsys)
    assert "coverage: " in out and " near clause matches" in out
    assert "nothing was written (use --force)" in err


# ------------------------------------------------------------------------------ argparse errors


@pytest.mark.parametrize(
    ("argv", "japanese_text", "english_text"),
    [
        (
            ["new"],
            "pia new: エラー: 次の引数が必要です: id, --form",
            "pia new: error: the following arguments are required: id, --form",
        ),
        (
            ["chek"],
            "pia: エラー: 引数 command: 'chek' は選べません（選べるのは 'build', ",
            "pia: error: argument command: invalid choice: 'chek' (choose from 'build', ",
        ),
        (
            ["check", "--bogus"],
            "pia: エラー: 知らない引数です: --bogus",
            "pia: error: unrecognized arguments: --bogus",
        ),
        (
            ["serve", "--port", "x"],
            "pia serve: エラー: 引数 --port: 'x' は int の値として正しくありません",
            "pia serve: error: argument --port: invalid int value: 'x'",
        ),
    ],
)
def test_argparse_errors_in_both_languages(
    argv: list[str],
    japanese_text: str,
    english_text: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: Capture,
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    with pytest.raises(SystemExit) as exit_ja:
        main(["--root", str(tmp_path), *argv])
    err = capsys.readouterr().err
    assert err.startswith("使い方: ") and japanese_text in err
    _english(tmp_path)
    with pytest.raises(SystemExit) as exit_en:
        main(["--root", str(tmp_path), *argv])
    err = capsys.readouterr().err
    assert err.startswith("usage: ") and english_text in err
    assert exit_ja.value.code == exit_en.value.code == 2


# ---------------------------------------------------------------- pia check --watch and pia serve


class _Checked:
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics


def _round(lang: Language) -> str:
    out = io.StringIO()
    found = [Diagnostic("form.missing", "error", Location("a.md", 3), "③対象人数 is not filled in")]
    run_build(Config(MINIMAL), lambda config: _Checked(found), out, "check", lang=lang)
    return out.getvalue()


def test_watch_round_in_both_languages() -> None:
    tasks = json.loads((TESTS.parent / "pia_build/starter/vscode/tasks.json").read_text("utf-8"))
    background = tasks["tasks"][0]["problemMatcher"]["background"]
    ja = _round("ja").splitlines()
    assert ja[0].startswith("a.md:3: error[form.missing]: ") and " is not " not in ja[0]
    assert ja[1] == "エラー 1 件、警告 0 件"
    assert ja[2].startswith("pia: 確認失敗（") and re.match(background["endsPattern"], ja[2])
    en = _round("en").splitlines()
    assert en[1] == "1 error, 0 warnings" and en[2].startswith("pia: check failed in ")
    assert re.match(background["beginsPattern"], say("pia check: checking", "ja"))
    assert say(WATCHING, "ja") == "pia check: content/ を監視しています（Ctrl-C で終了）"


@pytest.mark.parametrize(
    "line",
    [
        "serving http://127.0.0.1:8000/",
        "pia: downloads ready in 1.25 s",
        "pia: search index ready in 0.50 s",
        "pia: build done in 0.12 s",
        "pia: the build failed:",
    ],
)
def test_serve_lines_have_a_japanese_form(line: str) -> None:
    translated = say(line, "ja")
    assert translated != line and not re.search(r"\b(ready|done|failed|serving)\b", translated)


@pytest.mark.parametrize(
    "line",
    [
        "rewrote content/evaluations/x/1-basic.md",
        "x is on the 令和6年10月 edition; 2 item(s) need you",
        "--date 2025-13-01 is not a date (YYYY-MM-DD)",
        "wrote out/portfolio.pdf",
        "out is not a folder; nothing was written",
        "next: cd town && pia new <id> --form full",
        "give --body-name (団体名 (e.g. 千葉市))",
        "org id 'A': use lower-case letters, digits, - and _",
        "town is a file",
        "town is not empty; pass --force to add the missing files to it",
        "no evaluation 'x' in content/evaluations",
        "'foo' is not an edition of the 重点項目評価書; editions: 令和6年9月以前, 令和6年10月",
    ],
)
def test_other_command_lines_have_a_japanese_form(line: str) -> None:
    translated = say(line, "ja")
    assert translated != line and not re.search(
        r"\b(rewrote|wrote|is not|is a|next|give|use|no)\b", translated
    )


def test_portfolio_date_error_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Capture
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert main(["--root", str(MINIMAL), "portfolio", "--date", "x"]) == 2
    assert capsys.readouterr().err == "pia portfolio: --date x は日付ではありません（YYYY-MM-DD）\n"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["--root", str(MINIMAL), "portfolio", "--date", "x"]) == 2
    assert capsys.readouterr().err == "pia portfolio: --date x is not a date (YYYY-MM-DD)\n"


def test_init_refusal_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Capture
) -> None:
    (tmp_path / "town").mkdir()
    (tmp_path / "town" / "notes.txt").write_text("x", encoding="utf-8")
    args = ["init", str(tmp_path / "town"), "--org-id", "a", "--org-name", "b", "--body-name", "c"]
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert main(args) == 2
    assert "は空ではありません。足りないファイルだけを加えるには --force" in capsys.readouterr().err
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(args) == 2
    assert "is not empty; pass --force" in capsys.readouterr().err


def test_clause_inventory_in_both_languages() -> None:
    from pia_build.inventory import ClauseEntry, format_inventory

    entry = ClauseEntry("chukan-pf/audit", 2, "package", "x.md", {"chiba": [1, 2]})
    japanese_table = format_inventory([entry], "ja").splitlines()
    assert japanese_table[0].split() == ["標準記載", "版", "出所", "使用している評価書（版）"]
    assert japanese_table[1].split() == ["chukan-pf/audit", "v2", "パッケージ", "chiba", "(v1/v2)"]
    assert format_inventory([entry], "en").splitlines()[1].split()[2] == "package"
