"""Round trips of ``pia import``: what went in comes back out of pia's own pipeline.

Seeds: each published evaluation is imported, checked, assembled and rendered to HTML by pia,
and the page must hold at least 97% of the seed's cell texts. A cell text is a cell of the seed
cut where the printed form itself draws boundaries inside a cell: paragraphs and list items,
checkbox marks and `[選択値]` brackets, numbered options (printed column-major in the seeds, so
never in one order) and `<選択肢>`; leading list numbering (`1.`, `・`) is dropped because pia
prints lists as lists. Texts are compared normalised: NFKC, whitespace removed, HTML tags
stripped. Every miss is printed.

-layout: one of our own evaluations is rendered to PDF by pia, turned back into text by
``pdftotext -layout`` and imported; at least 95% of its item values must come back. pdftotext
keeps no cell boundaries, so two kinds of value are known to suffer: options of two-column
checkbox lists whose ( ) text wraps (the continuation lines of both columns interleave), and the
cells of the 変更箇所 table, which are re-cut from character columns. Everything else must
survive; 95% fails as soon as a part or a kind of value regresses (mihon-jumin has 336 values).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from htmltext import html_text

from pia_build.assemble.document import assemble
from pia_build.building.build import check
from pia_build.check.shapes import Evaluation
from pia_build.core.config import Config
from pia_build.importer import import_evaluation
from pia_build.render import html, pdf
from scripts.import_corpus import recovered, values

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parent / "seeds"
SEED_SHARE = 0.97
LAYOUT_SHARE = 0.95

_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_CUT = re.compile(
    r"<input[^>]*>|[<＜]選択肢[>＞]|</?p(?:\s[^>]*)?>|<br\s*/?>|</?li[^>]*>|</?t[dr][^>]*>"
    r"|</?[uo]l[^>]*>|<table[^>]*>|\[[^\[\]]*\]|(?:^|\s)[0-9]+\)\s*|(?:^|\s)[・•]"
)
_LEAD = re.compile(r"^(?:[0-9]+\.\s|-\s|[・•]\s*)")
_DRAFT = re.compile(r"\s*[(（]案[)）]\s*")


def squash(text: str) -> str:
    """Return text in comparison form: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cell_texts(seed: str) -> list[tuple[int, str]]:
    """Return (line, normalised text) for every cell text of a seed (see the module docstring)."""
    texts = []
    for number, line in enumerate(seed.split("\n"), start=1):
        if _DRAFT.fullmatch(line):
            continue
        for cell in line.split("\t"):
            pieces = _CUT.split(cell) + re.findall(r"\[([^\[\]]*)\]", cell)
            for piece in pieces:
                text = squash(_LEAD.sub("", _TAG.sub("", piece).replace("**", "").strip()))
                if len(text) >= 2:
                    texts.append((number, text))
    return texts


def project(root: Path) -> Config:
    """Return a project with the repository's clauses and org profiles, and no evaluations."""
    for folder in ("orgs",):  # the standard clauses come with the package
        shutil.copytree(REPO / "content" / folder, root / "content" / folder)
    return Config(root, root / "output")


def imported(config: Config, source: Path, org: str) -> Evaluation:
    """Import ``source`` and return it as pia checked it."""
    import_evaluation(config, source, "imported", org, force=True)
    return next(e for e in check(config).evaluations if e.id == "imported")


@pytest.mark.parametrize(
    ("seed", "org"),
    [("001_fb1bf0b09c48865e.txt", "chiba"), ("003_c8b8949bf602a6a1.txt", "kawaguchi")],
)
def test_seed_round_trip(seed: str, org: str, tmp_path: Path) -> None:
    evaluation = imported(project(tmp_path), SEEDS / seed, org)
    page = squash(html_text(html.render(assemble(evaluation), REPO / "layouts").decode()))
    texts = cell_texts((SEEDS / seed).read_text(encoding="utf-8"))
    missed = [(line, text) for line, text in texts if text not in page]
    share = 1 - len(missed) / len(texts)
    print(f"{seed}: {len(texts) - len(missed)} of {len(texts)} cell texts ({share:.2%}); missed:")
    for line, text in missed:
        print(f"  {seed}:{line}: {text[:120]}")
    assert share >= SEED_SHARE, missed


# --------------------------------------------------------------------------- -layout


needs_pdf = pytest.mark.skipif(
    pdf.disabled_message() is not None, reason=str(pdf.disabled_message())
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)"
)


@needs_pdf
@needs_poppler
@pytest.mark.parametrize(("evaluation_id", "org"), [("mihon-jumin", "mihon")])
def test_layout_round_trip_of_our_own_pdf(evaluation_id: str, org: str, tmp_path: Path) -> None:
    original = next(e for e in check(Config(REPO)).evaluations if e.id == evaluation_id)
    (tmp_path / "doc.pdf").write_bytes(pdf.render(assemble(original), REPO / "layouts"))
    subprocess.run(["pdftotext", "-layout", "doc.pdf", "doc.txt"], cwd=tmp_path, check=True)
    config = project(tmp_path / "project")
    wanted = values(assemble(original))
    found = values(assemble(imported(config, tmp_path / "doc.txt", org)))
    missed = {k: v for k, v in wanted.items() if not recovered(v, found.get(k))}
    share = 1 - len(missed) / len(wanted)
    print(f"{evaluation_id}: {len(wanted) - len(missed)} of {len(wanted)} values ({share:.2%})")
    for anchor, value in missed.items():
        print(f"  {anchor}: {str(value)[:100]} → {str(found.get(anchor))[:100]}")
    assert share >= LAYOUT_SHARE, sorted(missed)
