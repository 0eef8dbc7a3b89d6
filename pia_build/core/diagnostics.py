"""Collecting, sorting, counting and formatting diagnostics; strict-mode promotion.

Deciding what is wrong belongs to the stage modules; this module only handles the results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from pia_build.core.i18n import Language, message, say

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file."""

    path: str
    """Path relative to the project root, with forward slashes."""
    line: int = 0
    """1-based line number; 0 means the file as a whole."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the sources, written for the author."""

    code: str
    """Stable identifier such as ``form.choice``; tests and tools match on it."""
    severity: Severity
    """``error`` fails the run; ``warning`` fails it only under ``--strict``."""
    location: Location
    """Where the author should look."""
    message: str
    """The explanation, in the author's terms (printed labels, option texts)."""

    def render(self, lang: Language = "en") -> str:
        """Return the one-line ``path:line: severity[code]: message`` form in ``lang``."""
        return f"{self.location}: {self.severity}[{self.code}]: {self.text(lang)}"

    def text(self, lang: Language = "en") -> str:
        """Return the message in ``lang`` (the code and the place never change)."""
        return message(self.code, self.message, lang)


# --------------------------------------------------------------------------- forms


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


def format_text(diagnostics: Iterable[Diagnostic], lang: Language = "en") -> str:
    """Return one ``path:line: severity[code]: message`` line per diagnostic."""
    return "".join(d.render(lang) + "\n" for d in ordered(diagnostics))


def format_gcc(diagnostics: Iterable[Diagnostic], lang: Language = "en") -> str:
    """Return one ``file:line:column: severity: message [code]`` line per problem.

    The shape compilers print, which editors' problem matchers (VS Code's ``$gcc``, Emacs'
    compilation mode, Vim's default ``errorformat``) read without configuration.
    """
    return "".join(
        f"{d.location.path}:{max(d.location.line, 1)}:1: {d.severity}: {d.text(lang)} [{d.code}]\n"
        for d in ordered(diagnostics)
    )


def format_json(diagnostics: Iterable[Diagnostic], lang: Language = "en") -> str:
    """Return the diagnostics as a JSON array for tools."""
    rows = [
        {
            "path": d.location.path,
            "line": d.location.line,
            "severity": d.severity,
            "code": d.code,
            "message": d.text(lang),
        }
        for d in ordered(diagnostics)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def summary(diagnostics: Iterable[Diagnostic], lang: Language = "en") -> str:
    """Return a closing line such as ``2 errors, 1 warning``."""
    items = list(diagnostics)
    errors = sum(d.severity == "error" for d in items)
    warnings = len(items) - errors
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return say(text, lang)


FORMATTERS = {"text": format_text, "json": format_json, "gcc": format_gcc}
"""``--format`` name → formatter."""
