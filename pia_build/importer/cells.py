"""Read extracted text into rows of cells, each remembering its source line.

Two readers: ``read_tab`` for text whose table cells are tab-separated (the seeds), and
``read_layout`` for ``pdftotext -layout`` output, where columns are runs of spaces and long cells
wrap onto the following lines. Both drop page furniture (stand-alone ``(案)``, page numbers).
This module knows nothing of forms; ``read_layout`` only takes the printed labels it may meet,
to rejoin labels that wrapped inside a narrow label column.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Collection
from dataclasses import dataclass

from pia_build.core.labels import normalise

_DRAFT = re.compile(r"^\s*(?:[(（]案[)）]|案)\s*$")
_PAGE = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")
_SEGMENT = re.compile(r"\S+(?: \S+)*")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) +(?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) +(?=[^\x00-\x7f\s])")
_BLOCK = re.compile(r"^(?:[•・※<＜【]|-\s|[0-9]+[.)]\s|[①-⑳]|\(注|標準記載)")
"""A line starting like this opens a new block (a bullet, a heading, our clause mark), even
after a full line."""
LABEL_COLUMN = 2
"""In -layout text, a row starts with text at or left of this column (the label column)."""


@dataclass(frozen=True)
class TextRow:
    """One printed table row (or free line) of the source."""

    line: int
    """1-based line of the source where the row starts."""
    cells: tuple[str, ...]
    """Its cells, stripped; trailing empty cells dropped, leading ones kept."""
    raw: tuple[str, ...] = ()
    """For -layout text: the physical lines of the row as printed, for column slicing."""

    @property
    def text(self) -> str:
        """Return the non-empty cells joined by tabs."""
        return "\t".join(c for c in self.cells if c)


@dataclass(frozen=True)
class Source:
    """The rows of one extracted document."""

    rows: tuple[TextRow, ...]
    """Rows in print order, page furniture removed."""
    layout: bool
    """True for ``pdftotext -layout`` text (values need their digit spacing folded)."""
    draft: bool
    """A stand-alone ``(案)`` was seen: the document is a draft."""


def draft_marked(text: str) -> bool:
    """Return True when a line of its own is the draft mark (案)."""
    return any(_DRAFT.match(line) for line in text.split("\n"))


def is_layout(text: str) -> bool:
    """Return True when ``text`` looks like ``pdftotext -layout`` output rather than tab cells."""
    lines = [line for line in text.splitlines() if line.strip()]
    tabbed = sum("\t" in line for line in lines)
    return tabbed < max(3, len(lines) // 50)


def read_source(
    text: str, labels: Collection[str] = (), alone: Callable[[str], bool] = lambda _: False
) -> Source:
    """Return the rows of ``text``, choosing the reader by its shape.

    ``labels`` are the printed labels the text may hold; ``alone`` tells lines that stand on
    their own wherever they are printed (the 様式 marker).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    draft = any(_DRAFT.match(line) for line in text.split("\n"))
    if is_layout(text):
        return Source(tuple(read_layout(text, labels, alone)), True, draft)
    return Source(tuple(read_tab(text)), False, draft)


def _furniture(line: str) -> bool:
    """Return True for page furniture: a draft mark or a page number on a line of its own."""
    return bool(_DRAFT.match(line) or _PAGE.match(line))


def read_tab(text: str) -> list[TextRow]:
    """Return one row per non-blank line, split at tabs."""
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _furniture(line) or not line.strip():
            continue
        cells = [c.strip().replace("**", "") for c in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(TextRow(number, tuple(cells)))
    return rows


# --------------------------------------------------------------------------- -layout


@dataclass
class _Line:
    """One physical line of -layout text, cut into segments at runs of two or more spaces."""

    number: int
    segments: list[tuple[int, str]]
    raw: str

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        column, text = self.segments[-1]
        return column + len(text)


def _physical_lines(text: str) -> list[_Line]:
    """Return the non-blank, non-furniture lines with their segments."""
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\f", "")
        if _furniture(raw) or not raw.strip():
            continue
        segments = [(m.start(), fold_spacing(m.group())) for m in _SEGMENT.finditer(raw)]
        lines.append(_Line(number, segments, raw))
    return lines


def fold_spacing(text: str) -> str:
    """Remove the spaces pdftotext puts between Japanese text and digits or Latin letters."""
    return _CJK_GAP.sub("", text)


def _right_margin(lines: list[_Line]) -> int:
    """Return the column where wrapped prose lines end (their common right edge)."""
    ends = sorted(line.end for line in lines if len(line.segments) == 1 and line.end > 30)
    if not ends:
        return 80
    return int(statistics.quantiles(ends, n=10)[7]) if len(ends) >= 10 else ends[-1]


def read_layout(
    text: str, labels: Collection[str] = (), alone: Callable[[str], bool] = lambda _: False
) -> list[TextRow]:
    """Return rows of -layout text: a label-column start opens a row, other lines continue it."""
    lines = _physical_lines(text)
    margin = _right_margin(lines)
    known = {normalise(label) for label in labels}
    rows: list[tuple[int, list[str], list[str]]] = []
    previous: _Line | None = None
    for line in lines:
        wraps = (
            bool(rows)
            and line.start <= LABEL_COLUMN
            and _label_rest(rows[-1][1][0], line.segments[0][1], known) is not None
        )
        if alone(" ".join(s for _, s in line.segments)):
            rows.append((line.number, [s for _, s in line.segments], [line.raw]))
        elif not wraps and _opens_row(line, previous, margin):
            rows.append((line.number, _split_label(line, known), [line.raw]))
        elif rows:
            _continue(rows[-1][1], line, previous, margin, known)
            rows[-1][2].append(line.raw)
        else:
            rows.append((line.number, ["", *(s for _, s in line.segments)], [line.raw]))
        previous = line
    return [TextRow(number, tuple(cells), tuple(raw)) for number, cells, raw in rows]


def _full(line: _Line | None, margin: int) -> bool:
    """Return True when a line reaches the right margin, so the next one continues its text."""
    return line is not None and line.end >= margin - 3


def _opens_row(line: _Line, previous: _Line | None, margin: int) -> bool:
    """Return True when ``line`` starts a new row rather than continuing the previous one."""
    if line.start > LABEL_COLUMN:
        return False
    # prose printed across the page (cover) wraps back to column 0
    wrapped = (
        previous is not None and len(previous.segments) == 1 and previous.start <= LABEL_COLUMN
    )
    return not (wrapped and _full(previous, margin) and len(line.segments) == 1)


def _split_label(line: _Line, known: set[str]) -> list[str]:
    """Return [label, value, …] for a line that opens a row."""
    first = line.segments[0][1]
    rest = [s for _, s in line.segments[1:]]
    cut = _label_cut(first, known)
    if cut is None:
        return [first, *rest]
    return [first[:cut].strip(), first[cut:].strip(), *rest]


def _label_cut(text: str, known: set[str]) -> int | None:
    """Return where a label printed one space before its value ends, or None."""
    if normalise(text) in known or " " not in text:
        return None
    for index in sorted((i for i, c in enumerate(text) if c == " "), reverse=True):
        head = normalise(text[:index])
        if head in known or (len(head) >= 6 and any(k.startswith(head) for k in known)):
            return index
    return None


def _continue(
    cells: list[str], line: _Line, previous: _Line | None, margin: int, known: set[str]
) -> None:
    """Append a continuation line to the open row (rejoining a wrapped label first)."""
    texts = [s for _, s in line.segments]
    rest = _label_rest(cells[0], texts[0], known) if line.start <= LABEL_COLUMN else None
    if rest is not None:
        cells[0] += texts[0][: len(texts[0]) - len(rest)].strip()
        texts = [rest, *texts[1:]] if rest else texts[1:]
        if not texts:
            return
    joined = "  ".join(texts)
    if len(cells) == 1:
        cells.append(joined)
    elif _full(previous, margin) and len(line.segments) == 1 and not _BLOCK.match(joined):
        cells[-1] += glue(cells[-1], joined) + joined
    else:
        cells[-1] += "\n" + joined


def _label_rest(label: str, text: str, known: set[str]) -> str | None:
    """Return the value text after the rest of a label that wrapped in the label column.

    None when ``text`` does not continue ``label``. A wrapped label may be followed by its
    value after a single space (``ルールの内容及びルール遵守の確 況を確認する。``).
    """
    if not normalise(label) or normalise(label) in known:
        return None  # (a note row ※… normalises to nothing: it is no label piece)
    cuts = [len(text)] + [i for i in range(len(text) - 1, 0, -1) if text[i] == " "]
    for cut in cuts:
        joined = normalise(label + text[:cut])
        if any(k.startswith(joined) for k in known if len(k) > 4):
            return text[cut:].strip()
    return None


def glue(before: str, after: str) -> str:
    """Return what joins a wrapped line: a space between Latin words, nothing in Japanese."""
    if before and after and before[-1].isascii() and after[0].isascii():
        return " " if before[-1].isalnum() and after[0].isalnum() else ""
    return ""


_CONTINUED = re.compile(r"^(.*?)\s*[（(]\s*続き\s*[）)]\s*$")
_BACK = 3
"""How many rows back the row a continuation continues may be (page furniture between)."""


def join_continued(rows: tuple[TextRow, ...]) -> tuple[TextRow, ...]:
    """Return the rows with each ``<label>（続き）`` row joined to the row of that label.

    A row cut by a page break is printed again on the next page with its label marked as
    continued (``⑧使用方法 ※（続き）``); its cells continue the cells of the row above.
    """
    out: list[TextRow] = []
    for row in rows:
        first = next((i for i, c in enumerate(row.cells) if c), None)
        match = _CONTINUED.match(row.cells[first]) if first is not None else None
        target = _continued_row(out, match.group(1)) if match else None
        if target is None or first is None:
            out.append(row)
            continue
        before = out[target]
        cells = list(before.cells)
        rest = [c for c in row.cells[first + 1 :] if c]
        if rest and cells:
            cells[-1] = "\n".join(c for c in (cells[-1], rest[0]) if c)
            cells += rest[1:]
        out[target] = TextRow(before.line, tuple(cells), before.raw + row.raw)
    return tuple(out)


def _continued_row(rows: list[TextRow], label: str) -> int | None:
    """Return the index of the recent row whose label is ``label``."""
    wanted = normalise(label)
    for index in range(len(rows) - 1, max(-1, len(rows) - 1 - _BACK), -1):
        first = next((c for c in rows[index].cells if c), "")
        if normalise(first) == wanted:
            return index
    return None
