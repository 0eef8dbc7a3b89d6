"""Plan a build: fingerprint every evaluation × format and decide which jobs must run.

An evaluation is re-checked when its own inputs changed; a format is re-rendered when its inputs
changed or its file is gone. Everything else is taken from the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pia_build.building.cache import (
    Manifest,
    org_reference,
    referenced_clauses,
)
from pia_build.building.jobs import Job, output_path
from pia_build.core.config import Config
from pia_build.core.filecache import derived, file_digest
from pia_build.core.fingerprint import code_key, digest, files_digest
from pia_build.history.git import Version, versions_key
from pia_build.source.loader import SOURCE_SUFFIXES, is_source

# Tools whose versions decide each format's bytes.
TOOLS = {
    "html": ("Jinja2", "markdown-it-py", "mdit-py-plugins"),
    "pdf": ("typst", "noto-cjk-sans-jp-regular", "noto-cjk-sans-jp-bold"),
    "docx": ("pypandoc-binary",),
}
LAYOUT_GLOBS = {"html": ("*.html",), "pdf": ("pdf/**/*",), "docx": ("docx/**/*",)}


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
    """Evaluation id → manifest record of an evaluation that needs no job."""
    shared_key: str = ""
    """Fingerprint of the clause library and the org profiles."""
    published: dict[str, tuple[Version, ...]] = field(default_factory=dict)
    """Evaluation id → its published versions, for the jobs whose 変更箇所 rows come from them."""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def format_context(
    config: Config, formats: Sequence[str], downloads: Sequence[str]
) -> dict[str, str]:
    """Return, per format, the fingerprint of its layouts, tools and (for HTML) download links."""
    context = {}
    for fmt in formats:
        layouts = [p for g in LAYOUT_GLOBS[fmt] for p in config.layouts.glob(g) if p.is_file()]
        tools = [f"{t}=={_version(t)}" for t in TOOLS[fmt]]
        extra = ",".join(downloads) if fmt == "html" else ""
        context[fmt] = digest([files_digest(layouts, config.layouts), *tools, extra])
    return context


@dataclass(frozen=True)
class ClauseIndex:
    """What fingerprints need of the clause library, read once per build."""

    refs: Mapping[str, list[str]]
    """Clause id → the clause ids its own text references."""
    digests: Mapping[str, str]
    """Clause id → fingerprint of its file."""

    @classmethod
    def read(cls, folder: Path) -> ClauseIndex:
        """Read every clause file under ``folder`` (content/clauses)."""
        refs, digests = {}, {}
        for path in folder.rglob("*.md"):
            clause_id = path.relative_to(folder).with_suffix("").as_posix()
            refs[clause_id] = derived(path, "clauses", _clause_refs)
            digests[clause_id] = file_digest(path)
        return cls(refs, digests)

    def closure(self, texts: Sequence[str]) -> list[str]:
        """Return the ids referenced by ``texts``, following references inside clauses."""
        return self.closure_of(referenced_clauses(texts))

    def closure_of(self, direct: Sequence[str]) -> list[str]:
        """Return ``direct`` clause ids and every id they reference, sorted."""
        seen: set[str] = set()
        pending = list(direct)
        while pending:
            clause_id = pending.pop()
            if clause_id not in seen:
                seen.add(clause_id)
                pending += self.refs.get(clause_id, [])
        return sorted(seen)


def _clause_refs(data: bytes) -> list[str]:
    return referenced_clauses([data.decode("utf-8", "replace")])


def _org_ref(data: bytes) -> str:
    return org_reference(data.decode("utf-8", "replace"))


def evaluation_key(folder: Path, config: Config, clauses: ClauseIndex, strict: bool) -> str:
    """Return the fingerprint of everything one evaluation's check depends on."""
    sources = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix in SOURCE_SUFFIXES and is_source(p.name)
    )
    refs = [c for p in sources for c in derived(p, "clauses", _clause_refs)]
    cover = next((derived(p, "org", _org_ref) for p in sources if p.name == "evaluation.md"), "")
    org_file = config.content / "orgs" / f"{cover}.yml"
    org = [file_digest(org_file)] if cover and org_file.is_file() else []
    used = [f"{c}={clauses.digests.get(c, 'unknown')}" for c in clauses.closure_of(refs)]
    data = [file_digest(p) for p in sources]
    names = [p.name for p in sources]
    return digest([code_key(), str(strict), *names, *data, *org, *used])


def plan_build(
    config: Config,
    folders: Sequence[Path],
    manifest: Manifest,
    formats: Sequence[str],
    downloads: Sequence[str],
    strict: bool,
    versions: Mapping[str, list[Version]] | None = None,
) -> Plan:
    """Return the jobs needed to bring every evaluation's outputs up to date."""
    clauses = ClauseIndex.read(config.content / "clauses")
    orgs = files_digest((config.content / "orgs").glob("*.yml"), config.root)
    shared_key = digest([orgs, *(f"{c}={d}" for c, d in sorted(clauses.digests.items()))])
    context = format_context(config, formats, downloads)
    plan = Plan(shared_key=shared_key)
    site = config.output / "site"
    for folder in folders:
        key = evaluation_key(folder, config, clauses, strict)
        published = tuple((versions or {}).get(folder.name, ()))  # its 変更箇所 rows come from them
        key = digest([key, versions_key(list(published))]) if published else key
        wanted = {fmt: digest([key, context[fmt]]) for fmt in formats}
        plan.keys[folder.name], plan.format_keys[folder.name] = key, wanted
        record = manifest.current(folder.name, key)
        stale = _stale(record, wanted, site, folder.name)
        if record is not None and (record.get("invalid") or not stale):
            plan.reused[folder.name] = record
            continue
        todo = tuple(stale) if record is not None else tuple(formats)
        job = Job(
            str(config.root),
            str(config.layouts),
            str(folder),
            todo,
            tuple(downloads),
            shared_key,
            strict,
        )
        plan.jobs.append(job)
        if published:
            plan.published[folder.name] = published
    return plan


def _stale(
    record: Mapping | None, wanted: Mapping[str, str], site: Path, evaluation: str
) -> list[str]:
    """Return the formats whose recorded fingerprint differs or whose file is missing."""
    if record is None:
        return list(wanted)
    done = record.get("outputs", {})
    return [
        f
        for f, k in wanted.items()
        if done.get(f) != k or not (site / output_path(evaluation, f)).is_file()
    ]
