"""Bind an evaluation's label-keyed source trees to the items of its form.

Owns: which 様式 an evaluation declares, which file holds which part, resolving labels and
headings to items (with the nearest label for a misspelling), duplicates, and each value's kind
check. It does not judge conditions, counts or required items: that is ``validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pia_build.core.diagnostics import Diagnostic, Location, error, warning
from pia_build.core.labels import did_you_mean, label_forms, normalise
from pia_build.core.raw import RawList, RawMap, RawValue, Scalar
from pia_build.forms import FormDefinitionError, builtin_forms, editions, find_form
from pia_build.forms.spec import FormSpec, ItemSpec, PartSpec
from pia_build.forms.types import parse_value
from pia_build.source.shapes import Block, Entry, Field, PartData, Rows, SourceDoc, SourceFile

COVER_FILE = "evaluation.md"
FORM_KEYS = ("様式", "form")
EDITION_KEYS = ("様式の版", "edition")


@dataclass
class _Node:
    """A block under construction."""

    location: Location
    entries: dict[str, Field | _Node | list[_Node]] = field(default_factory=dict)

    def freeze(self) -> Block:
        return Block({k: _freeze(v) for k, v in self.entries.items()}, self.location)


def _freeze(value: Field | _Node | list[_Node]) -> Entry:
    if isinstance(value, _Node):
        return value.freeze()
    if isinstance(value, list):
        where = value[0].location if value else Location("")
        return Rows(tuple(n.freeze() for n in value), where)
    return value


def declared_form(doc: SourceDoc) -> tuple[FormSpec | None, list[Diagnostic]]:
    """Return the form named by 様式 in evaluation.md."""
    cover = next((f for f in doc.files if f.name == COVER_FILE), None)
    if cover is None:
        where = Location(doc.folder)
        return None, [
            error(
                "file.missing",
                where,
                f"{COVER_FILE} is missing: every evaluation starts with its cover",
            )
        ]
    entry = next((e for e in cover.tree.entries if normalise(e[0]) in FORM_KEYS), None)
    names = [f.name for f in builtin_forms().values()]
    if entry is None and not cover.complete:
        return None, []  # its YAML error is reported; guessing the form would only add noise
    if entry is None or not isinstance(entry[2], Scalar) or not entry[2].value:
        message = f"say which form this is: '様式: …', one of {', '.join(names)}"
        return None, [error("cover.form", Location(cover.path, 1), message)]
    form = find_form(str(entry[2].value).strip())
    if form is None:
        message = f"'{entry[2].value}' is not a form{did_you_mean(str(entry[2].value), names)}"
        return None, [error("cover.form", entry[1], message)]
    return _edition(cover, form)


def _edition(cover: SourceFile, form: FormSpec) -> tuple[FormSpec | None, list[Diagnostic]]:
    """Return the edition of ``form`` named by 様式の版 (the current one when none is named).

    An unknown edition is reported, and the evaluation is checked as the current edition.
    """
    entry = next((e for e in cover.tree.entries if normalise(e[0]) in EDITION_KEYS), None)
    if entry is None or not isinstance(entry[2], Scalar) or entry[2].value in (None, ""):
        return form, []
    wanted = str(entry[2].value).strip()
    chosen = find_form(form.id, wanted)
    if chosen is None:
        known = editions(form.id)
        message = f"様式の版 '{wanted}' is not an edition of the {form.name}; editions: {', '.join(known)}"
        return form, [error("cover.edition", entry[1], message)]  # checked as the current one
    return chosen, []


def part_number(part: PartSpec, file_name: str) -> int | None:
    """Return the file number when ``file_name`` is this part's file, else None."""
    pattern = re.escape(part.file).replace(r"\{n\}", r"([1-9][0-9]*)")
    match = re.fullmatch(pattern, file_name)
    if match is None:
        return None
    return int(match.group(1)) if part.per_file else 0


def bind_document(doc: SourceDoc, form: FormSpec) -> tuple[list[PartData], list[Diagnostic]]:
    """Bind every file of the evaluation to the parts of ``form``."""
    problems: list[Diagnostic] = []
    bound: dict[tuple[str, int], PartData] = {}
    for source in doc.files:
        parts = [(p, n) for p in form.parts if (n := part_number(p, source.name)) is not None]
        if not parts:
            expected = sorted({p.file.replace("{n}", "1") for p in form.parts})
            message = f"{source.name} is not a file of the {form.name}; its files are {', '.join(expected)}"
            problems.append(warning("file.unknown", Location(source.path), message))
            continue
        for data in _bind_file(source, parts, problems):
            bound[(data.spec.key, data.number)] = data
    return _in_print_order(doc, form, bound, problems), problems


def _in_print_order(
    doc: SourceDoc,
    form: FormSpec,
    bound: dict[tuple[str, int], PartData],
    problems: list[Diagnostic],
) -> list[PartData]:
    """Return the parts in printed order, reporting missing files."""
    numbers = sorted({n for (_, n) in bound if n}) or [1]
    ordered: list[PartData] = []
    for part in form.parts:
        for number in numbers if part.per_file else [0]:
            data = bound.get((part.key, number))
            if data is None:
                name = part.file.replace("{n}", str(number))
                message = f"{name} is missing: it holds {part.label}" + (
                    f" for file ({number})" if number else ""
                )
                problems.append(error("file.missing", Location(doc.folder), message))
                where = Location(f"{doc.folder}/{name}")
                data = PartData(part, number, Block({}, where), where.path, present=False)
            ordered.append(data)
    return ordered


def _bind_file(
    source: SourceFile, parts: list[tuple[PartSpec, int]], problems: list[Diagnostic]
) -> list[PartData]:
    """Bind one file, shared by one or more parts."""
    specs = tuple(item for part, _ in parts for item in part.items)
    owner = {item.key: part.key for part, _ in parts for item in part.items}
    if len(owner) != len(specs):
        raise FormDefinitionError(f"parts sharing {source.name} repeat an item key")
    headers = tuple(ItemSpec(p.key, p.label, "section", children=p.items) for p, _ in parts)
    node = _Node(source.tree.location)
    _bind_map(specs, source.tree, node, problems, headers)
    out = []
    for part, number in parts:
        entries = {k: v for k, v in node.entries.items() if owner.get(k) == part.key}
        block = _Node(node.location, entries).freeze()
        out.append(PartData(part, number, block, source.path, present=source.complete))
    return out


def _bind_map(
    specs: tuple[ItemSpec, ...],
    raw: RawMap,
    node: _Node,
    problems: list[Diagnostic],
    headers: tuple[ItemSpec, ...] = (),
) -> None:
    """Bind each entry of a label-keyed map to the items ``specs``."""
    for key, where, value in raw.entries:
        header = _match(headers, key)
        if header and isinstance(value, RawMap):
            _bind_map(specs, value, node, problems)
            continue
        if header and len(header[0].children) == 1:
            _bind_entry(header[0].children[0], None, where, value, node, problems)
            continue
        target = _match(specs, key)
        if target is None and _is_heading(value):
            found = _find_below(specs, key, where, problems)
            if found is not None:
                chain, spec, row = found
                _bind_entry(spec, row, where, value, _descend(node, chain, where), problems)
                continue
        if target is None:
            if not _is_heading(value) or not _reported_ambiguous(specs, key):
                _report_unknown(specs, key, where, problems)
            continue
        spec = _next_unfilled(specs, target[0], node) if target[1] is None else target[0]
        _bind_entry(spec, target[1], where, value, node, problems)


def _next_unfilled(specs: tuple[ItemSpec, ...], spec: ItemSpec, node: _Node) -> ItemSpec:
    """Return the first unfilled sibling with the same label (repeated labels bind in printed order)."""
    if spec.key not in node.entries or spec.kind in ("section", "group"):
        return spec
    same = [
        s
        for s in specs
        if normalise(s.label) == normalise(spec.label) and s.key not in node.entries
    ]
    return same[0] if same else spec


def _is_heading(value: RawValue) -> bool:
    """Return True when the entry came from a Markdown heading."""
    return getattr(value, "markdown", False)


def _match(specs: tuple[ItemSpec, ...], key: str) -> tuple[ItemSpec, int | None] | None:
    """Return the item (and group row number) a key names."""
    wanted = normalise(key)
    exact = [s for s in specs if normalise(s.label) == wanted or s.key == key]
    if exact:
        return exact[0], None
    for spec in specs:
        if spec.kind == "group" and spec.item_label:
            pattern = re.escape(normalise(spec.item_label)).replace(r"\{n\}", r"([0-9]+)")
            if match := re.fullmatch(pattern, wanted):
                return spec, int(match.group(1))
    loose = [s for s in specs if wanted in label_forms(s.label, s.key)]
    return (loose[0], None) if loose else None


def _find_below(
    specs: tuple[ItemSpec, ...], key: str, where: Location, problems: list[Diagnostic]
) -> tuple[list[ItemSpec], ItemSpec, int | None] | None:
    """Find a heading's item inside sections below ``specs`` when it is unique there."""
    hits = list(_iter_below(specs, key, []))
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        paths = " / ".join(
            " > ".join(s.label for s in chain + [spec]) for chain, spec, _ in hits[:3]
        )
        message = f"'{key}' could be several items ({paths}); put it under its section's heading"
        problems.append(error("item.ambiguous", where, message))
        return None
    return None


def _iter_below(specs: tuple[ItemSpec, ...], key: str, chain: list[ItemSpec]):  # type: ignore[no-untyped-def]
    """Yield (section chain, item, row) for every item named ``key`` inside nested sections."""
    for spec in specs:
        if spec.kind != "section":
            continue
        target = _match(spec.children, key)
        if target is not None:
            yield chain + [spec], target[0], target[1]
        yield from _iter_below(spec.children, key, chain + [spec])


def _reported_ambiguous(specs: tuple[ItemSpec, ...], key: str) -> bool:
    """Return True when ``key`` matched several items (already reported)."""
    return len(list(_iter_below(specs, key, []))) > 1


def _descend(node: _Node, chain: list[ItemSpec], where: Location) -> _Node:
    """Return the node of the innermost section in ``chain``, creating sections as needed."""
    for spec in chain:
        child = node.entries.get(spec.key)
        if not isinstance(child, _Node):
            child = _Node(where)
            node.entries[spec.key] = child
        node = child
    return node


def _report_unknown(
    specs: tuple[ItemSpec, ...], key: str, where: Location, problems: list[Diagnostic]
) -> None:
    """Report a key or heading that names no item here."""
    labels = [s.label for s in specs] + [
        s.item_label.replace("{n}", "1") for s in specs if s.item_label
    ]
    message = f"'{key}' is not an item here{did_you_mean(key, labels)}"
    problems.append(error("item.unknown", where, message))


def _bind_entry(
    spec: ItemSpec,
    row: int | None,
    where: Location,
    value: RawValue,
    node: _Node,
    problems: list[Diagnostic],
) -> None:
    """Bind one value to ``spec`` inside ``node``."""
    if spec.kind == "section":
        _bind_section(spec, where, value, node, problems)
    elif spec.kind == "group":
        _bind_group(spec, row, where, value, node, problems)
    elif spec.key in node.entries:
        first = node.entries[spec.key]
        message = (
            f"{spec.label} is written twice; the first is at {getattr(first, 'location', where)}"
        )
        problems.append(error("item.duplicate", where, message))
    else:
        parsed, found = parse_value(value, spec)
        problems += found
        # an empty or unreadable value keeps its place, so it is neither "missing" nor lost
        node.entries[spec.key] = Field(
            parsed, value.location, valid=parsed is not None or not found
        )


def _bind_section(
    spec: ItemSpec, where: Location, value: RawValue, node: _Node, problems: list[Diagnostic]
) -> None:
    """Bind a section's mapping of items."""
    child = node.entries.get(spec.key)
    if not isinstance(child, _Node):
        child = _Node(where)
        node.entries[spec.key] = child
    if isinstance(value, RawMap):
        _bind_map(spec.children, value, child, problems)
    elif not (isinstance(value, Scalar) and value.value is None):
        message = f"{spec.label} is a section: write its items indented below it"
        problems.append(error("form.kind", value.location, message))


def _bind_group(
    spec: ItemSpec,
    row: int | None,
    where: Location,
    value: RawValue,
    node: _Node,
    problems: list[Diagnostic],
) -> None:
    """Bind rows of a repeated group: a YAML list, or headings such as システム2."""
    rows = node.entries.setdefault(spec.key, [])
    assert isinstance(rows, list)
    if row is not None:
        while len(rows) < row:
            rows.append(_Node(where))
        _bind_row(spec, value, rows[row - 1], problems)
    elif isinstance(value, RawList):
        for index, item in enumerate(value.items):
            while len(rows) <= index:
                rows.append(_Node(item.location))
            _bind_row(spec, item, rows[index], problems)
    elif isinstance(value, RawMap) and _is_heading(value):
        _bind_map((spec,), value, node, problems)
    elif not (isinstance(value, Scalar) and value.value is None):
        label = spec.item_label.replace("{n}", "1")
        message = f"{spec.label} is repeated: write a list with one entry per row ({label}, …)"
        problems.append(error("form.kind", value.location, message))


def _bind_row(spec: ItemSpec, value: RawValue, row: _Node, problems: list[Diagnostic]) -> None:
    """Bind one row of a group."""
    if isinstance(value, RawMap):
        _bind_map(spec.children, value, row, problems)
    elif not (isinstance(value, Scalar) and value.value is None):
        message = f"each row of {spec.label} is a mapping of its items"
        problems.append(error("form.kind", value.location, message))
