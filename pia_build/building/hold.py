"""One bad evaluation holds back nothing else: an evaluation with errors keeps its last good outputs.

When an evaluation that was published by an earlier build now has errors, its HTML, PDF and DOCX
from that build stay on the site (they are kept, not pruned) and the home page lists it as not
updated, with its error count. What is held is recorded in ``.pia_build/held.json`` so that it
stays held over later builds until the evaluation is fixed (then it is rendered again) or removed
(then its files go).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from pia_build.building.cache import Manifest
from pia_build.building.jobs import output_path
from pia_build.building.output import OutputWriter

HELD_RECORD = ".pia_build/held.json"
SITE = "site"


def hold_last_good(
    writer: OutputWriter, output: Path, previous: Manifest, records: Mapping[str, dict]
) -> dict[str, dict]:
    """Keep the last good outputs of every evaluation that now has errors; return what is held.

    The result maps evaluation id → {files, summary, errors}: its site files still on disk, the
    summary of the good version they show, and how many errors it has now.
    """
    before = _load(output)
    held: dict[str, dict] = {}
    for evaluation, record in sorted(records.items()):
        if not record.get("invalid"):
            continue
        good = _last_good(evaluation, previous.evaluations.get(evaluation)) or before.get(
            evaluation
        )
        files = [f for f in (good or {}).get("files", []) if (output / SITE / f).is_file()]
        if not good or not files:
            continue
        for name in files:
            writer.keep(f"{SITE}/{name}")
        errors = sum(1 for d in record.get("diagnostics", []) if d.get("severity") == "error")
        held[evaluation] = {"files": files, "summary": good["summary"], "errors": max(errors, 1)}
    writer.write(HELD_RECORD, json.dumps(held, ensure_ascii=False, sort_keys=True).encode())
    return held


def _last_good(evaluation: str, record: Mapping | None) -> dict | None:
    """Return what a valid manifest record published, or None."""
    if (
        not record
        or record.get("invalid")
        or not record.get("outputs")
        or not record.get("summary")
    ):
        return None
    files = [output_path(evaluation, fmt) for fmt in sorted(record["outputs"])]
    return {"files": files, "summary": record["summary"]}


def _load(output: Path) -> dict[str, dict]:
    """Return the held record of the last build ({} when there is none or it is unreadable)."""
    try:
        data = json.loads((output / HELD_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        k: v
        for k, v in data.items()
        if isinstance(v, dict)
        and isinstance(v.get("files"), list)
        and isinstance(v.get("summary"), dict)
    }
