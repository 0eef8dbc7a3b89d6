"""A body's first minutes: `pia init` and the first `pia build` of a fresh project, timed.

Usage: python scripts/bench_adopt.py [RUNS]
Each run makes an empty temporary folder and times, as separate processes of the installed `pia`
(the one beside this Python): `pia init` (flags, no prompts), `pia new` + filling the evaluation
from tests/projects/minimal (not timed), then the first `pia build` (HTML, PDF, DOCX and the
search index) and a second, no-op `pia build`. Prints the median of RUNS (default 3) runs.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal"
PIA = Path(sys.executable).parent / "pia"
INIT = ["init", "--org-id", "mihon", "--body-name", "見本市", "--org-name", "見本市長"]


def timed(*args: str, cwd: Path) -> float:
    """Run pia with ``args`` in ``cwd``; return the wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run([str(PIA), *args], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def one_run() -> dict[str, float]:
    """Time init, the first build and a no-op build in a new folder."""
    with tempfile.TemporaryDirectory(prefix="pia-bench-") as tmp:
        root = Path(tmp)
        times = {"init": timed(*INIT, cwd=root)}
        subprocess.run(
            [str(PIA), "new", "minimal", "--form", "focused"],
            cwd=root,
            check=True,
            capture_output=True,
        )
        shutil.copytree(FIXTURE, root / "content" / "evaluations" / "minimal", dirs_exist_ok=True)
        times["first build"] = timed("build", cwd=root)
        times["second build"] = timed("build", cwd=root)
        return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = [one_run() for _ in range(runs)]
    for step in results[0]:
        values = [r[step] for r in results]
        print(
            f"{step:13} median {statistics.median(values):6.2f} s  (runs: {', '.join(f'{v:.2f}' for v in values)})"
        )
    total = statistics.median(r["init"] + r["first build"] for r in results)
    print(f"{'init + build':13} median {total:6.2f} s")


if __name__ == "__main__":
    main()
