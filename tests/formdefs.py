"""Reading the official form definitions (pia_build/forms/*.yml) with PyYAML only, for the form tests.

Nothing from pia_build is imported, so the form tests hold the data to docs/forms.md even while
the loader changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
FORMS_DIR = REPO / "pia_build" / "forms"

FORMS = ["focused-r6", "focused-before-r6", "basic-r6", "full-r6"]

KINDS = frozenset("section group line text date integer choice multi flag list table".split())
CONTAINER_KINDS = frozenset({"section", "group"})
CHOICE_KINDS = frozenset({"choice", "multi"})
COLUMN_KINDS = KINDS - CONTAINER_KINDS - {"table"}

TOP_FIELDS = frozenset(
    "id name title edition number sources choices threshold agree parts marker superseded".split()
)
THRESHOLD_FIELDS = frozenset({"population", "handlers", "incident", "result"})
PART_FIELDS = frozenset("key label file star star_except star_note items per_file".split())
ITEM_FIELDS = frozenset(
    "key label kind star optional print verified note choices when rows_of option_rows"
    " items item_label min max columns default header ranges legend_rows joined".split()
)
OPTION_FIELDS = frozenset("label detail count exclusive group verified note".split())
COLUMN_FIELDS = frozenset("key label kind choices optional".split())
WHEN_OPS = {"equals", "not_equals", "includes"}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def load_form(form: str) -> dict[str, Any]:
    with (FORMS_DIR / f"{form}.yml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict), f"{form}.yml is not a mapping"
    return data


def norm(label: str) -> str:
    """Comparison key for labels: NFKC, no whitespace, no ※ (with its 「(…を除く。)」 scope)."""
    s = unicodedata.normalize("NFKC", label).replace("〜", "~")
    s = re.sub(r"\s+", "", s)
    return re.sub(r"※(\([^()]*を除く。\))?", "", s)


def option_label(option: Any) -> Any:
    return option["label"] if isinstance(option, dict) else option


def option_labels(form: dict[str, Any], name: str) -> list[Any]:
    return [option_label(o) for o in form["choices"][name]]


def iter_items(
    items: list[dict[str, Any]], chain: tuple[dict[str, Any], ...]
) -> Iterator[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    """Yield (item, ancestors) depth-first in printed order; ancestors start with the part."""
    for item in items:
        yield item, chain
        if isinstance(item.get("items"), list):
            yield from iter_items(item["items"], (*chain, item))


def all_items(form: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    for part in form["parts"]:
        yield from iter_items(part.get("items") or [], (part,))


def child(node: dict[str, Any], key: str) -> dict[str, Any] | None:
    for item in node.get("items") or []:
        if item.get("key") == key:
            return item
    return None


def resolve(chain: tuple[dict[str, Any], ...], path: str) -> dict[str, Any] | None:
    """Resolve a `when`/`rows_of` path relative to the last node of chain (`../` goes up)."""
    stack = list(chain)
    while path.startswith("../"):
        path = path[3:]
        stack.pop()
        if not stack:
            return None
    node: dict[str, Any] | None = stack[-1] if stack else None
    for key in path.split("."):
        node = child(node, key) if node is not None else None
    return node


def resolve_from_root(form: dict[str, Any], path: str) -> dict[str, Any] | None:
    """Resolve `part.item.item` as used by the `threshold` block."""
    part_key, _, rest = path.partition(".")
    part = next((p for p in form["parts"] if p.get("key") == part_key), None)
    return resolve((part,), rest) if part is not None and rest else None


def label_index(form: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Map normalised label → every part, item and table column carrying it (title included)."""
    index: dict[str, list[dict[str, Any]]] = {norm(form["title"]): [{"label": form["title"]}]}
    for part in form["parts"]:
        index.setdefault(norm(part["label"]), []).append(part)
    for item, _ in all_items(form):
        index.setdefault(norm(item["label"]), []).append(item)
        for column in item.get("columns") or []:
            index.setdefault(norm(column["label"]), []).append(column)
    return index


def form_groups(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item, _ in all_items(form) if item.get("kind") == "group"]


def is_starred(form: dict[str, Any], target: dict[str, Any]) -> bool:
    """True when ※ covers the item: its own star, a starred ancestor, or a starred part."""
    for part in form["parts"]:
        if part is target:
            return bool(part.get("star"))
    for item, chain in all_items(form):
        if item is target:
            return any(node.get("star") for node in (*chain, item))
    return False


# ---------------------------------------------------------------- sanity (every form)
