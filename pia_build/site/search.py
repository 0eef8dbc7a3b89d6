"""The site's full-text search index: Pagefind over the built pages → (path, bytes) pairs.

Pagefind's extended release (PyPI ``pagefind-bin-extended``) is used because only it segments
Japanese into words; the standard binary indexes a whole unspaced sentence as one word, so a
phrase from inside a sentence would find nothing. Pagefind reads a copy of the pages in a
temporary folder and writes its bundle there, so nothing but the OutputWriter touches output/.
Its output depends only on the pages and the Pagefind version: two builds are byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

BUNDLE = "pagefind"
"""The bundle's folder inside the site."""
ARGS = ("--force-language", "ja", "--keep-index-url", "--quiet")
"""Index everything as Japanese; keep ``index.html`` in result links (works on any host)."""
TIMEOUT = 600

_last: dict[str, list[tuple[str, bytes]]] = {}
"""The bundle of the last page set indexed in this process (``pia serve`` rebuilds often)."""


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed."""


def index_site(
    output: Path, written: Iterable[str], site: str, nice: int = 0
) -> list[tuple[str, bytes]]:
    """Return the search bundle (paths relative to the site) over the HTML pages of a build.

    ``written`` holds the build's output paths relative to ``output``; those under ``site`` that
    end in ``.html`` are indexed. Pages marked ``data-pagefind-body`` are the searchable ones.
    ``nice`` lowers Pagefind's CPU priority (a background index must not slow the preview).
    """
    prefix = f"{site}/"
    pages = sorted(p.removeprefix(prefix) for p in written if p.startswith(prefix))
    pages = [p for p in pages if p.endswith(".html")]
    sources = [(page, (output / site / page).read_bytes()) for page in pages]
    key = _digest(sources)
    if key not in _last:
        _last.clear()
        _last[key] = run_pagefind(sources, nice)
    return _last[key]


def run_pagefind(pages: list[tuple[str, bytes]], nice: int = 0) -> list[tuple[str, bytes]]:
    """Index ``pages`` (site-relative path, HTML) and return the bundle's files, sorted."""
    with tempfile.TemporaryDirectory(prefix="pia-search-") as tmp:
        source, bundle = Path(tmp) / "site", Path(tmp) / BUNDLE
        source.mkdir()
        for rel, data in pages:
            target = source / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        command = [str(executable()), "--site", str(source), "--output-path", str(bundle), *ARGS]
        # cwd and env are fixed so a stray pagefind.yml or PAGEFIND_* variable cannot change it
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
        done = subprocess.run(
            command,
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )
        if done.returncode != 0:
            raise SearchIndexError(f"pagefind failed ({done.returncode}): {done.stderr.strip()}")
        return [
            (f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        ]


def executable() -> Path:
    """Return the Pagefind extended binary shipped by the ``pagefind-bin-extended`` wheel."""
    try:
        import pagefind_bin_extended
    except ImportError as exc:
        raise SearchIndexError(
            "the search index needs Pagefind: pip install pagefind-bin-extended"
        ) from exc
    return Path(pagefind_bin_extended.get_executable())


def _digest(pages: list[tuple[str, bytes]]) -> str:
    """Return a fingerprint of the page set and the Pagefind binary that will index it."""
    executable()  # fail early, with the install hint, when Pagefind is missing
    sha = hashlib.sha256(metadata.version("pagefind-bin-extended").encode())
    for rel, data in pages:
        sha.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return sha.hexdigest()
