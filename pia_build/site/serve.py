"""`pia serve`: serve output/site on localhost and reload open pages after each build.

The live-reload script exists only in this server: HTML responses get a
``<script src="/__pia/reload.js">`` at serve time, never in built files. The script waits on
``/__pia/status`` for the next build; after a good one it reloads the page (unless the build
named the pages it wrote and this one is not among them), after a failed one it shows the
errors over the page. Watching and building are not done here (see ``watch``).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, quote, unquote, urlsplit

from pia_build.core.config import Config, ConfigError
from pia_build.core.diagnostics import Diagnostic
from pia_build.core.fingerprint import code_key
from pia_build.forms import FORMS_DIR, builtin_forms
from pia_build.site.reload_script import RELOAD_SCRIPT

RELOAD_JS = "/__pia/reload.js"
SCRIPT_VERSION = hashlib.sha256(RELOAD_SCRIPT.encode("utf-8")).hexdigest()[:12]
"""Named in the script's address, so a browser may keep the script (it never goes stale)."""
STATUS = "/__pia/status"
DOWNLOADS = "/__pia/downloads"
"""Long poll: which files are still being made (``{"generation": n, "pending": [paths]}``)."""
WAIT = 25.0
"""Seconds a status request waits for the next build before answering "no change"."""
WAIT_FILE = 300.0
"""Seconds a request for a file still being made waits for it."""
HISTORY = 64
"""Builds whose written pages the status answer lists (a page older than these reloads)."""


class Result(Protocol):
    """What the server needs of a build's result."""

    @property
    def diagnostics(self) -> list[Diagnostic]: ...


R = TypeVar("R", bound=Result)
Pages = tuple[str, ...] | None
"""Site-relative pages a build wrote (None: any page may have changed)."""


class BuildState:
    """The latest build as pages see it: its number and, if it failed, its errors."""

    def __init__(self) -> None:
        self.number = 0
        self.errors: list[str] = []
        self.pending: frozenset[str] = frozenset()
        """Site-relative paths of files being made in the background (downloads)."""
        self.generation = 0
        """Counts changes of ``pending``."""
        self._changed = threading.Condition()
        self._closed = False
        self._pages: list[tuple[int, Pages]] = []
        """(build number, the pages it wrote) of the last ``HISTORY`` builds."""

    def publish(self, errors: list[str], pages: Pages = None) -> None:
        """Record a finished build and wake every waiting page.

        ``pages`` names the site-relative pages the build wrote: open pages that are not among
        them do not reload. None: every open page reloads.
        """
        with self._changed:
            self.number += 1
            self.errors = errors
            self._pages = [*self._pages[1 - HISTORY :], (self.number, pages)]
            self._changed.notify_all()

    def set_pending(self, paths: set[str] | frozenset[str]) -> None:
        """Record which files are being made now (empty: all are ready) and wake the waiters."""
        with self._changed:
            if frozenset(paths) != self.pending:
                self.pending = frozenset(paths)
                self.generation += 1
                self._changed.notify_all()

    def wait_downloads(self, since: int, timeout: float) -> dict[str, Any]:
        """Return the pending files once their generation differs from ``since``, or after ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != since or self._closed, timeout)
            return {"generation": self.generation, "pending": sorted(self.pending)}

    def wait_ready(self, path: str, timeout: float) -> None:
        """Return once ``path`` is no longer being made (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: path not in self.pending or self._closed, timeout)

    def wait(self, since: int, timeout: float) -> dict[str, Any]:
        """Return the state once its number differs from ``since``, or after ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self.number != since or self._closed, timeout)
            changes = [[n, None if p is None else list(p)] for n, p in self._pages]
            return {
                "build": self.number,
                "ok": not self.errors,
                "errors": self.errors,
                "changes": changes,
            }

    def close(self) -> None:
        """Release every waiting request (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class DevServer:
    """A threaded HTTP server on ``host`` for one site folder, with live reload."""

    def __init__(self, site: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.state = BuildState()
        handler = partial(_Handler, directory=str(site), state=self.state)
        try:
            self.httpd = _Server((host, port), handler)
        except OSError as exc:
            raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from exc
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="pia-serve")
        self._forms = forms_digest()

    @property
    def url(self) -> str:
        """The address pages are served at."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> DevServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.state.close()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join()

    def recording(self, build: Callable[[Config], R]) -> Callable[[Config], R]:
        """Return ``build`` wrapped so that each result (or exception) reaches open pages."""

        def run(config: Config) -> R:
            self._refresh_forms()
            try:
                result = build(config)
            except Exception as exc:
                self.state.publish([f"{type(exc).__name__}: {exc}"])
                raise
            errors = [d.render() for d in result.diagnostics if d.severity == "error"]
            self.state.publish(errors, getattr(result, "pages", None))
            return result

        return run

    def _refresh_forms(self) -> None:
        """Forget the form definitions read so far when their files changed (they are watched)."""
        digest = forms_digest()
        if digest != self._forms:
            self._forms = digest
            builtin_forms.cache_clear()
            code_key.cache_clear()  # the build cache's fingerprint of pia, forms included


def forms_digest() -> str:
    """Return a fingerprint of the form definition files."""
    sha = hashlib.sha256()
    for path in sorted(FORMS_DIR.glob("*.yml")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
"""Host names a request may use: a page of another site reaching the server through DNS
rebinding names that site's host, and is refused."""
_SINCE = re.compile(r"-?\d{1,18}")


class _Server(ThreadingHTTPServer):
    """The HTTP server, quiet when a browser goes away mid-answer (a closed tab)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def refusal(path: str, host: str | None) -> tuple[HTTPStatus, str] | None:
    """Return why a request is refused (a foreign Host, a path or parameter that is not one)."""
    name = urlsplit(f"//{host or ''}").hostname or ""
    if name not in LOOPBACK_NAMES:
        return HTTPStatus.FORBIDDEN, "this preview answers only requests for localhost"
    url = urlsplit(path)
    decoded = unquote(url.path, errors="strict") if "%" in url.path else url.path
    if not decoded.startswith("/") or any(ord(c) < 32 or c == "\x7f" for c in decoded):
        return HTTPStatus.BAD_REQUEST, "not a path of this site"
    since = parse_qs(url.query).get("since", ["0"])[0]
    if not _SINCE.fullmatch(since):
        return HTTPStatus.BAD_REQUEST, "since must be a whole number"
    return None


class _Handler(SimpleHTTPRequestHandler):
    """Static files, plus the reload script, the status endpoint and the script injection."""

    def __init__(self, *args: Any, state: BuildState, **kwargs: Any) -> None:
        self.state = state  # set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def do_HEAD(self) -> None:
        """Answer HEAD like GET's headers, after the same checks."""
        if not self._refused():
            super().do_HEAD()

    def _refused(self) -> bool:
        """Answer a refused request (400 or 403) and return True, or return False."""
        try:
            why = refusal(self.path, self.headers.get("Host"))
        except UnicodeDecodeError:
            why = HTTPStatus.BAD_REQUEST, "not a path of this site"
        if why is not None:
            self.send_error(*why)
        return why is not None

    def do_GET(self) -> None:
        """Answer the reload endpoints, inject the script into pages, serve everything else."""
        if self._refused():
            return
        url = urlsplit(self.path)
        number = int(parse_qs(url.query).get("since", ["-1"])[0])
        if url.path == RELOAD_JS:
            self._cache = "max-age=31536000, immutable"  # its address names its version
            self._send("text/javascript; charset=utf-8", RELOAD_SCRIPT.encode("utf-8"))
        elif url.path == STATUS:
            self._json(self.state.wait(number, WAIT))
        elif url.path == DOWNLOADS:
            self._json(self.state.wait_downloads(number, WAIT))
        elif (page := self._page(url.path)) is not None:
            body = inject(page.read_bytes(), self.state.number, self.state.pending)
            self._send("text/html; charset=utf-8", body)
        else:
            # a download still being made is answered once it is ready: never a stale file
            self.state.wait_ready(unquote(url.path).lstrip("/"), WAIT_FILE)
            super().do_GET()

    def _json(self, answer: dict[str, Any]) -> None:
        self._send("application/json", json.dumps(answer, ensure_ascii=False).encode("utf-8"))

    def _page(self, path: str) -> Path | None:
        """Return the HTML file a request names, or None to let the base class answer."""
        local = Path(self.translate_path(path))
        if path.endswith("/") and (local / "index.html").is_file():
            return local / "index.html"
        return local if local.suffix == ".html" and local.is_file() else None

    def _send(self, kind: str, body: bytes) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", getattr(self, "_cache", "no-store"))
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the terminal is for build reports."""


def inject(page: bytes, build: int, pending: Iterable[str] = ()) -> bytes:
    """Return the page with the reload script before ``</body>`` (or at the end).

    The script is deferred (the page is shown without waiting for it) and named with its
    version (the browser keeps it from one reload to the next).

    ``pending`` files (being made in the background) are named in ``data-pending`` so the
    script can mark their links before it has asked the server anything.
    """
    waiting = " ".join(quote(p) for p in sorted(pending))
    extra = f' data-pending="{html.escape(waiting)}"' if waiting else ""
    source = f"{RELOAD_JS}?v={SCRIPT_VERSION}"
    tag = f'<script src="{source}" defer data-build="{build}"{extra}></script>\n'.encode()
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]
