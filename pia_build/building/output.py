"""OutputWriter: the only code that writes under output/. Atomic, never twice, prunes strays."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

Guard = Callable[[str], AbstractContextManager[bool]]
"""Entered around each write with the path; yields True to leave the file as it is (a newer
one was written outside the build: ``pia serve``'s quick step)."""


def _unguarded(rel_path: str) -> AbstractContextManager[bool]:
    return nullcontext(False)


class DoubleWriteError(Exception):
    """Two outputs of one build claimed the same path."""


class OutputWriter:
    """Writes the files of one build into a folder and removes what the build no longer makes."""

    def __init__(self, folder: Path, guard: Guard = _unguarded) -> None:
        self.folder = folder
        self.written: set[str] = set()
        self.changed: list[str] = []
        self.guard = guard

    def write(self, rel_path: str, data: bytes) -> None:
        """Write one file atomically; unchanged files are left untouched."""
        if rel_path in self.written:
            raise DoubleWriteError(f"{rel_path} was written twice in one build")
        self.written.add(rel_path)
        with self.guard(rel_path) as newer_outside:
            target = self.folder / rel_path
            if newer_outside or (target.is_file() and target.read_bytes() == data):
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        self.changed.append(rel_path)

    def keep(self, rel_path: str) -> None:
        """Mark an unchanged file of an earlier build as produced by this one (so it is not pruned)."""
        if rel_path in self.written:
            raise DoubleWriteError(f"{rel_path} was written twice in one build")
        self.written.add(rel_path)

    def prune(self) -> list[str]:
        """Delete files under the folder that this build did not write; return their paths."""
        removed: list[str] = []
        if not self.folder.is_dir():
            return removed
        for path in sorted(self.folder.rglob("*")):
            rel = path.relative_to(self.folder).as_posix()
            if path.is_file() and rel not in self.written:
                path.unlink()
                removed.append(rel)
        for path in sorted(self.folder.rglob("*"), reverse=True):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        return removed


def output_problem(folder: Path, subfolders: Sequence[str]) -> str:
    """Return, in one line, why a build cannot write under ``folder``, or "" when it can.

    Found before any rendering: a file where a folder should be (the output folder, ``site``,
    ``.pia_build``, an evaluation's folder), a parent that is a file, a folder not writable.
    """
    for path in [folder, *(folder / name for name in subfolders)]:
        if path.exists() and not path.is_dir():
            return f"{path} is a file where pia writes a folder; move it away or choose another --output"
    for path in [folder, *(folder / name for name in subfolders[:2])]:
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe(path)
        except OSError as exc:
            return f"cannot write in {path}: {exc.strerror or exc}"
    return ""


def probe(folder: Path) -> None:
    """Create and remove a temporary file in ``folder`` (raises OSError when it cannot)."""
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".pia-probe.")
    os.close(handle)
    os.unlink(temp)


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and an atomic rename."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """Return the process umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
