"""AssembledDoc → XLSX in the layout of the form: label and value rows, shaded labels, merged
section headers, ※ marks, the ``<選択肢>`` legend of every choice, and a print setup (A4, one page
wide, a page break before every part) so it prints like the PDF.

Columns: A the label, B the value, C the legend of the options. The only module that writes an
evaluation's workbook; ``render.workbook`` holds what every workbook shares.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from pia_build.assemble.shapes import AssembledDoc, Display, Row
from pia_build.core.theme import Layouts
from pia_build.render.workbook import formats, plain, row_height, workbook_bytes

FORMAT = "xlsx"
WIDTHS = (34, 62, 30)
"""Widths of columns A–C in characters."""


def disabled_message() -> str | None:
    """Return why XLSX output cannot be produced here, or None when it can."""
    if importlib.util.find_spec("xlsxwriter") is None:
        return "XLSX output needs the XlsxWriter package (pip install XlsxWriter)"
    return None


def render(doc: AssembledDoc, layouts: Layouts) -> bytes:
    """Return the workbook of one evaluation."""
    return workbook_bytes(lambda book: _sheet(book, doc), doc.name)


def value_text(display: Display) -> str:
    """Return a value as printed in its cell."""
    if display.kind == "choice":
        return f"[ {display.selected} ]" if display.selected else "[ ]"
    if display.kind == "multi":
        return "\n".join(_mark(m.checked, m.label, m.detail, m.count) for m in display.marks)
    if display.kind == "flag":
        return "[○]" if display.checked else "[ ]"
    if display.kind == "list":
        return "\n".join(display.items)
    if display.kind == "table":
        head = " / ".join(display.columns)
        body = [" / ".join(plain(c.text) for c in row) for row in display.rows]
        return "\n".join([head, *body]) if body else head
    return plain(display.text) if display.text else ""


def _mark(checked: bool, label: str, detail: str, count: int | None) -> str:
    extra = f" ( {detail} )" if detail else f" ( {count} ) 件" if count is not None else ""
    return f"[{'○' if checked else ' '}] {label}{extra}"


def legend(display: Display) -> str:
    """Return the ``<選択肢>`` legend printed beside a choice."""
    if display.kind != "choice" or not display.marks:
        return ""
    return "<選択肢>\n" + "\n".join(f"{m.number}) {m.label}" for m in display.marks)


class _Writer:
    """Writes rows top to bottom and remembers where each part starts."""

    def __init__(self, sheet: Any, look: dict[str, Any]) -> None:
        self.sheet, self.look, self.row = sheet, look, 0
        self.breaks: list[int] = []

    def merged(self, text: str, style: str) -> None:
        self.sheet.merge_range(self.row, 0, self.row, 2, text, self.look[style])
        size = 14 if style == "title" else 11 if style == "part" else 9
        self.sheet.set_row(self.row, row_height([(text, sum(WIDTHS))], size))
        self.row += 1

    def item(self, row: Row) -> None:
        assert row.display is not None
        label = ("　" * row.depth) + row.label + (" ※" if row.star else "")
        if row.display.kind == "table" and row.display.rows:
            self.line(label, " / ".join(row.display.columns), "")
            for cells in row.display.rows:  # one sheet row per table row: cells hold 32,767 chars
                self.line("", " / ".join(plain(c.text) for c in cells), "")
            return
        self.line(label, value_text(row.display), legend(row.display))

    def line(self, label: str, value: str, options: str) -> None:
        texts = [label, value, options]
        for column, (text, style) in enumerate(
            zip(texts, ("label", "value", "legend"), strict=True)
        ):
            self.sheet.write_string(self.row, column, text, self.look[style])
        self.sheet.set_row(self.row, row_height(list(zip(texts, WIDTHS, strict=True))))
        self.row += 1

    def rows(self, rows: tuple[Row, ...]) -> None:
        for row in rows:
            if row.kind == "item":
                self.item(row)
            else:
                indent = "　" * row.depth
                text = indent + row.label + (" ※" if row.star else "")
                self.merged(text, "section" if row.kind == "section" else "group")


def _sheet(book: Any, doc: AssembledDoc) -> None:
    """Write the evaluation's one sheet: cover, then every part from a new page."""
    sheet = book.add_worksheet("評価書")
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    out = _Writer(sheet, formats(book))
    if doc.draft:
        out.merged("案", "note")
    out.merged(doc.title, "title")
    out.rows(doc.cover)
    out.merged(doc.marker, "note")
    for part in doc.parts:
        out.breaks.append(out.row)
        file = f"　({part.number}) {part.file_name}" if part.number else ""
        out.merged(f"{part.label}{' ' + part.star if part.star else ''}{file}", "part")
        out.rows(part.rows)
    _print_setup(sheet, out.row, out.breaks, doc)


def _print_setup(sheet: Any, last: int, breaks: list[int], doc: AssembledDoc) -> None:
    """A4 portrait, one page wide, a break before every part, page numbers in the footer."""
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_area(0, 0, max(last - 1, 0), 2)
    sheet.set_h_pagebreaks([b for b in breaks if b > 0])
    sheet.set_header(f"&R&8{doc.marker}")
    sheet.set_footer("&C&8&P / &N")
    sheet.hide_gridlines(2)
