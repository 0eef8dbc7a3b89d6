"""Measure `pia check` and the build for one evaluation and for N copies (docs/benchmarks.md).

Usage: python scripts/bench.py [--copies 100] [--evaluation chiba-yobosesshu]
Copies are made in a temporary project, so content/ is never touched. Each row is one corpus:
check only, a clean HTML-only build, and a clean build of all formats (HTML, PDF, DOCX).
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
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


def clean_build(config: Config, formats: Sequence[str]) -> None:
    """Build from an empty output folder; the corpus must be valid."""
    shutil.rmtree(config.output, ignore_errors=True)
    result = build(config, formats=formats)
    assert not result.check.invalid and not result.notes, result.notes


def measure(evaluation: str, copies: int) -> str:
    """Return one Markdown table row for a corpus of ``copies`` copies."""
    repeat = 3 if copies == 1 else 1
    with tempfile.TemporaryDirectory() as tmp:
        config = make_project(Path(tmp), evaluation, copies)
        checked = timed(lambda: check(config), repeat)
        html = timed(lambda: clean_build(config, ("html",)), repeat)
        full = timed(lambda: clean_build(config, ("html", "pdf", "docx")), repeat)
    return f"| {copies} × {evaluation} | {checked:.2f} s | {html:.2f} s | {full:.2f} s |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--evaluation", action="append")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}")
    print("| corpus | pia check | build, HTML only | build, HTML + PDF + DOCX |")
    print("|---|---|---|---|")
    for evaluation in args.evaluation or ["chiba-yobosesshu", "mihon-jumin"]:
        for copies in (1, args.copies):
            print(measure(evaluation, copies), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (whole run): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
