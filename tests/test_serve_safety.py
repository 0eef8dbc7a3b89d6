"""`pia serve` facing hostile requests (issue 15): bad paths and parameters get 400, a foreign
Host header 403 (DNS rebinding), and a browser that goes away leaves no traceback."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from pia_build.site.serve import DevServer

TIMEOUT = 10


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DevServer]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>ホーム</body></html>", encoding="utf-8")
    with DevServer(site, port=0) as running:
        yield running


def ask(server: DevServer, path: str, host: str | None = None) -> int:
    port = server.httpd.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Host": host} if host is not None else {}
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", headers.get("Host", f"127.0.0.1:{port}"))
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize(
    "path",
    [
        "/%00",
        "/a%00b.html",
        "/%ff%fe",
        "/__pia/status?since=--1",
        "/__pia/status?since=abc",
        "/__pia/downloads?since=1e9",
        "/__pia/status?since=" + "9" * 40,
    ],
)
def test_bad_paths_and_parameters_get_400_and_the_server_stays_up(
    server: DevServer, path: str, capfd: pytest.CaptureFixture[str]
) -> None:
    assert ask(server, path) == 400
    assert ask(server, "/") == 200
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "10.0.0.1", ""])
def test_a_foreign_host_header_is_refused(server: DevServer, host: str) -> None:
    assert ask(server, "/", host) == 403


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:1", "[::1]:8000"])
def test_loopback_host_names_are_served(server: DevServer, host: str) -> None:
    assert ask(server, "/", host) == 200


def test_a_closed_tab_prints_nothing(server: DevServer, capfd: pytest.CaptureFixture[str]) -> None:
    try:
        raise BrokenPipeError(32, "Broken pipe")
    except BrokenPipeError:
        server.httpd.handle_error(None, ("127.0.0.1", 1))
    port = server.httpd.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
        client.sendall(
            f"GET /__pia/status?since=0 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        )
    server.state.publish([])  # the waiting answer now goes to a closed socket
    assert ask(server, "/") == 200
    assert "Traceback" not in capfd.readouterr().err
