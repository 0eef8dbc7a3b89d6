"""`pia serve`'s preview: after an edit the page is rendered and announced before its PDF is
made; the PDF arrives in the background, and a request for it meanwhile waits for the new one;
problems of the edited file come first; a clause change goes the whole way at once.

No sleeps: the background worker is held by a gate that the test (or the server) opens.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO
from pdftext import needs_poppler, pdf_text, squash

from pia_build.building.preview import Preview
from pia_build.core.config import Config
from pia_build.site.serve import DevServer

TIMEOUT = 120.0
OLD, NEW = "①事務の名称: 見本事務", "①事務の名称: 見本事務改訂版"


@dataclass
class Running:
    config: Config
    server: DevServer
    preview: Preview
    gate: threading.Event
    """The background worker waits for it before each step."""

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.server.url + path, timeout=TIMEOUT) as answer:
            return answer.read()

    def source(self, evaluation: str, name: str) -> Path:
        return (self.config.content / "evaluations" / evaluation / name).resolve()

    def edit(self, evaluation: str, name: str, old: str, new: str) -> Path:
        path = self.source(evaluation, name)
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "projects" / "minimal" / "content", project / "content")
    shutil.copytree(REPO / "layouts", project / "layouts")
    evaluations = project / "content" / "evaluations"
    shutil.copytree(evaluations / "minimal", evaluations / "other")
    config = Config(project)
    (config.output / "site").mkdir(parents=True)
    server = DevServer(config.output / "site", port=0)
    preview = Preview(config, server, debounce=0.0, out=io.StringIO())
    gate = threading.Event()
    for worker in (preview._downloads, preview._pdfs):
        step = worker.step
        worker.step = lambda step=step: (gate.wait(TIMEOUT), step())  # type: ignore[misc]
    preview.start()
    with server:
        yield Running(config, server, preview, gate)
    gate.set()
    preview.stop()


@needs_poppler
def test_the_page_comes_first_and_the_pdf_follows(running: Running, tmp_path: Path) -> None:
    pdf = "minimal/minimal.pdf"
    before = running.get(pdf)
    assert "見本事務" in squash(pdf_text(before, tmp_path))
    assert running.server.state.number == 1
    running.preview.changed({running.edit("minimal", "1-basic.md", OLD, NEW)})
    # the page is rebuilt and announced while the PDF is not made yet (the worker is held);
    # the announcement names the page, so other open pages stay as they are
    assert running.server.state.number == 2 and running.server.state.errors == []
    assert json.loads(running.get("__pia/status?since=1"))["changes"][1] == [
        2,
        ["minimal/index.html"],
    ]
    page = running.get("minimal/index.html").decode("utf-8")
    assert "見本事務改訂版" in page
    pending = page.split('data-pending="')[1].split('"')[0].split()
    assert {"minimal/minimal.docx", "minimal/minimal.pdf"} <= set(pending)
    state = json.loads(running.get("__pia/downloads?since=-1"))
    assert state["pending"] == pending
    on_disk = (running.config.output / "site" / pdf).read_bytes()
    assert "見本事務改訂版" not in squash(pdf_text(on_disk, tmp_path))
    # a request for the PDF waits for the new one: the server itself opens the gate
    wait_ready = running.server.state.wait_ready

    def opening(path: str, timeout: float) -> None:
        if path == pdf:
            running.gate.set()
        wait_ready(path, timeout)

    running.server.state.wait_ready = opening  # type: ignore[method-assign]
    after = running.get(pdf)
    assert "見本事務改訂版" in squash(pdf_text(after, tmp_path))
    state = json.loads(running.get("__pia/downloads?since=-1"))
    assert "minimal/minimal.pdf" not in state["pending"]  # the PDF comes before the DOCX
    while state["pending"]:  # long poll: answers when the pending set changes
        state = json.loads(running.get(f"__pia/downloads?since={state['generation']}"))
    assert (running.config.output / "site" / "minimal" / "minimal.docx").is_file()
    # the background steps did not reload the edited page (at most the pages listing it)
    changes = json.loads(running.get("__pia/status?since=-1"))["changes"]
    assert [c for c in changes if c[1] is None or "minimal/index.html" in c[1]][1:] == [
        [2, ["minimal/index.html"]]
    ]


def test_problems_of_the_edited_file_come_first(running: Running) -> None:
    running.gate.set()
    bad = ("③対象人数: 10万人以上30万人未満", "③対象人数: 十人くらい")
    running.preview.changed({running.edit("other", "1-basic.md", *bad)})
    assert running.server.state.errors[0].startswith("content/evaluations/other/1-basic.md:")
    edited = running.edit("minimal", "1-basic.md", *bad)
    running.preview.changed({edited})
    errors = running.server.state.errors
    assert errors[0].startswith("content/evaluations/minimal/1-basic.md:"), errors
    assert any(e.startswith("content/evaluations/other/") for e in errors)


def test_a_clause_change_goes_the_whole_way(running: Running) -> None:
    running.gate.set()
    clause = (running.config.content / "clauses" / "chukan-pf" / "storage.md").resolve()
    assert running.preview._affected({clause}) == []
    assert running.preview._affected({running.source("minimal", "1-basic.md")}) == ["minimal"]
    text = clause.read_text(encoding="utf-8")
    clause.write_text(text.rstrip("\n") + "\n\n追記された標準記載の一文。\n", encoding="utf-8")
    running.preview.changed({clause})
    assert running.server.state.number == 2
    for evaluation in ("minimal", "other"):
        page = running.get(f"{evaluation}/index.html").decode("utf-8")
        assert "追記された標準記載の一文。" in page


def test_the_home_page_that_lists_it_follows_at_once(running: Running) -> None:
    name = "評価書名: 見本市 見本事務 重点項目評価書"
    running.preview.changed({running.edit("minimal", "evaluation.md", name, name + "（改）")})
    state = json.loads(running.get("__pia/status?since=1"))
    assert state["changes"][-1] == [2, ["minimal/index.html"]]
    # the pages listing it follow, announced to the pages that show them
    while not any("index.html" in (c[1] or ()) for c in state["changes"]):
        state = json.loads(running.get(f"__pia/status?since={state['build']}"))
    listed = state["changes"][-1][1]
    assert "index.html" in listed and "minimal/index.html" not in listed
    assert "見本事務 重点項目評価書（改）" in running.get("index.html").decode("utf-8")
    assert running.server.state.pending  # the downloads worker is still held


def test_a_save_does_not_wait_for_the_background_build(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background build holds output/ for as long as it runs; a save meanwhile is shown at
    once, and the older page that build writes over it (it read the sources before) goes back."""
    import pia_build.building.preview as preview_module

    real_build, inside, leave = preview_module.build, threading.Event(), threading.Event()
    page = running.config.output / "site" / "minimal" / "index.html"

    def slow_build(config: Config, **options: object) -> object:
        result = real_build(config, **options)  # type: ignore[arg-type]
        if not inside.is_set():  # the first background build: it read the sources before
            stale = page.read_bytes()
            inside.set()
            assert leave.wait(TIMEOUT)
            page.write_bytes(stale)  # ... and writes its page last
        return result

    monkeypatch.setattr(preview_module, "build", slow_build)
    running.gate.set()
    running.preview.changed({running.edit("minimal", "1-basic.md", OLD, NEW)})
    assert inside.wait(TIMEOUT)  # the background build runs and holds output/
    saving = threading.Thread(
        target=running.preview.changed,
        args=({running.edit("minimal", "1-basic.md", NEW, "①事務の名称: 三度目の事務")},),
    )
    saving.start()
    saving.join(TIMEOUT)
    assert not saving.is_alive()  # done while the build is still held
    assert "三度目の事務" in running.get("minimal/index.html").decode("utf-8")
    assert "minimal/minimal.pdf" in running.server.state.pending
    leave.set()
    state = json.loads(running.get("__pia/downloads?since=-1"))
    while state["pending"]:  # the build ends, then a new round makes this edit's downloads
        state = json.loads(running.get(f"__pia/downloads?since={state['generation']}"))
    assert "三度目の事務" in page.read_text(encoding="utf-8")  # the older page did not stay
    assert running.server.state.errors == []


def test_a_build_leaves_a_page_that_an_edit_after_its_start_wrote(
    running: Running, tmp_path: Path
) -> None:
    from pia_build.building.output import OutputWriter

    preview = running.preview
    preview._building = 5  # the running build began at generation 5
    preview._quick = {"a/index.html": (6, b"newer"), "b/index.html": (5, b"seen")}
    writer = OutputWriter(tmp_path, preview._guard)
    (tmp_path / "site" / "a").mkdir(parents=True)
    (tmp_path / "site" / "a" / "index.html").write_bytes(b"newer")
    writer.write("site/a/index.html", b"older")  # rendered from the sources before the edit
    writer.write("site/b/index.html", b"current")
    assert (tmp_path / "site" / "a" / "index.html").read_bytes() == b"newer"
    assert (tmp_path / "site" / "b" / "index.html").read_bytes() == b"current"
    assert writer.changed == ["site/b/index.html"] and "site/a/index.html" in writer.written
