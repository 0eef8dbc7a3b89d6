"""AssembledDoc → DOCX bytes in the official layout, through pandoc and layouts/docx/reference.docx.

The document is built as pandoc's AST (``render.pandoc`` nodes), never as markup for a reader:
author text travels as plain strings. It prints what layouts/evaluation.html prints: cover,
項目一覧, each part as a bordered label/value table whose section rows are real merged cells,
``[選択値]`` with the right-aligned ``<選択肢>``, ``[○]``/``[　]`` marks, ※ marks, and standard
clauses headed by a small ``標準記載 <id> v<version>`` line. Paragraph styles are named with
``custom-style`` and defined in reference.docx (scripts/make_reference_docx.py), so a person can
restyle the output in Word or LibreOffice. Prose is parsed by ``render.markdown.parser()``, the
same parse as the HTML output.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from ..model import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from . import pandoc as pd
from .markdown import parser

FORMAT = "docx"
REFERENCE = Path("docx") / "reference.docx"
"""The style sheet, relative to the layouts folder."""
LABEL_WIDTH = 0.32
"""Share of the text width taken by the label column (as in layouts/assets/style.css)."""
OPTION_LINE = 64
"""Half-width units of ``<選択肢>`` text per line (the value column at 9 pt holds about 70)."""
COLUMN_CAP = 24
"""A table column gets no wider than this many half-width units of its longest cell."""
BLANK = "\u3000"
"""What an empty ``[ ]`` holds: an ideographic space, as the printed form."""

Node = pd.Node
Cells = list[pd.TableCell]


def disabled_message() -> str | None:
    """Return why DOCX output cannot be produced here, or None when it can."""
    return pd.disabled_message()


def render(doc: AssembledDoc, layouts: Path) -> bytes:
    """Return the DOCX of one evaluation."""
    meta = {"title": pd.meta_text(doc.title), "lang": pd.meta_text("ja-JP")}
    return pd.to_docx(document_blocks(doc), meta, layouts / REFERENCE)


def document_blocks(doc: AssembledDoc) -> list[Node]:
    """Return the body after the title: draft mark, cover, 項目一覧, then every part."""
    blocks = [pd.styled("Draft Mark", [pd.text("案")])] if doc.draft else []
    blocks += [form_table(doc.cover), pd.styled("Marker", [pd.text(doc.marker)])]
    blocks.append(pd.header(1, [pd.text("項目一覧")], "toc"))
    for label, anchor in doc.toc:
        blocks.append(pd.styled("TOC Entry", [pd.link([pd.text(label)], f"#{anchor}")]))
    for part in doc.parts:
        blocks += [pd.header(1, _part_heading(part), part.anchor), form_table(part.rows)]
    return blocks


def _part_heading(part: AssembledPart) -> list[Node]:
    """Return a part heading: label, ※ note, and for per-file parts the file number and name."""
    heading = part.label + (f" {part.star}" if part.star else "")
    if part.number:
        heading += f" ({part.number}) {part.file_name}".rstrip()
    return [pd.text(heading)]


def form_table(rows: tuple[Row, ...]) -> Node:
    """Return the label/value table of a list of rows."""
    body = [cells for row in rows for cells in _table_rows(row)]
    return pd.table((LABEL_WIDTH, 1 - LABEL_WIDTH), [], body)


def _table_rows(row: Row) -> list[Cells]:
    """Return the table rows of one printed row; merged cells span both columns.

    Section and group headings take one merged cell. A table value (記録項目, 変更箇所) is too wide
    for the value column, so its label and the table each take a merged row of their own.
    """
    label = [pd.span([pd.text(row.label + (" ※" if row.star else ""))], row.anchor)]
    if row.kind != "item" or row.display is None:
        style = "Section Row" if row.kind == "section" else "Group Row"
        return [[pd.cell([pd.styled(style, label)], colspan=2)]]
    label_cell = pd.styled(f"Label {min(row.depth, 3) + 1}", label)
    value = value_blocks(row.display)
    if row.display.kind == "table":
        return [[pd.cell([label_cell], colspan=2)], [pd.cell(value, colspan=2)]]
    return [[pd.cell([label_cell]), pd.cell(value)]]


# --------------------------------------------------------------------------- values


def value_blocks(display: Display) -> list[Node]:
    """Return how one value prints in its cell."""
    kind = display.kind
    if kind == "choice":
        return _choice(display)
    if kind == "multi":
        return _checks(display.marks)
    if kind == "flag":
        return [pd.styled("Value", [pd.text(_box(display.checked))])]
    if kind == "text":
        return [pd.div(prose(display.text), "Value")] if display.text.strip() else []
    if kind == "list":
        return [pd.bullet_list([[pd.plain([pd.text(item)])] for item in display.items])]
    if kind == "table":
        return [_data_table(display)]
    return [pd.styled("Value", _lines(display.text))] if display.text else []


def _box(checked: bool) -> str:
    """Return the printed check mark (☐/☑ are missing from the CJK fonts; the form prints these)."""
    return "[○]" if checked else f"[{BLANK}]"


def _choice(display: Display) -> list[Node]:
    """Return ``[ 選択値 ]`` and the right-aligned ``<選択肢>`` list of numbered options."""
    selected = pd.styled("Choice Selected", [pd.text(f"[ {display.selected or BLANK} ]")])
    options: list[Node] = [pd.text("<選択肢>")]
    for line in _option_lines([f"{m.number}) {m.label}" for m in display.marks]):
        options += [pd.line_break(), pd.text(BLANK.join(line))]
    return [selected, pd.styled("Choice Options", options)]


def _option_lines(options: list[str]) -> list[list[str]]:
    """Return the options packed into lines, so that no option breaks across lines.

    Word has no "nowrap" (the HTML layout's ``white-space: nowrap``): break between options
    ourselves, by display width (a Japanese character counts 2), as the printed form does.
    """
    lines: list[list[str]] = []
    used = OPTION_LINE
    for option in options:
        width = display_width(option) + 2
        if used + width > OPTION_LINE:
            lines.append([])
            used = 0
        lines[-1].append(option)
        used += width
    return lines


def display_width(text: str) -> int:
    """Return the width of a text in half-width character units."""
    return sum(2 if _is_wide(char) else 1 for char in text)


def _checks(marks: tuple[Mark, ...]) -> list[Node]:
    """Return one ``[○] option`` line per option, with a ``・group`` line before each group."""
    blocks: list[Node] = []
    group = ""
    for mark in marks:
        if mark.group and mark.group != group:
            blocks.append(pd.styled("Check Group", [pd.text(f"・{mark.group}")]))
        group = mark.group
        blocks.append(pd.styled("Check", [pd.text(f"{_box(mark.checked)} {_option(mark)}")]))
    return blocks


def _option(mark: Mark) -> str:
    """Return an option's text with its ``( )`` detail and ``( ) 件`` count."""
    text = mark.label
    if mark.has_detail:
        text += f" ({mark.detail})"
    if mark.has_count:
        text += f" ({BLANK if mark.count is None else mark.count}) 件"
    return text


def _lines(text: str) -> list[Node]:
    """Return plain text with its line breaks kept."""
    inlines: list[Node] = []
    for index, line in enumerate(text.strip("\n").split("\n")):
        inlines += [pd.line_break(), pd.text(line)] if index else [pd.text(line)]
    return inlines


def _data_table(display: Display) -> Node:
    """Return a table value (記録項目, 変更箇所 …) with a header row repeated on each page."""
    head = [[pd.cell([pd.plain([pd.text(c)])]) for c in display.columns]]
    body = [[pd.cell(_cell_blocks(c)) for c in row] for row in display.rows]
    return pd.table(column_widths(display), head, body)


def _cell_blocks(cell: Cell) -> list[Node]:
    if cell.markdown:
        return prose(cell.text)
    return [pd.plain(_lines(cell.text))] if cell.text else []


def column_widths(display: Display) -> list[float]:
    """Return column widths: room for the header, and for cell text up to a cap."""
    weights = [max(display_width(c), 6) for c in display.columns]
    for row in display.rows:
        cells = (min(display_width(cell.text), COLUMN_CAP) for cell in row)
        weights = [max(w, n) for w, n in zip(weights, cells, strict=False)]
    return [w / sum(weights) for w in weights] if weights else []


# --------------------------------------------------------------------------- prose


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
    return [] if _is_wide(before) or _is_wide(after) else [pd.space()]


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F", "H")


def _plain_text(node: SyntaxTreeNode) -> str:
    """Return all text inside a node."""
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if not node.children:
        return node.content if node.token else ""
    return "".join(_plain_text(child) for child in node.children)
