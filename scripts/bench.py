"""The benchmark harness behind `make bench` (results go to docs/benchmarks.md).

For each corpus size N it generates N evaluations from the content/ examples with variations
(every copy gets its own 評価書名 and 事務の名称; every tenth uses one extra clause), then reports
in one run: `pia check`, a cold HTML-only build, a cold build of all formats, the search index
over all pages, a no-op rebuild, a rebuild after editing one evaluation, a rebuild after editing
the clause used by 10% of them, and the peak memory of the whole run. Builds use the default
process pool (all cores); the rebuilds after an edit skip the search step (see ``measure``).

Usage: python scripts/bench.py [--sizes 100,300,1000] [--formats html,pdf,docx]
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pia_build import build, check  # noqa: E402
from pia_build.building.executors import make_executor  # noqa: E402
from pia_build.core.config import Config  # noqa: E402

SOURCES = ("chiba-yobosesshu", "mihon-jumin")
CLAUSE = "bench/ten-percent"
CLAUSE_TEXT = (
    "---\nid: bench/ten-percent\nfamily: bench\nversion: 1\n---\nベンチマーク用の標準記載。\n"
)


def make_corpus(folder: Path, size: int) -> Config:
    """Write a project of ``size`` evaluations varied from the content/ examples."""
    shutil.copytree(REPO / "layouts", folder / "layouts")
    for shared in ("clauses", "orgs"):
        if (REPO / "content" / shared).is_dir():  # standard clauses may come with the package
            shutil.copytree(REPO / "content" / shared, folder / "content" / shared)
    (folder / "content" / "clauses" / "bench").mkdir(parents=True)
    (folder / "content" / "clauses" / "bench" / "ten-percent.md").write_text(
        CLAUSE_TEXT, encoding="utf-8"
    )
    for number in range(size):
        source = SOURCES[number % len(SOURCES)]
        target = folder / "content" / "evaluations" / f"{source}-{number:04d}"
        shutil.copytree(REPO / "content" / "evaluations" / source, target)
        _vary(target, number)
    return Config(folder)


def _vary(target: Path, number: int) -> None:
    """Give one copy its own names, and the extra clause for every tenth copy."""
    cover = target / "evaluation.md"
    text = cover.read_text(encoding="utf-8").replace("評価書名: ", f"評価書名: 第{number}号 ", 1)
    if number % 10 == 0:
        text += f'\n{{{{ clause("{CLAUSE}") }}}}\n'
    cover.write_text(text, encoding="utf-8")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def measure(size: int, formats: list[str]) -> str:
    """Return one Markdown table row for a corpus of ``size`` evaluations.

    Rebuilds are measured without the search step (``--no-search``, as ``pia serve`` previews),
    and the search step on its own: Pagefind re-indexes every page whenever one changed.
    """
    executor = make_executor("process")

    def run(**options: object) -> float:
        return timed(lambda: build(config, executor=executor, **options))  # type: ignore[arg-type]

    with tempfile.TemporaryDirectory() as tmp:
        config = make_corpus(Path(tmp), size)
        checked = timed(lambda: check(config))
        cold_html = run(formats=["html"], search=False)
        shutil.rmtree(config.output)
        cold_all = run(formats=formats, search=False)
        search = run(formats=formats)
        noop = run(formats=formats)
        last = sorted((config.content / "evaluations").iterdir())[-1]
        edit(last / "1-basic.md", "に関する事務", "に関する事務(改)")
        one = run(formats=formats, search=False)
        edit(
            config.content / "clauses" / "bench" / "ten-percent.md",
            "標準記載。",
            "標準記載(第2版)。",
        )
        clause = run(formats=formats, search=False)
    cells = [checked, cold_html, cold_all, search, noop, one, clause]
    return f"| {size} | " + " | ".join(f"{c:.2f} s" for c in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--formats", default="html,pdf,docx")
    args = parser.parse_args()
    formats = args.formats.split(",")
    print(f"python {platform.python_version()}, {platform.machine()}, formats {','.join(formats)}")
    print(
        "| evaluations | pia check | cold build, HTML | cold build, all formats | search index "
        "| no-op rebuild | one evaluation edited | clause used by 10% edited |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in map(int, args.sizes.split(",")):
        print(measure(size, formats), flush=True)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: main process {own:.0f} MiB, largest worker or tool {workers:.0f} MiB")


if __name__ == "__main__":
    main()
