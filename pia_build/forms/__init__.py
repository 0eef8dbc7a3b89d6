"""Load the official form definitions (``forms/*.yml``) into FormSpec values.

A definition is our own data, shipped with the package: a broken one raises FormDefinitionError
naming the file and the item, because no author can fix it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

from pia_build.forms.spec import Condition, FormSpec, ItemSpec, Option, PartSpec
from pia_build.forms.types import KINDS

FORMS_DIR = Path(__file__).parent
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (the same values, several times faster)."""


class FormDefinitionError(Exception):
    """A form definition file is malformed."""


def load_form(path: Path) -> FormSpec:
    """Read one form definition file."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    choices = {name: _options(opts) for name, opts in (data.get("choices") or {}).items()}
    where = path.name
    parts = tuple(_part(p, choices, where) for p in data["parts"])
    return FormSpec(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        edition=str(data["edition"]),
        number=int(data["number"]),
        parts=parts,
        threshold=dict(data.get("threshold") or {}),
        agree=tuple(data.get("agree") or ()),
        source=where,
        marker_printed=data.get("marker", True) is not False,
        current=not data.get("superseded"),
    )


@cache
def all_forms() -> tuple[FormSpec, ...]:
    """Return every form definition shipped with pia-build, every edition, by file name."""
    return tuple(load_form(p) for p in sorted(FORMS_DIR.glob("*.yml")))


@cache
def builtin_forms() -> Mapping[str, FormSpec]:
    """Return the current edition of every form shipped with pia-build, keyed by form id."""
    return {f.id: f for f in all_forms() if f.current}


def find_form(name: str, edition: str | None = None) -> FormSpec | None:
    """Return the form whose id or printed name (全項目評価書 …) is ``name``.

    ``edition`` picks one edition (``令和6年10月``); None picks the current one.
    """
    for form in all_forms():
        if name in (form.id, form.name, form.title):
            if (form.current and edition is None) or form.edition == edition:
                return form
    return None


def editions(form_id: str) -> list[str]:
    """Return the editions defined for a form, current last."""
    found = [f for f in all_forms() if f.id == form_id]
    return [f.edition for f in sorted(found, key=lambda f: f.current)]


def _options(raw: list) -> tuple[Option, ...]:
    """Turn an option list of strings and mappings into Options."""
    out = []
    for entry in raw:
        if isinstance(entry, str):
            out.append(Option(entry))
        else:
            out.append(
                Option(
                    label=str(entry["label"]),
                    detail=bool(entry.get("detail")),
                    count=bool(entry.get("count")),
                    exclusive=bool(entry.get("exclusive")),
                    group=str(entry.get("group") or ""),
                )
            )
    return tuple(out)


def _part(raw: dict, choices: dict, where: str) -> PartSpec:
    """Build one PartSpec."""
    return PartSpec(
        key=raw["key"],
        label=raw["label"],
        file=raw["file"],
        items=tuple(_item(i, choices, f"{where}: {raw['key']}") for i in raw.get("items") or ()),
        per_file=bool(raw.get("per_file")),
        star=bool(raw.get("star")),
        star_except=tuple(raw.get("star_except") or ()),
        star_note=str(raw.get("star_note") or ""),
    )


def _item(raw: dict, choices: dict, where: str) -> ItemSpec:
    """Build one ItemSpec (recursively for sections, groups and tables)."""
    here = f"{where}.{raw.get('key')}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FormDefinitionError(f"{here}: unknown kind {kind!r}")
    children_raw = raw.get("items") or raw.get("columns") or ()
    options: tuple[Option, ...] = ()
    if "choices" in raw:
        ref = raw["choices"]
        options = _options(ref) if isinstance(ref, list) else choices.get(ref, ())
        if not options:
            raise FormDefinitionError(f"{here}: unknown option list {ref!r}")
    return ItemSpec(
        key=str(raw["key"]),
        label=str(raw["label"]),
        kind=kind,
        star=bool(raw.get("star")),
        optional=bool(raw.get("optional")),
        printed=raw.get("print", True) is not False,
        verified=raw.get("verified", True) is not False,
        note=str(raw.get("note") or ""),
        options=options,
        when=_condition(raw.get("when"), here),
        rows_of=str(raw.get("rows_of") or ""),
        option_rows=tuple((str(k), str(v)) for k, v in (raw.get("option_rows") or {}).items()),
        children=tuple(_item(c, choices, here) for c in children_raw),
        item_label=str(raw.get("item_label") or ""),
        min_rows=int(raw.get("min") or 0),
        max_rows=int(raw["max"]) if raw.get("max") is not None else None,
        header=bool(raw.get("header")),
        default=raw.get("default"),
        ranges=bool(raw.get("ranges")),
        legend_rows=int(raw.get("legend_rows") or 0),
        joined=bool(raw.get("joined")),
    )


def _condition(raw: dict | None, here: str) -> Condition | None:
    """Build the Condition of a ``when`` entry."""
    if not raw:
        return None
    for op in ("equals", "not_equals", "includes"):
        if op in raw:
            return Condition(str(raw["item"]), op, raw[op])  # type: ignore[arg-type]
    raise FormDefinitionError(f"{here}: `when` needs equals, not_equals or includes")
