"""Read plain ``pdftotext`` output (no -layout): text in the order the PDF drew it.

Such text keeps no columns: a label stands on its own line, and its value follows, often not
at once. A row of the form may print all its labels first and the values after them (``①``,
``②``, then the value of ①, then that of ②), a standard-clause mark (``標準記載 … v1``) right
after its label and the clause text later, and an option legend or a second column of
checkboxes as a block of its own. The reader keeps the labels waiting for a value in a queue:
each new block of value text goes to the oldest label still waiting; a block that continues a
value (an option legend, ``<選択肢>``, the second column of checkboxes) goes to the value before
it; a block that is only a clause mark goes to the label just printed and leaves it waiting for
its text. Blocks are separated by blank lines, as pdftotext prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pia_build.importer.cells import TextRow

_PAGE = re.compile(r"^\s*[0-9]+\s*/\s*[0-9]+\s*$")
_DRAFT = re.compile(r"^\s*(?:[(（]案[)）]|案)\s*$")
_MARK = re.compile(r"^\s*標準記載\s+\S+\s+v\s*[0-9]+\s*$")
_BOX = re.compile(r"^\s*\[\s*[○〇OoＯ]?\s*\]")
_LOOK = 3
"""How many lines after the first piece of a wrapped label its rest may be printed."""
_GOES_ON = re.compile(r"^\s*(?:[<＜]選択肢[>＞]|[0-9]+\)\s|\]|\[\s*$|\[\s*[○〇]?\s*\]\s*\S)")
"""A block that starts like this continues the value before it (an option legend)."""


def is_raw(text: str) -> bool:
    """Return True for plain pdftotext output: no tabs, and almost no column gaps."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or any("\t" in line for line in lines[:400]):
        return False
    gapped = sum(bool(re.search(r"\S {2,}\S|^ ", line)) for line in lines)
    return gapped < 0.1 * len(lines)


@dataclass
class _Row:
    line: int
    label: str
    values: list[str] = field(default_factory=list)
    marked: bool = False
    """It received only a clause mark so far: its text is still to come."""


class _Reader:
    def __init__(self, label: Callable[[str], str | None], heading: Callable[[str], bool]):
        self.label, self.heading = label, heading
        self.rows: list[_Row] = []
        self.waiting: list[_Row] = []
        self.block: _Row | None = None
        self.first = ""

    def line(self, number: int, text: str) -> None:
        """Take one non-blank line."""
        stripped = text.strip()
        if self.heading(stripped):
            self.rows.append(_Row(number, stripped))
            self.waiting.clear()
            self.block = None
        elif (names := self.label(stripped)) is not None:
            row = _Row(number, names)
            self.rows.append(row)
            self.waiting.append(row)
            self.block = None
        elif self.block is not None:
            self.block.values.append(stripped)
        else:
            self.block = self._target(number, stripped)
            self.block.values.append(stripped)
            self.first = stripped

    def _target(self, number: int, text: str) -> _Row:
        """Return the row a new block of value text belongs to."""
        last = self.rows[-1] if self.rows else None
        if _MARK.match(text) and last is not None and last in self.waiting:
            last.marked = True
            return last
        before = self._previous()
        boxes = before is not None and _BOX.match(before.values[0] if before.values else "")
        goes_on = _GOES_ON.match(text) and (not _BOX.match(text) or boxes)
        if goes_on and before is not None:
            return before
        if self.waiting:
            row = self.waiting.pop(0)
            return row
        if last is not None and not self.heading(last.label):
            return last
        row = _Row(number, "")
        self.rows.append(row)
        return row

    def _previous(self) -> _Row | None:
        """Return the row the last block of value text went to."""
        return next((r for r in reversed(self.rows) if r.values), None)

    def end_block(self) -> None:
        """A blank line: the next value text starts a new block."""
        self.block = None


def _rejoin(
    lines: list[tuple[int, str]],
    label: Callable[[str], str | None],
    prefix: Callable[[str], bool],
) -> list[tuple[int, str]]:
    """Return the lines with labels that wrapped joined again.

    A label wraps inside its narrow column (``②取扱いを委託する特定個人情`` / ``報ファイルの
    範囲``), and the drawing order may put a value line between its two pieces: the rest is
    looked for up to ``_LOOK`` lines ahead; the lines in between follow the joined label.
    """
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        number, line = lines[index]
        head, value = _head(line.strip(), label, prefix)
        rest = None
        if head and label(head) is None:
            ahead = lines[index + 1 : index + 1 + _LOOK]
            rest = next((i for i, (_, t) in enumerate(ahead) if label(head + t.strip())), None)
        if not head or (rest is None and label(head) is None):
            out.append((number, line))
            index += 1
            continue
        if rest is None:  # a whole label with its value beside it
            out += [(number, head), (number, value)] if value else [(number, head)]
            index += 1
            continue
        out.append((number, head + lines[index + 1 + rest][1].strip()))
        out += ([(number, value)] if value else []) + lines[index + 1 : index + 1 + rest]
        index += rest + 2
    return out


def _head(
    line: str, label: Callable[[str], str | None], prefix: Callable[[str], bool]
) -> tuple[str, str]:
    """Return (label or first piece of one, value printed beside it) of a line, or ("", "")."""
    if not line or label(line) is not None:
        return "", ""
    cuts = [len(line)] + [i for i, c in enumerate(line) if c == " "]
    for cut in cuts:
        head = line[:cut].strip()
        if head and (label(head) is not None or prefix(head)):
            return head, line[cut:].strip()
    return "", ""


def read_raw(
    text: str,
    label: Callable[[str], str | None],
    heading: Callable[[str], bool],
    prefix: Callable[[str], bool] = lambda _: False,
) -> list[TextRow]:
    """Return rows [label, value] of plain pdftotext text.

    ``label`` returns the label a line prints (None for value text); ``heading`` tells part,
    section and group-row headings, which take no value; ``prefix`` tells the first piece of a
    label that wrapped.
    """
    reader = _Reader(label, heading)
    lines = list(enumerate(text.replace("\f", "\n").split("\n"), start=1))
    for number, line in _rejoin(lines, label, prefix):
        if not line.strip() or _PAGE.match(line) or _DRAFT.match(line):
            reader.end_block()
        else:
            reader.line(number, line)
    rows = []
    for row in reader.rows:
        value = "\n".join(row.values)
        cells = (row.label, value) if value else (row.label,)
        rows.append(TextRow(row.line, cells if row.label else ("", value)))
    return rows
