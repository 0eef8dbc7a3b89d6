"""Markdown prose → the block/inline tree that layouts/pdf/evaluation.typ turns into typst content.

Why a tree and not escaped typst markup: typst markup has many active characters (``# $ * _ [ ] \\
@ < > = ` ~ / - + " '``, ``1.`` at line start, ``//`` comments, smart quotes, ``--`` and ``...``
shorthands), and the set grows with typst versions. Escaping is one forgotten character away from
running an author's ``#import`` or ``#eval``. Here text only ever leaves Python as JSON string
values, which the template prints with ``text``/``str`` and never evaluates, so no escaping is
needed and none can be forgotten. Structure (paragraphs, lists, emphasis, clause blocks) travels
as ``{"type": ...}`` dictionaries that the template maps onto typst elements.

Walks the prose tree of ``render.prose`` (the same parse as the DOCX and HTML outputs). Owns no
layout: that is the template's job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pia_build.render import prose as p

Node = dict[str, object]
"""A block or inline element: ``{"type": name, ...}`` with JSON-ready values."""
Inline = str | Node
"""Inline content: text is a plain ``str``, anything else a node."""


def prose_blocks(text: str) -> list[Node]:
    """Return the Markdown text as a list of block nodes."""
    return _blocks(p.parse_prose(text))


def _blocks(blocks: Sequence[p.Block]) -> list[Node]:
    """Return block nodes for a sequence of prose blocks."""
    return [_BLOCKS[type(block)](block) for block in blocks]


def _ordered_list(block: p.OrderedList) -> Node:
    return {
        "type": "enum",
        "start": block.start,
        "delimiter": block.delimiter,
        "tight": block.tight,
        "items": [_blocks(item) for item in block.items],
    }


def _table(block: p.Table) -> Node:
    """Return a table as a header row and body rows of inline cells."""
    cells = [[_inlines(cell) for cell in row] for row in block.rows]
    head = block.header and bool(cells)
    return {"type": "table", "head": cells[0] if head else [], "rows": cells[block.header :]}


_BLOCKS: dict[type, Callable[[Any], Node]] = {
    p.Paragraph: lambda b: {"type": "paragraph", "body": _inlines(b.body)},
    p.Heading: lambda b: {"type": "heading", "level": b.level, "body": _inlines(b.body)},
    p.BulletList: lambda b: {
        "type": "list",
        "tight": b.tight,
        "items": [_blocks(item) for item in b.items],
    },
    p.OrderedList: _ordered_list,
    p.Quote: lambda b: {"type": "quote", "body": _blocks(b.body)},
    p.Clause: lambda b: {
        "type": "clause",
        "id": b.id,
        "version": b.version,
        "body": _blocks(b.body),
    },
    p.CodeBlock: lambda b: {"type": "code_block", "text": b.text},
    p.Rule: lambda b: {"type": "rule"},
    p.Table: _table,
}


def _inlines(inlines: Sequence[p.Inline]) -> list[Inline]:
    """Return inline nodes, with adjacent text merged."""
    out: list[Inline] = []
    for inline in inlines:
        item = _inline(inline)
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        elif item != "":
            out.append(item)
    return out


def _inline(inline: p.Inline) -> Inline:
    """Return one inline node; text stays a plain ``str``."""
    if isinstance(inline, p.Text):
        return inline.text
    if isinstance(inline, p.Space):
        return " "
    if isinstance(inline, p.Strong | p.Emph):
        kind = "strong" if isinstance(inline, p.Strong) else "emph"
        return {"type": kind, "body": _inlines(inline.body)}
    if isinstance(inline, p.Code):
        return {"type": "code", "text": inline.text}
    if isinstance(inline, p.LineBreak):
        return {"type": "linebreak"}
    # only web and mail addresses become live links in the PDF
    kind = "link" if inline.live else "span"
    url = {"url": inline.href} if inline.live else {}
    return {"type": kind, **url, "body": _inlines(inline.body)}
