"""Markdown prose → one small tree of blocks and inlines that every print renderer walks.

The Markdown of a text value is parsed once here (``render.markdown.parser()``, the parse the HTML
output renders), and what every renderer must agree on is decided once: which paragraphs belong to
a tight list, where a clause block starts and with which provenance, what a soft line break prints
(nothing next to a Japanese character, else a space: pandoc's ``east_asian_line_breaks`` rule,
because authors wrap Japanese lines anywhere), and which links may be live. ``render.typst_markup``
(PDF) and ``render.docx_prose`` (DOCX) turn the tree into their own structures; the HTML output
keeps markdown-it's own HTML renderer, which is the reference rendering of the same parse.

Owns no layout and no escaping: author text stays plain ``str`` in ``Text`` and ``Code`` nodes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.tree import SyntaxTreeNode

from pia_build.render.markdown import parser

LIVE_SCHEMES = ("http://", "https://", "mailto:")
"""Link targets that may become live links in print; other links print as their text."""

# ------------------------------------------------------------------------------------ inlines


@dataclass(frozen=True)
class Text:
    """Author text, printed as it is."""

    text: str
    """The text (never markup)."""


@dataclass(frozen=True)
class Space:
    """A soft line break that prints as a space (not next to a Japanese character)."""


@dataclass(frozen=True)
class LineBreak:
    """A hard line break."""


@dataclass(frozen=True)
class Code:
    """Inline code."""

    text: str
    """The code, printed literally."""


@dataclass(frozen=True)
class Emph:
    """Emphasis (``*a*``)."""

    body: tuple[Inline, ...]
    """The emphasised inlines."""


@dataclass(frozen=True)
class Strong:
    """Strong emphasis (``**a**``)."""

    body: tuple[Inline, ...]
    """The strong inlines."""


@dataclass(frozen=True)
class Link:
    """A link, live in print only when ``live``."""

    href: str
    """The target as written."""
    title: str
    """The link title ('' when none)."""
    body: tuple[Inline, ...]
    """The link text as inlines."""
    text: str
    """The link text as plain text (soft breaks as spaces)."""

    @property
    def live(self) -> bool:
        """Return whether the target is a web or mail address."""
        return self.href.lower().startswith(LIVE_SCHEMES)


Inline = Text | Space | LineBreak | Code | Emph | Strong | Link
"""One inline element; an image or any other element is reduced to its ``Text``."""
Cell = tuple[Inline, ...]
"""The inline content of one table cell."""

# ------------------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph."""

    body: tuple[Inline, ...]
    """Its inlines."""
    tight: bool = False
    """True inside a tight list (markdown-it hides those paragraphs): no paragraph spacing."""


@dataclass(frozen=True)
class Heading:
    """A heading inside a value (never part of the document outline)."""

    level: int
    """1 for ``#`` … 6 for ``######``."""
    body: tuple[Inline, ...]
    """Its inlines."""


@dataclass(frozen=True)
class BulletList:
    """A bullet list."""

    items: tuple[tuple[Block, ...], ...]
    """The blocks of each item."""
    tight: bool
    """True when its items are not separated by blank lines."""


@dataclass(frozen=True)
class OrderedList:
    """A numbered list."""

    items: tuple[tuple[Block, ...], ...]
    """The blocks of each item."""
    tight: bool
    """True when its items are not separated by blank lines."""
    start: int
    """The first number."""
    delimiter: str
    """``.`` or ``)``, as written after the numbers."""


@dataclass(frozen=True)
class Quote:
    """A block quote."""

    body: tuple[Block, ...]
    """Its blocks."""


@dataclass(frozen=True)
class Clause:
    """A standard clause (``::: clause <id> <version>``), printed with its provenance."""

    id: str
    """Clause id in the library."""
    version: str
    """Clause version."""
    body: tuple[Block, ...]
    """The clause's expanded text."""


@dataclass(frozen=True)
class CodeBlock:
    """A code block or fence."""

    text: str
    """The code without its last line break."""


@dataclass(frozen=True)
class Rule:
    """A thematic break (``---``)."""


@dataclass(frozen=True)
class Table:
    """A Markdown table."""

    rows: tuple[tuple[Cell, ...], ...]
    """Every row, the header row first when there is one."""
    header: bool
    """True when the first row is a header row."""


Block = Paragraph | Heading | BulletList | OrderedList | Quote | Clause | CodeBlock | Rule | Table
"""One block element; anything else is reduced to a ``Paragraph`` of its text."""


def parse_prose(text: str) -> tuple[Block, ...]:
    """Return Markdown prose as a tuple of blocks."""
    return _blocks(SyntaxTreeNode(parser().parse(text)).children)


def is_wide(char: str) -> bool:
    """Return whether a character is East Asian wide (kana, kanji, full-width forms)."""
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F", "H")


# ------------------------------------------------------------------- from markdown-it's tree


def _blocks(nodes: list[SyntaxTreeNode]) -> tuple[Block, ...]:
    return tuple(_block(node) for node in nodes)


def _block(node: SyntaxTreeNode) -> Block:
    """Return one block; unknown elements keep their text as a paragraph."""
    convert = _BLOCKS.get(node.type)
    return convert(node) if convert else Paragraph((Text(_plain_text(node)),))


def _ordered(node: SyntaxTreeNode) -> Block:
    start = node.attrs.get("start", 1)
    delimiter = ")" if node.children and node.children[0].markup == ")" else "."
    first = int(start) if isinstance(start, int | str) else 1
    return OrderedList(_items(node), _tight(node), first, delimiter)


def _items(node: SyntaxTreeNode) -> tuple[tuple[Block, ...], ...]:
    """Return the blocks of each list item."""
    return tuple(_blocks(item.children) for item in node.children)


def _tight(node: SyntaxTreeNode) -> bool:
    """Return whether a list is tight (markdown-it hides the paragraphs of tight lists)."""
    paragraphs = [c for item in node.children for c in item.children if c.type == "paragraph"]
    return all(p.hidden for p in paragraphs)


def _clause(node: SyntaxTreeNode) -> Block:
    _, clause_id, version = (node.info.split() + ["", "", ""])[:3]
    return Clause(clause_id, version, _blocks(node.children))


def _table(node: SyntaxTreeNode) -> Block:
    rows = [row for section in node.children for row in section.children]
    cells = tuple(tuple(_inline_of(cell) for cell in row.children) for row in rows)
    return Table(cells, bool(node.children) and node.children[0].type == "thead")


_BLOCKS: dict[str, Callable[[SyntaxTreeNode], Block]] = {
    "paragraph": lambda node: Paragraph(_inline_of(node), node.hidden),
    "heading": lambda node: Heading(int(node.tag[1:]), _inline_of(node)),
    "bullet_list": lambda node: BulletList(_items(node), _tight(node)),
    "ordered_list": _ordered,
    "blockquote": lambda node: Quote(_blocks(node.children)),
    "container_clause": _clause,
    "code_block": lambda node: CodeBlock(node.content.removesuffix("\n")),
    "fence": lambda node: CodeBlock(node.content.removesuffix("\n")),
    "hr": lambda node: Rule(),
    "table": _table,
}


def _inline_of(node: SyntaxTreeNode) -> tuple[Inline, ...]:
    """Return the inline content of a paragraph, heading or table cell."""
    inline = next((c for c in node.children if c.type == "inline"), None)
    return _inlines(inline.children) if inline else ()


def _inlines(nodes: list[SyntaxTreeNode]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for index, node in enumerate(nodes):
        if node.type != "softbreak":
            out.append(_inline(node))
        elif _soft_break_is_space(nodes, index):
            out.append(Space())
    return tuple(out)


def _inline(node: SyntaxTreeNode) -> Inline:
    """Return one inline element; unknown ones (images …) keep their text."""
    kind = node.type
    if kind == "text":
        return Text(node.content)
    if kind == "em":
        return Emph(_inlines(node.children))
    if kind == "strong":
        return Strong(_inlines(node.children))
    if kind == "code_inline":
        return Code(node.content)
    if kind == "hardbreak":
        return LineBreak()
    if kind == "link":
        href, title = str(node.attrs.get("href", "")), str(node.attrs.get("title") or "")
        return Link(href, title, _inlines(node.children), _plain_text(node))
    return Text(_plain_text(node))


def _soft_break_is_space(nodes: list[SyntaxTreeNode], index: int) -> bool:
    """Return whether a soft line break prints a space: not next to a Japanese character."""
    before = _plain_text(nodes[index - 1])[-1:] if index else ""
    after = _plain_text(nodes[index + 1])[:1] if index + 1 < len(nodes) else ""
    return not (is_wide(before) or is_wide(after))


def _plain_text(node: SyntaxTreeNode) -> str:
    """Return all text inside a node (image alt text, unknown elements)."""
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if not node.children:
        return node.content if node.token else ""
    return "".join(_plain_text(child) for child in node.children)
