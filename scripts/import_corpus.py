"""The import corpus: every evaluation of content/ printed, extracted and damaged, then imported.

Made from what the repository has. Each evaluation is rendered to PDF by pia's typst route and,
as a second producer, to DOCX and through LibreOffice (``soffice --headless --convert-to pdf``)
to PDF. Each PDF is imported directly and as text: raw ``pdftotext``, ``pdftotext -layout`` and
tab cells (the rows pia's PDF reader finds, one line each, cells separated by tabs). Damaged
variants of mihon-jumin: two pages dropped (3: the doc starts inside Ⅰ-2; 12), a page out of order, the option legends of -layout
text interleaved column by column, the 委託事項 row headers deleted from the tab cells, each 委託事項N printed on its own line
above its name, and the
raw text's lines after the cover shuffled (text that cannot be understood).

Each input is imported into a scratch project and compared item by item with the evaluation it
was printed from (share of items whose value came back; prose counts when 90% similar).

    python scripts/import_corpus.py [--no-docx] [--out output/import-corpus]

prints one Markdown table row per input (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pia_build.assemble.document import assemble  # noqa: E402
from pia_build.assemble.shapes import AssembledDoc, Display  # noqa: E402
from pia_build.building.build import check  # noqa: E402
from pia_build.core.config import Config  # noqa: E402
from pia_build.importer import (  # noqa: E402
    ImportFailed,
    ImportResult,
    printed_labels,
    read_evaluation,
)
from pia_build.importer.pdfcells import pdf_rows  # noqa: E402
from pia_build.importer.pdfpage import read_pages  # noqa: E402
from pia_build.render import docx, pdf  # noqa: E402

DAMAGED = "mihon-jumin"
"""The evaluation whose PDF is damaged (it has every kind of repeated group)."""
GOALS = {"pdf": 0.98, "raw": 0.90}
"""Item-level accuracy goals of the issue: PDF input from either producer, raw text."""


@dataclass(frozen=True)
class Input:
    """One corpus input."""

    path: Path
    evaluation: str
    org: str
    producer: str
    """typst or libreoffice."""
    kind: str
    """pdf, tab, layout, raw, or a damage (dropped, swapped, legends, noheader)."""


@dataclass(frozen=True)
class Measured:
    """What importing one input gave."""

    input: Input
    right: int
    items: int
    lost: int
    """Rows neither in an item, nor form structure, nor listed as unplaced in IMPORT.md."""
    seconds: float
    result: ImportResult
    misses: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        """Return the share of the source's items whose value came back."""
        return self.right / self.items if self.items else 0.0


def build(out: Path, with_docx: bool = True) -> list[Input]:
    """Write the corpus into ``out`` (kept when present) and return its inputs."""
    out.mkdir(parents=True, exist_ok=True)
    inputs: list[Input] = []
    for evaluation in check(Config(REPO)).evaluations:
        org = str(evaluation.org.get("id", "")) or _org_of(evaluation.id)
        doc = assemble(evaluation)
        producers = {"typst": lambda d=doc: pdf.render(d, REPO / "layouts")}
        if with_docx:
            producers["libreoffice"] = lambda d=doc, e=evaluation.id: _via_soffice(d, e, out)
        for producer, make in producers.items():
            target = out / f"{evaluation.id}.{producer}.pdf"
            if not target.exists():
                target.write_bytes(make())
            inputs += _texts(Input(target, evaluation.id, org, producer, "pdf"))
            if evaluation.id == DAMAGED and producer == "typst":
                inputs += _damaged(Input(target, evaluation.id, org, producer, "pdf"))
    return inputs


def _org_of(evaluation_id: str) -> str:
    text = (REPO / "content" / "evaluations" / evaluation_id / "evaluation.md").read_text("utf-8")
    match = re.search(r"^評価実施機関:\s*(\S+)", text, re.MULTILINE)
    return match.group(1) if match else ""


def _via_soffice(doc: AssembledDoc, evaluation_id: str, out: Path) -> bytes:
    """Return the PDF LibreOffice prints from pia's DOCX."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / f"{evaluation_id}.docx"
        source.write_bytes(docx.render(doc, REPO / "layouts"))
        profile = f"-env:UserInstallation=file://{scratch}/profile"  # no clash with a running one
        subprocess.run(
            [
                "soffice",
                profile,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                scratch,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return source.with_suffix(".pdf").read_bytes()


def _texts(original: Input) -> list[Input]:
    """Return the PDF and its three texts (raw, -layout, tab cells), writing what is missing."""
    found = [original]
    for kind, options in (("raw", []), ("layout", ["-layout"])):
        target = original.path.with_suffix(f".{kind}.txt")
        if not target.exists():
            subprocess.run(["pdftotext", *options, str(original.path), str(target)], check=True)
        found.append(_with(original, target, kind))
    target = original.path.with_suffix(".tab.txt")  # rewritten: it is pia's reading
    target.write_text(tab_cells(original.path), encoding="utf-8")
    found.append(_with(original, target, "tab"))
    return found


def tab_cells(path: Path) -> str:
    """Return the rows pia's PDF reader finds as tab-separated text (line breaks as <br>)."""
    rows = pdf_rows(read_pages(path), printed_labels()).rows
    return "".join("\t".join(c.replace("\n", "<br>") for c in r.cells) + "\n" for r in rows)


def _with(original: Input, path: Path, kind: str) -> Input:
    return Input(path, original.evaluation, original.org, original.producer, kind)


def _damaged(original: Input) -> list[Input]:
    """Return the damaged variants of one PDF."""
    base = original.path
    variants = []
    dropped = base.with_name(base.name.replace(".pdf", ".dropped.pdf"))
    _edit_pages(base, dropped, lambda pages: [p for p in pages if p not in (3, 12)])
    variants.append(_with(original, dropped, "dropped"))
    swapped = base.with_name(base.name.replace(".pdf", ".swapped.pdf"))
    _edit_pages(base, swapped, lambda pages: [*pages[:7], pages[8], pages[7], *pages[9:]])
    variants.append(_with(original, swapped, "swapped"))
    legends = base.with_suffix(".legends.txt")
    layout = base.with_suffix(".layout.txt").read_text(encoding="utf-8")
    legends.write_text(interleave_legends(layout), encoding="utf-8")
    variants.append(_with(original, legends, "legends"))
    shuffled = base.with_suffix(".shuffled.txt")
    raw = base.with_suffix(".raw.txt").read_text(encoding="utf-8").split("\n")
    shuffled.write_text("\n".join(raw[:25] + shuffle(raw[25:])), encoding="utf-8")
    variants.append(_with(original, shuffled, "shuffled"))
    headless = base.with_suffix(".noheader.txt")
    tab = base.with_suffix(".tab.txt").read_text(encoding="utf-8")
    headless.write_text(re.sub(r"(?m)^\t?委託事項[2-9][^\n]*\n", "", tab), encoding="utf-8")
    variants.append(_with(original, headless, "noheader"))
    split = base.with_suffix(".split.txt")
    split.write_text(re.sub(r"(?m)^(\t?委託事項[0-9]+)\t", "\\1\n", tab), encoding="utf-8")
    variants.append(_with(original, split, "split"))
    return variants


def _edit_pages(source: Path, target: Path, order) -> None:  # type: ignore[no-untyped-def]
    """Write ``target`` with the pages of ``source`` in the order ``order(pages)`` gives."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(source))
    pages = list(range(1, len(document) + 1))
    result = pdfium.PdfDocument.new()
    result.import_pages(document, [p - 1 for p in order(pages)])
    result.save(str(target))


def shuffle(lines: list[str]) -> list[str]:
    """Return the lines in a fixed random order: text no reader can put back together."""
    import random

    shuffled = list(lines)
    random.Random(14).shuffle(shuffled)
    return shuffled


_OPTION = re.compile(r"\s[0-9]+\)\s")


def interleave_legends(text: str) -> str:
    """Return -layout text whose two-column option legends are printed one column after another.

    A line holding two or more numbered options (``1) 10人未満  2) 10人以上…``) becomes one
    line per option, the odd options first: the reading order of a legend printed in columns.
    """
    lines = []
    for line in text.split("\n"):
        starts = [m.start() + 1 for m in _OPTION.finditer(" " + line)]
        if len(starts) < 2:
            lines.append(line)
            continue
        pieces = [
            line[a - 1 : b - 1].strip() for a, b in zip(starts, [*starts[1:], 10**6], strict=True)
        ]
        head = line[: starts[0] - 1]
        pad = " " * (len(head) - len(head.lstrip()) or 40)
        lines.append(head.rstrip())
        lines += [pad + p for p in pieces[0::2] + pieces[1::2]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- accuracy


def measure(item: Input, project: Path) -> Measured:
    """Import one input into ``project`` and compare it item by item with its source."""
    original = next(e for e in check(Config(REPO)).evaluations if e.id == item.evaluation)
    config = Config(project, project / "output")
    started = time.perf_counter()
    result = read_evaluation(config, item.path, item.org)
    seconds = time.perf_counter() - started
    folder = project / "content" / "evaluations" / "imported"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in result.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    back = next(e for e in check(config).evaluations if e.id == "imported")
    wanted, found = values(assemble(original)), values(assemble(back))
    misses = tuple(k for k, v in wanted.items() if not recovered(v, found.get(k)))
    coverage = result.coverage
    report = result.files["IMPORT.md"]
    listed = sum(f"(row {line})" in report for line, _ in coverage.unplaced)
    lost = coverage.rows - coverage.placed - coverage.structure - listed
    return Measured(item, len(wanted) - len(misses), len(wanted), lost, seconds, result, misses)


def scratch_project(root: Path) -> Path:
    """Return a project with the repository's org profiles and no evaluations.

    The standard clauses come with the package.
    """
    for folder in ("orgs",):
        shutil.copytree(REPO / "content" / folder, root / "content" / folder, dirs_exist_ok=True)
    return root


def squash(text: str) -> str:
    """Return text in comparison form: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _prose(text: str) -> str:
    text = re.sub(r"(?m)^:::.*$", "", text)
    return squash(re.sub(r"(?m)^\s*(?:[-*•]|[0-9]+\.)\s+", "", text).replace("\\", ""))


def signature(display: Display) -> object:
    """Return what a printed value says, without its presentation."""
    if display.kind == "choice":
        return display.selected
    if display.kind == "multi":
        return [(m.label, squash(m.detail), m.count) for m in display.marks if m.checked]
    if display.kind in ("flag", "list"):
        return display.checked if display.kind == "flag" else [squash(i) for i in display.items]
    if display.kind == "table":
        return [[_prose(c.text) for c in row] for row in display.rows]
    return _prose(display.text)


def values(doc: AssembledDoc) -> dict[str, object]:
    """Return anchor → signature of every filled item of an assembled evaluation."""
    rows = list(doc.cover) + [row for part in doc.parts for row in part.rows]
    return {
        row.anchor: signature(row.display)
        for row in rows
        if row.kind == "item" and row.display is not None and not row.display.empty
    }


def recovered(original: object, found: object) -> bool:
    """Return True when a value came back (prose: 90% similar, wrapped lines rejoined)."""
    if isinstance(original, str) and isinstance(found, str):
        return difflib.SequenceMatcher(None, original, found).ratio() >= 0.9
    return original == found


def table_row(m: Measured) -> str:
    """Return the benchmarks.md row of one measurement."""
    c = m.result.coverage
    verdict = "understood" if c.understood else "**not understood** (exit 1)"
    return (
        f"| {m.input.path.name} | {m.input.kind} | {m.right}/{m.items} = {m.accuracy:.1%} "
        f"| {c.text_share:.1%} | {c.items_share:.1%} | {len(c.unplaced)} | {m.lost} "
        f"| {verdict} | {m.seconds:.2f} s |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="output/import-corpus", type=Path)
    parser.add_argument("--no-docx", action="store_true", help="skip the LibreOffice producer")
    parser.add_argument("--misses", action="store_true", help="print the items missed")
    args = parser.parse_args()
    inputs = build(args.out, with_docx=not args.no_docx)
    print(
        "| input | kind | items right | text placed | items filled | unplaced rows "
        "| lines lost | verdict | import time |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        project = scratch_project(Path(scratch))
        for item in inputs:
            try:
                measured = measure(item, project)
            except ImportFailed as exc:
                print(f"| {item.path.name} | {item.kind} | refused: {exc} | | | | | exit 2 | |")
                continue
            print(table_row(measured), flush=True)
            if args.misses:
                for miss in measured.misses:
                    print(f"    {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
