"""Plan a build: fingerprint every evaluation × format and decide which jobs must run.

An evaluation is re-checked when its own files changed or when anything its last check read did
(the clauses and org profiles it looked up, recorded by the job as it ran: a computed clause id or
a commented cover line is followed like any other). A format is re-rendered when its inputs
changed or its file is gone or has the wrong size. Formats not asked for are never rendered, but
their outputs are kept while they are current.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pia_build.building.cache import Manifest, diagnostics_to_json
from pia_build.building.jobs import Job, JobResult, output_path
from pia_build.core.config import Config
from pia_build.core.filecache import file_digest
from pia_build.core.fingerprint import code_key, digest
from pia_build.core.theme import theme_digest
from pia_build.history.git import Version, versions_key
from pia_build.source.library import clause_folders
from pia_build.source.loader import SOURCE_SUFFIXES, is_source

# Tools whose versions decide each format's bytes.
TOOLS = {
    "html": ("Jinja2", "markdown-it-py", "mdit-py-plugins"),
    "pdf": ("typst", "noto-cjk-sans-jp-regular", "noto-cjk-sans-jp-bold"),
    "docx": ("pypandoc-binary",),
    "xlsx": ("XlsxWriter",),
    "json": (),
}
LAYOUT_GLOBS = {
    "html": ("*.html",),
    "pdf": ("pdf/**/*",),
    "docx": ("docx/**/*",),
    "xlsx": (),
    "json": (),
}


@dataclass
class Plan:
    """What a build will do."""

    jobs: list[Job] = field(default_factory=list)
    """Evaluations to check and render."""
    keys: dict[str, str] = field(default_factory=dict)
    """Evaluation id → input fingerprint."""
    format_keys: dict[str, dict[str, str]] = field(default_factory=dict)
    """Evaluation id → format → input fingerprint."""
    reused: dict[str, dict] = field(default_factory=dict)
    """Evaluation id → manifest record of an evaluation that needs no job (outputs: kept ones)."""
    kept: dict[str, dict] = field(default_factory=dict)
    """Evaluation id → its current record with only the outputs still current (job or not)."""
    shared_key: str = ""
    """Fingerprint of the clause library and the org profiles."""
    published: dict[str, tuple[Version, ...]] = field(default_factory=dict)
    """Evaluation id → its published versions, for the jobs whose 変更箇所 rows come from them."""
    shared: Shared | None = None
    """Fingerprints of each clause and org profile (to record what a job read)."""
    downloads: tuple[str, ...] = ()
    """Download formats the evaluation pages link to."""


@dataclass(frozen=True)
class Shared:
    """Fingerprints of the files an evaluation's check may read besides its own."""

    clauses: Mapping[str, str]
    """Clause id → fingerprint of its file."""
    orgs: Mapping[str, str]
    """Org id → fingerprint of its profile."""

    @classmethod
    def read(cls, content: Path) -> Shared:
        """Fingerprint the clauses (the package's, then content/clauses) and content/orgs/*.yml."""
        clauses: dict[str, str] = {}
        for folder in clause_folders(content):
            for path in sorted(folder.rglob("*.md")):
                name = path.relative_to(folder).with_suffix("").as_posix()
                # a project file that overrides a packaged one: both decide the result
                clauses[name] = digest([clauses.get(name, ""), file_digest(path)])
        orgs = {p.stem: file_digest(p) for p in (content / "orgs").glob("*.yml")}
        return cls(clauses, orgs)

    def key(self) -> str:
        """Return one fingerprint of everything shared."""
        return digest(
            [*(f"c:{k}={v}" for k, v in sorted(self.clauses.items()))]
            + [f"o:{k}={v}" for k, v in sorted(self.orgs.items())]
        )

    def deps_key(self, deps: Mapping[str, Sequence[str]]) -> str:
        """Return the fingerprint of what a check read (``JobResult.deps``), as it is now."""
        chunks = [f"c:{c}={self.clauses.get(c, '-')}" for c in deps["clauses"]]
        chunks += [f"o:{o}={self.orgs.get(o, '-')}" for o in deps["orgs"]]
        listed = {"clauses": self.clauses, "orgs": self.orgs}
        chunks += [f"{name}:{','.join(sorted(listed.get(name, ())))}" for name in deps["all"]]
        return digest(chunks)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


SUBMITTED = ("pdf", "docx")
"""The formats that are submitted and published: built without clause marks for submission."""


def format_context(config: Config, formats: Sequence[str]) -> dict[str, str]:
    """Return, per format, the fingerprint of its layouts and tools."""
    context = {}
    for fmt in formats:
        layouts = theme_digest(config.theme, LAYOUT_GLOBS[fmt])
        tools = [f"{t}=={_version(t)}" for t in TOOLS[fmt]]
        purpose = config.settings.build_for if fmt in SUBMITTED else ""
        context[fmt] = digest([layouts, *tools, purpose])
    return context


def evaluation_key(folder: Path, strict: bool) -> str:
    """Return the fingerprint of the evaluation's own files (what it reads besides: ``deps``)."""
    sources = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix in SOURCE_SUFFIXES and is_source(p.name)
    )
    names = [p.name for p in sources]
    return digest([code_key(), str(strict), *names, *(file_digest(p) for p in sources)])


def plan_build(
    config: Config,
    folders: Sequence[Path],
    manifest: Manifest,
    formats: Sequence[str],
    downloads: Sequence[str],
    strict: bool,
    versions: Mapping[str, list[Version]] | None = None,
) -> Plan:
    """Return the jobs needed to bring every evaluation's outputs up to date.

    ``formats`` are rendered when stale; outputs of the other formats are kept while current.
    """
    shared = Shared.read(config.content)
    context = format_context(config, list(TOOLS))
    plan = Plan(shared_key=shared.key(), shared=shared, downloads=tuple(downloads))
    site = config.output / "site"
    for folder in folders:
        key = evaluation_key(folder, strict)
        published = tuple((versions or {}).get(folder.name, ()))  # its 変更箇所 rows come from them
        key = digest([key, versions_key(list(published))]) if published else key
        wanted = {fmt: digest([key, context[fmt]]) for fmt in context}
        plan.keys[folder.name], plan.format_keys[folder.name] = key, wanted
        record = _current(manifest, folder.name, key, shared)
        kept = _kept(record, wanted, site, folder.name) if record is not None else {}
        todo = [f for f in formats if f not in kept.get("outputs", {})]
        if html_links_differ(kept, formats, downloads):
            todo = sorted({*todo, "html"}, key=list(formats).index)
        if record is not None:
            plan.kept[folder.name] = kept
        if record is not None and (record["invalid"] or not todo):
            plan.reused[folder.name] = kept
            continue
        job = Job(
            str(config.root),
            config.theme,
            str(folder),
            tuple(todo) if record is not None else tuple(formats),
            tuple(downloads),
            plan.shared_key,
            strict,
            submission=config.settings.build_for == "submission",
        )
        plan.jobs.append(job)
        if published:
            plan.published[folder.name] = published
    return plan


def html_links_differ(kept: Mapping, formats: Sequence[str], downloads: Sequence[str]) -> bool:
    """Return True when a requested HTML page links other downloads than it should."""
    return (
        "html" in formats and "html" in kept.get("outputs", {}) and kept["links"] != list(downloads)
    )


def _current(manifest: Manifest, evaluation: str, key: str, shared: Shared) -> dict | None:
    """Return the record of an evaluation whose files and recorded dependencies are unchanged."""
    record = manifest.current(evaluation, key)
    if record is None or record["deps_key"] != shared.deps_key(record["deps"]):
        return None
    return record


def _kept(record: Mapping, wanted: Mapping[str, str], site: Path, evaluation: str) -> dict:
    """Return the record with only the outputs that are current and whole on disk."""
    outputs, sizes = record["outputs"], record["sizes"]
    good = {
        f: k
        for f, k in outputs.items()
        if wanted.get(f) == k and _size(site / output_path(evaluation, f)) == sizes.get(f)
    }
    return {**record, "outputs": good, "sizes": {f: sizes[f] for f in good}}


def _size(path: Path) -> int:
    """Return a file's size, or -1 when it is not a file."""
    try:
        return path.stat().st_size if path.is_file() else -1
    except OSError:
        return -1


def new_records(plan: Plan, results: Sequence[JobResult]) -> dict[str, dict]:
    """Return the manifest records after a build: reused ones, and those of the jobs just run."""
    assert plan.shared is not None
    records = dict(plan.reused)
    for job, result in zip(plan.jobs, results, strict=True):
        old = plan.kept.get(result.id, {"outputs": {}, "sizes": {}, "links": []})
        made = [] if result.invalid else list(job.formats)
        keys = plan.format_keys[result.id]
        outputs = {} if result.invalid else {**old["outputs"], **{f: keys[f] for f in made}}
        sizes = {f: result.sizes[output_path(result.id, f)] for f in made}
        links = list(job.downloads) if "html" in made else old["links"]
        records[result.id] = {
            "key": plan.keys[result.id],
            "deps": result.deps,
            "deps_key": plan.shared.deps_key(result.deps),
            "diagnostics": diagnostics_to_json(result.diagnostics),
            "summary": result.summary,
            "invalid": result.invalid,
            "outputs": outputs,
            "sizes": {} if result.invalid else {**old["sizes"], **sizes},
            "links": [] if result.invalid else links,
        }
    return records
