"""AssembledDoc → the evaluation's items as open data (JSON), beside its HTML page.

One entry per printed row of the form, in printed order: its stable anchor, its place in the form
(``path``: the item's keys without row numbers), its label, ※, kind and value, and the standard
clauses it was written with. The file names its form, edition and the JSON Schema it follows
(``site.opendata`` writes one schema per form).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pia_build.assemble.shapes import AssembledDoc, Display, Mark, Row
from pia_build.core.theme import Layouts
from pia_build.core.wareki import parse_date
from pia_build.forms import all_forms
from pia_build.forms.spec import FormSpec

FORMAT = "json"
SCHEMA_FOLDER = "schemas"
"""Site folder of the JSON Schemas, one per form edition."""


def schema_name(form_source: str) -> str:
    """Return the schema file name of a form definition (``focused-r6.yml`` → ``focused-r6``)."""
    return f"{Path(form_source).stem}.schema.json"


def item_path(anchor: str) -> str:
    """Return the form path of an anchor: part key and item keys, without file or row numbers."""
    head, *steps = anchor.split(".")
    return ".".join([head.partition("-")[0], *(s for s in steps if not s.isdigit())])


def value_of(display: Display) -> object:
    """Return a value as data: text, the chosen option(s), a flag, a list or a table."""
    if display.empty and display.kind != "flag":
        return None
    if display.kind == "choice":
        chosen = [m for m in display.marks if m.checked]
        return _pick(chosen[0]) if chosen else {"label": display.selected}
    if display.kind == "multi":
        return [_pick(m) for m in display.marks if m.checked]
    if display.kind == "flag":
        return display.checked
    if display.kind == "list":
        return list(display.items)
    if display.kind == "table":
        return {
            "columns": list(display.columns),
            "rows": [[c.text for c in row] for row in display.rows],
        }
    return display.text


def _pick(mark: Mark) -> dict[str, object]:
    """Return a chosen option: its label, with its ( ) text and ( ) 件 count when given."""
    found: dict[str, object] = {"label": mark.label}
    if mark.detail:
        found["detail"] = mark.detail
    if mark.count is not None:
        found["count"] = mark.count
    return found


def entry(row: Row, part: str, clauses: dict[str, list[dict]]) -> dict[str, object]:
    """Return one printed row as data."""
    found: dict[str, object] = {
        "anchor": row.anchor,
        "path": item_path(row.anchor),
        "part": part,
        "label": row.label,
        "kind": row.kind if row.kind != "item" or row.display is None else row.display.kind,
    }
    if row.star:
        found["star"] = True
    if row.kind == "item" and row.display is not None:
        found["value"] = value_of(row.display)
    if row.anchor in clauses:
        found["clauses"] = clauses[row.anchor]
    return found


def _is_data(row: Row) -> bool:
    """Return False for printed furniture: section headings and range headers (システム2～5)."""
    return row.kind != "section" and not row.anchor.rsplit(".", 1)[-1].startswith("range-")


def document_data(doc: AssembledDoc, form_source: str, edition: str) -> dict[str, object]:
    """Return the evaluation as open data."""
    clauses: dict[str, list[dict]] = defaultdict(list)
    for use in doc.clause_uses:
        clauses[use.item].append({"id": use.clause_id, "version": use.version})
    rows = [entry(r, "cover", clauses) for r in doc.cover if _is_data(r)]
    for part in doc.parts:
        rows += [entry(r, part.anchor, clauses) for r in part.rows if _is_data(r)]
    return {
        "$schema": f"../{SCHEMA_FOLDER}/{schema_name(form_source)}",
        "id": doc.id,
        "name": doc.name,
        "title": doc.title,
        "form": {"id": doc.form_id, "edition": edition, "marker": doc.marker},
        "org": doc.org_name,
        "status": "案" if doc.draft else "公表",
        "published": parse_date(doc.published).isoformat() if doc.published else None,
        "items": rows,
    }


def render(doc: AssembledDoc, layouts: Layouts) -> bytes:
    """Return the JSON of one evaluation (UTF-8, keys in a fixed order)."""
    form = form_of(doc)
    data = document_data(doc, form.source, form.edition)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def form_of(doc: AssembledDoc) -> FormSpec:
    """Return the form edition an evaluation was assembled with (by id and 様式 marker)."""
    forms = [f for f in all_forms() if f.id == doc.form_id]
    same = [f for f in forms if f.edition == doc.edition or (f.marker and f.marker == doc.marker)]
    return (same or [f for f in forms if f.current] or forms)[0]
