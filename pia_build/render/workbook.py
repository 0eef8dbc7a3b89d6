"""Shared pieces of every workbook pia writes with XlsxWriter: formats, plain text, fixed metadata.

XlsxWriter already dates every zip member 1980-01-01; the document's creation time is the one
moving part, so it is set from SOURCE_DATE_EPOCH (or a fixed day): rebuilds are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import xlsxwriter

from pia_build.core.wareki import build_epoch

FIXED_CREATED = dt.datetime(2000, 1, 1)
"""The creation time of a workbook built without SOURCE_DATE_EPOCH."""
FONT = "Noto Sans JP"
LABEL_FILL = "#E6E6E6"
SECTION_FILL = "#CFCFCF"
_FENCE = re.compile(r"^:::.*$", re.MULTILINE)


def created() -> dt.datetime:
    """Return the creation time written into every workbook."""
    epoch = build_epoch()
    if epoch is None:
        return FIXED_CREATED
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


def plain(text: str) -> str:
    """Return Markdown prose as cell text: clause fences dropped, blank runs closed up."""
    lines = [line.rstrip() for line in _FENCE.sub("", text).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def line_count(text: str, width: int) -> int:
    """Return how many lines ``text`` wraps to in a column ``width`` characters wide.

    A wide (Japanese) character takes two of a column's character widths.
    """
    total = 0
    for line in text.split("\n") or [""]:
        units = sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in line)
        total += max(1, -(-units // max(width - 1, 1)))
    return total


def row_height(texts: list[tuple[str, int]], size: int = 9) -> float:
    """Return the row height (points) that shows every (text, column width) pair whole."""
    lines = max((line_count(text, width) for text, width in texts), default=1)
    return min(round(lines * size * 1.45 + 3, 1), 409.0)  # Excel rows stop at 409 points


def formats(book: Any) -> dict[str, Any]:
    """Return the cell formats of the form's look: bordered, wrapped, shaded labels."""
    base = {"font_name": FONT, "font_size": 9, "border": 1, "text_wrap": True, "valign": "top"}
    return {
        "title": book.add_format(
            {**base, "bold": True, "font_size": 14, "align": "center", "border": 0}
        ),
        "part": book.add_format({**base, "bold": True, "font_size": 11, "bg_color": SECTION_FILL}),
        "section": book.add_format({**base, "bold": True, "bg_color": SECTION_FILL}),
        "group": book.add_format({**base, "bold": True, "bg_color": LABEL_FILL}),
        "label": book.add_format({**base, "bg_color": LABEL_FILL}),
        "value": book.add_format(base),
        "legend": book.add_format({**base, "font_size": 8, "font_color": "#333333"}),
        "note": book.add_format({**base, "border": 0, "italic": True}),
        "head": book.add_format({**base, "bold": True, "bg_color": LABEL_FILL}),
        "num": book.add_format({**base, "align": "right"}),
    }


def workbook_bytes(fill: Callable[[Any], None], title: str) -> bytes:
    """Return the bytes of a workbook that ``fill`` writes into, with fixed metadata."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True})
    book.set_properties({"title": title, "author": "pia-build", "created": created()})
    book.set_calc_mode("manual")
    fill(book)
    book.close()
    return stream.getvalue()
