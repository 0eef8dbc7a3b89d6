"""Printed cell text → Markdown prose in the authoring format.

Cells carry HTML fragments (``<p>``, unclosed ``<ul>`` whose items are only led by ``・``,
``<table>``, ``<br>``). A ``<`` followed by Japanese text is text, not a tag
(``<川口市における措置>``, ``<選択肢>``; form-full.md §5.1), so it is protected first. The result
is Markdown that renders back to the same words: ``・`` items become ``- `` bullets, paragraphs
stay paragraphs, and nothing is read as a template or a heading.
"""

from __future__ import annotations

import re

_PROTECT = "\ue010"
_TEXT_LT = re.compile(r"<(?=[^\x00-\x7f])")
_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|ul|ol|table|tbody|thead|tr|h[1-6])\b[^>]*>", re.I)
_CELL = re.compile(r"</?(?:td|th)\b[^>]*>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BULLET = re.compile(r"(?:^|(?<=\s))[・•]\s*")
_LAYOUT_BULLET = re.compile(r"^[•・]\s*")
_TEMPLATE = re.compile(r"\{[{%#]")
_BLOCK_START = re.compile(r"^(#|>|\+ |\* |=+$|-{3,}$|\|)")


def html_lines(text: str) -> list[str]:
    """Return the lines of a cell's text: tags removed, paragraphs and list items split."""
    text = _TEXT_LT.sub(_PROTECT, text)
    text = _ITEM.sub("\n・", text)
    text = _BREAK.sub("\n", text)
    text = _CELL.sub(" ", text)
    text = _TAG.sub("", text).replace(_PROTECT, "<")
    lines: list[str] = []
    for raw in text.split("\n"):
        lines += _bullets(re.sub(r"[ \t\u3000]+", " ", raw).strip())
    return [line for line in lines if line]


def _bullets(line: str) -> list[str]:
    """Split a line of run-on ``・`` items into ``- `` bullets (a ``・`` inside a word stays)."""
    if not _BULLET.search(line):
        return [line]
    parts = _BULLET.split(line)
    head, items = parts[0].strip(), [p.strip() for p in parts[1:] if p.strip()]
    return ([head] if head else []) + [f"- {item}" for item in items]


def escape_line(line: str) -> str:
    """Return a line that Markdown and the template engine print as written."""
    line = _TEMPLATE.sub(lambda m: "{{ '" + m.group() + "' }}", line)
    if _BLOCK_START.match(line):
        line = "\\" + line
    return line.replace("**", "\\*\\*")


def to_markdown(cells: list[tuple[str, ...]]) -> str:
    """Return Markdown prose for the cells of one item, row by row.

    Consecutive rows of three or more cells (a table printed inside a cell, such as a 別紙) are
    kept one row per line, the cells separated by an ideographic space: a Markdown table would
    print header cells without scope and break the PDF's reading order.
    """
    blocks: list[str] = []
    table: list[tuple[str, ...]] = []
    for row in cells:
        if len(row) >= 3:
            table.append(row)
            continue
        if table:
            blocks.append(table_lines(table))
            table = []
        blocks.append(_paragraphs([line for cell in row for line in html_lines(cell)]))
    if table:
        blocks.append(table_lines(table))
    return "\n\n".join(b for b in blocks if b)


def _paragraphs(lines: list[str]) -> str:
    """Join lines: bullets of one list stay together, everything else is its own paragraph."""
    out: list[str] = []
    for line in lines:
        line = _LAYOUT_BULLET.sub("- ", line)
        if out and line.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + escape_line(line)
        else:
            out.append(escape_line(line))
    return "\n\n".join(out)


def table_lines(rows: list[tuple[str, ...]]) -> str:
    """Return table rows as a header line and a list, one row per item."""
    lines = ["\u3000".join(" ".join(html_lines(c)) for c in row if c.strip()) for row in rows]
    head, *body = [escape_line(line) for line in lines]
    return "\n\n".join([head, "\n".join(f"- {line}" for line in body)] if body else [head])


def one_line(cells: list[tuple[str, ...]]) -> str:
    """Return the cells as one line of text."""
    return " ".join(line for row in cells for cell in row for line in html_lines(cell)).strip()


def lines_of(cells: list[tuple[str, ...]]) -> list[str]:
    """Return the cells as separate lines (list items), bullets and dashes removed."""
    lines = [line for row in cells for cell in row for line in html_lines(cell)]
    return [re.sub(r"^(?:-|•|・)\s*", "", line) for line in lines]
