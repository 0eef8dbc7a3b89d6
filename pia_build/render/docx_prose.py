"""Markdown prose → pandoc AST blocks for the DOCX writer (same parse as the HTML output).

Author text travels as plain strings in the AST, so nothing needs escaping. A line break between
two Japanese characters adds no space (pandoc's ``east_asian_line_breaks`` rule).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from markdown_it.tree import SyntaxTreeNode

from pia_build.render import pandoc as pd
from pia_build.render.markdown import parser

Node = pd.Node


def prose(text: str) -> list[Node]:
    """Return Markdown prose as pandoc blocks."""
    return _blocks(SyntaxTreeNode(parser().parse(text)).children)


def _blocks(nodes: list[SyntaxTreeNode]) -> list[Node]:
    return [_block(node) for node in nodes]


def _block(node: SyntaxTreeNode) -> Node:
    """Return one block; unknown elements keep their text as a paragraph."""
    convert = _BLOCKS.get(node.type)
    return convert(node) if convert else pd.para([pd.text(_plain_text(node))])


def _paragraph(node: SyntaxTreeNode) -> Node:
    # markdown-it hides the paragraphs of tight lists: print them without paragraph spacing.
    return (pd.plain if node.hidden else pd.para)(_inline_of(node))


def _heading(node: SyntaxTreeNode) -> Node:
    # A heading inside a table cell would join the document outline: print it bold instead.
    return pd.para([pd.inline("Strong", _inline_of(node))])


def _ordered(node: SyntaxTreeNode) -> Node:
    start = node.attrs.get("start", 1)
    delimiter = "OneParen" if node.children and node.children[0].markup == ")" else "Period"
    return pd.ordered_list(_items(node), int(start) if isinstance(start, int) else 1, delimiter)


def _items(node: SyntaxTreeNode) -> list[list[Node]]:
    return [_blocks(item.children) for item in node.children]


def _clause(node: SyntaxTreeNode) -> Node:
    """Return a standard clause block headed by its provenance (id and version)."""
    _, clause_id, version = (node.info.split() + ["", "", ""])[:3]
    mark = pd.styled("Clause Mark", [pd.text(f"標準記載 {clause_id} v{version}")])
    return pd.div([mark, *_blocks(node.children)], classes=["clause"])


def _table(node: SyntaxTreeNode) -> Node:
    """Return a Markdown table with its header row."""
    rows = [row for section in node.children for row in section.children]
    cells = [[pd.cell([pd.plain(_inline_of(c))]) for c in row.children] for row in rows]
    head = 1 if node.children and node.children[0].type == "thead" else 0
    width = max((len(r) for r in cells), default=1)
    return pd.table([1 / width] * width, cells[:head], cells[head:])


_BLOCKS: dict[str, Callable[[SyntaxTreeNode], Node]] = {
    "paragraph": _paragraph,
    "heading": _heading,
    "bullet_list": lambda node: pd.bullet_list(_items(node)),
    "ordered_list": _ordered,
    "blockquote": lambda node: pd.block_quote(_blocks(node.children)),
    "container_clause": _clause,
    "code_block": lambda node: pd.code_block(node.content.removesuffix("\n")),
    "fence": lambda node: pd.code_block(node.content.removesuffix("\n")),
    "hr": lambda node: pd.rule(),
    "table": _table,
}


def _inline_of(node: SyntaxTreeNode) -> list[Node]:
    """Return the inline content of a paragraph, heading or table cell."""
    inline = next((c for c in node.children if c.type == "inline"), None)
    return _inlines(inline.children) if inline else []


def _inlines(nodes: list[SyntaxTreeNode]) -> list[Node]:
    out: list[Node] = []
    for index, node in enumerate(nodes):
        if node.type == "softbreak":
            out += _soft_break(nodes, index)
        else:
            out.append(_inline(node))
    return out


_MARKUP = {"em": "Emph", "strong": "Strong", "s": "Strikeout"}
_LINK_SCHEMES = ("http://", "https://", "mailto:")


def _inline(node: SyntaxTreeNode) -> Node:
    """Return one inline element; unknown ones (images …) keep their text."""
    if node.type == "text":
        return pd.text(node.content)
    if node.type in _MARKUP:
        return pd.inline(_MARKUP[node.type], _inlines(node.children))
    if node.type == "code_inline":
        return pd.code(node.content)
    if node.type == "hardbreak":
        return pd.line_break()
    href = str(node.attrs.get("href", "")) if node.type == "link" else ""
    if href.lower().startswith(_LINK_SCHEMES):
        return pd.link(_inlines(node.children), href, str(node.attrs.get("title") or ""))
    return pd.text(_plain_text(node))


def _soft_break(nodes: list[SyntaxTreeNode], index: int) -> list[Node]:
    """Return what a soft line break prints: nothing next to a Japanese character, else a space.

    Authors wrap Japanese lines anywhere; Word would show a space there (pandoc's reason for its
    ``east_asian_line_breaks`` extension).
    """
    before = _plain_text(nodes[index - 1])[-1:] if index else ""
    after = _plain_text(nodes[index + 1])[:1] if index + 1 < len(nodes) else ""
    return [] if is_wide(before) or is_wide(after) else [pd.space()]


def is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F", "H")


def _plain_text(node: SyntaxTreeNode) -> str:
    """Return all text inside a node."""
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if not node.children:
        return node.content if node.token else ""
    return "".join(_plain_text(child) for child in node.children)
