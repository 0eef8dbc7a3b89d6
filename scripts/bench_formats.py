"""PDF and DOCX time and peak memory, beside pandoc → LaTeX (lualatex + luatexja).

Usage: python scripts/bench_formats.py
Each measurement runs in a fresh child process (so peak memory is that route's own). Documents:
the 千葉市 重点項目評価書, the largest 全項目評価書 in content/ and a synthetic 80-page 全項目評価書
(that evaluation with its per-file parts repeated). The LaTeX route needs Debian's
texlive-luatex and texlive-lang-japanese; it converts the same evaluation's HTML page.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pia_build.assemble.document import assemble  # noqa: E402
from pia_build.assemble.shapes import AssembledDoc, AssembledPart  # noqa: E402
from pia_build.building.build import check  # noqa: E402
from pia_build.core.config import Config  # noqa: E402
from pia_build.render import docx, html, pdf  # noqa: E402

RENDERERS = {"pdf": pdf.render, "docx": docx.render}


def documents() -> dict[str, AssembledDoc]:
    """Return the benchmark documents by name."""
    checked = check(Config(REPO))
    docs = {e.id: assemble(e) for e in checked.evaluations}
    full = docs["mihon-jumin"]
    per_file = [p for p in full.parts if p.number]
    repeated = full.parts + tuple(
        renumbered(p, p.number + 2 * k) for k in (1, 2, 3) for p in per_file
    )
    return {
        "chiba-yobosesshu (重点)": docs["chiba-yobosesshu"],
        "mihon-jumin (全項目)": full,
        "mihon-jumin ×4 files (全項目, synthetic)": dataclasses.replace(full, parts=repeated),
    }


def renumbered(part: AssembledPart, number: int) -> AssembledPart:
    """Return a copy of a per-file part as file ``number``, with its own anchors."""
    old, new = part.anchor, f"{part.key}-{number}"
    rows = tuple(dataclasses.replace(r, anchor=new + r.anchor[len(old) :]) for r in part.rows)
    return dataclasses.replace(part, number=number, anchor=new, rows=rows)


def child(name: str, fmt: str, out: str) -> None:
    """In a child process: render one document once (warm-up excluded) and report time."""
    doc = documents()[name]
    layouts = REPO / "layouts"
    if fmt == "latex":
        page = Path(out).with_suffix(".html")
        page.write_text(latex_friendly(html.render(doc, layouts).decode("utf-8")), encoding="utf-8")
        start = time.perf_counter()
        latex(page, Path(out))
    else:
        start = time.perf_counter()
        Path(out).write_bytes(RENDERERS[fmt](doc, layouts))
    print(json.dumps({"seconds": time.perf_counter() - start}))


def latex_friendly(page: str) -> str:
    """Return the page without what pandoc's LaTeX writer cannot typeset.

    It fails ("Extra alignment tab") on header rows spanning both columns and on tables inside
    table cells (the 変更箇所 and 記録項目 tables), so spans are dropped and inner tables become
    paragraphs: the LaTeX route is measured on a simplified document, which favours it.
    """
    page = page.replace(' colspan="2"', "")
    inner = re.compile(r'<table class="data">(.*?)</table>', re.S)
    return inner.sub(lambda m: "<p>" + re.sub(r"<[^>]+>", " ", m.group(1)) + "</p>", page)


def latex(page: Path, out: Path) -> None:
    """Convert the HTML page to PDF through pandoc's LaTeX writer and lualatex + luatexja."""
    from pia_build.render.pandoc import _require

    pandoc, _ = _require()
    args = [pandoc, str(page), "-f", "html", "-o", str(out), "--pdf-engine=lualatex"]
    # ltjsarticle sets Japanese in luatexja's default HaranoAji fonts (texlive-lang-japanese)
    args += ["-V", "documentclass=ltjsarticle", "-V", "geometry:a4paper"]
    subprocess.run(args, check=True, capture_output=True, cwd=out.parent)


def measure(name: str, fmt: str, folder: Path) -> tuple[float, float, int | str]:
    """Return (seconds, peak MiB, pages) of one route, measured in a child process."""
    out = folder / f"out.{'pdf' if fmt != 'docx' else 'docx'}"
    wrapper = [sys.executable, "-c", _WRAPPER, __file__, name, fmt, str(out)]
    done = subprocess.run(wrapper, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    pages = _pages(out) if out.suffix == ".pdf" else "—"
    return result["seconds"], result["peak_mib"], pages


_WRAPPER = """
import json, resource, runpy, sys, io, contextlib
path, name, fmt, out = sys.argv[1:5]
module = runpy.run_path(path, run_name="bench")
buffer = io.StringIO()
with contextlib.redirect_stdout(buffer):
    module["child"](name, fmt, out)
result = json.loads(buffer.getvalue().strip().splitlines()[-1])
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
result["peak_mib"] = max(own, kids) / 1024
print(json.dumps(result))
"""


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    print("| document | route | time | peak memory | pages |")
    print("|---|---|---|---|---|")
    routes = {
        "pdf": "PDF: typst, own template",
        "docx": "DOCX: pandoc",
        "latex": "PDF: pandoc → LaTeX (lualatex + luatexja)",
    }
    for name in documents():
        for fmt, label in routes.items():
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    seconds, peak, pages = measure(name, fmt, Path(tmp))
                    print(
                        f"| {name} | {label} | {seconds:.2f} s | {peak:.0f} MiB | {pages} |",
                        flush=True,
                    )
                except subprocess.CalledProcessError as exc:
                    print(
                        f"| {name} | {label} | failed: {exc.stderr.strip()[-200:]} | | |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
