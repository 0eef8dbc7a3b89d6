"""How much of the published 千葉市 and 川口市 documents our HTML, PDF and DOCX reproduce.

Usage: python scripts/measure_fidelity.py [OUTPUT_FOLDER]
Checks content/, renders chiba-yobosesshu (seed 001) and kawaguchi-jumin (seed 003) in every
format into OUTPUT_FOLDER (default: a temporary folder) and prints, per seed and format, the
figure of scripts/fidelity.py: the share of the seed's printed cells found in the output.
The seeds are read from tests/seeds/.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pia_build.assemble.document import assemble  # noqa: E402
from pia_build.building.build import check  # noqa: E402
from pia_build.core.config import Config  # noqa: E402
from pia_build.render import docx, html, pdf  # noqa: E402

SEEDS = {
    "chiba-yobosesshu": REPO / "tests" / "seeds" / "001_fb1bf0b09c48865e.txt",
    "kawaguchi-jumin": REPO / "tests" / "seeds" / "003_c8b8949bf602a6a1.txt",
}
RENDERERS = {"html": html.render, "pdf": pdf.render, "docx": docx.render}


def render_all(folder: Path) -> dict[str, dict[str, Path]]:
    """Render each seeded evaluation in every format; return id → format → path."""
    config = Config(REPO)
    checked = check(config)
    docs = {e.id: assemble(e) for e in checked.evaluations if e.id in SEEDS}
    layouts = REPO / "layouts"
    paths: dict[str, dict[str, Path]] = {}
    for ident, doc in sorted(docs.items()):
        for fmt, render in RENDERERS.items():
            path = folder / f"{ident}.{fmt}"
            path.write_bytes(render(doc, layouts))
            paths.setdefault(ident, {})[fmt] = path
    return paths


def figure(seed: Path, output: Path) -> str:
    """Return fidelity.py's figure line for one output."""
    script = REPO / "scripts" / "fidelity.py"
    done = subprocess.run(
        [sys.executable, str(script), str(seed), str(output)],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def main(argv: list[str]) -> int:
    """Render, measure and print one line per evaluation and format."""
    with tempfile.TemporaryDirectory(prefix="pia-fidelity-") as tmp:
        folder = Path(argv[0]) if argv else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for ident, outputs in render_all(folder).items():
            for fmt, path in outputs.items():
                print(f"{ident} ({SEEDS[ident].name[:3]}) {fmt}: {figure(SEEDS[ident], path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
