"""Turn the geometry of a PDF (text runs, ruling lines) into rows of cells, as the text readers do.

A run belongs to the table cell whose four ruling lines enclose it; the runs of one cell are
cut into lines by their baselines and joined into the cell's text (a line that reaches the
cell's right edge wraps on, any other ends a paragraph). Cells whose top edges are level form a
row; a row whose first cell is not in the table's first column gets an empty leading cell, as
the tab-cell text has. A row cut by a page break continues on the next page with an empty
label cell: it is joined to the row above. Text outside every table (part headings, the page
number) becomes a one-cell row per line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from pia_build.core.labels import normalise
from pia_build.importer.cells import TextRow, fold_spacing, glue
from pia_build.importer.pdfpage import Page, Rule, Run

_BLOCK = re.compile(r"^(?:[•・※<＜【(（]|-\s|[0-9]+[.)]|[①-⑳]|\[|標準記載)")
_DRAFT = re.compile(r"^\s*[(（]?案[)）]?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?[0-9]+(?:\s*/\s*[0-9]+)?(?:\s*[-–])?\s*$")
_COLUMN_GAP = 0.9
"""Runs of a one-line cell this far apart (character heights) are separate columns."""
_EDGE = 1.5
"""A rule this close (points) to a run's edge still encloses it."""


@dataclass
class PdfRow:
    """One row of one page: its cells as (left edge, text), and where it was printed."""

    page: int
    top: float
    cells: list[tuple[float, str]]
    line: int = 0
    """Line of the page (1-based), counted in rows as printed."""
    table: bool = True
    """False for text printed outside every table."""
    bottom: float = 0.0
    """Lowest bottom edge of its cells."""
    spans: list[tuple[float, float]] = field(default_factory=list)
    """(left, bottom) of each cell box."""


@dataclass
class PdfText:
    """The rows of a whole PDF, and where each came from."""

    rows: list[TextRow] = field(default_factory=list)
    where: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Row line number → (page, line on the page)."""
    furniture: int = 0
    """Lines of page furniture dropped: page numbers, draft marks."""
    draft: bool = False
    """A draft mark (案) is printed outside the tables."""


def pdf_rows(pages: list[Page], labels: Collection[str] = ()) -> PdfText:
    """Return the rows of every page, a row split by a page break joined again.

    ``labels`` are the labels the form prints: labels printed side by side in one cell without
    a rule between them (評価書番号 評価書名) become one cell each.
    """
    known = {normalise(label) for label in labels}
    result = PdfText()
    rows: list[PdfRow] = []
    for page in pages:
        found, dropped = _page_rows(page, known)
        result.furniture += len(dropped)
        result.draft = result.draft or any(_DRAFT.match(text) for text in dropped)
        if rows and found and _continues(rows[-1], found[0]):
            _join_rows(rows[-1], found.pop(0))
        rows += found
    for number, row in enumerate(rows, start=1):
        cells = [fold_spacing(text) for _, text in row.cells]
        result.rows.append(TextRow(number, tuple(cells)))
        result.where[number] = (row.page, row.line)
    return result


def _page_rows(page: Page, known: Collection[str]) -> tuple[list[PdfRow], list[str]]:
    """Return the rows of one page in print order, and the page furniture dropped."""
    cells: dict[tuple[float, float, float, float], list[Run]] = {}
    free: list[Run] = []
    for run in page.runs:
        box = _cell(page, run)
        if box is None:
            free.append(run)
        else:
            cells.setdefault(box, []).append(run)
    found, dropped = _free_rows(page, free)
    rows = _table_rows(page.number, cells, known)
    dropped += [r.cells[0][1] for r in rows if len(r.cells) == 1 and _DRAFT.match(r.cells[0][1])]
    found += [r for r in rows if not (len(r.cells) == 1 and _DRAFT.match(r.cells[0][1]))]
    found.sort(key=lambda r: r.top)
    for block in _blocks([row for row in found if row.table]):
        _fill_spans(block)
        first = min(left for row in block for left, _ in row.cells)
        for row in block:
            row.cells.sort()
            if row.cells[0][0] > first + 3:
                row.cells.insert(0, (first, ""))
    for number, row in enumerate(found, start=1):
        row.line = number
    return found, dropped


def _table_rows(
    page: int, cells: dict[tuple[float, float, float, float], list[Run]], known: Collection[str]
) -> list[PdfRow]:
    """Return the table rows: the cells whose top edges are level."""
    rows: dict[float, PdfRow] = {}
    for box, runs in cells.items():
        row = rows.setdefault(box[1], PdfRow(page, box[1], []))
        row.bottom = max(row.bottom, box[3])
        row.spans.append((box[0], box[3]))
        lines = _lines(runs)
        if len(lines) == 1:  # one line printed in columns (評価書番号  評価書名): one cell each
            pieces = [(p[0].left, t) for p in _columns(lines[0]) for t in _labels(p, known)]
            row.cells += [(box[0], pieces[0][1]), *pieces[1:]]
        else:
            row.cells.append((box[0], cell_text(runs, box[2])))
    return list(rows.values())


def _free_rows(page: Page, free: list[Run]) -> tuple[list[PdfRow], list[str]]:
    """Return the lines printed outside every table, and the page furniture among them."""
    found: list[PdfRow] = []
    dropped: list[str] = []
    for line in _lines(free):
        text = _line_text(line)
        if _DRAFT.match(text) or _PAGE_NUMBER.match(text) and line[0].top > page.height * 0.85:
            dropped.append(text)
        else:
            found.append(PdfRow(page.number, line[0].top, [(line[0].left, text)], table=False))
    return found, dropped


def _blocks(rows: list[PdfRow]) -> list[list[PdfRow]]:
    """Return table rows grouped into tables: rows that touch the row above."""
    blocks: list[list[PdfRow]] = []
    bottom = -1.0
    for row in rows:
        if not blocks or row.top > bottom + 2:
            blocks.append([])
        blocks[-1].append(row)
        bottom = max(bottom, row.bottom)
    return blocks


def _fill_spans(block: list[PdfRow]) -> None:
    """Repeat a data-table cell that spans several rows (a merged 分類) in each row it spans."""
    for index, row in enumerate(block):
        for left, bottom in row.spans:
            text = next((t for x, t in row.cells if x == left), "")
            for below in block[index + 1 :]:
                if below.top >= bottom - 1 or not text:
                    break
                if len(below.cells) >= 2 and len(row.cells) >= 3 and left < below.cells[0][0]:
                    below.cells.append((left, text))


def _cell(page: Page, run: Run) -> tuple[float, float, float, float] | None:
    """Return the box (left, top, right, bottom) of the table cell enclosing a run, if any."""
    x, y = run.left + min(2.0, (run.right - run.left) / 2), run.middle
    left = _before(page.down, x, y)
    right = _after(page.down, x, y)
    top = _before(page.across, y, x)
    bottom = _after(page.across, y, x)
    if left is None or right is None or top is None or bottom is None:
        return None
    return (round(left, 1), round(top, 1), round(right, 1), round(bottom, 1))


def _before(rules: list[Rule], at: float, across: float) -> float | None:
    """Return the position of the nearest rule before ``at`` that spans ``across``."""
    index = bisect.bisect_left(rules, at, key=lambda r: r.at) - 1
    while index >= 0:
        rule = rules[index]
        if rule.start - _EDGE <= across <= rule.end + _EDGE:
            return rule.at
        index -= 1
    return None


def _after(rules: list[Rule], at: float, across: float) -> float | None:
    """Return the position of the nearest rule after ``at`` that spans ``across``."""
    index = bisect.bisect_right(rules, at, key=lambda r: r.at)
    while index < len(rules):
        rule = rules[index]
        if rule.start - _EDGE <= across <= rule.end + _EDGE:
            return rule.at
        index += 1
    return None


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Return runs grouped into printed lines (level baselines), each sorted left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.middle, r.left)):
        if lines and abs(lines[-1][-1].middle - run.middle) < 0.5 * run.height:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.left) for line in lines]


def _labels(piece: list[Run], known: Collection[str]) -> list[str]:
    """Return a piece's text, cut into labels when it is labels printed side by side."""
    text = _line_text(piece)
    words = text.split(" ")
    if normalise(text) in known or len(words) < 2:
        return [text]
    cut: list[str] = []
    while words:
        size = next((n for n in range(len(words), 0, -1) if _known(words[:n], known)), 0)
        if not size:
            return [text]
        cut.append(" ".join(words[:size]))
        words = words[size:]
    return cut


def _known(words: list[str], known: Collection[str]) -> bool:
    return normalise(" ".join(words)) in known


def _columns(line: list[Run]) -> list[list[Run]]:
    """Return a line cut where its runs are far apart (text printed in columns)."""
    pieces = [[line[0]]]
    for before, run in zip(line, line[1:], strict=False):
        if run.left - before.right > _COLUMN_GAP * run.height:
            pieces.append([run])
        else:
            pieces[-1].append(run)
    return pieces


def _line_text(line: list[Run]) -> str:
    """Return a line's text: runs far apart are kept apart by two spaces (columns)."""
    text = line[0].text
    for before, run in zip(line, line[1:], strict=False):
        text += ("  " if run.left - before.right > 1.5 * run.height else " ") + run.text
    return text


def cell_text(runs: list[Run], right: float) -> str:
    """Return the text of one cell: a line that reaches the right edge wraps on."""
    text = ""
    previous: list[Run] | None = None
    for line in _lines(runs):
        current = _line_text(line)
        if previous is None:
            text = current
        elif previous[-1].right >= right - 2.2 * previous[-1].height and not _BLOCK.match(current):
            text += glue(text, current) + current
        else:
            text += "\n" + current
        previous = line
    return text


def _continues(last: PdfRow, first: PdfRow) -> bool:
    """Return True when a page starts with the rest of the row the page before ended with.

    Its text starts in a column right of the label column: in a value cell of the row above.
    """
    if not (last.table and first.table):
        return False
    before = [left for left, text in last.cells if text]
    after = [left for left, text in first.cells if text]
    if not before or not after or after[0] <= before[0] + 3:
        return False
    return any(abs(after[0] - left) < 3 for left in before[1:])


def _join_rows(into: PdfRow, rest: PdfRow) -> None:
    """Append the cells of a row's continuation to the cells in the same columns."""
    for left, text in rest.cells:
        if not text:
            continue
        index = next((i for i, (x, _) in enumerate(into.cells) if abs(x - left) < 3), None)
        if index is None:
            into.cells.append((left, text))
        else:
            before = into.cells[index][1]
            into.cells[index] = (left, before + ("\n" if before else "") + text)
