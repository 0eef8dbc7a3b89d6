"""Walk a part's bound values together with the form items that describe them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pia_build.forms.spec import ItemSpec
from pia_build.source.shapes import Block, Entry, Field, PartData, Rows


def part_anchor(part: PartData) -> str:
    """Return the anchor of a part: its key, with the file number for per-file parts."""
    return f"{part.spec.key}-{part.number}" if part.number else part.spec.key


def item_anchor(parent: str, key: str, row: int | None = None) -> str:
    """Return the anchor of an item (or of one row of a group) below ``parent``."""
    anchor = f"{parent}.{key}"
    return f"{anchor}.{row}" if row is not None else anchor


def iter_fields(
    items: tuple[ItemSpec, ...], block: Block, anchor: str
) -> Iterator[tuple[ItemSpec, Field, str]]:
    """Yield (item, value, anchor) for every filled leaf item, in printed order."""
    for spec in items:
        entry = block.entries.get(spec.key)
        here = item_anchor(anchor, spec.key)
        if isinstance(entry, Field):
            yield spec, entry, here
        elif isinstance(entry, Block):
            yield from iter_fields(spec.children, entry, here)
        elif isinstance(entry, Rows):
            for number, row in enumerate(entry.rows, start=1):
                yield from iter_fields(spec.children, row, item_anchor(anchor, spec.key, number))


def map_fields(
    items: tuple[ItemSpec, ...],
    block: Block,
    anchor: str,
    fn: Callable[[ItemSpec, Field, str], Field],
) -> Block:
    """Return a copy of ``block`` with ``fn`` applied to every filled leaf item."""
    entries: dict[str, Entry] = {}
    specs = {s.key: s for s in items}
    for key, entry in block.entries.items():
        spec = specs[key]
        here = item_anchor(anchor, key)
        if isinstance(entry, Field):
            entries[key] = fn(spec, entry, here)
        elif isinstance(entry, Block):
            entries[key] = map_fields(spec.children, entry, here, fn)
        else:
            rows = tuple(
                map_fields(spec.children, row, item_anchor(anchor, key, n), fn)
                for n, row in enumerate(entry.rows, start=1)
            )
            entries[key] = Rows(rows, entry.location)
    return Block(entries, block.location)


def lookup(part: PartData, keys: list[str]) -> tuple[ItemSpec | None, Entry | None]:
    """Return the item at a key path inside a part and what was written there (None if nothing)."""
    items, spec = part.spec.items, None
    entry: Entry | None = part.block
    for key in keys:
        spec = next((i for i in items if i.key == key), None)
        if spec is None:
            return None, None
        entry = entry.entries.get(key) if isinstance(entry, Block) else None
        items = spec.children
    return spec, entry
