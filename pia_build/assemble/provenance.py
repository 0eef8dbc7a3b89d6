"""The copy for submission: an assembled document without the provenance of standard clauses.

Clause expansions reach the renderers as Markdown containers (``::: clause <id> <version>``);
PDF and DOCX print each as a block headed ``標準記載 <id> v<version>``, which reviewers want and
the submitted, published copy must not carry. Here the containers are unwrapped: the clause text
stays, the marks go. The site keeps them (``pia build --for submission`` changes PDF and DOCX only).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pia_build.assemble.shapes import AssembledDoc, Cell, Display, Row

_FENCE = re.compile(r"^[ \t]*:{3,}[ \t]*(?:clause\b.*)?$\n?", re.MULTILINE)


def unwrap_clauses(text: str) -> str:
    """Return Markdown with every ``::: clause`` container replaced by its body.

    A fence line becomes an empty line, so the body stays apart from the text around it.
    """
    return _FENCE.sub("\n", text) if ":::" in text else text


def without_provenance(doc: AssembledDoc) -> AssembledDoc:
    """Return the document with no clause provenance marks in any value."""
    parts = tuple(replace(p, rows=_rows(p.rows)) for p in doc.parts)
    return replace(doc, cover=_rows(doc.cover), parts=parts)


def _rows(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    return tuple(r if r.display is None else replace(r, display=_display(r.display)) for r in rows)


def _display(display: Display) -> Display:
    text = unwrap_clauses(display.text) if display.kind == "text" else display.text
    rows = tuple(tuple(_cell(c) for c in row) for row in display.rows)
    return replace(display, text=text, rows=rows)


def _cell(cell: Cell) -> Cell:
    return replace(cell, text=unwrap_clauses(cell.text)) if cell.markdown else cell
