"""``pia schema``: JSON Schemas of each form's front matter, so editors complete and check choices."""

from __future__ import annotations

import json
from pathlib import Path

from pia_build.building.output import write_atomic
from pia_build.core.labels import without_numbering
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec, ItemSpec, Option

# What core.wareki.parse_date reads (it folds width and drops spaces first): 和暦 and 西暦 with
# 年月日, - / or . (tests/test_doc_codes.py keeps the two in step).
_D = "[0-9０-９]"
_SEP = "(年|[-/.／－．])"
DATE_PATTERN = (
    rf"^[ 　]*((令和|平成|昭和)[ 　]*(元|{_D}+)[ 　]*年[ 　]*{_D}+[ 　]*月[ 　]*{_D}+[ 　]*日"
    rf"|{_D}{{4}}[ 　]*{_SEP}[ 　]*{_D}{{1,2}}[ 　]*(月|[-/.／－．])[ 　]*{_D}{{1,2}}[ 　]*日?)[ 　]*$"
)


def form_schemas(form: FormSpec) -> dict[str, dict]:
    """Return file pattern → JSON Schema of that file's front matter."""
    by_file: dict[str, dict] = {}
    for part in form.parts:
        name = part.file.replace("{n}", "N")
        schema = by_file.setdefault(name, _object((), f"{form.name} {name}"))
        schema["properties"].update(_properties(part.items))
        if len(part.items) == 1:  # a one-item part may be written under the part's own label
            for name in _names(ItemSpec(part.key, part.label, "section")):
                schema["properties"].setdefault(name, item_schema(part.items[0]))
    return by_file


def _object(items: tuple[ItemSpec, ...], title: str = "") -> dict:
    """Return the schema of a mapping of items."""
    schema: dict = {
        "type": "object",
        "properties": _properties(items),
        "additionalProperties": False,
    }
    if title:
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **schema,
        }
    return schema


def _properties(items: tuple[ItemSpec, ...]) -> dict:
    """Return the properties of a mapping: each item under its printed label and its short forms."""
    properties: dict = {}
    for spec in items:
        schema = item_schema(spec)
        for name in _names(spec):
            properties.setdefault(name, schema)
    return properties


def _names(spec: ItemSpec) -> list[str]:
    """Return the printed label first, then the shorter forms authors may write."""
    head = spec.label.replace("：", ":").split(":")[0]
    return list(dict.fromkeys([spec.label, without_numbering(spec.label), head, spec.key]))


def item_schema(spec: ItemSpec) -> dict:
    """Return the JSON Schema of one item's value."""
    described = {
        "description": spec.label
        + (" ※" if spec.star else "")
        + ("" if spec.verified else " (unverified)")
        + (f" — {spec.note}" if spec.note else "")
    }
    if spec.kind == "section":
        return {**described, **_object(spec.children)}
    if spec.kind == "group":
        return {**described, "type": ["array", "null"], "items": _object(spec.children)}
    if spec.kind == "table":
        return {**described, "type": ["array", "null"], "items": _object(spec.children)}
    return {**described, **_leaf(spec)}


def _leaf(spec: ItemSpec) -> dict:
    """Return the schema of a leaf value; null always means "not filled in"."""
    if spec.kind == "choice":
        return {"anyOf": [_option(o) for o in spec.options] + [{"type": "null"}]}
    if spec.kind == "multi":
        return {
            "type": ["array", "null"],
            "items": {"anyOf": [_option(o) for o in spec.options]},
            "uniqueItems": True,
        }
    if spec.kind == "flag":
        return {"type": ["boolean", "null"]}
    if spec.kind == "integer":
        return {"type": ["integer", "null"], "minimum": 0}
    if spec.kind == "list":
        return {"type": ["array", "null"], "items": {"type": "string"}}
    if spec.kind == "date":
        return {"type": ["string", "null"], "pattern": DATE_PATTERN}
    return {"type": ["string", "integer", "null"]}


def _option(option: Option) -> dict:
    """Return the schema of one option: its label, or ``{label: text|count}``."""
    if option.count:
        return {
            "type": "object",
            "properties": {option.label: {"type": "integer"}},
            "required": [option.label],
            "additionalProperties": False,
        }
    if option.detail:
        return {
            "anyOf": [
                {"const": option.label},
                {
                    "type": "object",
                    "properties": {option.label: {"type": "string"}},
                    "additionalProperties": False,
                },
            ]
        }
    return {"const": option.label}


def write_schemas(folder: Path) -> list[Path]:
    """Write ``<form>/<file>.schema.json`` for every form; return the paths."""
    written = []
    for form in builtin_forms().values():
        for name, schema in form_schemas(form).items():
            path = folder / form.id / f"{Path(name).stem}.schema.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            write_atomic(path, text.encode("utf-8"))
            written.append(path)
    return written
