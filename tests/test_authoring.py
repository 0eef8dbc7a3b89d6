"""docs/authoring.md, walked through: its commands run, its examples are real files pia accepts.

Every example block of the guide carries a marker comment just above it:

* ``<!-- walk -->``                the shell steps, run in order in a new project;
* ``<!-- file: PATH -->``          the block is the whole file PATH of this repository;
* ``<!-- excerpt: PATH -->``       every line of the block is in PATH, in the same order;
* ``<!-- into-minimal: NAME -->``  written as NAME into a copy of the minimal evaluation, which
                                   ``pia check`` must still accept;
* ``<!-- output: PATH -->``        the block is exactly the text of PATH (a bad fixture's output);
* ``<!-- tree -->``, ``<!-- syntax -->``  a folder picture or a notation, not a file.

The files the guide names must themselves pass ``pia check``: the minimal project and this
repository's content/ are checked clean.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from pia_build.cli import main

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "authoring.md"
MINIMAL = REPO / "tests" / "projects" / "minimal"
EVALUATION = "content/evaluations/minimal"
BLOCK = re.compile(
    r"<!-- (walk|file|excerpt|into-minimal|output|tree|syntax)(?:: (\S+))? -->\n```[a-z]*\n(.*?)```",
    re.S,
)


def examples() -> list[tuple[str, str, str]]:
    """Return (marker, argument, text) of every marked block of the guide."""
    return [(m.group(1), m.group(2) or "", m.group(3)) for m in BLOCK.finditer(GUIDE.read_text())]


def test_every_example_block_is_marked() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    fences = re.findall(r"^```", text, re.M)
    assert len(examples()) == len(fences) // 2, "an example block has no marker"
    assert sum(m not in ("tree", "syntax") for m, _, _ in examples()) >= 8


@pytest.mark.parametrize(
    ("marker", "argument", "text"),
    [e for e in examples() if e[0] in ("file", "excerpt", "output")],
    ids=lambda v: v if isinstance(v, str) and len(v) < 80 and "\n" not in v else "",
)
def test_an_example_is_a_real_file(marker: str, argument: str, text: str) -> None:
    real = (REPO / argument).read_text(encoding="utf-8")
    if marker in ("file", "output"):
        assert text == real
        return
    lines = iter(real.splitlines())
    for line in text.splitlines():
        assert any(candidate == line for candidate in lines), f"{line!r} is not in {argument}"


@pytest.mark.parametrize(
    ("name", "text"), [(a, t) for m, a, t in examples() if m == "into-minimal"], ids=str
)
def test_an_example_file_is_accepted_in_an_evaluation(
    name: str, text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL / "content", project / "content")
    (project / EVALUATION / name).write_text(text, encoding="utf-8")
    code = main(["--root", str(project), "check"])
    assert capsys.readouterr().out == ""
    assert code == 0


def test_the_projects_the_guide_names_pass_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(MINIMAL / "content", tmp_path / "minimal" / "content")
    assert main(["--root", str(tmp_path / "minimal"), "check"]) == 0
    shutil.copytree(REPO / "content", tmp_path / "repo" / "content")
    assert main(["--root", str(tmp_path / "repo"), "check", "chiba-yobosesshu"]) == 0
    assert capsys.readouterr().out == ""


def test_the_walk_from_nothing_to_a_clean_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the guide's steps; 'fill in' is copying the minimal project's finished files."""
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    steps = [
        shlex.split(line.split("#", 1)[0])
        for m, _, t in examples()
        if m == "walk"
        for line in t.splitlines()
    ]
    assert [s[:2] for s in steps] == [
        ["pia", "org"],
        ["pia", "new"],
        ["pia", "status"],
        ["pia", "check"],
    ]
    run = lambda argv: main(["--root", str(project), *argv[1:]])  # noqa: E731
    assert run(steps[0]) == 0  # pia org new mihon
    assert "団体名:" in (project / "content/orgs/mihon.yml").read_text(encoding="utf-8")
    shutil.copyfile(MINIMAL / "content/orgs/mihon.yml", project / "content/orgs/mihon.yml")
    assert run(steps[1]) == 0  # pia new minimal --form focused --org mihon
    blank = (project / EVALUATION / "1-basic.md").read_text(encoding="utf-8")
    assert "# 選択肢: 1,000人未満 | " in blank and "<!-- " in blank
    capsys.readouterr()
    assert run(steps[3]) == 0  # a blank draft (状態 案): every empty item is a warning
    assert (
        "warning[form.missing]: ③対象人数 が未記入です（状態が案の間は" in capsys.readouterr().out
    )
    for path in (MINIMAL / EVALUATION).iterdir():  # the author fills every item in
        shutil.copyfile(path, project / EVALUATION / path.name)
    assert run(steps[2]) == 0  # pia status minimal
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["評価書", "部", "ファイル"]
    assert all(line.split()[-3:] == ["0", "0", "0"] for line in table[1:]), table
    assert run(steps[3]) == 0  # pia check minimal
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "問題はありません（評価書 1 件）\n")
