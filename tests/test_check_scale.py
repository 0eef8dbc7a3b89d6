"""`pia check` at scale: the check record answers for unchanged evaluations and never hides a
change; the warm file cache re-reads a file whose change its stat could hide; the gcc format;
``pia check --watch`` reports a new problem after a save."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO

from pia_build import check
from pia_build.building import checking
from pia_build.building.checking import CHECK_RECORD, check_sources
from pia_build.building.executors import PoolExecutor
from pia_build.core import filecache
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location, format_gcc

TIMEOUT = 60.0
BASIC = "content/evaluations/minimal/1-basic.md"
BROKEN = ("③対象人数: 10万人以上30万人未満", "③対象人数: 十人くらい")


@pytest.fixture
def project(tmp_path: Path) -> Config:
    shutil.copytree(REPO / "tests" / "projects" / "minimal" / "content", tmp_path / "p" / "content")
    shutil.copytree(REPO / "layouts", tmp_path / "p" / "layouts")
    for number in range(2, 6):  # five evaluations: enough for the pool (SERIAL_BELOW is 4)
        shutil.copytree(
            tmp_path / "p/content/evaluations/minimal",
            tmp_path / f"p/content/evaluations/minimal{number}",
        )
    return Config(tmp_path / "p")


def edit(config: Config, rel: str, old: str, new: str) -> None:
    path = config.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_same_problems_as_check_on_the_pool_and_from_the_record(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(project, BASIC, *BROKEN)
    expected = check(project).diagnostics
    assert any(d.location.path == BASIC for d in expected)
    assert check_sources(project, executor=PoolExecutor(2)) == expected
    assert check_sources(project, executor=PoolExecutor(2, "fork"), keep=False) == expected
    assert (project.output / CHECK_RECORD).is_file()
    ran: list[str] = []
    real = checking.run_check_job
    monkeypatch.setattr(checking, "run_check_job", lambda job: ran.append(job.folder) or real(job))
    assert check_sources(project) == expected
    assert ran == []  # every answer came from the record
    edit(project, BASIC, BROKEN[1], BROKEN[0])
    assert check_sources(project) == check(project).diagnostics
    assert [Path(f).name for f in ran] == ["minimal"]  # only the edited one was checked again
    assert not any(d.location.path == BASIC for d in check_sources(project))


def test_a_corrupt_record_is_ignored(project: Config) -> None:
    record = project.output / CHECK_RECORD
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text('{"version": 1, "evaluations": {"minimal": {"key": 3}}}', encoding="utf-8")
    assert check_sources(project) == check(project).diagnostics


def test_a_build_keeps_the_check_record(project: Config) -> None:
    from pia_build import build

    check_sources(project)
    build(project, formats=["html"], search=False)
    assert (project.output / CHECK_RECORD).is_file()


def test_a_rewrite_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("one", encoding="utf-8")
    first = filecache.file_digest(path)
    stat = path.stat()
    path.write_text("two", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
    assert filecache.file_digest(path) != first
    assert filecache.derived(path, "upper", bytes.upper) == b"TWO"


def test_gcc_format_is_what_problem_matchers_read() -> None:
    problem = Diagnostic("form.choice", "error", Location("content/a.md", 4), "bad choice")
    whole = Diagnostic("file.note", "warning", Location("content/b.md", 0), "note")
    assert format_gcc([whole, problem]) == (
        "content/a.md:4:1: error: bad choice [form.choice]\n"
        "content/b.md:1:1: warning: note [file.note]\n"
    )


def test_check_watch_reports_a_new_problem_after_a_save(project: Config) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "pia_build", "--root", str(project.root)]
    command += ["check", "--watch", "--format", "gcc"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stream = process.stdout
    threading.Thread(
        target=lambda: [lines.put(raw.decode()) for raw in stream], daemon=True
    ).start()
    try:
        assert _until(lines, "pia check: watching").startswith("pia check: watching")
        edit(project, BASIC, *BROKEN)
        found = _until(lines, f"{BASIC}:")
        assert ": error: " in found and found.rstrip().endswith("]"), found
        assert _until(lines, "pia: check ").startswith("pia: check failed in")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0  # the first check found nothing


def _until(lines: queue.Queue[str], start: str) -> str:
    """Return the first line that starts with ``start`` (waiting at most TIMEOUT per line)."""
    while not (line := lines.get(timeout=TIMEOUT)).startswith(start):
        pass
    return line
