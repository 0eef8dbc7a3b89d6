"""Open data across the body: a JSON Schema per form, a CSV of every item, an Atom feed.

Each evaluation's own JSON is rendered beside its page (``render.json``); this module writes what
spans evaluations. Everything is deterministic: the feed's dates are 公表日, never the build time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from pia_build.core.wareki import format_wareki, parse_date
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.render.json import SCHEMA_FOLDER, schema_name

CSV_PATH = "data/items.csv"
FEED_PATH = "feed.xml"
FEED_ID = "urn:pia-build:published-versions"
_TEXT: dict[str, object] = {"type": ["string", "null"]}
_PICK = {
    "type": "object",
    "required": ["label"],
    "properties": {
        "label": {"type": "string"},
        "detail": {"type": "string"},
        "count": {"type": "integer"},
    },
    "additionalProperties": False,
}


def leaf_items(items: Sequence[ItemSpec], prefix: str) -> Iterator[tuple[str, ItemSpec]]:
    """Yield (path, item) of every item below ``prefix``, containers included."""
    for spec in items:
        path = f"{prefix}.{spec.key}"
        yield path, spec
        if spec.kind in ("section", "group"):
            yield from leaf_items(spec.children, path)


def value_schema(spec: ItemSpec) -> dict[str, object]:
    """Return the schema of an item's value in the open data."""
    labels = [o.label for o in spec.options]
    pick = {**_PICK, "properties": {**_PICK["properties"], "label": {"enum": labels}}}  # type: ignore[dict-item]
    if spec.kind == "choice":
        return {"anyOf": [{"type": "null"}, pick if labels else _PICK]}
    if spec.kind == "multi":
        return {"anyOf": [{"type": "null"}, {"type": "array", "items": pick}]}
    if spec.kind == "flag":
        return {"type": ["boolean", "null"]}
    if spec.kind == "list":
        strings = {"type": "array", "items": {"type": "string"}}
        return {"anyOf": [{"type": "null"}, strings, {"type": "string"}]}  # string: joined with 、
    if spec.kind == "table":
        columns = [c.label for c in spec.children]
        row = {
            "type": "array",
            "items": {"type": "string"},
            "minItems": len(columns),
            "maxItems": len(columns),
        }
        table = {
            "type": "object",
            "required": ["columns", "rows"],
            "properties": {"columns": {"const": columns}, "rows": {"type": "array", "items": row}},
        }
        return {"anyOf": [{"type": "null"}, table]}
    return _TEXT


def _rule(path: str, spec: ItemSpec) -> dict[str, object]:
    """Return the if/then rule for the entries of one item."""
    if spec.kind in ("section", "group"):
        then: dict[str, object] = {"properties": {"kind": {"enum": ["group", "section"]}}}
    else:
        kinds = [spec.kind, "line"] if spec.kind in ("text", "list") else [spec.kind]
        then = {
            "required": ["value"],
            "properties": {"kind": {"enum": kinds}, "value": value_schema(spec)},
        }
    return {"if": {"properties": {"path": {"const": path}}}, "then": then}


def form_schema(form: FormSpec) -> dict[str, object]:
    """Return the JSON Schema of the open data of evaluations of ``form``."""
    items = [(p, s) for part in form.parts for p, s in leaf_items(part.items, part.key)]
    entry = {
        "type": "object",
        "required": ["anchor", "path", "part", "label", "kind"],
        "properties": {
            "anchor": {"type": "string"},
            "path": {"enum": sorted({p for p, _ in items})},
            "part": {"type": "string"},
            "label": {"type": "string"},
            "kind": {"type": "string"},
            "star": {"const": True},
            "value": {},
            "clauses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "version"],
                    "properties": {
                        "id": {"type": "string"},
                        "version": {"type": "integer", "minimum": 1},
                    },
                },
            },
        },
        "additionalProperties": False,
        "allOf": [_rule(p, s) for p, s in items],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_name(form.source),
        "title": f"{form.title} {form.marker} の項目（オープンデータ）",
        "type": "object",
        "required": ["id", "name", "form", "status", "items"],
        "properties": {
            "$schema": {"type": "string"},
            "id": {"type": "string"},
            "name": {"type": "string"},
            "title": {"const": form.title},
            "form": {
                "type": "object",
                "required": ["id", "edition", "marker"],
                "properties": {
                    "id": {"const": form.id},
                    "edition": {"const": form.edition},
                    "marker": {"const": form.marker},
                },
            },
            "org": {"type": "string"},
            "status": {"enum": ["案", "公表"]},
            "published": {"anyOf": [{"type": "null"}, {"type": "string", "format": "date"}]},
            "items": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
        },
        "$defs": {"entry": entry},
    }


def iter_schemas(forms: Sequence[FormSpec]) -> Iterator[tuple[str, bytes]]:
    """Yield (site path, content) of the JSON Schema of every form."""
    for form in sorted(forms, key=lambda f: f.source):
        text = json.dumps(form_schema(form), ensure_ascii=False, indent=1)
        yield f"{SCHEMA_FOLDER}/{schema_name(form.source)}", (text + "\n").encode("utf-8")


def cell_text(value: object) -> str:
    """Return a value as one CSV cell: options joined by ``、``, table rows by lines."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) and "label" in value:
        return str(value["label"]) + (f"（{value['detail']}）" if value.get("detail") else "")
    if isinstance(value, dict):
        return "\n".join(" | ".join(row) for row in value.get("rows", []))
    if isinstance(value, list):
        return "、".join(cell_text(v) for v in value)
    return str(value)


def items_csv(documents: Sequence[Mapping]) -> bytes:
    """Return every item of every evaluation as CSV (UTF-8 with BOM, for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["評価書", "評価書名", "様式", "様式の版", "anchor", "path", "項目", "※", "値", "標準記載"]
    )
    for doc in documents:
        for item in doc["items"]:
            if "value" not in item:
                continue
            clauses = " ".join(f"{c['id']} v{c['version']}" for c in item.get("clauses", []))
            writer.writerow(
                [doc["id"], doc["name"], doc["form"]["id"], doc["form"]["edition"], item["anchor"],
                 item["path"], item["label"], "※" if item.get("star") else "",
                 cell_text(item["value"]), clauses]
            )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def feed_entries(
    summaries: Sequence[Mapping], published: Mapping[str, Sequence[dt.date]]
) -> list[tuple]:
    """Return (date, evaluation id, name, first?) of every published version, newest first.

    Versions are the evaluation's ``pia publish`` tags, and the 公表日 on its cover when that is
    later (a body that does not tag still announces its new 公表日).
    """
    entries = []
    for summary in summaries:
        dates = set(published.get(summary["id"], ()))
        if summary.get("published") and not summary.get("draft"):
            dates.add(parse_date(summary["published"]))
        for date in sorted(dates):
            entries.append((date, summary["id"], summary["name"], date == min(dates)))
    return sorted(entries, key=lambda e: (e[0], e[1]), reverse=True)


def atom_feed(summaries: Sequence[Mapping], published: Mapping[str, Sequence[dt.date]]) -> bytes:
    """Return the Atom feed of published versions (new evaluations and new 公表日)."""
    entries = feed_entries(summaries, published)
    updated = entries[0][0] if entries else dt.date(1970, 1, 1)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">',
        "<title>特定個人情報保護評価書の公表</title>",
        f"<id>{FEED_ID}</id>",
        f"<updated>{updated.isoformat()}T00:00:00+09:00</updated>",
        '<link rel="self" href="feed.xml"/>',
        '<link rel="alternate" type="text/html" href="index.html"/>',
        "<author><name>評価実施機関</name></author>",
    ]
    for date, evaluation, name, first in entries:
        what = "新規公表" if first else "公表日の更新"
        lines += [
            "<entry>",
            f"<title>{escape(name)}（{what} {format_wareki(date)}）</title>",
            f"<id>urn:pia-build:{escape(evaluation)}:{date.isoformat()}</id>",
            f"<updated>{date.isoformat()}T00:00:00+09:00</updated>",
            f'<link rel="alternate" type="text/html" href={quoteattr(evaluation + "/index.html")}/>',
            f"<summary>{escape(name)}を{format_wareki(date)}に{'公表しました' if first else '更新して公表しました'}。</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
