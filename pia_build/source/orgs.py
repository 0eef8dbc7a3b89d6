"""Organisation profiles (``content/orgs/*.yml``): what one body repeats in all its evaluations."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from pia_build.core.diagnostics import Diagnostic, Location, error

REQUIRED_KEYS = ("団体名", "評価実施機関名")


def load_orgs(
    content: Path, root: Path
) -> tuple[dict[str, Mapping[str, object]], list[Diagnostic]]:
    """Return every profile keyed by its id (the file name without .yml)."""
    orgs: dict[str, Mapping[str, object]] = {}
    problems: list[Diagnostic] = []
    for path in sorted((content / "orgs").glob("*.yml")):
        rel = path.relative_to(root).as_posix()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = Location(rel, mark.line + 1 if mark else 1)
            problems.append(error("org.syntax", where, f"the profile cannot be read: {exc}"))
            continue
        missing = [k for k in REQUIRED_KEYS if not data.get(k)]
        for key in missing:
            problems.append(error("org.missing", Location(rel, 1), f"the profile needs '{key}'"))
        orgs[path.stem] = {**data, "id": path.stem}
    return orgs, problems


def apply_spelling(text: str, org: Mapping[str, object]) -> str:
    """Return standard text in the body's own spelling (中間サーバー → 中間サーバ …)."""
    spelling = org.get("spelling") or {}
    assert isinstance(spelling, Mapping)
    for canonical in sorted(spelling, key=len, reverse=True):
        text = text.replace(str(canonical), str(spelling[canonical]))
    return text
