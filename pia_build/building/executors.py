"""Where build jobs run: in this process, in a process pool, or on a dask.distributed cluster.

Every executor yields results in job order, as they arrive (so the caller can write each one and
let its bytes go), and outputs do not depend on where jobs ran.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

from pia_build.core.config import ConfigError

SERIAL_BELOW = 4
"""Fewer jobs than this run in-process: starting workers would cost more than it saves."""
T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a function over jobs and yields the results in order."""

    def map(self, fn: Callable[[T], R], jobs: Sequence[T]) -> Iterator[R]: ...


class ExecutorError(ConfigError):
    """The executor cannot be used as asked (exit code 2)."""


class SerialExecutor:
    """Runs jobs one after another in this process."""

    def map(self, fn: Callable[[T], R], jobs: Sequence[T]) -> Iterator[R]:
        return (fn(job) for job in jobs)


class PoolExecutor:
    """Runs jobs in a pool of worker processes.

    Workers are spawned (a fresh interpreter each) unless ``method`` is ``fork``: then they start
    as copies of this process, with everything it has loaded (the forms, the clause library),
    which only a process that has run no renderer may do (see ``map``).
    """

    def __init__(self, workers: int, method: str = "spawn") -> None:
        self.workers = workers
        self.method = method

    def map(self, fn: Callable[[T], R], jobs: Sequence[T]) -> Iterator[R]:
        if self.workers <= 1 or len(jobs) < SERIAL_BELOW:
            yield from SerialExecutor().map(fn, jobs)
            return
        # spawn unless asked: typst and pandoc may leave threads behind, and forking those can deadlock
        context = multiprocessing.get_context(self.method)
        workers = min(self.workers, len(jobs))
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            yield from pool.map(fn, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


class DaskExecutor:
    """Runs jobs on an existing dask.distributed scheduler (``pip install 'pia-build[dask]'``)."""

    def __init__(self, scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ExecutorError(
                "the dask executor needs dask.distributed: pip install 'pia-build[dask]'"
            ) from exc
        self.client = Client(scheduler, set_as_default=False)

    def map(self, fn: Callable[[T], R], jobs: Sequence[T]) -> Iterator[R]:
        futures = self.client.map(fn, list(jobs), pure=False)
        for future in futures:
            yield future.result()
            future.release()

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self.client.close()


def make_executor(
    name: str = "process", workers: int | None = None, scheduler: str = "", *, fork: bool = False
) -> Executor:
    """Return the executor called ``name``: ``serial``, ``process`` or ``dask``.

    With ``fork`` (a process that checks only: no typst, no pandoc) and where the operating
    system forks safely (Linux), process workers start as copies of this process.
    """
    if name == "serial":
        return SerialExecutor()
    if name == "process":
        method = "fork" if fork and sys.platform == "linux" else "spawn"
        return PoolExecutor(workers or os.cpu_count() or 1, method)
    if name == "dask":
        if not scheduler:
            raise ExecutorError("--executor dask needs --scheduler <address>")
        return DaskExecutor(scheduler)
    raise ExecutorError(f"unknown executor '{name}'; choose serial, process or dask")
