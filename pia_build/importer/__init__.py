"""``pia import``: read a published evaluation (text extracted from its PDF) into sources.

The stages, each in its own module: ``cells`` (text → rows of cells with source lines),
``recognise`` (form and edition), ``parts`` (rows → part instances), ``mapping`` (rows → form
items), ``values`` / ``tables`` (cells → values), ``clauses`` (standard wording → clause
references, near matches → drift report), ``cover`` (the unprinted cover items), ``write``
(the folder in the authoring format, written atomically) and ``report`` (IMPORT.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location, format_text
from pia_build.core.i18n import Language, say
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.importer.cells import Source, draft_marked, join_continued, read_source
from pia_build.importer.clauses import Drift, use_clauses
from pia_build.importer.cover import complete_cover
from pia_build.importer.coverage import ITEMS_MIN, TEXT_MIN, Coverage, measure
from pia_build.importer.known import (
    is_heading,
    is_part_heading,
    label_kind,
    label_prefix,
    value_label,
)
from pia_build.importer.mapping import Mapped, map_part
from pia_build.importer.parts import split_parts
from pia_build.importer.pdfcells import PdfText, pdf_rows
from pia_build.importer.pdfpage import PdfUnreadable, read_pages
from pia_build.importer.raw import Known, is_raw, read_raw
from pia_build.importer.recognise import Recognised, is_marker, recognise
from pia_build.importer.report import format_drift, render_report
from pia_build.importer.values import part_tree
from pia_build.importer.write import ImportExists, Trees, render_files, write_folder
from pia_build.source.clauses import load_library
from pia_build.source.ids import id_problem
from pia_build.source.orgs import load_orgs

__all__ = [
    "Coverage",
    "ImportExists",
    "ImportFailed",
    "ImportNotUnderstood",
    "ImportResult",
    "import_evaluation",
    "read_evaluation",
]


class ImportFailed(Exception):
    """The text cannot be imported (unreadable, no recognisable form, unknown org)."""


class ImportNotUnderstood(Exception):
    """The input was read but too little of it placed on the form; nothing was written."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(
            f"{result.source}: not understood: {result.coverage.summary()}; the thresholds are "
            f"{TEXT_MIN:.0%} of the text placed and {ITEMS_MIN:.0%} of the items filled. "
            "Nothing was written (--force writes it anyway); IMPORT.md would list the "
            f"{len(result.coverage.unplaced)} unplaced rows"
        )
        self.result = result


@dataclass(frozen=True)
class ImportResult:
    """What an import read and wrote."""

    form: FormSpec
    """The form the evaluation was printed on."""
    files: dict[str, str]
    """File name → text of the evaluation folder."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every repair and doubt, located in the source text."""
    drift: list[Drift] = field(default_factory=list)
    """Standard blocks that nearly match a library clause and were kept as local text."""
    written: list[Path] = field(default_factory=list)
    """Paths written (empty for ``read_evaluation``)."""
    coverage: Coverage = field(default_factory=lambda: Coverage(0, 0, 0, (), 0.0, 0, 0))
    """Where every row of the input went."""
    source: str = ""
    """The input as named on the command line."""

    def summary(self, lang: Language = "en") -> str:
        """Return what the terminal shows: paths written, warnings, drift, coverage, counts."""
        paths = "".join(f"{path}\n" for path in self.written)
        errors = sum(d.severity == "error" for d in self.diagnostics)
        counts = (
            f"{len(self.diagnostics) - errors} warnings, {errors} errors, "
            f"{len(self.drift)} near clause matches"
        )
        drift = "".join(say(line, lang) + "\n" for line in format_drift(self.drift).splitlines())
        lines = format_text(self.diagnostics, lang) + drift
        return paths + lines + say(self.coverage.summary(), lang) + "\n" + say(counts, lang) + "\n"


def import_evaluation(
    config: Config,
    source: Path,
    evaluation_id: str,
    org_id: str | None = None,
    force: bool = False,
) -> ImportResult:
    """Import ``source`` into content/evaluations/<evaluation_id>/ and return what was done."""
    problem = id_problem(evaluation_id)
    if problem:
        raise ImportFailed(f"{problem}; nothing was written")
    result = read_evaluation(config, source, org_id, shown=str(source))
    if not result.coverage.understood and not force:
        raise ImportNotUnderstood(result)
    folder = config.content / "evaluations" / evaluation_id
    written = write_folder(folder, result.files, force)
    return replace(result, written=written)


def read_evaluation(
    config: Config, source: Path, org_id: str | None = None, shown: str = ""
) -> ImportResult:
    """Read ``source`` and return the evaluation's files without writing anything."""
    shown = shown or str(source)
    orgs, _ = load_orgs(config.content, config.root)
    if org_id is not None and org_id not in orgs:
        known = ", ".join(orgs) or "none"
        raise ImportFailed(f"there is no profile content/orgs/{org_id}.yml (profiles: {known})")
    document, where = _read_document(source)
    document = replace(document, rows=join_continued(document.rows))
    recognised, problems = recognise(document.rows, shown)
    if recognised is None:
        raise ImportFailed(f"{shown}: no 特定個人情報保護評価書 title or 様式 marker was found")
    form = recognised.form
    trees, mapped, found = _read_parts(document, recognised, shown)
    problems += found
    rows = [r for r in document.rows if r.line not in recognised.furniture]
    coverage, doubts = measure(rows, mapped, trees, form, shown, printed_labels())
    coverage = replace(coverage, furniture=where.furniture, where=where.where)
    problems += doubts
    library, _ = load_library(config.content, config.root)
    org = orgs.get(org_id or "", {})
    drift = use_clauses(form, trees, library, org)
    problems += complete_cover(form, trees, org_id, document.draft, Location(shown, 1))
    files = render_files(form, trees, max([n for _, n in trees] + [1]))
    problems = sorted(problems, key=lambda d: (d.location.line, d.code))
    files["IMPORT.md"] = render_report(shown, form, recognised.edition, problems, drift, coverage)
    return ImportResult(form, files, problems, drift, [], coverage, shown)


def _read_parts(
    document: Source, recognised: Recognised, shown: str
) -> tuple[Trees, list[Mapped], list[Diagnostic]]:
    """Return the values of every part instance, keyed by (part key, file number)."""
    rows = [r for r in document.rows if r.line not in recognised.furniture]
    trees: Trees = {}
    problems: list[Diagnostic] = []
    every: list[Mapped] = []
    for part in split_parts(rows, recognised.form):
        mapped, found = map_part(part, shown)
        tree, more = part_tree(mapped, shown, document.layout)
        problems += found + more
        every.append(mapped)
        _merge(trees.setdefault((part.spec.key, part.number), {}), tree)
    return trees, every, problems


def _read_document(source: Path) -> tuple[Source, PdfText]:
    """Return the rows of a PDF (by its page geometry) or of extracted text.

    For a PDF, also where each row was printed (page, line) and the page furniture dropped.
    """
    try:
        with source.open("rb") as handle:
            is_pdf = handle.read(5) == b"%PDF-"
    except OSError as exc:
        raise ImportFailed(f"{source}: {exc.strerror}") from exc
    if not is_pdf:
        text = _read_text(source)
        if is_raw(text):
            headings = lambda line: is_heading(line) or is_marker(line)  # noqa: E731
            known = Known(value_label, headings, label_prefix, label_kind, is_part_heading)
            rows = read_raw(text, known)
            return Source(tuple(rows), True, draft_marked(text)), PdfText()
        return read_source(text, printed_labels(), is_marker), PdfText()
    try:
        found = pdf_rows(read_pages(source), printed_labels())
    except PdfUnreadable as exc:
        raise ImportFailed(str(exc)) from exc
    return Source(tuple(found.rows), False, found.draft), found


def _read_text(source: Path) -> str:
    try:
        return source.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ImportFailed(f"{source}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{source}: not UTF-8 text (byte {exc.start})") from exc


def printed_labels() -> set[str]:
    """Return every printed label of every form (the -layout reader rejoins wrapped labels)."""
    labels: set[str] = set()

    def walk(items: tuple[ItemSpec, ...]) -> None:
        for spec in items:
            labels.add(spec.label)
            walk(spec.children)

    for form in builtin_forms().values():
        for part in form.parts:
            labels.add(part.label)
            walk(part.items)
    return labels


def _merge(into: dict[str, object], tree: dict[str, object]) -> None:
    """Merge a part printed in two pieces (a stray heading) into one tree."""
    for key, value in tree.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)  # type: ignore[arg-type]
        elif key not in into:
            into[key] = value
