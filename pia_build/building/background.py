"""Background threads of ``pia serve``: debounced, and at a lower CPU priority than the preview.

A worker runs its step after a ``poke``, once ``quiet`` seconds passed without another. On Linux
its thread lowers its own priority (``nice`` is per thread there), and the processes it starts
(the build's worker pool, Pagefind, typst) inherit that: on a machine of two cores, the page the
author is waiting for and the browser showing it come first.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable

BACKGROUND_NICE = 10
"""CPU priority offset of the background threads (and of everything they start)."""


def lower_priority(nice: int = BACKGROUND_NICE) -> bool:
    """Lower the calling thread's CPU priority by ``nice``; return False where it cannot.

    Only on Linux: elsewhere ``setpriority`` with a thread id would touch a whole process.
    """
    if sys.platform != "linux" or nice <= 0:
        return False
    try:
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, current + nice))
    except OSError:
        return False
    return True


class Worker:
    """A daemon thread that runs ``step`` after a ``poke``, once ``quiet`` seconds passed."""

    def __init__(self, step: Callable[[], None], quiet: float, nice: int = BACKGROUND_NICE) -> None:
        self.step = step
        self.quiet = quiet
        self.nice = nice
        self._poked = threading.Event()
        self._stopped = threading.Event()
        self._last = 0.0
        self._thread = threading.Thread(target=self._run, name="pia-preview", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._poked.set()

    def poke(self) -> None:
        """Ask for a run (a later poke within ``quiet`` seconds postpones it)."""
        self._last = time.monotonic()
        self._poked.set()

    def _run(self) -> None:
        lower_priority(self.nice)
        while self._poked.wait() and not self._stopped.is_set():
            while (left := self._last + self.quiet - time.monotonic()) > 0:
                if self._stopped.wait(left):
                    return
            self._poked.clear()
            try:
                self.step()
            except Exception:  # reported like a failed build; the preview goes on
                print("pia: a background step failed:", file=sys.stderr)
                traceback.print_exc()
