"""Publish a version of an evaluation: check it strictly, then tag the last commit with its 公表日.

A version is published only when ``pia check --strict`` passes, every change since the last
published version has its 提出時期 (and a ※ change submitted 事後 says why it is not a 重要な変更),
the cover says 状態: 公表 with a 公表日 later than the last version's, and nothing the evaluation
reads is left uncommitted, so the tag names exactly what was checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pia_build.building.build import check
from pia_build.check.shapes import Evaluation
from pia_build.core.config import Config, ConfigError
from pia_build.core.diagnostics import Diagnostic, Location, error, has_errors, promote
from pia_build.core.wareki import format_wareki
from pia_build.history import git as changes
from pia_build.history.snapshots import SHARED, changes_since
from pia_build.source.shapes import Field


@dataclass(frozen=True)
class PublishResult:
    """What ``publish`` did."""

    tag: str = ""
    """The tag of the new version; empty when nothing was published."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem that stood in the way (or warnings, under a successful publication)."""


def publish(config: Config, evaluation_id: str) -> PublishResult:
    """Publish ``evaluation_id`` as a new version when everything checks; else report why not."""
    checked = check(config, strict=True)
    evaluation = next((e for e in checked.evaluations if e.id == evaluation_id), None)
    if evaluation is None:
        raise ConfigError(f"there is no evaluation '{evaluation_id}' in content/evaluations")
    problems = list(checked.diagnostics) + _cover_problems(config, evaluation)
    last = changes.versions(config.root).get(evaluation_id, [])[-1:]
    if last:
        problems += promote(changes_since(config, last[0].tag, [evaluation_id])[1], True)
    if not has_errors(problems):
        problems += _uncommitted(config, evaluation)
    if has_errors(problems):
        return PublishResult("", problems)
    published = _cover_date(evaluation)
    assert published is not None
    message = f"公表日: {format_wareki(published)}\n\n{_cover_text(evaluation, 'report_title')}\n"
    return PublishResult(
        changes.create_tag(config.root, evaluation_id, published, message), problems
    )


def _cover_problems(config: Config, evaluation: Evaluation) -> list[Diagnostic]:
    """Return why the cover does not describe a new published version."""
    where = Location(f"{evaluation.folder}/evaluation.md")
    published = _cover_date(evaluation)
    if _cover_text(evaluation, "status") != "公表" or published is None:
        message = "only a 公表 version is published: set 状態: 公表 and its 公表日 on the cover"
        return [error("changes.unpublished", where, message)]
    last = changes.versions(config.root).get(evaluation.id, [])[-1:]
    if last and published <= last[0].published:
        message = f"公表日 must be later than that of the last published version, {last[0].tag}"
        return [error("changes.publish_date", where, message)]
    return []


def _uncommitted(config: Config, evaluation: Evaluation) -> list[Diagnostic]:
    """Return one error per file the evaluation reads that is not committed."""
    paths = changes.modified(config.root, [evaluation.folder, *SHARED])
    message = (
        "commit this file first: pia publish tags the last commit, which must be what was checked"
    )
    problems = [error("changes.uncommitted", Location(path), message) for path in paths]
    ignored = changes.ignored(config.root, [evaluation.folder, *SHARED])
    message = (
        "git ignores this file, so a clone of the tag would not have it and would not check: "
        "commit it (git add -f) or remove it"
    )
    read = [p for p in ignored if p.endswith((".md", ".yml", ".yaml"))]
    return problems + [error("changes.ignored", Location(path), message) for path in read]


def _cover_text(evaluation: Evaluation, key: str) -> str:
    """Return a cover value as text."""
    value = _cover_value(evaluation, key)
    return getattr(value, "label", None) or ("" if value is None else str(value))


def _cover_date(evaluation: Evaluation) -> dt.date | None:
    """Return the 公表日 on the cover."""
    value = _cover_value(evaluation, "publication_date")
    return value if isinstance(value, dt.date) else None


def _cover_value(evaluation: Evaluation, key: str) -> object:
    """Return a cover item's value (None when not written)."""
    cover = evaluation.part("cover")
    entry = cover.block.entries.get(key) if cover else None
    return entry.value if isinstance(entry, Field) else None
