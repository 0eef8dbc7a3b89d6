"""AssembledDoc → PDF bytes through our typst template (layouts/pdf/evaluation.typ).

The only module that imports typst; it compiles in-process. The document reaches the template as
JSON in ``sys.inputs``, and prose travels as a block tree (``render.typst_markup``), so no source
text is ever parsed as typst markup. Fonts come from pinned PyPI packages (``render.fonts``)
and system fonts are ignored, so every machine produces the same bytes. Layout belongs to the
template; this module only shapes the data (rows grouped into what must stay together).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from collections.abc import Iterator
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Row
from pia_build.core.theme import Layouts
from pia_build.core.wareki import build_epoch
from pia_build.render.fonts import FontsMissing, font_dirs
from pia_build.render.typst_markup import prose_blocks

if TYPE_CHECKING:
    import typst

FORMAT = "pdf"
TEMPLATE = Path("pdf") / "evaluation.typ"
"""The template, relative to the layouts folder; its folder is the typst project root."""

Data = dict[str, object]
_SHORT_COLUMN = 12
"""Table columns whose texts are all at most this long are sized to their content."""


class PdfError(Exception):
    """typst could not compile a document: a template problem, not an author's mistake."""


def disabled_message() -> str | None:
    """Return why PDF output cannot be produced here, or None when it can."""
    if importlib.util.find_spec("typst") is None:
        return "PDF output needs the typst package (pip install typst)"
    try:
        font_dirs()
    except FontsMissing as exc:
        return f"PDF output needs its fonts: {exc}"
    return None


def render(doc: AssembledDoc, layouts: Layouts) -> bytes:
    """Return the PDF of one evaluation."""
    return compile_template(layouts / TEMPLATE, document_data(doc))


def compile_template(template: Path, data: Data) -> bytes:
    """Return the PDF of a typst template given ``data`` as JSON in ``sys.inputs.data``.

    The template's folder is the typst project root; fonts are the pinned ones only.
    """
    import typst

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        pdf = typst.compile(
            template,
            root=template.parent,
            font_paths=_fonts(),
            ignore_system_fonts=True,
            format="pdf",
            sys_inputs={"data": text},
        )
    except typst.TypstError as exc:
        raise PdfError(f"{template}: {exc.message}\n{exc.diagnostic}") from exc
    return pdf


@cache
def _fonts() -> typst.Fonts:
    """Return the font set, loaded once per process (typst then shares the parsed fonts)."""
    import typst

    dirs = [str(path) for path in font_dirs()]
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=dirs)


def document_data(doc: AssembledDoc) -> Data:
    """Return everything the template prints, as JSON-ready values."""
    return {
        "title": doc.title,
        "name": doc.name,
        "marker": doc.marker,
        "draft": doc.draft,
        "org_name": doc.org_name,
        "date": document_date(),
        "cover": [_row_data(row) for row in doc.cover],
        "toc": _toc_data(doc),
        "parts": _numbered([_part_data(part) for part in doc.parts]),
    }


def _numbered(parts: list[Data]) -> list[Data]:
    """Give every item row a document-wide id (``uid``): the template labels its print pieces."""
    number = 0
    for part in parts:
        for segment in part["segments"]:  # type: ignore[attr-defined]
            for row in segment.get("rows", [segment.get("row")]):
                number += 1
                row["uid"] = str(number)
    return parts


def document_date() -> list[int] | None:
    """Return the PDF's date from SOURCE_DATE_EPOCH, or None: no date keeps builds reproducible."""
    epoch = build_epoch()
    if epoch is None:
        return None
    at = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    return [at.year, at.month, at.day, at.hour, at.minute, at.second]


def _toc_data(doc: AssembledDoc) -> list[Data]:
    """Return the 項目一覧 lines; a line links to its part when that part is printed."""
    anchors = {part.anchor for part in doc.parts if part.anchor}
    return [{"label": label, "anchor": a, "linked": a in anchors} for label, a in doc.toc]


def _part_data(part: AssembledPart) -> Data:
    """Return one part with its rows grouped into segments."""
    return {
        "label": part.label,
        "anchor": part.anchor,
        "number": part.number,
        "file_name": part.file_name,
        "star": part.star,
        "segments": segments(part.rows),
    }


def segments(rows: tuple[Row, ...]) -> list[Data]:
    """Group rows for print: runs of items form one table, headers stand alone.

    Section and group headers (``bar``) and tables (``wide``: their label as a header, the table
    at full width) are printed as separate blocks so that a header can stick to what follows it;
    typst cannot keep one table row with the next.
    """
    out: list[Data] = []
    for row in rows:
        if row.on_heading:
            continue
        if row.kind != "item":
            out.append({"kind": "bar", "row": _row_data(row)})
        elif row.display is not None and row.display.kind == "table":
            out.append({"kind": "wide", "row": _row_data(row)})
        elif out and out[-1]["kind"] == "items":
            items = out[-1]["rows"]
            assert isinstance(items, list)
            items.append(_row_data(row))
        else:
            out.append({"kind": "items", "rows": [_row_data(row)]})
    return out


def _row_data(row: Row) -> Data:
    """Return one printed row."""
    return {
        "kind": row.kind,
        "label": row.label,
        "anchor": row.anchor,
        "depth": row.depth,
        "star": row.star,
        "flags": [asdict(flag) for flag in row.flags],
        "display": None if row.display is None else _display_data(row.display),
    }


def _display_data(display: Display) -> Data:
    """Return a value's display; prose becomes a block tree, split into printed pieces."""
    data = asdict(display)
    data["blocks"] = prose_blocks(display.text) if display.kind == "text" else None
    data["pieces"] = _pieces(data["blocks"]) if data["blocks"] else None  # type: ignore[arg-type]
    data["rows"] = [[_cell_data(cell) for cell in row] for row in display.rows]
    data["widths"] = _column_widths(display)
    return data


SHORT_BLOCK = 600
"""A prose block up to this many characters is kept on one page (about a third of a page)."""


def _pieces(blocks: list[Data]) -> list[Data]:
    """Return a text's blocks as printed pieces, one table row each.

    Lists are split into their items (numbering kept), so a long list breaks between items; a
    heading stays with the block after it. A piece is ``short`` when it is kept on one page.
    """
    units: list[list[Data]] = []
    pending: list[Data] = []
    for block in blocks:
        for unit in (u for b in _split_list(block) for u in _split_paragraph(b)):
            if unit.get("type") == "heading":
                pending.append(unit)
                continue
            units.append([*pending, unit])
            pending = []
    if pending:
        units.append(pending)
    sizes = [len(json.dumps(u, ensure_ascii=False)) for u in units]
    return [{"blocks": u, "short": n <= SHORT_BLOCK * 2} for u, n in zip(units, sizes, strict=True)]


_CLAUSE = re.compile(r"[^。、]*[。、]|[^。、]+")
"""A sentence or clause of Japanese prose: the places a long paragraph may be cut."""


def _size(node: object) -> int:
    return len(json.dumps(node, ensure_ascii=False))


def _split_paragraph(block: Data) -> list[Data]:
    """Return a paragraph too long to keep on one page as consecutive short paragraphs.

    Cut after a 。 or 、 (a run with neither, every SHORT_BLOCK characters), so that each piece
    is unbreakable and a piece that starts a page repeats the label (no empty label cell).
    """
    body = block.get("body")
    if block.get("type") != "paragraph" or not isinstance(body, list):
        return [block]
    if _size(block) <= SHORT_BLOCK * 2:
        return [block]
    chunks: list[list[object]] = [[]]
    used = 0
    for token in _tokens(body):
        if used and used + _size(token) > SHORT_BLOCK:
            chunks.append([])
            used = 0
        chunks[-1].append(token)
        used += _size(token)
    return [{**block, "body": chunk} for chunk in chunks]


def _tokens(body: list[object]) -> Iterator[object]:
    """Yield a paragraph's inlines with its plain text cut into clauses of SHORT_BLOCK at most."""
    for inline in body:
        if not isinstance(inline, str):
            yield inline
            continue
        for clause in _CLAUSE.findall(inline):
            yield from (clause[i : i + SHORT_BLOCK] for i in range(0, len(clause), SHORT_BLOCK))


def _split_list(block: Data) -> list[Data]:
    """Return a list block as one single-item list per item; any other block as it is."""
    items = block.get("items")
    if block.get("type") not in ("list", "enum") or not isinstance(items, list) or len(items) < 2:
        return [block]
    start = block.get("start", 1)
    assert isinstance(start, int)
    return [
        {**block, "items": [item], **({"start": start + n} if block["type"] == "enum" else {})}
        for n, item in enumerate(items)
    ]


def _cell_data(cell: Cell) -> Data:
    """Return a table cell: Markdown cells as a block tree, others as plain text."""
    return {"text": cell.text, "blocks": prose_blocks(cell.text) if cell.markdown else None}


def _column_widths(display: Display) -> list[int]:
    """Return relative column widths; 0 = as wide as its content (short columns such as dates).

    Weights follow the longest text of each column, within 4..24; when every column is short,
    the last one takes the remaining width so the table spans the page.
    """
    widths = []
    for index, column in enumerate(display.columns):
        longest = max([len(column)] + [len(row[index].text) for row in display.rows])
        widths.append(0 if longest <= _SHORT_COLUMN else min(max(longest, 4), 24))
    if widths and not any(widths):
        widths[-1] = 1
    return widths
