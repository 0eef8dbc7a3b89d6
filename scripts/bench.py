"""Measure `pia check` and the HTML build for one evaluation and for N copies (docs/benchmarks.md).

Usage: python scripts/bench.py [--copies 100] [--evaluation chiba-yobosesshu]
Copies are made in a temporary project so content/ is never touched.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pia_build import build, check
from pia_build.config import Config

REPO = Path(__file__).resolve().parents[1]


def make_project(folder: Path, evaluation: str, copies: int) -> Config:
    """Write a project holding ``copies`` copies of one evaluation."""
    shutil.copytree(REPO / "layouts", folder / "layouts")
    for shared in ("clauses", "orgs"):
        shutil.copytree(REPO / "content" / shared, folder / "content" / shared)
    source = REPO / "content" / "evaluations" / evaluation
    for number in range(copies):
        shutil.copytree(source, folder / "content" / "evaluations" / f"{evaluation}-{number:04d}")
    return Config(folder, folder / "output")


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Return the median wall time of ``fn`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--evaluation", default="chiba-yobosesshu")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}")
    print("| corpus | pia check | HTML build (clean output) |")
    print("|---|---|---|")
    for copies in (1, args.copies):
        with tempfile.TemporaryDirectory() as tmp:
            config = make_project(Path(tmp), args.evaluation, copies)
            check_time = timed(lambda: check(config), 3 if copies == 1 else 1)

            def clean_build() -> None:
                shutil.rmtree(config.output, ignore_errors=True)
                result = build(config)
                assert not result.check.invalid, "the benchmark corpus must be valid"

            build_time = timed(clean_build, 3 if copies == 1 else 1)
            print(f"| {copies} × {args.evaluation} | {check_time:.2f} s | {build_time:.2f} s |")


if __name__ == "__main__":
    main()
