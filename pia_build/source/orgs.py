"""Organisation profiles (``content/orgs/*.yml``): what one body repeats in all its evaluations.

A profile is checked against its schema like an evaluation is: a mapping of text values (each
key once), ``spelling`` a mapping of text to text, ``clause_heading`` text with one ``{}`` where
the clause heading goes. A value of the wrong shape is an error at its line and is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.core.raw import RawMap, RawValue, Scalar
from pia_build.source.loader import load_text, load_yaml

REQUIRED_KEYS = ("団体名", "評価実施機関名")
_TEXT = (str, int, float, dt.date)


def load_orgs(
    content: Path, root: Path
) -> tuple[dict[str, Mapping[str, object]], list[Diagnostic]]:
    """Return every profile keyed by its id (the file name without .yml)."""
    orgs: dict[str, Mapping[str, object]] = {}
    problems: list[Diagnostic] = []
    for path in sorted((content / "orgs").glob("*.yml")):
        rel = path.relative_to(root).as_posix()
        text, found = load_text(path, rel)
        tree, more = load_yaml(text, rel, 1) if text is not None else (None, [])
        problems += found + [_as_org(d) for d in more]
        if tree is None or more:
            continue
        data, found = profile(tree, rel)
        problems += found
        orgs[path.stem] = {**data, "id": path.stem}
    return orgs, problems


def _as_org(problem: Diagnostic) -> Diagnostic:
    """Return a loader problem in a profile's terms."""
    if problem.code == "yaml.structure":
        message = "an org profile must be a mapping of keys to values (団体名: …)"
        return error("org.structure", problem.location, message)
    return problem


def profile(tree: RawMap, rel: str) -> tuple[dict[str, object], list[Diagnostic]]:
    """Return a profile's values, checked: each key once, the right shape, the required keys."""
    data: dict[str, object] = {}
    problems: list[Diagnostic] = []
    for key, where, value in tree.entries:
        if key in data:
            problems.append(error("org.duplicate", where, f"'{key}' is written twice"))
            continue
        checked, message = _value(key, value)
        if message:
            problems.append(error("org.type", value.location, f"'{key}': {message}"))
        else:
            data[key] = checked
    for key in REQUIRED_KEYS:
        if not data.get(key):
            problems.append(error("org.missing", Location(rel, 1), f"the profile needs '{key}'"))
    return data, problems


def _value(key: str, value: RawValue) -> tuple[object, str]:
    """Return (the value, "") or (None, what is wrong with it)."""
    if key == "spelling":
        return _spelling(value)
    if not isinstance(value, Scalar) or not (value.value is None or isinstance(value.value, _TEXT)):
        return None, "must be text, not a list or a mapping"
    if isinstance(value.value, bool):
        return None, "must be text, not true/false"
    text = "" if value.value is None else str(value.value)
    rest = text.replace("{}", "", 1)
    if key == "clause_heading" and ("{}" not in text or "{" in rest or "}" in rest):
        return None, "must be text with one {} where the clause heading goes, and no other { }"
    return (text if key in REQUIRED_KEYS or key == "clause_heading" else value.value), ""


def _spelling(value: RawValue) -> tuple[object, str]:
    """Return the spelling table (canonical → the body's own), or what is wrong with it."""
    if isinstance(value, Scalar) and value.value is None:
        return {}, ""
    if not isinstance(value, RawMap):
        return (
            None,
            "must be a mapping of the standard spelling to this body's (中間サーバー: 中間サーバ)",
        )
    table = {}
    for key, _, entry in value.entries:
        if not isinstance(entry, Scalar) or not isinstance(entry.value, str) or not key:
            return None, f"'{key}' must map to text"
        table[key] = entry.value
    return table, ""


def apply_spelling(text: str, org: Mapping[str, object]) -> str:
    """Return standard text in the body's own spelling (中間サーバー → 中間サーバ …)."""
    spelling = org.get("spelling") or {}
    if not isinstance(spelling, Mapping):
        return text
    for canonical in sorted(spelling, key=len, reverse=True):
        text = text.replace(str(canonical), str(spelling[canonical]))
    return text
