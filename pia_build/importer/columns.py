"""Cut ``pdftotext -layout`` table lines into cells at the header's column positions.

A table printed by pdftotext has no cell separators: a header line (the column labels of the
form) gives the columns, and each following line is cut where a word starts near a column.
A line whose first cell is empty continues the row above (a cell that wrapped).
"""

from __future__ import annotations

import re

from pia_build.core.labels import normalise
from pia_build.forms.spec import ItemSpec
from pia_build.importer.cells import fold_spacing, glue
from pia_build.importer.place import Found

Row = tuple[tuple[str, ...], int]


def layout_rows(found: list[Found], spec: ItemSpec) -> list[Row]:
    """Return table rows from -layout lines sliced at the header's column positions."""
    labels = [normalise(c.label) for c in spec.children]
    anchors = [_anchor(c) for c in spec.children]
    starts: list[int] = []
    rows: list[tuple[list[str], int]] = []
    for raw, number in [(line, f.line) for f in found for line in f.raw]:
        header = _header_starts(raw, labels)
        if header is not None:
            starts = header
            rows.append(([], number))  # a header ends the row above it
        elif not starts:
            rows.append(([raw.strip()], number))
        else:
            cells = _slice(raw, starts, anchors)
            if not cells[0] and rows and rows[-1][0] and rows[-1][0][0] and any(cells[1:]):
                rows[-1] = (
                    [_join(a, b) for a, b in zip(rows[-1][0], cells, strict=False)],
                    rows[-1][1],
                )
            else:
                rows.append((cells, number))
    return [(tuple(cells), number) for cells, number in rows]


def _join(before: str, after: str) -> str:
    """Join a cell's wrapped lines (no space inside Japanese text)."""
    return before + glue(before, after) + after if before and after else before or after


def _header_starts(raw: str, labels: list[str]) -> list[int] | None:
    """Return the column starts of a header line (the column labels), else None."""
    words = list(re.finditer(r"\S+", raw))
    if len(words) < 2 or not all(normalise(w.group()) in labels for w in words):
        return None
    return [w.start() for w in words]


_DATE_CELL = r"(?:令和|平成|昭和)\s*(?:元|[0-9]+)\s*年\s*[0-9]+\s*月\s*[0-9]+\s*日"


def _anchor(column: ItemSpec) -> re.Pattern[str] | None:
    """Return what a cell of this column looks like, when its kind says (a date, an option)."""
    if column.kind == "date":
        return re.compile(_DATE_CELL)
    if column.kind == "choice" and column.options:
        return re.compile("|".join(re.escape(o.label) for o in column.options))
    return None


def _slice(raw: str, starts: list[int], anchors: list[re.Pattern[str] | None]) -> list[str]:
    """Cut a line at the column starts, snapping each cut to a word that starts nearby.

    A date column ends where its date ends; a choice column starts at its option, wherever
    pdftotext put it (character columns are approximate).
    """
    words = [m.start() for m in re.finditer(r"(?<!\S)\S", raw)]
    cuts = [0]
    for index, start in enumerate(starts[1:], start=1):
        cut = _anchored(raw, start, cuts[-1], anchors[index - 1], anchors[index])
        if cut is None:
            near = [w for w in words if abs(w - start) <= 2 and w > cuts[-1]]
            cut = min(near, key=lambda w: abs(w - start)) if near else start
        cuts.append(max(cut, cuts[-1]))
    cuts.append(len(raw) + 1)
    return [fold_spacing(raw[a:b].strip()) for a, b in zip(cuts, cuts[1:], strict=False)]


def _anchored(
    raw: str, start: int, after: int, before: re.Pattern[str] | None, own: re.Pattern[str] | None
) -> int | None:
    """Return a cut fixed by the kinds of the columns on either side of it, if any."""
    if before is not None and before.pattern == _DATE_CELL:
        date = before.match(raw, after)
        if date is not None and abs(date.end() - start) <= 4:
            return date.end()
    if own is not None and own.pattern != _DATE_CELL:
        options = [m.start() for m in own.finditer(raw) if abs(m.start() - start) <= 4]
        return min(options, key=lambda o: abs(o - start)) if options else None
    return None
