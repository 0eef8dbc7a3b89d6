"""Sanity checks for the official form definitions in pia_build/forms/ (every form).

The schema of docs/forms.md, unique keys, known kinds, resolvable `choices`, `when`, `rows_of`,
`option_rows`, `star_except` and `threshold` references. The definitions are read with PyYAML
only (tests/formdefs.py). To add a form, append its file stem to FORMS in tests/formdefs.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from formdefs import (
    CHOICE_KINDS,
    COLUMN_FIELDS,
    COLUMN_KINDS,
    CONTAINER_KINDS,
    FORMS,
    ITEM_FIELDS,
    KEY_RE,
    KINDS,
    OPTION_FIELDS,
    PART_FIELDS,
    THRESHOLD_FIELDS,
    TOP_FIELDS,
    WHEN_OPS,
    all_items,
    load_form,
    norm,
    option_labels,
    resolve,
    resolve_from_root,
)


@pytest.mark.parametrize("form_id", FORMS)
def test_top_level(form_id: str) -> None:
    form = load_form(form_id)
    optional = {"agree", "marker", "superseded"}
    assert TOP_FIELDS - optional <= set(form) <= TOP_FIELDS, (
        f"fields: {sorted(set(form) ^ TOP_FIELDS)}"
    )
    assert form_id.startswith(form["id"] + "-")
    assert isinstance(form["number"], int)
    assert set(form["threshold"]) == THRESHOLD_FIELDS
    assert form["parts"][0]["key"] == "cover" and form["parts"][0]["file"] == "evaluation.md"


@pytest.mark.parametrize("form_id", FORMS)
def test_parts(form_id: str) -> None:
    form = load_form(form_id)
    keys = [part["key"] for part in form["parts"]]
    assert len(keys) == len(set(keys)), f"duplicate part keys: {keys}"
    for part in form["parts"]:
        where = f"part {part.get('key')}"
        assert set(part) <= PART_FIELDS, f"{where}: unknown fields {set(part) - PART_FIELDS}"
        assert KEY_RE.match(part["key"]) and part["label"] and part["items"], where
        assert re.fullmatch(r"[0-9a-z-]+(\{n\})?[0-9a-z-]*\.(md|yml)", part["file"]), where
        assert bool(part.get("per_file")) == ("{n}" in part["file"]), f"{where}: per_file vs {{n}}"
        if part.get("star_except"):
            assert part.get("star"), f"{where}: star_except without star"
            for path in part["star_except"]:
                assert resolve((part,), path) is not None, f"{where}: star_except {path!r}"


@pytest.mark.parametrize("form_id", FORMS)
def test_parts_sharing_a_file(form_id: str) -> None:
    """Parts in one source file are addressed together, so their top items must not collide."""
    form = load_form(form_id)
    by_file: dict[str, list[dict[str, Any]]] = {}
    for part in form["parts"]:
        by_file.setdefault(part["file"], []).extend(part["items"])
    for file, items in by_file.items():
        keys = [item["key"] for item in items]
        labels = [norm(item["label"]) for item in items]
        assert len(keys) == len(set(keys)), f"{file}: duplicate keys {keys}"
        assert len(labels) == len(set(labels)), f"{file}: duplicate labels {labels}"


@pytest.mark.parametrize("form_id", FORMS)
def test_items(form_id: str) -> None:
    form = load_form(form_id)
    siblings: list[list[dict[str, Any]]] = [p["items"] for p in form["parts"]]
    siblings += [
        item["items"] for item, _ in all_items(form) if item.get("kind") in CONTAINER_KINDS
    ]
    for group in siblings:
        # labels may repeat among siblings (全項目 Ⅲ-3 prints 具体的な管理方法 three times)
        keys = [item.get("key") for item in group]
        assert len(keys) == len(set(keys)), f"duplicate sibling keys: {keys}"
    for item, chain in all_items(form):
        where = "/".join(node["key"] for node in (*chain, item))
        assert set(item) <= ITEM_FIELDS, f"{where}: unknown fields {set(item) - ITEM_FIELDS}"
        assert isinstance(item.get("key"), str) and KEY_RE.match(item["key"]), where
        assert isinstance(item.get("label"), str) and item["label"].strip(), where
        kind = item.get("kind")
        assert kind in KINDS, f"{where}: kind {kind!r}"
        # a section may be a bare heading row (empty items); a group needs its row items
        assert ("items" in item) == (kind in CONTAINER_KINDS), f"{where}: items vs kind"
        assert isinstance(item.get("items", []), list), f"{where}: items is not a list"
        assert kind != "group" or item["items"], f"{where}: a group without items"
        assert ("choices" in item) == (kind in CHOICE_KINDS), f"{where}: choices vs kind"
        if kind in CHOICE_KINDS:
            assert item["choices"] in form["choices"], (
                f"{where}: no choice list {item['choices']!r}"
            )
        if kind in CONTAINER_KINDS:
            assert "optional" not in item, f"{where}: optional on a {kind}"
        assert ("item_label" in item) == (kind == "group"), f"{where}: item_label vs kind"
        if kind == "group":
            assert "{n}" in item["item_label"], where
            assert item.get("min", 0) <= item.get("max", item.get("min", 0)), where
        assert ("columns" in item) == (kind == "table"), f"{where}: columns vs kind"
        if item.get("verified") is False:
            assert item.get("note"), f"{where}: verified: false without a note"
        for field in ("star", "optional", "print", "verified"):
            assert isinstance(item.get(field, False), bool), f"{where}: {field} is not a bool"


@pytest.mark.parametrize("form_id", FORMS)
def test_table_columns(form_id: str) -> None:
    form = load_form(form_id)
    for item, _ in all_items(form):
        if item.get("kind") != "table":
            continue
        keys = [column["key"] for column in item["columns"]]
        assert len(keys) == len(set(keys)), f"{item['key']}: duplicate column keys"
        for column in item["columns"]:
            assert set(column) <= COLUMN_FIELDS, f"{item['key']}: {set(column) - COLUMN_FIELDS}"
            assert column["kind"] in COLUMN_KINDS, f"{item['key']}.{column['key']}"
            assert ("choices" in column) == (column["kind"] in CHOICE_KINDS), column["key"]
            if "choices" in column:
                assert column["choices"] in form["choices"], column["key"]


@pytest.mark.parametrize("form_id", FORMS)
def test_choice_lists(form_id: str) -> None:
    form = load_form(form_id)
    used = {item["choices"] for item, _ in all_items(form) if "choices" in item}
    used |= {
        c["choices"]
        for item, _ in all_items(form)
        for c in item.get("columns") or []
        if "choices" in c
    }
    assert used == set(form["choices"]), (
        f"unused or missing lists: {sorted(used ^ set(form['choices']))}"
    )
    for name, options in form["choices"].items():
        assert options, f"{name}: empty list"
        labels = option_labels(form, name)
        assert all(isinstance(label, str) and label for label in labels), f"{name}: {labels}"
        assert len(labels) == len(set(labels)), f"{name}: duplicate options"
        for option in options:
            if isinstance(option, dict):
                assert set(option) <= OPTION_FIELDS, f"{name}: {set(option) - OPTION_FIELDS}"
                if option.get("verified") is False:
                    assert option.get("note"), (
                        f"{name}: {option['label']} verified: false without a note"
                    )


@pytest.mark.parametrize("form_id", FORMS)
def test_conditions_resolve(form_id: str) -> None:
    form = load_form(form_id)
    for item, chain in all_items(form):
        where = "/".join(node["key"] for node in (*chain, item))
        when = item.get("when")
        if when is not None:
            assert set(when) - {"item"} <= WHEN_OPS and len(when) == 2, f"{where}: when {when}"
            target = resolve(chain, when["item"])
            assert target is not None, f"{where}: when.item {when['item']!r} does not resolve"
            ((op, value),) = ((k, v) for k, v in when.items() if k != "item")
            kind = target["kind"]
            if kind == "flag":
                assert op in {"equals", "not_equals"} and isinstance(value, bool), where
            elif kind == "choice":
                assert op in {"equals", "not_equals"}, where
                assert value in option_labels(form, target["choices"]), f"{where}: {value!r}"
            elif kind == "multi":
                assert op == "includes", where
                assert value in option_labels(form, target["choices"]), f"{where}: {value!r}"
            else:
                pytest.fail(f"{where}: condition on a {kind}")
        if "rows_of" in item:
            assert item["kind"] == "integer", where
            group = resolve(chain, item["rows_of"])
            assert group is not None and group["kind"] == "group", f"{where}: rows_of"
        if "option_rows" in item:
            assert item["kind"] == "multi", where
            options = {
                o["label"]: o for o in form["choices"][item["choices"]] if isinstance(o, dict)
            }
            for label, path in item["option_rows"].items():
                assert options.get(label, {}).get("count"), (
                    f"{where}: {label} is not a count option"
                )
                group = resolve(chain, path)
                assert group is not None and group["kind"] == "group", (
                    f"{where}: option_rows {path}"
                )


@pytest.mark.parametrize("form_id", FORMS)
def test_threshold_block(form_id: str) -> None:
    form = load_form(form_id)
    for name, path in form["threshold"].items():
        item = resolve_from_root(form, path)
        assert item is not None, f"threshold.{name}: {path!r} does not resolve"
        assert item["kind"] == "choice", f"threshold.{name}: {path} is a {item['kind']}"
    # the しきい値判断 needs the top band, which only a 全項目評価書 may serve
    population = form["threshold"]["population"]
    assert option_labels(form, resolve_from_root(form, population)["choices"])[-1] == "30万人以上"


def test_cover_meta_items_agree() -> None:
    """Every form names its non-printed cover items alike, so `pia` reads any evaluation.md."""
    metas = []
    for form_id in FORMS:
        cover = load_form(form_id)["parts"][0]["items"]
        metas.append(
            [
                (i["key"], i["label"], i["kind"])
                for i in cover
                if i.get("print") is False and i["kind"] != "section"
            ]
        )
    assert metas and all(meta == metas[0] for meta in metas), metas
    assert [key for key, _, _ in metas[0]] == ["form", "edition", "org", "status"]


# ---------------------------------------------------------------- coverage (forms with a seed)
