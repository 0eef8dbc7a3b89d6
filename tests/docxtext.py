"""Helpers for the DOCX tests: reading a DOCX's parts and paragraphs, and the texts a document must
carry in printed order."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

import pytest
from conftest import REPO
from htmltext import html_text

from pia_build.assemble.shapes import AssembledDoc, Cell, Display, Row
from pia_build.render.markdown import render_markdown

LAYOUTS = REPO / "layouts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LARGEST = "mihon-jumin"


def need(missing: str | None) -> None:
    """Skip when a tool is missing, but fail under CI=true: CI must run every test."""
    if missing is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing} (CI=true: the tool must be installed)")
    pytest.skip(missing)


# --------------------------------------------------------------------------- reading DOCX


def part(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """Return (style id, text) of every paragraph; a line break reads as a newline."""
    out = []
    for p in ET.fromstring(part(data)).iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(
            (e.text or "") if e.tag == f"{W}t" else "\n"
            for e in p.iter()
            if e.tag in (f"{W}t", f"{W}br")
        )
        out.append(("" if style is None else style.get(f"{W}val", ""), text))
    return out


def raw_text(data: bytes) -> str:
    return "".join(e.text or "" for e in ET.fromstring(part(data)).iter(f"{W}t"))


def squash(text: str) -> str:
    """NFKC, no whitespace: how texts are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# --------------------------------------------------------------------------- expected content


def expected(doc: AssembledDoc) -> list[str]:
    """Return, in printed order, every label and value text the document must carry."""
    pieces = [doc.title, *_rows(doc.cover), doc.marker, "項目一覧"]
    pieces += [label for label, _ in doc.toc]
    for p in doc.parts:
        pieces += [p.label, p.star, p.file_name, *_rows(p.rows)]
    return [s for s in (squash(p) for p in pieces) if s]


def _rows(rows: tuple[Row, ...]) -> list[str]:
    out: list[str] = []
    for row in rows:
        out.append(row.label)
        if row.display is not None:
            out += _values(row.display)
    return out


def _values(d: Display) -> list[str]:
    if d.kind == "choice":
        return ["<選択肢>", d.selected, *(m.label for m in d.marks)]
    if d.kind == "multi":
        groups = [
            m.group if i == 0 or m.group != d.marks[i - 1].group else ""
            for i, m in enumerate(d.marks)
        ]
        return [p for g, m in zip(groups, d.marks, strict=True) for p in (g, m.label, m.detail)]
    if d.kind == "text":
        return [markdown_text(d.text)]
    if d.kind == "list":
        return list(d.items)
    if d.kind == "table":
        cells = [cell_text(c) for row in d.rows for c in row]
        return [*d.columns, *cells]
    return [d.text]


def markdown_text(text: str) -> str:
    """Return the visible text of prose, as the HTML output shows it."""
    return html_text(render_markdown(text))


def cell_text(cell: Cell) -> str:
    return markdown_text(cell.text) if cell.markdown else cell.text


def assert_in_order(text: str, pieces: list[str]) -> None:
    cursor = 0
    for piece in pieces:
        found = text.find(piece, cursor)
        assert found >= 0, f"{piece!r} missing after …{text[max(cursor - 60, 0) : cursor]!r}"
        cursor = found + len(piece)
