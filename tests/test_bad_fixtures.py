"""Every mistake in tests/fixtures/bad/ is reported exactly as its expected.txt says.

Each fixture folder holds only the files that differ from the valid evaluation
tests/projects/minimal/content/evaluations/minimal/. The test copies the minimal project to a
temporary folder, overlays the fixture and runs ``pia check`` on the copy:

* ``<name>``            copied over content/evaluations/minimal/<name>;
* ``clauses/<path>``    copied over content/clauses/<path> (extra or changed clause files);
* ``evaluations/<id>/<name>`` copied over content/evaluations/<id>/<name>, after the valid
                        evaluation tests/fixtures/base/<id>/ (when there is one) was copied there;
* ``<name>.sjis``       UTF-8 text written as Shift_JIS (cp932, as Windows saves it) to content/evaluations/minimal/<name>
                        (so the undecodable file stays readable in the repository);
* ``<name>.removed``    an empty marker: content/evaluations/minimal/<name> is deleted;
* ``expected.txt``      the exact output of ``pia check``, paths relative to the project root.

Regenerate every expected.txt (and the other goldens) after an intended change of wording:

    .venv/bin/python tests/regen.py

then read the diff: each line is a message an author will see.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINIMAL = TESTS / "projects" / "minimal"
BAD = TESTS / "fixtures" / "bad"
BASE = TESTS / "fixtures" / "base"
EVALUATION = Path("content/evaluations/minimal")
EXPECTED = "expected.txt"
EXPECTED_JA = "expected.ja.txt"
SJIS_SUFFIX = ".sjis"
REMOVED_SUFFIX = ".removed"

# Fixtures whose expected.txt holds the correct behaviour although pia does not produce it yet.
# name → reason; each is run as a strict xfail, so a fix shows up as XPASS (remove it here then).
# `--regen` leaves their expected.txt alone (name one explicitly to overwrite it).
KNOWN_BUGS: dict[str, str] = {}

if str(REPO) not in sys.path:  # allow `python3 tests/test_bad_fixtures.py --regen` from anywhere
    sys.path.insert(0, str(REPO))

from pia_build.cli import main  # noqa: E402


def fixture_names() -> list[str]:
    """Return the fixture folders in name order."""
    return sorted(p.name for p in BAD.iterdir() if p.is_dir())


def make_project(fixture: str | None, dest: Path) -> Path:
    """Copy the minimal project to ``dest`` and overlay the fixture's files; return ``dest``."""
    shutil.copytree(MINIMAL, dest, ignore=lambda d, _: ["output"] if Path(d) == MINIMAL else [])
    if fixture is None:
        return dest
    source = BAD / fixture
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or rel.as_posix() in (EXPECTED, EXPECTED_JA):
            continue
        if rel.parts[0] == "clauses":
            target = dest / "content" / Path(*rel.parts)
        elif rel.parts[0] == "evaluations":
            target = dest / "content" / Path(*rel.parts)
            _copy_base(rel.parts[1], dest)
        else:
            target = dest / EVALUATION / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.name.endswith(REMOVED_SUFFIX):
            target.with_name(path.name.removesuffix(REMOVED_SUFFIX)).unlink()
        elif path.name.endswith(SJIS_SUFFIX):
            text = path.read_text(encoding="utf-8")
            target.with_name(path.name.removesuffix(SJIS_SUFFIX)).write_bytes(text.encode("cp932"))
        else:
            shutil.copyfile(path, target)
    return dest


def _copy_base(evaluation: str, dest: Path) -> None:
    """Copy the valid evaluation tests/fixtures/base/<evaluation> into the project, once."""
    base, target = BASE / evaluation, dest / "content" / "evaluations" / evaluation
    if base.is_dir() and not target.exists():
        shutil.copytree(base, target)


def run_check(project: Path, *options: str, lang: str = "en_US.UTF-8") -> tuple[int, str]:
    """Run ``pia check`` on ``project`` outside pytest in a language; return (exit code, stdout)."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("LANG")
    os.environ["LANG"] = lang
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(project), "check", *options])
    finally:
        if saved is None:
            del os.environ["LANG"]
        else:
            os.environ["LANG"] = saved
    return code, out.getvalue()


def _params() -> list:
    marks = {
        name: [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])]
        if name in KNOWN_BUGS
        else []
        for name in fixture_names()
    }
    return [pytest.param(name, marks=marks[name], id=name) for name in fixture_names()]


def test_there_are_enough_fixtures() -> None:
    assert len(fixture_names()) >= 18
    for name in fixture_names():
        assert (BAD / name / EXPECTED).is_file(), f"{name} has no {EXPECTED}"
        assert (BAD / name / EXPECTED_JA).is_file(), f"{name} has no {EXPECTED_JA}"


@pytest.mark.parametrize("fixture", _params())
def test_bad_fixture(fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(fixture, tmp_path / "project")
    code = main(["--root", str(project), "check"])
    out = capsys.readouterr().out
    expected = (BAD / fixture / EXPECTED).read_text(encoding="utf-8")
    assert out == expected
    assert code == 1


@pytest.mark.parametrize("fixture", _params())
def test_bad_fixture_in_japanese(
    fixture: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same output in Japanese, pia's default language: same places, same codes."""
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    project = make_project(fixture, tmp_path / "project")
    code = main(["--root", str(project), "check"])
    out = capsys.readouterr().out
    expected = (BAD / fixture / EXPECTED_JA).read_text(encoding="utf-8")
    assert out == expected
    assert code == 1
    assert _where_and_code(out) == _where_and_code(
        (BAD / fixture / EXPECTED).read_text(encoding="utf-8")
    )


def _where_and_code(output: str) -> set[tuple[str, str]]:
    """Return (path, code) of every diagnostic line: what must be reported, and in which file."""
    found = set()
    for line in output.splitlines():
        path = line.split(":", 1)[0]
        code = line.split("[", 1)[1].split("]", 1)[0]
        found.add((path, code))
    return found


@pytest.mark.parametrize("fixture", fixture_names())
def test_bad_fixture_reports_its_mistakes(
    fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every expected problem is reported in the right file, even while a known bug adds noise.

    This keeps the fixtures of KNOWN_BUGS guarding the rules they are about.
    """
    project = make_project(fixture, tmp_path / "project")
    code = main(["--root", str(project), "check"])
    out = capsys.readouterr().out
    expected = (BAD / fixture / EXPECTED).read_text(encoding="utf-8")
    assert _where_and_code(expected) <= _where_and_code(out)
    assert code == 1


def test_minimal_project_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A clean check says so in one line (issue 13; it used to print nothing)."""
    code = main(["--root", str(make_project(None, tmp_path / "project")), "check"])
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "no problems in 1 evaluation\n")
    assert code == 0


def test_minimal_project_passes_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    code = main(["--root", str(make_project(None, tmp_path / "project")), "check"])
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "問題はありません（評価書 1 件）\n")
    assert code == 0


def test_minimal_project_passes_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(make_project(None, tmp_path / "project")), "check", "--strict"])
    assert capsys.readouterr().out == ""
    assert code == 0


def test_strict_turns_a_warning_into_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(None, tmp_path / "project")
    (project / EVALUATION / "notes.md").write_text("# メモ\n\n下書き。\n", encoding="utf-8")
    line = (
        "content/evaluations/minimal/notes.md: {}[file.unknown]: notes.md is not a file of the "
        "重点項目評価書; its files are 1-basic.md, 2-file-1.md, 3-risk-1.md, 4-inquiry.md, "
        "5-procedure.md, evaluation.md, history.yml\n"
    )

    code = main(["--root", str(project), "check"])
    captured = capsys.readouterr()
    assert captured.out == line.format("warning")
    assert captured.err == "0 errors, 1 warning\n"
    assert code == 0

    code = main(["--root", str(project), "check", "--strict"])
    captured = capsys.readouterr()
    assert captured.out == line.format("error")
    assert captured.err == "1 error, 0 warnings\n"
    assert code == 1


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project("several", tmp_path / "project")
    code = main(["--root", str(project), "check", "--format", "json"])
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert code == 1
    assert captured.err == ""
    assert isinstance(rows, list) and rows
    for row in rows:
        assert set(row) == {"path", "line", "severity", "code", "message"}
        assert isinstance(row["path"], str) and row["path"].startswith(
            "content/evaluations/minimal/"
        )
        assert isinstance(row["line"], int) and row["line"] >= 0
        assert row["severity"] in ("error", "warning")
    text = (BAD / "several" / EXPECTED).read_text(encoding="utf-8")
    rendered = "".join(
        f"{r['path']}:{r['line']}: {r['severity']}[{r['code']}]: {r['message']}\n"
        if r["line"]
        else f"{r['path']}: {r['severity']}[{r['code']}]: {r['message']}\n"
        for r in rows
    )
    assert rendered == text


def test_json_format_clean_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(None, tmp_path / "project")
    code = main(["--root", str(project), "check", "--format", "json"])
    assert json.loads(capsys.readouterr().out) == []
    assert code == 0


def regenerate(names: list[str]) -> None:
    """Rewrite expected.txt of the given fixtures (all but KNOWN_BUGS when empty) from the output."""
    import tempfile

    for name in names or fixture_names():
        if name in KNOWN_BUGS and not names:
            print(f"{name}: kept (known bug: {KNOWN_BUGS[name]})")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            project = make_project(name, Path(tmp) / "project")
            code, out = run_check(project)
            _, out_ja = run_check(project, lang="ja_JP.UTF-8")
        (BAD / name / EXPECTED).write_text(out, encoding="utf-8")
        (BAD / name / EXPECTED_JA).write_text(out_ja, encoding="utf-8")
        flag = "" if code == 1 else f"  (exit {code}, expected 1)"
        print(f"{name}: {out.count(chr(10))} line(s){flag}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0] != "--regen":
        sys.exit("usage: python3 tests/test_bad_fixtures.py --regen [fixture …]")
    regenerate(args[1:])
