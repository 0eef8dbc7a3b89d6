"""Collecting, sorting, counting and formatting diagnostics; strict-mode promotion.

Deciding what is wrong belongs to the stage modules; this module only handles the results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from .model import Diagnostic, Location


def error(code: str, location: Location, message: str) -> Diagnostic:
    """Return an error diagnostic."""
    return Diagnostic(code, "error", location, message)


def warning(code: str, location: Location, message: str) -> Diagnostic:
    """Return a warning diagnostic."""
    return Diagnostic(code, "warning", location, message)


def promote(diagnostics: Iterable[Diagnostic], strict: bool) -> list[Diagnostic]:
    """Return the diagnostics with warnings turned into errors when ``strict`` is set."""
    if not strict:
        return list(diagnostics)
    return [replace(d, severity="error") for d in diagnostics]


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return the diagnostics sorted by path and line, duplicates removed."""
    unique = dict.fromkeys(diagnostics)
    return sorted(unique, key=lambda d: (d.location.path, d.location.line, d.code, d.message))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Return True when any diagnostic is an error."""
    return any(d.severity == "error" for d in diagnostics)


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    """Return one ``path:line: severity[code]: message`` line per diagnostic."""
    return "".join(d.render() + "\n" for d in ordered(diagnostics))


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Return the diagnostics as a JSON array for tools."""
    rows = [
        {
            "path": d.location.path,
            "line": d.location.line,
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
        }
        for d in ordered(diagnostics)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """Return a closing line such as ``2 errors, 1 warning``."""
    items = list(diagnostics)
    errors = sum(d.severity == "error" for d in items)
    warnings = len(items) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
