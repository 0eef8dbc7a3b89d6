"""Watch mode: rebuild whenever the sources change, around an injected ``build`` function.

Owns what is observed (content/, layouts/, the form definitions), what is ignored (output/,
dotfiles, editor temp files), the debounce and carrying on after a failed build. It knows
nothing of how a build works: ``cli`` passes ``build`` in.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TextIO, TypeVar

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, format_text, has_errors, summary
from pia_build.core.i18n import Language, say
from pia_build.forms import FORMS_DIR

CHANGES = frozenset({"created", "modified", "deleted", "moved"})
"""Event types that change a source; opened/closed events come from reading (the build's own)."""
TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".part", ".crdownload")
TEMP_NAMES = frozenset({"4913"})  # vim creates and deletes this to test that a folder is writable
OBSERVED = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
"""Events asked of the operating system: not the opening and reading of files (inotify is told
so), which every build does to every source and which would only be filtered out here."""


class Result(Protocol):
    """What watch needs of a build's result."""

    @property
    def diagnostics(self) -> list[Diagnostic]: ...


R = TypeVar("R", bound=Result)


def watched_paths(config: Config) -> list[Path]:
    """Return the folders whose changes call for a rebuild."""
    return [p for p in (config.content, config.layouts, FORMS_DIR) if p.is_dir()]


def is_ignored(path: Path, roots: Sequence[Path], skip: Sequence[Path]) -> bool:
    """Return True for a path whose change must not start a build.

    ``skip`` holds folders ignored whole (output/); dotfiles and dot-folders count only below
    the watched ``roots``, so a project that itself lives under a dot-folder is still watched.
    """
    if any(path.is_relative_to(folder) for folder in skip):
        return True
    root = next((r for r in roots if path.is_relative_to(r)), None)
    parts = path.relative_to(root).parts if root else (path.name,)
    name = path.name
    hidden = any(part.startswith(".") for part in parts)
    editor = name.startswith(("#", ".#")) or name.endswith(TEMP_SUFFIXES) or name in TEMP_NAMES
    return hidden or editor


class ChangeFlag(FileSystemEventHandler):
    """Sets ``changed`` when a watched source is created, modified, deleted or moved.

    It also follows which files are being written: a file modified and not yet closed. A burst
    in which every written file was closed again is ``settled`` (the writer is done), so a
    watcher may act on it without waiting out the whole debounce.
    """

    def __init__(self, roots: Sequence[Path], skip: Sequence[Path]) -> None:
        self.roots = [r.resolve() for r in roots]
        self.skip = [s.resolve() for s in skip]
        self.changed = threading.Event()
        self.stirred = threading.Event()
        """Set by every relevant event, closing a written file included (ends a quiet wait)."""
        self._paths: set[Path] = set()
        self._writing: set[Path] = set()
        self._lock = threading.Lock()

    def take(self) -> set[Path]:
        """Return the changed paths seen since the last call, and forget them."""
        with self._lock:
            paths, self._paths = self._paths, set()
        return paths

    def settled(self) -> bool:
        """Return True when no watched file is open for writing (as far as events tell)."""
        with self._lock:
            return not self._writing

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Set the flag for a relevant event; a folder's own "modified" says nothing new."""
        folder_touched = event.is_directory and event.event_type == "modified"
        if event.event_type == "closed":
            self._closed(_path(event.src_path))
            return
        if event.event_type not in CHANGES or folder_touched:
            return
        source, target = _path(event.src_path), _path(getattr(event, "dest_path", ""))
        for path in (source, target):
            if path is not None and not is_ignored(path, self.roots, self.skip):
                with self._lock:
                    self._paths.add(path)
                    if event.event_type in ("created", "modified") and not event.is_directory:
                        self._writing.add(path)
                    elif path in self._writing:  # deleted, or moved away or into place
                        self._writing.discard(path)
                self.changed.set()
                self.stirred.set()

    def _closed(self, path: Path | None) -> None:
        """A file written to was closed: its writer is done with it."""
        with self._lock:
            if path not in self._writing:
                return
            self._writing.discard(path)
        self.stirred.set()


def _path(raw: str | bytes) -> Path | None:
    text = raw.decode() if isinstance(raw, bytes) else raw
    return Path(text).resolve() if text else None


def watch(
    config: Config,
    build: Callable[[Config], R],
    debounce: float = 0.3,
    *,
    stop: threading.Event | None = None,
    on_ready: Callable[[], object] | None = None,
    out: TextIO | None = None,
    label: str = "build",
    render: Callable[[list[Diagnostic]], str] | None = None,
    lang: Language = "en",
) -> None:
    """Rebuild after every burst of changes, until ``stop`` is set or Ctrl-C.

    ``on_ready`` is called once the folders are observed; ``out`` receives the build reports.
    """
    report = out or sys.stderr
    watch_changes(
        config,
        lambda paths: run_build(config, build, report, label, render, lang),
        debounce,
        stop=stop,
        on_ready=on_ready,
    )


def watch_changes(
    config: Config,
    on_change: Callable[[set[Path]], object],
    debounce: float = 0.3,
    *,
    stop: threading.Event | None = None,
    on_ready: Callable[[], object] | None = None,
    settle: float | None = None,
) -> None:
    """Call ``on_change`` with the changed paths after every burst of changes (see ``watch``).

    With ``settle``, a burst whose written files were all closed again counts as over after
    ``settle`` seconds of quiet instead of ``debounce`` (a save is seen as soon as it is done).
    """
    stop = stop or threading.Event()
    flag = ChangeFlag(watched_paths(config), [config.output])
    observer = Observer()
    for path in watched_paths(config):
        observer.schedule(flag, str(path), recursive=True, event_filter=OBSERVED)
    observer.start()
    if on_ready is not None:
        on_ready()
    try:
        while not stop.is_set():
            if wait_for_quiet(flag, stop, debounce, settle):
                on_change(flag.take())
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()


def wait_for_quiet(
    flag: ChangeFlag, stop: threading.Event, debounce: float, settle: float | None = None
) -> bool:
    """Return True once a change was seen and ``debounce`` seconds passed without another event
    (``settle`` seconds, when given and every written file was closed again)."""
    if not flag.changed.wait(timeout=0.25):  # wake up now and then to notice ``stop``
        return False
    while True:
        flag.changed.clear()
        flag.stirred.clear()
        quiet = settle if settle is not None and flag.settled() else debounce
        if not flag.stirred.wait(quiet):
            return not stop.is_set()
        if stop.is_set():
            return False


def run_build(
    config: Config,
    build: Callable[[Config], R],
    out: TextIO,
    label: str = "build",
    render: Callable[[list[Diagnostic]], str] | None = None,
    lang: Language = "en",
) -> R | None:
    """Run one build and report it in ``lang``; a failure is printed and swallowed, watching goes on."""
    started = time.perf_counter()
    try:
        result = build(config)
    except Exception:
        print(say(f"pia: the {label} failed:", lang), file=out)
        traceback.print_exc(file=out)
        return None
    if result.diagnostics:
        shown = render(result.diagnostics) if render else format_text(result.diagnostics, lang)
        out.write(shown)
        print(summary(result.diagnostics, lang), file=out)
    state = "failed" if has_errors(result.diagnostics) else "done"
    print(say(f"pia: {label} {state} in {time.perf_counter() - started:.2f} s", lang), file=out)
    out.flush()
    return result
