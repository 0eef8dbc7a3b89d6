"""Warm file facts: a file's content hash (and values derived from its bytes), re-read only when
it changed.

A long-lived process (``pia serve``, ``pia check --watch``) asks for the same files after every
edit. Each answer is kept with the file's stat signature (mtime, size, inode, ctime): while the
signature is the same the file is not opened again. A file whose mtime was within ``RACY``
seconds of the moment it was read is in doubt (a second write in the same clock tick keeps the
signature), so it is read again and compared by content hash, as git does for its index.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

RACY = 2.0
"""Seconds: a file modified this close to being read is checked by content next time."""
T = TypeVar("T")


@dataclass
class _Entry:
    signature: tuple[int, int, int, int]
    digest: str
    doubtful: bool
    derived: dict[str, object] = field(default_factory=dict)


_entries: dict[str, _Entry] = {}
_lock = threading.Lock()


def _signature(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)


def _entry(path: Path) -> tuple[_Entry, bytes | None]:
    """Return the current entry of ``path`` and its bytes when they had to be read."""
    key = str(path)
    signature = _signature(path.stat())
    with _lock:
        known = _entries.get(key)
    if known is not None and known.signature == signature and not known.doubtful:
        return known, None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    doubtful = time.time_ns() - signature[0] < RACY * 1e9
    derived = known.derived if known is not None and known.digest == digest else {}
    entry = _Entry(signature, digest, doubtful, derived)
    with _lock:
        _entries[key] = entry
    return entry, data


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, reading it only when its signature changed."""
    return _entry(path)[0].digest


def derived(path: Path, name: str, compute: Callable[[bytes], T]) -> T:
    """Return ``compute(bytes of path)``, computed again only when the file's content changed."""
    entry, data = _entry(path)
    if name not in entry.derived:
        entry.derived[name] = compute(data if data is not None else path.read_bytes())
    return entry.derived[name]  # type: ignore[return-value]


def forget() -> None:
    """Drop every remembered file (tests; a process that wants a cold start)."""
    with _lock:
        _entries.clear()
