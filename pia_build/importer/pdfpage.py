"""Read the geometry of a PDF's pages with pypdfium2: text runs and the ruling lines of tables.

Only what the cell reader needs leaves this module: per page, its ruling lines (horizontal and
vertical, from the drawn paths) and its text cut into runs (characters on one baseline with no
wide gap between them), in top-down coordinates (points from the top-left corner).
"""

from __future__ import annotations

import bisect
import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_THIN = 2.5
"""A path thinner than this (points) is a ruling line."""
_GAP = 0.9
"""A gap wider than this many character heights ends a run."""
_SPACE = 0.3
"""A gap wider than this many character heights is a space inside a run."""


_SYMBOLS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf06e": "■", "\uf0d8": "▶"})
"""Bullets printed in the Symbol or Wingdings font (private-use code points) → Unicode."""


@dataclass(frozen=True)
class Rule:
    """One ruling line: horizontal (``at`` is y, from..to along x) or vertical."""

    at: float
    start: float
    end: float


@dataclass
class Run:
    """Characters printed on one baseline without a wide gap: a word or a phrase."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        """Return the run's height (its font size, roughly)."""
        return max(self.bottom - self.top, 1.0)

    @property
    def middle(self) -> float:
        """Return the run's vertical centre."""
        return (self.top + self.bottom) / 2


@dataclass
class Page:
    """What the cell reader needs of one page."""

    number: int
    width: float
    height: float
    across: list[Rule] = field(default_factory=list)
    """Horizontal rules, sorted by y."""
    down: list[Rule] = field(default_factory=list)
    """Vertical rules, sorted by x."""
    runs: list[Run] = field(default_factory=list)


class PdfUnreadable(Exception):
    """The file is not a PDF pdfium can open."""


def read_pages(path: Path) -> list[Page]:
    """Return the geometry of every page of the PDF at ``path``."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(f"{path}: not a readable PDF ({exc})") from exc
    try:
        return [_page(document[index], index + 1) for index in range(len(document))]
    finally:
        document.close()


def _page(page: pdfium.PdfPage, number: int) -> Page:
    width, height = page.get_size()
    result = Page(number, width, height)
    for bounds in _path_bounds(page):
        _add_rules(result, bounds)
    result.across.sort(key=lambda r: (r.at, r.start))
    result.down.sort(key=lambda r: (r.at, r.start))
    result.runs = _runs(page.get_textpage(), height, result.down)
    return result


def _path_bounds(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """Return (left, bottom, right, top) of every drawn path, inside form objects too."""
    found: list[tuple[float, float, float, float]] = []
    edges = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(e) for e in edges]

    def walk(count: int, get, depth: int) -> None:  # type: ignore[no-untyped-def]
        for index in range(count):
            obj = get(index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH and pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
                found.append((edges[0].value, edges[1].value, edges[2].value, edges[3].value))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
                inner = pdfium_c.FPDFFormObj_CountObjects(obj)
                walk(inner, lambda i, o=obj: pdfium_c.FPDFFormObj_GetObject(o, i), depth + 1)

    raw = page.raw
    walk(pdfium_c.FPDFPage_CountObjects(raw), lambda i: pdfium_c.FPDFPage_GetObject(raw, i), 0)
    return found


def _add_rules(page: Page, bounds: tuple[float, float, float, float]) -> None:
    """Add the ruling lines of one drawn path (a line, or the four edges of a box)."""
    left, bottom, right, top = bounds
    top_down = (page.height - top, page.height - bottom)
    if right - left < 3 and top - bottom < 3:
        return
    if top - bottom <= _THIN:
        page.across.append(Rule(sum(top_down) / 2, left, right))
    elif right - left <= _THIN:
        page.down.append(Rule((left + right) / 2, *top_down))
    else:
        page.across += [Rule(top_down[0], left, right), Rule(top_down[1], left, right)]
        page.down += [Rule(left, *top_down), Rule(right, *top_down)]


def _runs(textpage: pdfium.PdfTextPage, height: float, down: list[Rule]) -> list[Run]:
    """Return the page's text cut into runs, in the order pdfium reads it."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: read one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    boxes = _boxes(textpage, text.translate(_SYMBOLS))
    runs: list[Run] = []
    current: Run | None = None
    for char, left, top, right, bottom, space in boxes:
        if current is not None and _joins(current, left, top, right, bottom, down):
            size = current.bottom - current.top
            wide = space or left - current.right > _SPACE * size
            current.text += (" " + char) if wide else char
            current.right = max(current.right, right)
            current.top, current.bottom = min(current.top, top), max(current.bottom, bottom)
        else:
            current = Run(char, left, top, right, bottom)
            runs.append(current)
    return [run for run in runs if run.bottom > run.top]


def _boxes(
    textpage: pdfium.PdfTextPage, text: str
) -> list[tuple[str, float, float, float, float, bool]]:
    """Return (char, left, top, right, bottom, space before) of every printed character."""
    height = textpage.page.get_height()
    box = pdfium_c.FS_RECTF()
    ref = ctypes.byref(box)
    loose = pdfium_c.FPDFText_GetLooseCharBox
    raw = textpage.raw
    found = []
    space = False
    for index, char in enumerate(text):
        if char.isspace():
            space = True
        elif loose(raw, index, ref):
            found.append((char, box.left, height - box.top, box.right, height - box.bottom, space))
            space = False
    return found


def _joins(
    run: Run, left: float, top: float, right: float, bottom: float, down: list[Rule]
) -> bool:
    """Return True when a character continues ``run`` on its line: no wide gap, no rule between."""
    size = max(run.bottom - run.top, bottom - top, 1.0)
    gap = left - run.right
    widest = 3 * size if run.text[-1] in "[［" else _GAP * size  # an empty box: [   ]
    middle = (top + bottom) / 2
    if not (abs(middle - (run.top + run.bottom) / 2) < 0.45 * size and -1.2 * size < gap < widest):
        return False
    return gap < 0.2 * size or not _ruled(down, run.right, left, middle)


def _ruled(down: list[Rule], start: float, end: float, y: float) -> bool:
    """Return True when a vertical rule crosses height ``y`` between ``start`` and ``end``."""
    index = bisect.bisect_left(down, start - 1, key=lambda r: r.at)
    while index < len(down) and down[index].at <= end + 1:
        if down[index].start - 1 <= y <= down[index].end + 1:
            return True
        index += 1
    return False
