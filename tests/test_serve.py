"""`pia serve`: pages get the reload script at serve time only; the status endpoint reports
each build (with its errors); the command builds, serves, rebuilds on a change and stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO

from pia_build.building.build import BuildResult
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location
from pia_build.site.serve import HISTORY, RELOAD_JS, SCRIPT_VERSION, DevServer, inject

TIMEOUT = 60.0


def get(url: str, timeout: float = TIMEOUT) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.headers["Content-Type"], response.read()


@dataclass
class FakeResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<html><body><p>home</p></body></html>", encoding="utf-8")
    (site / "a" / "index.html").write_text("<html><body>a</body></html>", encoding="utf-8")
    (site / "style.css").write_text("body{}", encoding="utf-8")
    with DevServer(site, port=0) as running:
        yield running


def test_pages_get_the_reload_script_and_files_on_disk_do_not(
    server: DevServer, tmp_path: Path
) -> None:
    kind, page = get(server.url)
    assert kind.startswith("text/html")
    tag = f'<script src="/__pia/reload.js?v={SCRIPT_VERSION}" defer data-build="0"></script>'
    assert page.endswith(tag.encode() + b"\n</body></html>")
    assert RELOAD_JS.encode() in get(server.url + "a/")[1]
    assert RELOAD_JS.encode() in get(server.url + "a/index.html")[1]
    assert get(server.url + "style.css")[1] == b"body{}"
    kind, script = get(server.url + RELOAD_JS.lstrip("/"))
    assert kind.startswith("text/javascript") and b"location.reload()" in script
    assert b"__pia" not in (tmp_path / "site" / "index.html").read_bytes()


def test_built_site_never_contains_the_reload_script(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    for path in site.rglob("*.html"):
        assert "__pia" not in path.read_text(encoding="utf-8"), path


def test_status_waits_for_the_next_build_and_carries_its_errors(server: DevServer) -> None:
    assert json.loads(get(server.url + "__pia/status?since=-1")[1]) == {
        "build": 0,
        "ok": True,
        "errors": [],
        "changes": [],
    }
    answers: queue.Queue[dict] = queue.Queue()
    waiting = threading.Thread(
        target=lambda: answers.put(json.loads(get(server.url + "__pia/status?since=0")[1]))
    )
    waiting.start()
    problem = Diagnostic("form.choice", "error", Location("content/a.md", 4), "bad <choice>")
    warning = Diagnostic("form.note", "warning", Location("content/a.md", 9), "just a note")
    server.recording(lambda config: FakeResult([problem, warning]))(Config(Path(".")))
    answer = answers.get(timeout=TIMEOUT)
    waiting.join(TIMEOUT)
    assert answer == {
        "build": 1,
        "ok": False,
        "errors": ["content/a.md:4: error[form.choice]: bad <choice>"],
        "changes": [[1, None]],  # a build that does not say which pages it wrote: all
    }


def test_status_names_the_pages_each_recent_build_wrote(server: DevServer) -> None:
    server.state.publish([], ("a/index.html",))
    server.state.publish([], None)
    for _ in range(HISTORY + 1):
        server.state.publish([], ("b/index.html", "index.html"))
    changes = json.loads(get(server.url + "__pia/status?since=0")[1])["changes"]
    assert len(changes) == HISTORY and changes[0][0] == 4  # the oldest are let go
    assert changes[-1] == [HISTORY + 3, ["b/index.html", "index.html"]]


def test_an_exception_in_the_build_reaches_the_page_and_propagates(server: DevServer) -> None:
    def explode(config: Config) -> FakeResult:
        raise ValueError("layout exploded")

    with pytest.raises(ValueError):
        server.recording(explode)(Config(Path(".")))
    state = json.loads(get(server.url + "__pia/status?since=0")[1])
    assert state["build"] == 1 and state["errors"] == ["ValueError: layout exploded"]
    assert not state["ok"]


def test_inject_without_a_body_appends() -> None:
    assert (
        inject(b"<p>x</p>", 3)
        == f'<p>x</p><script src="/__pia/reload.js?v={SCRIPT_VERSION}" defer data-build="3"></script>\n'.encode()
    )


def test_a_busy_port_is_a_usage_error(server: DevServer) -> None:
    from pia_build.core.config import ConfigError

    port = server.httpd.server_address[1]
    with pytest.raises(ConfigError, match="cannot serve on 127.0.0.1"):
        DevServer(Path("."), port=port)


def test_pia_serve_builds_serves_rebuilds_and_stops(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "projects" / "minimal", project)
    shutil.copytree(REPO / "layouts", project / "layouts")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "pia_build", "--root", str(project), "serve", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        url = _served_url(process)
        assert RELOAD_JS.encode() in get(url + "minimal/index.html")[1]
        basic = project / "content" / "evaluations" / "minimal" / "1-basic.md"
        basic.write_text(
            basic.read_text(encoding="utf-8").replace("見本事務", "見本事務二"), "utf-8"
        )
        state = json.loads(get(url + "__pia/status?since=1")[1])
        assert state["build"] == 2 and state["ok"], state
        assert "見本事務二" in get(url + "minimal/index.html")[1].decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, errors.decode()
    assert errors.decode().count("pia: build done in") == 2


def _served_url(process: subprocess.Popen[bytes]) -> str:
    """Return the URL the command prints once it serves (the first build comes before)."""
    lines: queue.Queue[bytes] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
    line = lines.get(timeout=TIMEOUT).decode()
    assert line.startswith("serving http://127.0.0.1:"), line
    return line.split()[1]


def test_changed_form_definitions_are_read_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pia_build.forms import builtin_forms
    from pia_build.site import serve

    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "x.yml").write_text("id: x\n", encoding="utf-8")
    monkeypatch.setattr(serve, "FORMS_DIR", forms)
    cached: list[int] = []

    def fake(config: Config) -> FakeResult:
        cached.append(builtin_forms.cache_info().currsize)
        return FakeResult()

    server = DevServer(tmp_path, port=0)
    rebuild = server.recording(fake)
    builtin_forms()
    rebuild(Config(tmp_path))
    (forms / "x.yml").write_text("id: y\n", encoding="utf-8")
    rebuild(Config(tmp_path))
    server.httpd.server_close()
    assert cached == [1, 0]
