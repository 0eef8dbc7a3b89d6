"""Measure the preview: edit → page reloaded in headless Chromium, and edit → PDF ready, for
`pia serve` (the page first, downloads and search in the background) beside the route before it
(every save runs the whole `pia build`: all formats and the search index, then pages reload),
in the same run and on the same projects; and `pia check` at several sizes, beside the serial
check before the process pool and the check record (docs/benchmarks.md).

Usage:
  python scripts/bench_site.py [--copies 1000] [--edits 10] [--old-edits 10] [--reuse DIR]
                               [--check-sizes 1,100,1000]
Everything runs in temporary projects (or in --reuse DIR, a project made by this script's
corpus, built or not), so content/ is never touched. Each edit changes one line of a 千葉市
重点項目評価書 (①事務の名称); the next edit waits until the last one's PDF is ready. The PDF
fetched after each edit must carry the new text (checked with pdftotext, outside the timing).
"Page" is the time from the file write until the first animation frame after the page showed
the new text, as the page's own clock noted it (``PAINTED``); the moment Playwright's polling
noticed it is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench import make_corpus  # noqa: E402

from pia_build.core.config import Config  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LINE = "  ①事務の名称: "
TEXT = "予防接種に関する事務"
WAIT_MS = 600_000
READY = (
    "() => document.documentElement.dataset.piaDownloads !== undefined"
    " && !document.querySelector('a[href$=\".pdf\"] .pia-pending')"
)
"""The page has heard from the server and its PDF link is no longer marked 作成中."""
PAINTED = (
    "const painted = () => requestAnimationFrame(() => {"
    " window.__piaShownAt = performance.timeOrigin + performance.now(); });"
    " document.addEventListener('DOMContentLoaded', painted);"
    " document.addEventListener('pia:updated', painted);"
)
"""The page notes (wall clock, ms) the first animation frame after its DOM was parsed, or after
pia serve's script put the new body in place (``pia:updated``; the route before reloads).

Playwright's own wait polls the page at growing intervals (0, 20, 50, 100, 100 ms, then every
500 ms), so the moment it notices the new text can lag the reload by up to half a second; the
time the page itself noted is the one reported (the wait still checks that the text is there)."""


def load() -> str:
    """Return the load averages (the machine is shared)."""
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_project(folder: Path, copies: int) -> Config:
    """Write content/ as it is (``copies`` 0), or the corpus of scripts/bench.py."""
    if copies:
        return make_corpus(folder, copies)
    shutil.copytree(REPO / "layouts", folder / "layouts")
    shutil.copytree(REPO / "content", folder / "content")
    return Config(folder)


def full_build(config: Config, formats: str) -> float:
    """Bring the project's output fully up to date with `pia build` (a process); return its time."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pia_build",
            "--root",
            str(config.root),
            "build",
            "--formats",
            formats,
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def serve_old(root: str, formats: str) -> None:
    """The route before the preview: every save runs the whole build, then pages reload."""
    from pia_build.building.build import build
    from pia_build.site.serve import DevServer
    from pia_build.site.watch import watch

    config = Config(Path(root))
    server = DevServer(config.output / "site", port=0)
    with server:
        ready = lambda: print(f"serving {server.url}", flush=True)  # noqa: E731
        whole = partial(build, formats=formats.split(","))
        watch(config, server.recording(whole), on_ready=ready)


@contextmanager
def serving(config: Config, route: str, formats: str) -> Iterator[str]:
    """Run the server of ``route`` (``new``: pia serve; ``old``: serve_old); yield its URL."""
    # the server speaks English here so its first line can be read (pia is Japanese by default)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "en_US.UTF-8"}
    command = [sys.executable, "-m", "pia_build", "--root", str(config.root), "serve"]
    command += ["--port", "0", "--formats", formats]
    if route == "old":
        command = [sys.executable, __file__, "--serve-old", str(config.root), "--formats", formats]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert line.startswith("serving "), line
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=120)


def edited_file(config: Config) -> Path:
    """Return the 1-basic.md of the first 千葉市 evaluation."""
    return sorted(config.content.glob("evaluations/chiba-yobosesshu*"))[0] / "1-basic.md"


def edit(path: Path, marker: str) -> None:
    """Save the file with ①事務の名称 set to ``marker``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(LINE))
    lines[index] = LINE + marker
    path.write_text("\n".join(lines), encoding="utf-8")


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def pdf_has(data: bytes, marker: str, scratch: Path) -> bool:
    """Return True when the PDF's text holds ``marker``."""
    path = scratch / "check.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return squash(marker) in squash(text)


def measure_route(
    config: Config, route: str, edits: int, scratch: Path, formats: str
) -> list[tuple[float, float]]:
    """Return (edit → page reloaded, edit → PDF ready) for ``edits`` one-line edits.

    Without PDF among ``formats`` the second time is NaN.
    """
    from playwright.sync_api import sync_playwright

    path = edited_file(config)
    evaluation = path.parent.name
    times = []
    with serving(config, route, formats) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.add_init_script(PAINTED)
        page.goto(f"{url}{evaluation}/index.html")
        for number in range(edits):
            marker = f"{TEXT}（{route}{number}）"
            page.evaluate("window.__piaShownAt = undefined")
            start, wall = time.perf_counter(), time.time()
            edit(path, marker)
            page.get_by_text(marker).first.wait_for(timeout=WAIT_MS)
            polled = time.perf_counter() - start
            painted = page.wait_for_function("() => window.__piaShownAt", timeout=WAIT_MS)
            shown = painted.json_value() / 1000 - wall
            ready = float("nan")
            if "pdf" in formats:
                if route == "new":
                    page.wait_for_function(READY, timeout=WAIT_MS)
                ready = time.perf_counter() - start if route == "new" else shown
                pdf = page.request.get(f"{url}{evaluation}/{evaluation}.pdf").body()
                assert pdf_has(pdf, marker, scratch), f"the PDF after edit {number} is stale"
            times.append((shown, ready))
            print(
                f"    {route} edit {number}: page {shown:.3f} s (Playwright saw it at"
                f" {polled:.3f} s), PDF {ready:.3f} s",
                flush=True,
            )
        browser.close()
    return times


def row(label: str, route: str, times: list[tuple[float, float]], loads: tuple[str, str]) -> str:
    """Return one Markdown table row."""

    def cell(values: list[float]) -> str:
        if any(v != v for v in values):
            return "— (no PDF in this run)"
        return f"{statistics.median(values):.3f} s ({min(values):.3f}–{max(values):.3f})"

    name = "pia serve (page first)" if route == "new" else "before: pia build on every save"
    html = cell([t[0] for t in times])
    pdf = cell([t[1] for t in times])
    return f"| {label} | {name} | {len(times)} | {html} | {pdf} | {loads[0]} → {loads[1]} |"


def preview_table(args: argparse.Namespace) -> None:
    """Measure both routes on content/ and on the large corpus."""
    print(
        "| corpus | route | edits | edit → page reloaded, median (min–max) "
        "| edit → PDF ready, median (min–max) | load before → after |"
    )
    print("|---|---|---|---|---|---|")
    corpora = {"content": (0, "html,pdf,docx"), "large": (args.copies, args.large_formats)}
    for copies, formats in (corpora[name] for name in args.corpora.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(args.reuse) if copies and args.reuse else Path(tmp) / "project"
            config = Config(folder) if folder.is_dir() else make_project(folder, copies)
            label = f"{copies} evaluations" if copies else "content/ (3 evaluations)"
            took = full_build(config, formats)
            print(f"  {label}: full build ({formats}) {took:.1f} s ({load()})", flush=True)
            old_edits = args.old_edits_large if copies else args.old_edits
            for route, edits in (("new", args.edits), ("old", old_edits)):
                before = load()
                times = measure_route(config, route, edits, Path(tmp), formats)
                print(row(label, route, times, (before, load())), flush=True)


def check_table(sizes: list[int]) -> None:
    """Time `pia check` (cold: no record; warm: unchanged) beside the serial check() before."""
    print(
        "| evaluations | before: check() serial | pia check, cold (pool) | pia check, "
        "record current | load |"
    )
    print("|---|---|---|---|---|")
    # the server speaks English here so its first line can be read (pia is Japanese by default)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "en_US.UTF-8"}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            config = make_corpus(Path(tmp), size)
            old = [
                sys.executable,
                "-c",
                f"from pia_build import check, Config; "
                f"from pathlib import Path; check(Config(Path({str(config.root)!r})))",
            ]
            new = [sys.executable, "-m", "pia_build", "--root", str(config.root), "check"]
            cells = []
            for command in (old, new, new):
                start = time.perf_counter()
                subprocess.run(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                cells.append(time.perf_counter() - start)
            print(
                f"| {size} | " + " | ".join(f"{c:.2f} s" for c in cells) + f" | {load()} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--old-edits", type=int, default=10)
    parser.add_argument("--old-edits-large", type=int, default=10)
    parser.add_argument("--corpora", default="content,large", help="content, large or both")
    parser.add_argument("--large-formats", default="html,pdf,docx")
    parser.add_argument("--reuse", default="", help="project folder for the large corpus")
    parser.add_argument("--formats", default="html,pdf,docx", help=argparse.SUPPRESS)
    parser.add_argument("--check-sizes", default="1,100,1000")
    parser.add_argument("--only", choices=("preview", "check", "both"), default="both")
    parser.add_argument("--serve-old", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_old:
        serve_old(args.serve_old, args.formats)
        return
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    if args.only in ("preview", "both"):
        preview_table(args)
    if args.only in ("check", "both"):
        check_table([int(s) for s in args.check_sizes.split(",")])


if __name__ == "__main__":
    main()
