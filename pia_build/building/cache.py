"""The build manifest: what each output was made from, so unchanged work is skipped.

For every evaluation the manifest keeps the fingerprint of its own files (and pia's code), the
dependencies the last check actually read (clause ids and org ids looked up, whether it listed
all of them) with their fingerprint, its diagnostics and a summary for the site pages; for every
output format, the fingerprint of that format's inputs and the size of the file written. A file
is rebuilt when any of these differ. A manifest, or a record in it, that does not have the shape
written here is discarded with a message, never trusted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pia_build.core.diagnostics import Diagnostic, Location

MANIFEST = ".pia_build/manifest.json"
SEARCH_RECORD = ".pia_build/search.json"
"""What the search index was made from, and its files (kept when nothing it indexes changed)."""
SITE_RECORD = ".pia_build/site.json"
"""The fingerprint of what the site-wide pages show, and their files (kept when unchanged)."""
FORMAT_VERSION = 2
_DIAGNOSTIC = {"code": str, "severity": str, "path": str, "line": int, "message": str}
_SUMMARY = {
    "id": str,
    "title": str,
    "name": str,
    "marker": str,
    "form_id": str,
    "clause_uses": list,
}


@dataclass
class Manifest:
    """The recorded state of the last build."""

    evaluations: dict[str, dict] = field(default_factory=dict)
    """Evaluation id → {key, deps, deps_key, diagnostics, summary, invalid, outputs: {format:
    key}, sizes: {format: bytes}, links}."""
    message: str = ""
    """Why a previous manifest was discarded, if it was."""

    def current(self, evaluation: str, key: str) -> dict | None:
        """Return the record of an evaluation whose inputs are unchanged, else None."""
        record = self.evaluations.get(evaluation)
        return record if record and record.get("key") == key else None


def load_manifest(output: Path) -> Manifest:
    """Read the manifest; a missing one is empty, an unreadable one is discarded with a message.

    Records of the wrong shape (edited by hand, written by another version) are dropped, so
    those evaluations are built again.
    """
    path = output / MANIFEST
    try:
        if not path.is_file():
            return Manifest()
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != FORMAT_VERSION or not isinstance(data.get("evaluations"), dict):
            raise ValueError("unknown manifest version")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError) as exc:
        return Manifest(
            message=f"the build manifest {path} could not be read ({exc}); building everything"
        )
    records = data["evaluations"]
    good = {k: r for k, r in records.items() if valid_record(r)}
    bad = sorted(set(records) - set(good))
    message = (
        f"the build manifest {path} has damaged records for {', '.join(bad)}; building them again"
    )
    return Manifest(good, message if bad else "")


def valid_record(record: object) -> bool:
    """Return True when a manifest record has the shape ``build`` writes, consistently."""
    if not isinstance(record, dict) or not _typed(record, {"key": str, "deps_key": str}):
        return False
    deps, outputs, sizes = record.get("deps"), record.get("outputs"), record.get("sizes")
    if not (
        isinstance(deps, dict) and all(_strings(deps.get(k)) for k in ("clauses", "orgs", "all"))
    ):
        return False
    if not (_str_map(outputs, str) and _str_map(sizes, int) and _strings(record.get("links"))):
        return False
    rows = record.get("diagnostics")
    if not isinstance(rows, list) or not all(_typed(r, _DIAGNOSTIC) for r in rows):
        return False
    summary, invalid = record.get("summary"), record.get("invalid")
    errors = any(r["severity"] == "error" for r in rows)
    if not isinstance(invalid, bool) or invalid != (errors or summary is None):
        return False
    return summary is None or (_typed(summary, _SUMMARY) and not (invalid and outputs))


def _typed(value: object, shape: Mapping[str, type]) -> bool:
    """Return True when ``value`` is a dict whose keys in ``shape`` have those types."""
    return isinstance(value, dict) and all(
        isinstance(value.get(k), t) and not (t is int and isinstance(value.get(k), bool))
        for k, t in shape.items()
    )


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _str_map(value: object, kind: type) -> bool:
    return isinstance(value, dict) and all(isinstance(v, kind) for v in value.values())


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


def dump_record(key: str, files: list[str], sizes: list[int] | None = None) -> bytes:
    """Return a record of generated files (and their sizes, when known) as deterministic JSON."""
    data: dict[str, object] = {"key": key, "files": files}
    if sizes is not None:
        data["sizes"] = sizes
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def whole(folder: Path, record: Mapping) -> bool:
    """Return True when every file of a record is on disk with the size it was written with.

    A record without sizes (written by the preview) asks only that no file is empty.
    """
    sizes = record.get("sizes")
    files = record["files"]
    if not (isinstance(sizes, list) and len(sizes) == len(files)):
        sizes = [None] * len(files)
    for name, size in zip(files, sizes, strict=True):
        path = folder / str(name)
        try:
            actual = path.stat().st_size if path.is_file() else -1
        except (OSError, ValueError):
            return False
        if actual != size and not (size is None and actual > 0):
            return False
    return True
