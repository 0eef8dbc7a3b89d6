"""Markdown prose → the block/inline tree that layouts/pdf/evaluation.typ turns into typst content.

Why a tree and not escaped typst markup: typst markup has many active characters (``# $ * _ [ ] \\
@ < > = ` ~ / - + " '``, ``1.`` at line start, ``//`` comments, smart quotes, ``--`` and ``...``
shorthands), and the set grows with typst versions. Escaping is one forgotten character away from
running an author's ``#import`` or ``#eval``. Here text only ever leaves Python as JSON string
values, which the template prints with ``text``/``str`` and never evaluates, so no escaping is
needed and none can be forgotten. Structure (paragraphs, lists, emphasis, clause blocks) travels
as ``{"type": ...}`` dictionaries that the template maps onto typst elements.

Works from the tokens of ``render.markdown.parser()`` (the same parse as the HTML output), through
markdown-it-py's ``SyntaxTreeNode``. Owns no layout: that is the template's job.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from markdown_it.tree import SyntaxTreeNode

from pia_build.render.markdown import parser

Node = dict[str, object]
"""A block or inline element: ``{"type": name, ...}`` with JSON-ready values."""
Inline = str | Node
"""Inline content: text is a plain ``str``, anything else a node."""

_LINK_SCHEMES = ("http://", "https://", "mailto:")
_WIDE = ("W", "F", "H")


def prose_blocks(text: str) -> list[Node]:
    """Return the Markdown text as a list of block nodes."""
    return _blocks(SyntaxTreeNode(parser().parse(text)).children)


def _blocks(nodes: list[SyntaxTreeNode]) -> list[Node]:
    """Return block nodes for a sequence of Markdown block elements."""
    return [_block(node) for node in nodes]


def _block(node: SyntaxTreeNode) -> Node:
    """Return one block node; unknown elements keep their text as a paragraph."""
    convert = _BLOCKS.get(node.type)
    if convert is None:
        return {"type": "paragraph", "body": [_plain_text(node)]}
    return convert(node)


def _paragraph(node: SyntaxTreeNode) -> Node:
    return {"type": "paragraph", "body": _inline_of(node)}


def _heading(node: SyntaxTreeNode) -> Node:
    return {"type": "heading", "level": int(node.tag[1:]), "body": _inline_of(node)}


def _bullet_list(node: SyntaxTreeNode) -> Node:
    return {"type": "list", "tight": _tight(node), "items": _items(node)}


def _ordered_list(node: SyntaxTreeNode) -> Node:
    start = node.attrs.get("start", 1)
    delimiter = node.children[0].markup if node.children else "."
    return {
        "type": "enum",
        "start": int(start) if isinstance(start, int | str) else 1,
        "delimiter": delimiter if delimiter in (".", ")") else ".",
        "tight": _tight(node),
        "items": _items(node),
    }


def _items(node: SyntaxTreeNode) -> list[list[Node]]:
    """Return the blocks of each list item."""
    return [_blocks(item.children) for item in node.children]


def _tight(node: SyntaxTreeNode) -> bool:
    """Return whether a list is tight (markdown-it hides the paragraphs of tight lists)."""
    paragraphs = [c for item in node.children for c in item.children if c.type == "paragraph"]
    return all(p.hidden for p in paragraphs)


def _quote(node: SyntaxTreeNode) -> Node:
    return {"type": "quote", "body": _blocks(node.children)}


def _clause(node: SyntaxTreeNode) -> Node:
    """Return a standard clause block (``::: clause <id> <version>``) with its provenance."""
    _, clause_id, version = (node.info.split() + ["", "", ""])[:3]
    return {"type": "clause", "id": clause_id, "version": version, "body": _blocks(node.children)}


def _code(node: SyntaxTreeNode) -> Node:
    return {"type": "code_block", "text": node.content.removesuffix("\n")}


def _rule(node: SyntaxTreeNode) -> Node:
    return {"type": "rule"}


def _table(node: SyntaxTreeNode) -> Node:
    """Return a Markdown table as a header row and body rows of inline cells."""
    rows = [row for part in node.children for row in part.children]
    cells = [[_inline_of(cell) for cell in row.children] for row in rows]
    head = node.children[0].type == "thead" if node.children else False
    return {"type": "table", "head": cells[0] if head and cells else [], "rows": cells[head:]}


_BLOCKS: dict[str, Callable[[SyntaxTreeNode], Node]] = {
    "paragraph": _paragraph,
    "heading": _heading,
    "bullet_list": _bullet_list,
    "ordered_list": _ordered_list,
    "blockquote": _quote,
    "container_clause": _clause,
    "code_block": _code,
    "fence": _code,
    "hr": _rule,
    "table": _table,
}


def _inline_of(node: SyntaxTreeNode) -> list[Inline]:
    """Return the inline content of a paragraph, heading or table cell."""
    inline = next((c for c in node.children if c.type == "inline"), None)
    return _inlines(inline.children) if inline else []


def _inlines(nodes: list[SyntaxTreeNode]) -> list[Inline]:
    """Return inline nodes, with adjacent text merged and soft breaks resolved."""
    out: list[Inline] = []
    for index, node in enumerate(nodes):
        item = _soft_break(nodes, index) if node.type == "softbreak" else _inline(node)
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        elif item != "":
            out.append(item)
    return out


def _inline(node: SyntaxTreeNode) -> Inline:
    """Return one inline node; unknown elements keep their text."""
    kind = node.type
    if kind == "text":
        return node.content
    if kind in ("strong", "em"):
        return {"type": "strong" if kind == "strong" else "emph", "body": _inlines(node.children)}
    if kind == "code_inline":
        return {"type": "code", "text": node.content}
    if kind == "hardbreak":
        return {"type": "linebreak"}
    if kind == "link":
        return _link(node)
    return _plain_text(node)


def _link(node: SyntaxTreeNode) -> Inline:
    """Return a link; only web and mail addresses become live links in the PDF."""
    href = str(node.attrs.get("href", ""))
    body = _inlines(node.children)
    if href.lower().startswith(_LINK_SCHEMES):
        return {"type": "link", "url": href, "body": body}
    return {"type": "span", "body": body}


def _soft_break(nodes: list[SyntaxTreeNode], index: int) -> str:
    """Return what a soft line break prints: nothing next to a Japanese character, else a space.

    Authors wrap long Japanese lines anywhere; a space there would show in print (the reason
    pandoc has ``east_asian_line_breaks``).
    """
    before = _plain_text(nodes[index - 1])[-1:] if index else ""
    after = _plain_text(nodes[index + 1])[:1] if index + 1 < len(nodes) else ""
    if _is_wide(before) or _is_wide(after):
        return ""
    return " "


def _is_wide(char: str) -> bool:
    """Return whether a character is East Asian wide (kana, kanji, full-width forms)."""
    return bool(char) and unicodedata.east_asian_width(char) in _WIDE


def _plain_text(node: SyntaxTreeNode) -> str:
    """Return all text inside a node (image alt text, unknown elements)."""
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if not node.children:
        return node.content if node.token else ""
    return "".join(_plain_text(child) for child in node.children)
