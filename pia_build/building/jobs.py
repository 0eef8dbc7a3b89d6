"""One unit of build work: check one evaluation and render the formats whose inputs changed.

A job passes through the stages once, in order: read and check the folder, take the 変更箇所 rows
the history stage prepared for it before the build ran any job, assemble, render. Jobs are plain
picklable values so any executor (in-process, a process pool, a dask cluster) can run them; a
worker keeps the clause library and org profiles loaded between jobs of one build.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pia_build.assemble.document import assemble
from pia_build.assemble.provenance import without_provenance
from pia_build.assemble.risks import risk_answers
from pia_build.assemble.shapes import AssembledDoc
from pia_build.check.folder import check_folder
from pia_build.core.diagnostics import Diagnostic, Location, has_errors
from pia_build.core.theme import Theme
from pia_build.history.annex import with_history
from pia_build.history.portfolio import facts_of
from pia_build.history.shapes import ChangeRecord
from pia_build.render import html, load_renderer
from pia_build.source.clauses import load_library
from pia_build.source.orgs import load_orgs
from pia_build.source.shapes import Clause, ClauseUse

DOWNLOAD_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "json": "データ (JSON)",
}
V = TypeVar("V")


@dataclass(frozen=True)
class Job:
    """Check one evaluation and render some of its formats."""

    root: str
    """Project root."""
    layouts: Theme
    """Layout folders, the project's before the package's."""
    folder: str
    """The evaluation folder."""
    formats: tuple[str, ...]
    """Formats to render (those whose inputs changed)."""
    downloads: tuple[str, ...]
    """Download formats the evaluation page links to."""
    shared_key: str
    """Fingerprint of the clause library and org profiles (refreshes a worker's copy)."""
    strict: bool = False
    """Promote warnings to errors."""
    annex: tuple[ChangeRecord, ...] = ()
    """The 変更箇所 rows generated from the evaluation's published versions (history stage)."""
    submission: bool = False
    """Build the submitted copy: PDF and DOCX without clause provenance marks."""


@dataclass(frozen=True)
class JobResult:
    """What a job found and made."""

    id: str
    """Evaluation id."""
    diagnostics: list[Diagnostic]
    """Problems in the evaluation."""
    summary: dict | None
    """What the site pages need to know of it; None when it could not be bound."""
    outputs: dict[str, bytes] = field(default_factory=dict)
    """Site-relative path → content, for the rendered formats."""
    invalid: bool = False
    """True when it has errors (nothing is rendered)."""
    deps: dict[str, list[str]] = field(default_factory=lambda: dict(_NO_DEPS))
    """What the check read besides the folder: {clauses: ids, orgs: ids, all: [listed mappings]}."""
    sizes: dict[str, int] = field(default_factory=dict)
    """Site-relative path → size of each output (kept when the bytes are let go)."""


_NO_DEPS: dict[str, list[str]] = {"clauses": [], "orgs": [], "all": []}


class Recording(Mapping[str, V]):
    """A read-only mapping that remembers which keys were looked up and whether it was listed.

    The build records what each check actually read, so a clause named through a computed id or
    an org named in any YAML spelling is a dependency like any other.
    """

    def __init__(self, data: Mapping[str, V]) -> None:
        self._data = data
        self.looked_up: set[str] = set()
        self.listed = False

    def __getitem__(self, key: str) -> V:
        self.looked_up.add(str(key))
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        self.looked_up.add(str(key))
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self.listed = True
        return iter(self._data)

    def __len__(self) -> int:
        self.listed = True
        return len(self._data)


def recorded_deps(clauses: Recording, orgs: Recording) -> dict[str, list[str]]:
    """Return what a check read through the two recording mappings."""
    listed = [name for name, m in (("clauses", clauses), ("orgs", orgs)) if m.listed]
    return {"clauses": sorted(clauses.looked_up), "orgs": sorted(orgs.looked_up), "all": listed}


@lru_cache(maxsize=4)
def _shared(
    root: str, shared_key: str
) -> tuple[dict[str, Clause], dict[str, Mapping[str, object]]]:
    """Return the clause library and org profiles, loaded once per worker and fingerprint."""
    base = Path(root)
    library, _ = load_library(base / "content", base)
    orgs, _ = load_orgs(base / "content", base)
    return library, orgs


def run_job(job: Job) -> JobResult:
    """Check one evaluation; when it is valid, render the job's formats."""
    clauses, profiles = _shared(job.root, job.shared_key)
    library, orgs = Recording(clauses), Recording(profiles)
    result = _check_and_render(job, library, orgs)
    return replace(result, deps=recorded_deps(library, orgs))


def _check_and_render(
    job: Job, library: Mapping[str, Clause], orgs: Mapping[str, Mapping[str, object]]
) -> JobResult:
    """Check one evaluation against the given library and profiles; render when valid."""
    evaluation_id, evaluation, problems = check_folder(
        Path(job.folder), Path(job.root), library, orgs, job.strict
    )
    if evaluation is None:
        return JobResult(evaluation_id, problems, None, invalid=True)
    evaluation = with_history(evaluation, job.annex)
    assembled = assemble(evaluation)
    summary = {**summary_of(assembled), "portfolio": facts_of(evaluation, job.annex, library)}
    if has_errors(problems):
        return JobResult(evaluation_id, problems, summary, invalid=True)
    outputs = {path: data for path, data in _render(assembled, job)}
    return JobResult(evaluation_id, problems, summary, outputs)


def _render(doc: AssembledDoc, job: Job) -> list[tuple[str, bytes]]:
    """Return the outputs of the job's formats."""
    layouts = job.layouts
    outputs = []
    for fmt in job.formats:
        if fmt == "html":
            links = [(DOWNLOAD_LABELS.get(f, f), f"{doc.id}.{f}") for f in job.downloads]
            outputs.append((f"{doc.id}/index.html", html.render(doc, layouts, "../", links)))
            continue
        render, why = load_renderer(fmt)
        assert render is not None, why
        printed = without_provenance(doc) if job.submission else doc
        outputs.append((f"{doc.id}/{doc.id}.{fmt}", render(printed, layouts)))
    return outputs


def output_path(evaluation: str, fmt: str) -> str:
    """Return the site-relative path of one format of an evaluation."""
    return f"{evaluation}/index.html" if fmt == "html" else f"{evaluation}/{evaluation}.{fmt}"


def summary_of(doc: AssembledDoc) -> dict:
    """Return the JSON-ready facts the site pages need about an evaluation."""
    uses = [
        [u.clause_id, u.version, u.item, u.location.path, u.location.line] for u in doc.clause_uses
    ]
    return {
        "id": doc.id,
        "title": doc.title,
        "name": doc.name,
        "marker": doc.marker,
        "form_id": doc.form_id,
        "draft": doc.draft,
        "org_name": doc.org_name,
        "published": doc.published,
        "clause_uses": uses,
        "risks": risk_answers(doc),
    }


def doc_from_summary(summary: Mapping) -> AssembledDoc:
    """Return an AssembledDoc carrying only the summary (for index and clause pages)."""
    uses = tuple(
        ClauseUse(c, v, item, Location(p, line)) for c, v, item, p, line in summary["clause_uses"]
    )
    return AssembledDoc(
        id=summary["id"],
        title=summary["title"],
        name=summary["name"],
        marker=summary["marker"],
        form_id=summary["form_id"],
        draft=summary["draft"],
        org_name=summary["org_name"],
        published=summary["published"],
        cover=(),
        parts=(),
        toc=(),
        clause_uses=uses,
    )
