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

import io
import re
import zipfile
from pathlib import Path

from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from pia_build.core.theme import Layouts
from pia_build.render import pandoc as pd
from pia_build.render.docx_prose import prose
from pia_build.render.prose import is_wide

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


def render(doc: AssembledDoc, layouts: Layouts) -> bytes:
    """Return the DOCX of one evaluation."""
    meta = {"title": pd.meta_text(doc.title), "lang": pd.meta_text("ja-JP")}
    return shade_labels(pd.to_docx(document_blocks(doc), meta, layouts / REFERENCE))


FILLS = {"Label": "E6E6E6", "GroupRow": "E6E6E6", "SectionRow": "CFCFCF"}
"""Cell shading by the style of the cell's first paragraph (as layouts/assets/style.css)."""
_LABEL_CELL = re.compile(
    r"<w:tcPr(?: />|>(?P<props>(?:(?!</w:tcPr>).)*)</w:tcPr>)"
    r'(?=<w:p><w:pPr><w:pStyle w:val="(?P<style>Label\d|GroupRow|SectionRow)")'
)


def shade_labels(data: bytes) -> bytes:
    """Return the DOCX with its label, group and section cells shaded grey.

    pandoc cannot shade table cells nor keep a row on one page, so the cell properties of
    word/document.xml get a ``w:shd`` and its rows, but the long ones, ``w:cantSplit``; every
    other part of the package is copied unchanged, in order, with its date.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                xml = _LABEL_CELL.sub(_shaded, content.decode("utf-8"))
                content = _ROW.sub(_kept_together, xml).encode("utf-8")
            target.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()


_ROW = re.compile(r"<w:tr>((?:(?!</w:tr>).)*)</w:tr>")
KEPT_TEXT = 600
"""A row holding at most this many characters (about a third of a page) is kept on one page."""
_TAG = re.compile(r"<[^>]+>")


def _kept_together(match: re.Match[str]) -> str:
    """Return a row marked ``cantSplit`` unless it is long: Word then never breaks it across pages,
    so a choice stays with its legend and a label with its value."""
    row = match[1]
    if "<w:tbl" in row or len(_TAG.sub("", row)) > KEPT_TEXT:
        return match[0]
    return f"<w:tr><w:trPr><w:cantSplit /></w:trPr>{row}</w:tr>"


def _shaded(match: re.Match[str]) -> str:
    if "<w:shd" in (match["props"] or ""):
        return match[0]
    fill = FILLS["Label" if match["style"].startswith("Label") else match["style"]]
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}" />'
    return f"<w:tcPr>{match['props'] or ''}{shading}</w:tcPr>"


def document_blocks(doc: AssembledDoc) -> list[Node]:
    """Return the body after the title: draft mark, cover, 項目一覧, then every part."""
    blocks = [pd.styled("Draft Mark", [pd.text("案")])] if doc.draft else []
    blocks.append(form_table(doc.cover))
    if doc.marker:
        blocks.append(pd.styled("Marker", [pd.text(doc.marker)]))
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
    body = [cells for row in rows if not row.on_heading for cells in _table_rows(row)]
    return pd.table((LABEL_WIDTH, 1 - LABEL_WIDTH), [], body)


def _table_rows(row: Row) -> list[Cells]:
    """Return the table rows of one printed row; merged cells span both columns.

    Section and group headings take one merged cell. A table value (記録項目, 変更箇所) is too wide
    for the value column, so its label and the table each take a merged row of their own.
    """
    label = [pd.span([pd.text(row.label + (" ※" if row.star else ""))], row.anchor)]
    if row.kind != "item" or row.display is None:
        style = "Section Row" if row.kind == "section" else "Group Row"
        flags = [pd.text(f"{BLANK}{_box(f.checked)} {f.label}") for f in row.flags]
        return [[pd.cell([pd.styled(style, label + flags)], colspan=2)]]
    label_cell = pd.styled(f"Label {min(row.depth, 3) + 1}", label)
    value = value_blocks(row.display)
    if row.display.kind == "table":
        return [[pd.cell([label_cell], colspan=2)], [pd.cell(value, colspan=2)]]
    return [[pd.cell([label_cell]), pd.cell(value)]]


# --------------------------------------------------------------------------- values


def value_blocks(display: Display) -> list[Node]:
    """Return how one value prints in its cell (未記入 first for an item a draft left empty)."""
    if display.unwritten:
        return [pd.styled("Value", [pd.text("未記入")]), *_value_blocks(display)]
    return _value_blocks(display)


def _value_blocks(display: Display) -> list[Node]:
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
    """Return the ``<選択肢>`` caption, ``[ 選択値 ]`` and the numbered options below it.

    The caption heads the cell at the right, as the published form prints it (its cell is the
    caption, then the value beside the options); the options are right-aligned under the value.
    """
    chosen = f"[ {display.selected or BLANK} ]" + (f" {display.count}" if display.count else "")
    caption = pd.styled("Choice Options", [pd.text("<選択肢>")])
    selected = pd.styled("Choice Selected", [pd.text(chosen)])
    texts = [f"{m.number}) {m.label}" for m in display.marks]
    columns = display.legend_columns
    grid = [texts[i : i + columns] for i in range(0, len(texts), columns)] if columns else []
    options: list[Node] = []
    for line in grid or _option_lines(texts):
        options += [pd.line_break(), pd.text(BLANK.join(line))]
    return [caption, selected, pd.styled("Choice Options", options[1:])]


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
    return sum(2 if is_wide(char) else 1 for char in text)


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
