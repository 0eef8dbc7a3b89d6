"""`pia check` at scale: evaluations checked on the process pool, results kept by content hash.

Every evaluation's diagnostics are recorded under the fingerprint of its own files and pia's code
(``plan.evaluation_key``) and of what its check read (the clauses and org profiles it looked up,
``jobs.Recording``) in ``output/.pia_build/check.json``. The next check re-checks only the
evaluations whose fingerprints changed; the rest are answered from the record. Within one process (``--watch``,
``pia serve``) the fingerprints themselves come from the warm file cache (``core.filecache``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from pia_build.building.cache import diagnostics_from_json, diagnostics_to_json
from pia_build.building.executors import Executor, SerialExecutor
from pia_build.building.jobs import Recording, recorded_deps
from pia_build.building.output import write_atomic
from pia_build.building.plan import Shared, evaluation_key
from pia_build.check.folder import check_folder
from pia_build.check.link import check_links, link_facts
from pia_build.core.config import Config, ConfigError
from pia_build.core.diagnostics import FORMATTERS, Diagnostic, has_errors, promote
from pia_build.core.i18n import Language, say
from pia_build.core.labels import did_you_mean
from pia_build.forms import builtin_forms
from pia_build.site.watch import run_build, watch
from pia_build.source.clauses import load_library
from pia_build.source.loader import folder_problems, iter_evaluation_folders
from pia_build.source.orgs import load_orgs
from pia_build.source.shapes import Clause

CHECK_RECORD = ".pia_build/check.json"
"""Evaluation id → {key, diagnostics} of the last check (inside output/)."""
RECORD_VERSION = 2


@dataclass(frozen=True)
class CheckJob:
    """Check one evaluation folder (a plain value, so a worker process can run it)."""

    root: str
    folder: str
    shared_key: str
    strict: bool


@lru_cache(maxsize=4)
def shared_sources(
    root: str, shared_key: str
) -> tuple[dict[str, Clause], dict[str, Mapping[str, object]], list[Diagnostic]]:
    """Return the clause library, the org profiles and their problems, read once per key."""
    base = Path(root)
    library, problems = load_library(base / "content", base)
    orgs, found = load_orgs(base / "content", base)
    return library, orgs, problems + found


def shared_fingerprint(config: Config) -> str:
    """Return the fingerprint of the clause library and the org profiles (from warm file facts)."""
    return Shared.read(config.content).key()


def run_check_job(job: CheckJob) -> tuple[dict, dict[str, list[str]]]:
    """Check one evaluation; return its diagnostics (JSON-ready rows), link facts, what it read."""
    clauses, profiles, _ = shared_sources(job.root, job.shared_key)
    library, orgs = Recording(clauses), Recording(profiles)
    _, evaluation, problems = check_folder(
        Path(job.folder), Path(job.root), library, orgs, job.strict
    )
    facts = link_facts(evaluation) if evaluation is not None else {}
    done = {"diagnostics": diagnostics_to_json(problems), "link": facts}
    return done, recorded_deps(library, orgs)


class UnknownEvaluation(ConfigError):
    """An evaluation named on the command line does not exist."""


def selected_folders(config: Config, only: Sequence[str] = ()) -> list[Path]:
    """Return the evaluation folders, or only the named ones (UnknownEvaluation if one is not)."""
    folders = iter_evaluation_folders(config.content)
    names = [f.name for f in folders]
    for wanted in only:
        if wanted not in names:
            hint = did_you_mean(wanted, names)
            raise UnknownEvaluation(
                f"there is no evaluation '{wanted}' in content/evaluations{hint}"
            )
    return [f for f in folders if not only or f.name in only]


def check_sources(
    config: Config,
    strict: bool = False,
    executor: Executor | None = None,
    keep: bool = True,
    only: Sequence[str] = (),
) -> list[Diagnostic]:
    """Check content/ and return every problem, re-checking only evaluations that changed.

    With ``keep=False`` nothing is read from or written to the record (a cold check). With
    ``only``, check those evaluations (and the shared clauses and profiles), nothing else.
    """
    shared = Shared.read(config.content)
    shared_key = shared.key()
    builtin_forms()  # loaded here, so workers forked from this process have them
    _, _, problems = shared_sources(str(config.root), shared_key)
    problems = problems + folder_problems(config.content, config.root)
    everything = iter_evaluation_folders(config.content)
    folders = selected_folders(config, only)
    keys = {f.name: evaluation_key(f, strict) for f in folders}
    record = load_check_record(config.output) if keep else {}
    todo = [f for f in folders if not _current(record.get(f.name), keys[f.name], shared)]
    jobs = [CheckJob(str(config.root), str(f), shared_key, strict) for f in todo]
    ran = executor or SerialExecutor()
    for folder, (rows, deps) in zip(todo, ran.map(run_check_job, jobs), strict=True):
        entry = {"key": keys[folder.name], "deps": deps, "deps_key": shared.deps_key(deps)}
        record[folder.name] = {**entry, **rows}
    record = {f.name: record[f.name] for f in everything if f.name in record}
    if keep:
        save_check_record(config.output, record)
    mine = [d for f in folders for d in diagnostics_from_json(record[f.name]["diagnostics"])]
    links = check_links(entry.get("link") or {"form": ""} for entry in record.values())
    return promote(problems, strict) + mine + promote(_of(links, folders, config), strict)


def _of(found: list[Diagnostic], folders: Sequence[Path], config: Config) -> list[Diagnostic]:
    """Return the diagnostics that lie in the checked folders."""
    prefixes = tuple(f"{f.relative_to(config.root).as_posix()}/" for f in folders)
    return [d for d in found if d.location.path.startswith(prefixes)]


def _current(entry: dict | None, key: str, shared: Shared) -> bool:
    """Return True when a record entry was made from the same files and what it read."""
    return (
        entry is not None
        and entry["key"] == key
        and entry["deps_key"] == shared.deps_key(entry["deps"])
    )


def load_check_record(output: Path) -> dict[str, dict]:
    """Return the last check's record, or {} when it is missing or unreadable."""
    try:
        data = json.loads((output / CHECK_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("version") == RECORD_VERSION
    entries = data.get("evaluations") if ok else None
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if _well_formed(v)}


def _well_formed(entry: object) -> bool:
    """Return True for a record entry that can be trusted as it is."""
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        return False
    deps = entry.get("deps")
    if not isinstance(entry.get("deps_key"), str) or not isinstance(deps, dict):
        return False
    if not all(isinstance(deps.get(k), list) for k in ("clauses", "orgs", "all")):
        return False
    rows = entry.get("diagnostics")
    fields = {"code", "severity", "path", "line", "message"}
    return isinstance(rows, list) and all(isinstance(r, dict) and fields <= r.keys() for r in rows)


def save_check_record(output: Path, record: dict[str, dict]) -> None:
    """Write the record atomically (deterministic JSON)."""
    target = output / CHECK_RECORD
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": RECORD_VERSION, "evaluations": record}
    write_atomic(target, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


@dataclass(frozen=True)
class Checked:
    """One check's problems (what ``watch`` reports)."""

    diagnostics: list[Diagnostic]


WATCH_DEBOUNCE = 0.05
WATCHING = "pia check: watching content/ (Ctrl-C stops)"
"""Seconds of quiet before checking again: enough to see an editor's save as one change."""


def watch_check(
    config: Config, strict: bool, fmt: str, executor: Executor, lang: Language = "en"
) -> int:
    """``pia check --watch``: check now, then after every change, until Ctrl-C.

    Each round starts with a ``pia check: checking`` line and ends with ``pia: check done in …``
    (or ``failed``), the markers an editor's background problem matcher waits for.
    """
    render = partial(FORMATTERS[fmt], lang=lang)  # the markers: tasks.json matches both languages

    def once(config: Config) -> Checked:
        print(say("pia check: checking", lang), flush=True)
        return Checked(check_sources(config, strict, executor))

    first = run_build(config, once, sys.stdout, "check", render, lang)
    executor = SerialExecutor()  # later rounds re-check one or two evaluations: stay warm here
    ready = lambda: print(say(WATCHING, lang), flush=True)  # noqa: E731
    watch(
        config,
        once,
        WATCH_DEBOUNCE,
        on_ready=ready,
        out=sys.stdout,
        label="check",
        render=render,
        lang=lang,
    )
    return 1 if first is None or has_errors(first.diagnostics) else 0
