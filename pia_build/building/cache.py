"""The build manifest: what each output was made from, so unchanged work is skipped.

For every evaluation the manifest keeps the fingerprint of its inputs (its files, the clause
files it references, its org profile, the form definitions, pia's own code), its diagnostics and
a summary for the site pages; for every output format, the fingerprint of that format's inputs
(the evaluation fingerprint, the format's layouts, the tool versions). A file is rebuilt when any
of these differ. A manifest that cannot be read is discarded with a message, never trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pia_build.core.diagnostics import Diagnostic, Location

MANIFEST = ".pia_build/manifest.json"
SEARCH_RECORD = ".pia_build/search.json"
"""Which pages the search index was made from, and its files (kept when no page changed)."""
SITE_RECORD = ".pia_build/site.json"
"""The fingerprint of what the site-wide pages show, and their files (kept when unchanged)."""
FORMAT_VERSION = 1
_CLAUSE_REF = re.compile(r"""clause\(\s*["']([^"']+)["']""")
_ORG_REF = re.compile(r"^(?:評価実施機関|org)\s*:\s*(\S+)\s*$", re.MULTILINE)


def referenced_clauses(texts: Iterable[str]) -> list[str]:
    """Return the clause ids that ``texts`` reference directly (see ``plan.ClauseIndex.closure``)."""
    return [m for text in texts for m in _CLAUSE_REF.findall(text)]


def org_reference(cover_text: str) -> str:
    """Return the org id written on the cover (評価実施機関: …), or an empty string."""
    match = _ORG_REF.search(cover_text)
    return match.group(1) if match else ""


@dataclass
class Manifest:
    """The recorded state of the last build."""

    evaluations: dict[str, dict] = field(default_factory=dict)
    """Evaluation id → {key, diagnostics, summary, outputs: {format: key}}."""
    message: str = ""
    """Why a previous manifest was discarded, if it was."""

    def current(self, evaluation: str, key: str) -> dict | None:
        """Return the record of an evaluation whose inputs are unchanged, else None."""
        record = self.evaluations.get(evaluation)
        return record if record and record.get("key") == key else None


def load_manifest(output: Path) -> Manifest:
    """Read the manifest; a missing one is empty, an unreadable one is discarded with a message."""
    path = output / MANIFEST
    if not path.is_file():
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION or not isinstance(data.get("evaluations"), dict):
            raise ValueError("unknown manifest version")
        return Manifest(data["evaluations"])
    except (ValueError, UnicodeDecodeError, AttributeError) as exc:
        return Manifest(
            message=f"the build manifest {path} could not be read ({exc}); building everything"
        )


def dump_manifest(manifest: Manifest) -> bytes:
    """Return the manifest as deterministic JSON."""
    data = {"version": FORMAT_VERSION, "evaluations": manifest.evaluations}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def diagnostics_to_json(diagnostics: Iterable[Diagnostic]) -> list[dict]:
    """Return diagnostics as JSON-ready mappings."""
    return [
        {
            "code": d.code,
            "severity": d.severity,
            "path": d.location.path,
            "line": d.location.line,
            "message": d.message,
        }
        for d in diagnostics
    ]


def diagnostics_from_json(rows: Iterable[Mapping]) -> list[Diagnostic]:
    """Return the diagnostics recorded by ``diagnostics_to_json``."""
    return [
        Diagnostic(r["code"], r["severity"], Location(r["path"], r["line"]), r["message"])
        for r in rows
    ]


def load_record(output: Path, name: str) -> dict:
    """Return a record of generated files ({key, files}), or {} when missing or unreadable."""
    try:
        data = json.loads((output / name).read_text(encoding="utf-8"))
        return (
            data if isinstance(data.get("key"), str) and isinstance(data.get("files"), list) else {}
        )
    except (OSError, ValueError, AttributeError):
        return {}


def dump_record(key: str, files: list[str]) -> bytes:
    """Return a record of generated files as deterministic JSON."""
    return (json.dumps({"key": key, "files": files}, ensure_ascii=False, indent=1) + "\n").encode()
