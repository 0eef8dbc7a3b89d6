"""The pipeline in one place: load → check → history → assemble → render (per format) → site.

``build`` plans jobs from the manifest (unchanged evaluation × format pairs are skipped), has the
history stage prepare the 変更箇所 rows of the evaluations it will render, runs the jobs on an
executor, then writes their outputs and the site pages through the one OutputWriter.
``check`` validates everything without writing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pia_build.assemble.shapes import AssembledDoc
from pia_build.building.cache import (
    MANIFEST,
    SEARCH_RECORD,
    SITE_RECORD,
    Manifest,
    diagnostics_from_json,
    dump_manifest,
    dump_record,
    load_manifest,
    load_record,
    whole,
)
from pia_build.building.checking import CHECK_RECORD, selected_folders
from pia_build.building.executors import Executor, SerialExecutor
from pia_build.building.hold import hold_last_good
from pia_build.building.jobs import JobResult, doc_from_summary, output_path, run_job, summary_of
from pia_build.building.output import Guard, OutputWriter, output_problem, write_atomic
from pia_build.building.plan import Plan, new_records, plan_build
from pia_build.building.portfolio_site import portfolio_link, write_spanning
from pia_build.check.folder import check_folder
from pia_build.check.link import check_links, link_facts
from pia_build.check.shapes import Evaluation
from pia_build.core.config import Config, ConfigError
from pia_build.core.diagnostics import Diagnostic, has_errors, promote
from pia_build.core.fingerprint import code_key, digest
from pia_build.core.theme import theme_digest
from pia_build.history.git import versions
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import annex_history, changes_since
from pia_build.render import DOWNLOADS, FORMATS, load_renderer
from pia_build.site.pages import iter_site_pages
from pia_build.site.search import index_site
from pia_build.source.clauses import load_library
from pia_build.source.loader import folder_problems
from pia_build.source.orgs import load_orgs
from pia_build.source.shapes import Clause

SITE = "site"
"""The published site's folder inside output/."""


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found."""

    evaluations: list[Evaluation] = field(default_factory=list)
    """Every evaluation that could be bound to a form, valid or not (``check`` only)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem in content/."""
    invalid: set[str] = field(default_factory=set)
    """Ids of evaluations with errors."""
    changes: list[ChangeRecord] = field(default_factory=list)
    """With ``since``: every item changed since that revision (``check`` only)."""


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` did."""

    check: CheckResult
    """The validation that preceded the build."""
    written: list[str] = field(default_factory=list)
    """Output paths whose content changed."""
    removed: list[str] = field(default_factory=list)
    """Stray output paths deleted."""
    notes: list[str] = field(default_factory=list)
    """Messages about the build itself (a format disabled, a manifest discarded)."""
    rendered: list[tuple[str, str]] = field(default_factory=list)
    """(evaluation, format) pairs rendered by this build; unchanged ones are skipped."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.check.diagnostics


def check(
    config: Config, strict: bool = False, since: str | None = None, only: Sequence[str] = ()
) -> CheckResult:
    """Validate every evaluation under content/ and report all problems at once.

    With ``since`` (a git revision), also report changed items without 提出時期 and ※ changes
    submitted 事後 without an explanation (``history.changes_since``). With ``only``, check
    those evaluations (folder names) and the shared clauses and profiles, nothing else.
    """
    library, problems = load_library(config.content, config.root)
    orgs, found = load_orgs(config.content, config.root)
    found += folder_problems(config.content, config.root)
    result = CheckResult(diagnostics=promote(problems + found, strict))
    for folder in selected_folders(config, only):
        evaluation_id, evaluation, mine = check_folder(folder, config.root, library, orgs, strict)
        result.diagnostics.extend(mine)
        if evaluation is not None:
            result.evaluations.append(evaluation)
        if evaluation is None or has_errors(mine):
            result.invalid.add(evaluation_id)
    links = check_links(link_facts(e) for e in result.evaluations)
    result.diagnostics.extend(promote(links, strict))
    if since:
        records, found = changes_since(config, since)
        result.changes.extend(records)
        result.diagnostics.extend(promote(found, strict))
    return result


def build(
    config: Config,
    strict: bool = False,
    formats: Sequence[str] = FORMATS,
    executor: Executor | None = None,
    search: bool = True,
    only: Sequence[str] = (),
    guard: Guard | None = None,
) -> BuildResult:
    """Check content/, then bring output/site up to date for every valid evaluation.

    ``guard`` is entered around every write (``output.Guard``: a newer file may be kept).

    With ``search=False`` the search index of the last build is kept as it is (a quick preview).
    With ``only``, build those evaluations; the others keep their last outputs, unchecked.
    """
    library, shared_problems = load_library(config.content, config.root)
    shared_problems += folder_problems(config.content, config.root)
    orgs, found = load_orgs(config.content, config.root)
    formats, notes = _available(formats)
    manifest = load_manifest(config.output)
    folders = selected_folders(config, only)
    _check_output(config, folders)
    downloads = [f for f in formats if f in DOWNLOADS]
    published = versions(config.root)
    plan = plan_build(config, folders, manifest, formats, downloads, strict, published)
    plan = _with_history(config, plan)
    _keep_others(config, plan, manifest, only)
    writer = OutputWriter(config.output) if guard is None else OutputWriter(config.output, guard)
    _forget_rebuilt(config, plan)
    results = _run(plan, executor or SerialExecutor(), writer)
    records = new_records(plan, results)
    _keep_unchanged(writer, records)
    held = hold_last_good(writer, config.output, manifest, records)
    good = {k: r["summary"] for k, r in records.items() if not r.get("invalid")}
    docs = [doc_from_summary(s) for _, s in sorted({**good, **_held_summaries(held)}.items())]
    errors = {k: h["errors"] for k, h in held.items()}
    site_key = _site_pages(writer, config, docs, library, plan.shared_key, errors)
    _search(writer, config, search, _pages_key(records, site_key))
    write_spanning(writer, config, records, published, "json" in formats)
    writer.write(MANIFEST, dump_manifest(Manifest(records)))
    if (config.output / CHECK_RECORD).is_file():
        writer.keep(CHECK_RECORD)  # pia check's own record
    removed = writer.prune()
    diagnostics = promote(shared_problems + found, strict) + _reported(records, only)
    invalid = {k for k, r in records.items() if r.get("invalid")}
    checked = CheckResult(diagnostics=diagnostics, invalid=invalid)
    rendered = [
        (r.id, f)
        for job, r in zip(plan.jobs, results, strict=True)
        if not r.invalid
        for f in job.formats
    ]
    return BuildResult(
        checked,
        writer.changed,
        removed,
        [*([manifest.message] if manifest.message else []), *notes, *_held_notes(errors)],
        rendered,
    )


def _reported(records: Mapping[str, dict], only: Sequence[str]) -> list[Diagnostic]:
    """Return the recorded problems of the evaluations built (all, or the ``only`` ones)."""
    return [
        d
        for k, r in records.items()
        if not only or k in only
        for d in diagnostics_from_json(r["diagnostics"])
    ]


def _held_summaries(held: Mapping[str, dict]) -> dict[str, dict]:
    """Return the summaries of the last good versions that stay on the site."""
    return {k: h["summary"] for k, h in held.items()}


def _held_notes(errors: Mapping[str, int]) -> list[str]:
    """Say which evaluations kept their last good outputs."""
    return [
        f"{k}: {n} error(s); its last good outputs stay on the site, marked not updated"
        for k, n in sorted(errors.items())
    ]


def _with_history(config: Config, plan: Plan) -> Plan:
    """Give each job the 変更箇所 rows of its evaluation, prepared once by the history stage."""
    if not plan.published:
        return plan
    rows = annex_history(config, plan.published)
    jobs = [replace(j, annex=tuple(rows.get(Path(j.folder).name, ()))) for j in plan.jobs]
    return replace(plan, jobs=jobs)


def _check_output(config: Config, folders: Sequence[Path]) -> None:
    """Raise ConfigError (one line, exit code 2) when outputs cannot be written: before rendering."""
    places = [SITE, ".pia_build", *(f"{SITE}/{f.name}" for f in folders)]
    if problem := output_problem(config.output, places):
        raise ConfigError(problem)


def _keep_others(config: Config, plan: Plan, manifest: Manifest, only: Sequence[str]) -> None:
    """With ``only``, keep every other evaluation's outputs as the last build left them."""
    if not only:
        return
    kept = {k: r for k, r in manifest.evaluations.items() if k not in only}
    plan.reused.update(
        {k: r for k, r in kept.items() if (config.content / "evaluations" / k).is_dir()}
    )


def _site_pages(
    writer: OutputWriter,
    config: Config,
    docs: list[AssembledDoc],
    library: Mapping[str, Clause],
    shared_key: str,
    held: Mapping[str, int],
) -> str:
    """Write the home, clause and search pages, or keep them when nothing they show changed.

    Returns the fingerprint of what they show."""
    summaries = json.dumps([summary_of(d) for d in docs], ensure_ascii=False, sort_keys=True)
    layouts = theme_digest(config.theme)
    portfolio = portfolio_link(config)
    key = digest(
        [code_key(), summaries, shared_key, layouts, json.dumps(held, sort_keys=True), portfolio]
    )
    if _keep_generated(writer, config, SITE_RECORD, key) is None:
        pages = iter_site_pages(docs, library, config.theme, held, portfolio)
        _write_generated(writer, SITE_RECORD, key, pages)
    return key


def _search(writer: OutputWriter, config: Config, update: bool, pages_key: str) -> None:
    """Index the site's pages, or keep the last index when no page changed (or not ``update``).

    Without ``update`` a kept index is marked as made from nothing, so the next full build
    indexes again whatever pages changed meanwhile.
    """
    if not update:
        _keep_generated(writer, config, SEARCH_RECORD, None, pages_key)
    elif _keep_generated(writer, config, SEARCH_RECORD, pages_key) is None:
        pages = sorted(
            p for p in writer.written if p.startswith(f"{SITE}/") and p.endswith(".html")
        )
        _write_generated(writer, SEARCH_RECORD, pages_key, index_site(config.output, pages, SITE))


def _pages_key(records: Mapping[str, dict], site_key: str) -> str:
    """Return the fingerprint of every HTML page's inputs (what the search index is made from)."""
    pages = [f"{e}={r['outputs'].get('html', '')}" for e, r in sorted(records.items())]
    return digest([site_key, *pages])


def _keep_generated(
    writer: OutputWriter, config: Config, record: str, key: str | None, current: str = ""
) -> str | None:
    """Keep the files of the last generation when it was made from ``key`` (None: any key).

    Kept files not made from ``current`` (when given) are recorded as made from nothing, so the
    next build that asks for a key makes them again. Returns the key they were made from, or
    None when they must be generated again.
    """
    last = load_record(config.output, record)
    if not last or (key is not None and last["key"] != key):
        return None
    if not whole(config.output / SITE, last):
        return None
    for name in last["files"]:
        writer.keep(f"{SITE}/{name}")
    stale = bool(current) and last["key"] != current
    writer.write(
        record, dump_record("" if stale else last["key"], last["files"], last.get("sizes"))
    )
    return str(last["key"])


def _write_generated(
    writer: OutputWriter, record: str, key: str, files: Iterable[tuple[str, bytes]]
) -> None:
    """Write generated site files and the record of what they were made from.

    The old record goes first: a build killed half-way leaves files that no record vouches for.
    """
    (writer.folder / record).unlink(missing_ok=True)
    names, sizes = [], []
    for name, data in files:
        writer.write(f"{SITE}/{name}", data)
        names.append(name)
        sizes.append(len(data))
    writer.write(record, dump_record(key, names, sizes))


def _available(formats: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return the formats that can be rendered here, and why the others cannot."""
    ready, notes = [], []
    for name in formats:
        render, why = load_renderer(name)
        if render is None:
            notes.append(why)
        else:
            ready.append(name)
    return ready, notes


def _forget_rebuilt(config: Config, plan: Plan) -> None:
    """Drop the records of the evaluations about to be rebuilt from the manifest on disk.

    Outputs are replaced one by one; a build killed half-way must not leave a manifest that
    vouches for files it already overwrote (a revert would then keep the new text).
    """
    if not plan.jobs or not (config.output / MANIFEST).is_file():
        return
    rebuilt = {Path(job.folder).name for job in plan.jobs}
    kept = {k: r for k, r in plan.kept.items() if k not in rebuilt}
    write_atomic(config.output / MANIFEST, dump_manifest(Manifest({**kept, **plan.reused})))


def _run(plan: Plan, executor: Executor, writer: OutputWriter) -> list[JobResult]:
    """Run the plan's jobs, writing each job's outputs as it arrives; return the results."""
    results = []
    for result in executor.map(run_job, plan.jobs):
        for path, data in sorted(result.outputs.items()):
            writer.write(f"{SITE}/{path}", data)
        sizes = {path: len(data) for path, data in result.outputs.items()}
        results.append(replace(result, outputs={}, sizes=sizes))  # the bytes are written
    return results


def _keep_unchanged(writer: OutputWriter, records: dict[str, dict]) -> None:
    """Mark every current output that this build did not re-render as kept (any format)."""
    for evaluation, record in records.items():
        for fmt in record["outputs"]:
            path = f"{SITE}/{output_path(evaluation, fmt)}"
            if path not in writer.written:
                writer.keep(path)
