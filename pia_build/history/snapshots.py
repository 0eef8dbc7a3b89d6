"""The 変更箇所 history: evaluations compared between versions, item by item.

An evaluation at a revision is read from git (``changes``) into a scratch folder and checked by the
usual stages, so it is bound and its clauses expanded exactly as the build did then. The annex of
an evaluation compares each pair of consecutive published versions, then the last one with the
working tree; ``changes_since`` compares any revision with the working tree for review. Authors'
提出時期 and 説明 come from ``changes.yml`` of the newer side (``submission``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pia_build.check.folder import check_evaluation
from pia_build.check.shapes import Evaluation
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic
from pia_build.history import git as changes
from pia_build.history.itemdiff import diff_evaluations
from pia_build.history.shapes import ChangeRecord
from pia_build.history.submission import apply_submissions, check_records
from pia_build.source.clauses import load_library
from pia_build.source.loader import iter_evaluation_folders, load_evaluation, load_file
from pia_build.source.orgs import load_orgs
from pia_build.source.shapes import Block, Clause, Field
from pia_build.source.submissions import (
    SUBMISSIONS_FILE,
    Submission,
    read_submissions,
    split_submissions,
    timing_options,
)

SHARED = ("content/clauses", "content/orgs")
"""What every evaluation reads besides its own folder."""


@dataclass(frozen=True)
class Snapshot:
    """One evaluation as it was at a revision (or is in the working tree)."""

    evaluation: Evaluation
    """Bound, with clauses expanded."""
    submissions: tuple[Submission, ...]
    """The entries of its changes.yml."""
    library: Mapping[str, Clause]
    """The clause library it was expanded with."""

    @property
    def published(self) -> dt.date | None:
        """Return its 公表日."""
        cover = self.evaluation.part("cover")
        entry = cover.block.entries.get("publication_date") if cover else None
        value = entry.value if isinstance(entry, Field) else None
        return value if isinstance(value, dt.date) else None


def load_snapshots(root: Path, ids: Sequence[str] | None = None) -> dict[str, Snapshot]:
    """Return the evaluations under ``root``/content that can be bound, by id."""
    content = root / "content"
    library, _ = load_library(content, root)
    orgs, _ = load_orgs(content, root)
    snapshots: dict[str, Snapshot] = {}
    for folder in iter_evaluation_folders(content):
        if ids is not None and folder.name not in ids:
            continue
        doc, _ = load_evaluation(folder, root)
        evaluation, _ = check_evaluation(doc, library, orgs)
        if evaluation is not None:
            _, entries, _ = split_submissions(doc, evaluation.form)
            snapshots[folder.name] = Snapshot(evaluation, entries, library)
    return snapshots


def snapshots_at(root: Path, rev: str, ids: Sequence[str] | None = None) -> dict[str, Snapshot]:
    """Return the evaluations as they were at ``rev``, by id."""
    folders = [f"content/evaluations/{i}" for i in ids] if ids is not None else ["content"]
    files = changes.read_files(root, rev, [*folders, *SHARED])
    with tempfile.TemporaryDirectory(prefix="pia-rev-") as scratch:
        base = Path(scratch)
        for path, data in files.items():
            (base / path).parent.mkdir(parents=True, exist_ok=True)
            (base / path).write_bytes(data)
        (base / "content").mkdir(exist_ok=True)
        return load_snapshots(base, ids)


def compare(
    old: Snapshot, new: Snapshot, default_date: dt.date | None, version: str = ""
) -> list[ChangeRecord]:
    """Return the records of what changed from ``old`` to ``new``, with 提出時期 filled in."""
    records = diff_evaluations(old.evaluation, new.evaluation)
    if version:
        records = [_at(r, version) for r in records]
    return apply_submissions(records, new.submissions, new.library, default_date)


def _at(record: ChangeRecord, version: str) -> ChangeRecord:
    """Return the record marked with the published version that brought it."""
    return replace(record, version=version)


def history(config: Config, ids: Sequence[str] | None = None) -> dict[str, list[ChangeRecord]]:
    """Return, per evaluation with published versions, the generated rows of its annex."""
    published = changes.versions(config.root)
    return annex_history(config, {i: v for i, v in published.items() if ids is None or i in ids})


def annex_history(
    config: Config, published: Mapping[str, Sequence[changes.Version]]
) -> dict[str, list[ChangeRecord]]:
    """Return the generated annex rows of each evaluation in ``published`` (id → its versions).

    The build asks for these once, before rendering, for the evaluations it will render.
    """
    work = load_snapshots(config.root, list(published)) if published else {}
    library, _ = load_library(config.content, config.root)
    return {i: annex_rows(config.root, work[i].evaluation, published[i], library) for i in work}


def annex_rows(
    root: Path,
    current: Evaluation,
    versions: Sequence[changes.Version],
    library: Mapping[str, Clause],
) -> list[ChangeRecord]:
    """Return the generated annex rows of an evaluation (none when git cannot be read).

    Consecutive published versions are compared first; then the last one with ``current`` (the
    working tree), whose rows carry no version, and its 公表日 only when that is a new one.
    """
    try:
        loaded = [(v, snapshots_at(root, v.commit, [current.id])) for v in versions]
    except changes.GitError:
        return []
    steps = [(v, s[current.id]) for v, s in loaded if current.id in s]
    records: list[ChangeRecord] = []
    for (_, old), (version, new) in zip(steps, steps[1:], strict=False):
        records += compare(old, new, version.published, version.tag)
    if steps:
        now = Snapshot(current, load_submissions(root, current), library)
        records += compare(steps[-1][1], now, _new_date(steps[-1][0].published, now))
    return records


def load_submissions(root: Path, evaluation: Evaluation) -> tuple[Submission, ...]:
    """Return the entries of an evaluation's changes.yml in the working tree."""
    path = root / evaluation.folder / SUBMISSIONS_FILE
    if not path.is_file():
        return ()
    source, _ = load_file(path, f"{evaluation.folder}/{SUBMISSIONS_FILE}")
    if source is None:
        return ()
    entries, _ = read_submissions(source.tree, timing_options(evaluation.form))
    return tuple(entries)


def _new_date(last: dt.date, current: Snapshot) -> dt.date | None:
    """Return the working tree's 公表日 when it is later than the last published one."""
    published = current.published
    return published if published is not None and published > last else None


def changes_since(
    config: Config, rev: str, ids: Sequence[str] | None = None
) -> tuple[list[ChangeRecord], list[Diagnostic]]:
    """Compare ``rev`` with the working tree; report what lacks 提出時期 or a ※ explanation."""
    base = snapshots_at(config.root, rev, ids)
    work = load_snapshots(config.root, ids)
    records: list[ChangeRecord] = []
    problems: list[Diagnostic] = []
    published = changes.versions(config.root)
    for evaluation, current in sorted(work.items()):
        if evaluation not in base or evaluation not in published:
            continue  # a never-published evaluation has no 変更箇所 yet: nothing to submit
        old = base[evaluation]
        found = compare(old, current, _new_date(old.published or dt.date.min, current))
        folder = current.evaluation.folder
        options = timing_options(current.evaluation.form)
        problems += check_records(found, options, f"{folder}/{SUBMISSIONS_FILE}", rev)
        records += found
    return records, problems


def changes_between(config: Config, rev_a: str, rev_b: str | None) -> list[ChangeRecord]:
    """Return what changed from ``rev_a`` to ``rev_b`` (the working tree when None)."""
    base = snapshots_at(config.root, rev_a)
    head = snapshots_at(config.root, rev_b) if rev_b else load_snapshots(config.root)
    records: list[ChangeRecord] = []
    for evaluation, new in sorted(head.items()):
        old = base.get(evaluation) or _blank(new)  # added on the branch: every item is new
        records += compare(old, new, _new_date(old.published or dt.date.min, new))
    return records


def _blank(snapshot: Snapshot) -> Snapshot:
    """Return the snapshot of the same evaluation with nothing written (what came before it)."""
    parts = tuple(replace(p, block=Block({}, p.block.location)) for p in snapshot.evaluation.parts)
    return Snapshot(replace(snapshot.evaluation, parts=parts), (), snapshot.library)
