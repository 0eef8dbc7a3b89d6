"""Watch mode: a burst of changes builds once, ignored files build nothing, failures are survived."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location
from pia_build.site.watch import ChangeFlag, is_ignored, watch

TIMEOUT = 10.0


@dataclass
class FakeResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)


class FakeBuild:
    """Records what content/ held at each call; fails on the calls it is told to."""

    def __init__(self, root: Path, fail_on: tuple[int, ...] = ()) -> None:
        self.root = root
        self.fail_on = fail_on
        self.snapshots: list[set[str]] = []
        self.done = threading.Condition()

    def __call__(self, config: Config) -> FakeResult:
        files = {p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file()}
        with self.done:
            self.snapshots.append(files)
            self.done.notify_all()
        if len(self.snapshots) in self.fail_on:
            raise RuntimeError("layout exploded")
        return FakeResult()

    def wait_for(self, test: Callable[[list[set[str]]], bool]) -> None:
        with self.done:
            assert self.done.wait_for(lambda: test(self.snapshots), TIMEOUT), self.snapshots


@pytest.fixture
def project(tmp_path: Path) -> Config:
    for folder in ("content/evaluations/a", "layouts", "output/site"):
        (tmp_path / folder).mkdir(parents=True)
    return Config(tmp_path)


@pytest.fixture
def watching(project: Config) -> Iterator[Callable[..., tuple[FakeBuild, io.StringIO]]]:
    """Start ``watch`` in a thread with a fake build; stop it after the test."""
    stop, threads = threading.Event(), []

    def start(
        fail_on: tuple[int, ...] = (), debounce: float = 0.2
    ) -> tuple[FakeBuild, io.StringIO]:
        fake, out, ready = FakeBuild(project.root, fail_on), io.StringIO(), threading.Event()
        kwargs = {"debounce": debounce, "stop": stop, "on_ready": ready.set, "out": out}
        thread = threading.Thread(target=watch, args=(project, fake), kwargs=kwargs)
        thread.start()
        threads.append(thread)
        assert ready.wait(TIMEOUT)
        return fake, out

    yield start
    stop.set()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive()


def test_a_burst_of_changes_in_several_folders_builds_once(
    project: Config, watching: Callable[..., tuple[FakeBuild, io.StringIO]]
) -> None:
    fake, _ = watching(debounce=1.0)
    burst = [
        project.content / "evaluations" / "a" / "1-basic.md",
        project.layouts / "base.html",
        project.content / "evaluations" / "a" / "2-file-1.md",
    ]
    for path in burst:  # an editor saving several files, a little apart (pacing, not a check)
        path.write_text(path.name, encoding="utf-8")
        time.sleep(0.05)
    fake.wait_for(lambda s: len(s) >= 1)
    (project.content / "sentinel.md").write_text("d", encoding="utf-8")
    fake.wait_for(lambda s: any("content/sentinel.md" in files for files in s))
    before = [files for files in fake.snapshots if "content/sentinel.md" not in files]
    assert len(before) == 1
    assert {"content/evaluations/a/2-file-1.md", "layouts/base.html"} <= before[0]


def test_a_failed_build_is_reported_and_watching_goes_on(
    project: Config, watching: Callable[..., tuple[FakeBuild, io.StringIO]]
) -> None:
    fake, out = watching(fail_on=(1,))
    (project.layouts / "base.html").write_text("{% broken", encoding="utf-8")
    fake.wait_for(lambda s: len(s) == 1)
    (project.layouts / "base.html").write_text("fixed", encoding="utf-8")
    fake.wait_for(lambda s: len(s) == 2)
    report = out.getvalue()
    assert "pia: the build failed:" in report and "RuntimeError: layout exploded" in report
    assert "pia: build done in" in report


def test_diagnostics_of_a_build_are_printed(project: Config) -> None:
    problem = Diagnostic("form.choice", "error", Location("content/a.md", 4), "bad choice")
    stop, ready, out = threading.Event(), threading.Event(), io.StringIO()
    calls = threading.Semaphore(0)

    def build(config: Config) -> FakeResult:
        calls.release()
        stop.set()
        return FakeResult([problem])

    thread = threading.Thread(
        target=watch,
        args=(project, build),
        kwargs={"stop": stop, "on_ready": ready.set, "out": out},
    )
    thread.start()
    assert ready.wait(TIMEOUT)
    (project.content / "a.md").write_text("x", encoding="utf-8")
    assert calls.acquire(timeout=TIMEOUT)
    thread.join(TIMEOUT)
    assert "content/a.md:4: error[form.choice]: bad choice" in out.getvalue()
    assert "pia: build failed in" in out.getvalue()


@pytest.mark.parametrize(
    ("relative", "ignored"),
    [
        ("content/evaluations/a/1-basic.md", False),
        ("layouts/assets/style.css", False),
        ("output/site/index.html", True),
        ("content/evaluations/a/.1-basic.md.swp", True),
        ("content/evaluations/a/1-basic.md~", True),
        ("content/evaluations/a/#1-basic.md#", True),
        ("content/evaluations/a/.#1-basic.md", True),
        ("content/evaluations/a/4913", True),
        ("content/.git/index", True),
        ("layouts/.cache/x.html", True),
    ],
)
def test_ignore_rules(tmp_path: Path, relative: str, ignored: bool) -> None:
    roots = [tmp_path / "content", tmp_path / "layouts"]
    assert is_ignored(tmp_path / relative, roots, [tmp_path / "output"]) is ignored


def test_a_project_under_a_dot_folder_is_still_watched(tmp_path: Path) -> None:
    root = tmp_path / ".projects" / "city"
    assert not is_ignored(root / "content" / "a.md", [root / "content"], [root / "output"])


def test_only_changes_to_sources_raise_the_flag(tmp_path: Path) -> None:
    content = tmp_path / "content"
    flag = ChangeFlag([content], [tmp_path / "output"])
    source, temp = str(content / "a.md"), str(content / ".a.md.swp")
    quiet = [
        FileOpenedEvent(source),  # the build reading its sources
        FileClosedEvent(source),
        DirModifiedEvent(str(content)),
        FileModifiedEvent(temp),
        FileModifiedEvent(str(tmp_path / "output" / "site" / "index.html")),
        FileMovedEvent(temp, str(content / "b.md~")),
    ]
    for event in quiet:
        flag.dispatch(event)
        assert not flag.changed.is_set(), event
    flag.dispatch(FileMovedEvent(temp, source))  # an editor's atomic save
    assert flag.changed.is_set()


def test_a_save_is_settled_once_every_written_file_is_closed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    flag = ChangeFlag([content], [tmp_path / "output"])
    first, second = str(content / "a.md"), str(content / "b.md")
    assert flag.settled()
    flag.dispatch(FileModifiedEvent(first))  # an editor writing (truncate, write)
    flag.dispatch(FileModifiedEvent(second))
    assert flag.changed.is_set() and not flag.settled()
    flag.stirred.clear()
    flag.dispatch(FileClosedEvent(first))
    assert flag.stirred.is_set() and not flag.settled()  # b.md is still open for writing
    flag.dispatch(FileClosedEvent(second))
    assert flag.settled()
    flag.dispatch(FileModifiedEvent(first))
    flag.dispatch(FileMovedEvent(first, str(content / "c.md")))  # moved away: nothing to wait for
    assert flag.settled()
    assert flag.take() == {Path(p).resolve() for p in (first, second, content / "c.md")}
