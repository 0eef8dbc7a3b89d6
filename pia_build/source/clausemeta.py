"""The schema of a clause file's front matter: each key once, each value of its shape.

A value of the wrong shape (``version: abc``, ``params:`` as a list, ``items: 5``) is an error at
its line and falls back to the default, so one bad clause file never stops a build with a
traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pia_build.core.diagnostics import Diagnostic, error
from pia_build.core.raw import RawList, RawMap, RawValue, Scalar

TEXT_KEYS = ("id", "family", "title", "heading")


def plain(value: RawValue) -> Any:
    """Return a Raw value as plain Python data."""
    if isinstance(value, RawMap):
        return {k: plain(v) for k, _, v in value.entries}
    if isinstance(value, RawList):
        return [plain(v) for v in value.items]
    return value.value


def clause_meta(tree: RawMap) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Return the clause metadata that has the right shape, and an error for each that has not."""
    meta: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for key, where, value in tree.entries:
        if key in meta:
            problems.append(error("clause.duplicate", where, f"'{key}' is written twice"))
            continue
        check = _CHECKS.get(key)
        wrong = check(value) if check else ""
        if wrong:
            problems.append(error("clause.type", value.location, f"'{key}' {wrong}"))
        else:
            meta[key] = plain(value)
    return meta, problems


def _text(value: RawValue) -> str:
    ok = isinstance(value, Scalar) and isinstance(value.value, str | int | float | type(None))
    return "" if ok and not isinstance(value.value, bool) else "must be text"  # type: ignore[union-attr]


def _version(value: RawValue) -> str:
    number = value.value if isinstance(value, Scalar) else None
    good = isinstance(number, int) and not isinstance(number, bool) and number >= 1
    return "" if good else "must be a whole number from 1 (version: 2)"


def _versions(value: RawValue) -> str:
    if not isinstance(value, RawList) or not all(isinstance(v, RawMap) for v in value.items):
        return "must be a list of mappings (- version: 1 / date: … / note: …)"
    for entry in value.items:
        number = dict((k, v) for k, _, v in entry.entries).get("version")  # type: ignore[union-attr]
        if number is not None and _version(number):
            return "has a version that is not a whole number from 1"
    return ""


def _params(value: RawValue) -> str:
    if isinstance(value, Scalar) and value.value is None:
        return ""
    if not isinstance(value, RawMap):
        return "must be a mapping of parameter names (name: {default: …, choices: [...]})"
    for name, _, spec in value.entries:
        if isinstance(spec, RawList):
            return f"parameter '{name}' must be a default value or a mapping, not a list"
        if isinstance(spec, RawMap):
            fields = {k: v for k, _, v in spec.entries}
            choices = fields.get("choices")
            if choices is not None and not (
                isinstance(choices, RawList) and all(isinstance(c, Scalar) for c in choices.items)
            ):
                return f"parameter '{name}': choices must be a list of values"
            if isinstance(fields.get("default"), RawMap | RawList):
                return f"parameter '{name}': default must be one value"
    return ""


def _items(value: RawValue) -> str:
    if isinstance(value, Scalar) and value.value is None:
        return ""
    if not isinstance(value, RawMap) or any(_text(v) for _, _, v in value.entries):
        return "must be a mapping of form ids to item names (focused: III-9 …)"
    return ""


_CHECKS: dict[str, Callable[[RawValue], str]] = {
    **{k: _text for k in TEXT_KEYS},
    "version": _version,
    "versions": _versions,
    "params": _params,
    "items": _items,
}
