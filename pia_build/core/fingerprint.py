"""Fingerprints: SHA-256 of chunks, of files, and of pia itself (its code and form definitions)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
"""The pia_build package folder."""


def digest(chunks: Iterable[bytes | str]) -> str:
    """Return the SHA-256 of a sequence of chunks (each length-prefixed, so order matters)."""
    h = hashlib.sha256()
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def files_digest(paths: Iterable[Path], base: Path) -> str:
    """Return one fingerprint of files: their paths relative to ``base`` and their bytes."""
    chunks: list[bytes | str] = []
    for path in sorted(paths):
        chunks += [path.relative_to(base).as_posix(), path.read_bytes()]
    return digest(chunks)


@lru_cache(maxsize=1)
def code_key() -> str:
    """Return the fingerprint of pia itself: its code and form definitions."""
    paths = [
        p
        for p in PACKAGE.rglob("*")
        if p.suffix in (".py", ".yml") and "__pycache__" not in p.parts
    ]
    return files_digest(paths, PACKAGE)
