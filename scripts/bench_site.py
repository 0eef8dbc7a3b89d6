"""Measure the static site: build time for content/ and for N varied copies, and the
edit-to-reload latency of `pia serve` for a one-line change (docs/benchmarks.md).

Usage: python scripts/bench_site.py [--copies 200] [--edits 5] [--formats html,pdf,docx]
Everything runs in temporary projects, so content/ is never touched. The latency is measured in
headless Chromium (Debian's, through Playwright): from the file write to the reloaded page
showing the new text. Without Playwright or Chromium it is measured to the status endpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pia_build import build
from pia_build.core.config import Config
from pia_build.site.search import index_site

REPO = Path(__file__).resolve().parents[1]
SITE = "site"
CHROMIUM = "/usr/bin/chromium"
EDITED = ("chiba-yobosesshu", "1-basic.md", "  ①事務の名称: 予防接種に関する事務")


def make_project(folder: Path, copies: int) -> Config:
    """Write a project with content/, or with ``copies`` varied copies of its evaluations."""
    shutil.copytree(REPO / "layouts", folder / "layouts")
    if not copies:
        shutil.copytree(REPO / "content", folder / "content")
        return Config(folder)
    for shared in ("clauses", "orgs"):
        shutil.copytree(REPO / "content" / shared, folder / "content" / shared)
    sources = sorted(p for p in (REPO / "content" / "evaluations").iterdir() if p.is_dir())
    for number in range(copies):
        source = sources[number % len(sources)]
        _vary(source, folder / "content" / "evaluations" / f"{source.name}-{number:04d}", number)
    return Config(folder)


def _vary(source: Path, target: Path, number: int) -> None:
    """Copy one evaluation, giving it its own 評価書名, 評価書番号 and a sentence of its own."""
    shutil.copytree(source, target)
    cover = target / "evaluation.md"
    lines = cover.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("評価書番号:"):
            lines[index] = f"評価書番号: {number + 1000}"
        elif line.startswith("評価書名:"):
            lines[index] = line.replace("評価書名: ", f"評価書名: 第{number}号 ", 1)
    cover.write_text("\n".join(lines) + "\n", encoding="utf-8")
    basic = target / "1-basic.md"
    words = f"変種{number}番の事務では第{number % 17}区の記録を扱う。"
    text = basic.read_text(encoding="utf-8").replace(
        "## ②事務の内容\n", f"## ②事務の内容\n\n{words}\n", 1
    )
    basic.write_text(text, encoding="utf-8")


def timed(fn: Callable[[], object]) -> float:
    """Return the wall time of one call of ``fn`` in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure_build(config: Config, formats: list[str]) -> dict[str, float]:
    """Return clean build, search step alone, and no-change rebuild times."""
    shutil.rmtree(config.output, ignore_errors=True)
    result = {"clean": timed(lambda: _checked_build(config, formats))}
    written = [
        f"{SITE}/{p.relative_to(config.output / SITE).as_posix()}"
        for p in (config.output / SITE).rglob("*.html")
    ]
    from pia_build.site import search

    search._last.clear()
    result["search step"] = timed(lambda: index_site(config.output, written, SITE))
    result["no-change rebuild"] = timed(lambda: _checked_build(config, formats))
    return result


def _checked_build(config: Config, formats: list[str]) -> None:
    result = build(config, formats=formats)
    assert not result.check.invalid, sorted(result.check.invalid)


@contextmanager
def serving(config: Config) -> Iterator[str]:
    """Run `pia serve` on the project; yield its URL once it watches."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable,
        "-m",
        "pia_build",
        "--root",
        str(config.root),
        "serve",
        "--port",
        "0",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert line.startswith("serving "), line
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=60)


def edit(config: Config, number: int) -> tuple[Path, str]:
    """Change one line of the 千葉市 evaluation; return the file and the new text."""
    folder, name, line = EDITED
    path = next(config.content.glob(f"evaluations/{folder}*")) / name
    marker = f"予防接種に関する事務（改{number}）"
    text = path.read_text(encoding="utf-8")
    old = next(x for x in text.splitlines() if x.startswith(line))
    path.write_text(text.replace(old, f"{line.split(':')[0]}: {marker}", 1), encoding="utf-8")
    return path, marker


def latency_in_browser(config: Config, edits: int) -> list[float]:
    """Return edit → reloaded-page times, measured in headless Chromium."""
    from playwright.sync_api import sync_playwright

    times = []
    with serving(config) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url + f"{next(config.content.glob('evaluations/chiba*')).name}/index.html")
        for number in range(edits):
            start = time.perf_counter()
            _, marker = edit(config, number)
            page.get_by_text(marker).first.wait_for(timeout=120_000)
            times.append(time.perf_counter() - start)
        browser.close()
    return times


def latency_to_status(config: Config, edits: int) -> list[float]:
    """Return edit → finished-build times, as the reload endpoint reports them."""
    times = []
    with serving(config) as url:
        for number in range(edits):
            start = time.perf_counter()
            edit(config, number)
            with urllib.request.urlopen(f"{url}__pia/status?since={number + 1}") as answer:
                assert json.load(answer)["ok"]
            times.append(time.perf_counter() - start)
    return times


def report(label: str, config: Config, formats: list[str], edits: int) -> None:
    """Print one corpus's numbers."""
    count = len(list(config.content.glob("evaluations/*")))
    builds = measure_build(config, formats)
    pages = len(list((config.output / SITE).rglob("*.html")))
    print(
        f"| {label} ({count} evaluations, {pages} pages) | "
        + " | ".join(f"{builds[k]:.2f} s" for k in ("clean", "search step", "no-change rebuild"))
        + " |",
        flush=True,
    )
    browser = shutil.which(CHROMIUM) is not None and _has_playwright()
    times = (latency_in_browser if browser else latency_to_status)(config, edits)
    where = "page reloaded in Chromium" if browser else "build reported by /__pia/status"
    print(
        f"  edit → {where}: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} one-line edits"
    )


def _has_playwright() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--formats", default="html,pdf,docx")
    args = parser.parse_args()
    formats = args.formats.split(",")
    print(
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"formats {args.formats}"
    )
    print("| corpus | clean build | search step alone | no-change rebuild |")
    print("|---|---|---|---|")
    for label, copies in (("content/", 0), (f"{args.copies} varied copies", args.copies)):
        with tempfile.TemporaryDirectory() as tmp:
            report(label, make_project(Path(tmp), copies), formats, args.edits)


if __name__ == "__main__":
    main()
