"""``pia clauses``: every clause of the project, where it comes from, and who uses which version.

A clause comes from the package (the standard library shipped with pia) or from the project's
content/clauses; a project clause with a packaged id says which packaged version it overrides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.core.labels import display_width
from pia_build.source.clauses import load_library


@dataclass(frozen=True)
class ClauseEntry:
    """One clause of the library as a project sees it."""

    id: str
    """``<family>/<slug>``."""
    version: int
    """Its latest version (the one evaluations get now)."""
    origin: str
    """``package``, ``project``, or ``project (overrides package v1; package now v2)``."""
    path: str
    """Its file."""
    uses: dict[str, list[int]] = field(default_factory=dict)
    """Evaluation id → the versions it inserts."""


def clause_inventory(config: Config) -> list[ClauseEntry]:
    """Return every clause with its origin, latest version and users, sorted by id."""
    library, _ = load_library(config.content, config.root)
    uses: dict[str, dict[str, set[int]]] = {}
    for evaluation in check(config).evaluations:
        for use in evaluation.clause_uses:
            uses.setdefault(use.clause_id, {}).setdefault(evaluation.id, set()).add(use.version)
    entries = []
    for clause_id, clause in sorted(library.items()):
        origin = clause.origin
        if clause.overrides is not None:
            origin = f"project (overrides package v{clause.overrides}"
            origin += f"; package now v{clause.package_version})" if clause.outdated else ")"
        used = {e: sorted(v) for e, v in sorted(uses.get(clause_id, {}).items())}
        entries.append(ClauseEntry(clause_id, clause.version, origin, clause.location.path, used))
    return entries


HEADINGS = {
    "en": ("clause", "version", "origin", "used by (version)"),
    "ja": ("標準記載", "版", "出所", "使用している評価書（版）"),
}
ORIGINS_JA = (
    ("project (overrides package", "プロジェクト（パッケージの"),
    ("; package now", "を上書き。パッケージは現在"),
    ("package", "パッケージ"),
    ("project", "プロジェクト"),
)


def format_inventory(entries: Sequence[ClauseEntry], lang: str = "en") -> str:
    """Return the inventory as an aligned table, one clause a line, headed in ``lang``."""
    rows = [HEADINGS.get(lang, HEADINGS["en"])]
    for e in entries:
        users = ", ".join(f"{k} (v{'/v'.join(map(str, v))})" for k, v in e.uses.items()) or "-"
        rows.append((e.id, f"v{e.version}", _origin(e.origin, lang), users))
    widths = [max(display_width(r[i]) for r in rows) for i in range(3)]
    lines = [
        "  ".join(c + " " * (w - display_width(c)) for c, w in zip(r[:3], widths, strict=True))
        + "  "
        + r[3]
        for r in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _origin(origin: str, lang: str) -> str:
    """Return where a clause comes from, in ``lang``."""
    if lang != "ja":
        return origin
    for english, japanese in ORIGINS_JA:
        origin = origin.replace(english, japanese)
    return origin
