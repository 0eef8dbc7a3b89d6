"""Markdown prose → pandoc AST blocks for the DOCX writer.

Walks the prose tree of ``render.prose`` (the same parse as the PDF and HTML outputs). Author text
travels as plain strings in the AST, so nothing needs escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pia_build.render import pandoc as pd
from pia_build.render import prose as p

Node = pd.Node


def prose(text: str) -> list[Node]:
    """Return Markdown prose as pandoc blocks."""
    return _blocks(p.parse_prose(text))


def _blocks(blocks: Sequence[p.Block]) -> list[Node]:
    return [_BLOCKS[type(block)](block) for block in blocks]


def _paragraph(block: p.Paragraph) -> Node:
    # the paragraphs of tight lists print without paragraph spacing
    return (pd.plain if block.tight else pd.para)(_inlines(block.body))


def _heading(block: p.Heading) -> Node:
    # A heading inside a table cell would join the document outline: print it bold instead.
    return pd.para([pd.inline("Strong", _inlines(block.body))])


def _ordered(block: p.OrderedList) -> Node:
    delimiter = "OneParen" if block.delimiter == ")" else "Period"
    return pd.ordered_list(_items(block.items), block.start, delimiter)


def _items(items: Sequence[Sequence[p.Block]]) -> list[list[Node]]:
    return [_blocks(item) for item in items]


def _clause(block: p.Clause) -> Node:
    """Return a standard clause block headed by its provenance (id and version)."""
    mark = pd.styled("Clause Mark", [pd.text(f"標準記載 {block.id} v{block.version}")])
    return pd.div([mark, *_blocks(block.body)], classes=["clause"])


def _table(block: p.Table) -> Node:
    """Return a Markdown table with its header row."""
    cells = [[pd.cell([pd.plain(_inlines(cell))]) for cell in row] for row in block.rows]
    head = 1 if block.header else 0
    width = max((len(r) for r in cells), default=1)
    return pd.table([1 / width] * width, cells[:head], cells[head:])


_BLOCKS: dict[type, Callable[[Any], Node]] = {
    p.Paragraph: _paragraph,
    p.Heading: _heading,
    p.BulletList: lambda block: pd.bullet_list(_items(block.items)),
    p.OrderedList: _ordered,
    p.Quote: lambda block: pd.block_quote(_blocks(block.body)),
    p.Clause: _clause,
    p.CodeBlock: lambda block: pd.code_block(block.text),
    p.Rule: lambda block: pd.rule(),
    p.Table: _table,
}


def _inlines(inlines: Sequence[p.Inline]) -> list[Node]:
    return [_inline(inline) for inline in inlines]


def _inline(inline: p.Inline) -> Node:
    """Return one inline element; a link to anything but the web or mail prints its text."""
    if isinstance(inline, p.Text):
        return pd.text(inline.text)
    if isinstance(inline, p.Space):
        return pd.space()
    if isinstance(inline, p.Emph | p.Strong):
        return pd.inline("Emph" if isinstance(inline, p.Emph) else "Strong", _inlines(inline.body))
    if isinstance(inline, p.Code):
        return pd.code(inline.text)
    if isinstance(inline, p.LineBreak):
        return pd.line_break()
    if inline.live:
        return pd.link(_inlines(inline.body), inline.href, inline.title)
    return pd.text(inline.text)
