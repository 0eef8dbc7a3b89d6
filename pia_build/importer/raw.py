"""Read plain ``pdftotext`` output (no -layout): text in the order the PDF drew it.

Such text keeps no columns: a label stands on its own line, and its value follows, often not
at once. A row of the form may print all its labels first and the values after them (``①``,
``②``, then the value of ①, then that of ②; LibreOffice's PDFs print whole tables so, with no
blank line between two values), a standard-clause mark (``標準記載 … v1``) right after its label
and the clause text later, and an option legend or a second column of checkboxes as a block of
its own, sometimes after the next labels. The reader keeps the labels waiting for a value in a
queue (across section and group headings, not across a part heading) and shares each run of
value text among them and the label before them by form order and by kind (``pairing``). A
label that took only a clause mark keeps waiting for its text. LibreOffice's page numbers (a
bare number, last on its page) are page furniture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pia_build.core.labels import display_width, normalise
from pia_build.importer.cells import TextRow
from pia_build.importer.known import (
    LabelKind,
    all_options,
    marked_label,
    marked_text,
    squashed,
)
from pia_build.importer.pairing import Line, legend, share
from pia_build.importer.rawlines import boxes, page_numbers, page_starts, rejoin

_PAGE = re.compile(r"^\s*[0-9]+\s*/\s*[0-9]+\s*$")
_DRAFT = re.compile(r"^\s*(?:[(（]案[)）]|案)\s*$")
_MARK = re.compile(r"^\s*標準記載\s+\S+\s+v\s*[0-9]+\s*$")
_LONG = frozenset({"text", "list", "table", "multi"})
"""Kinds whose value may go on in a later block."""
_RECENT = 40
"""How many rows back an option legend may find its choice item."""
_GROUP_HEAD = re.compile(r"^\S+?\s*[0-9]+$")
"""A group row's header alone (移転先 1), not a range header (提供先 2～5)."""
_GROUP_ROW = re.compile(r"^(\S+?\s*[0-9]+)\s+(\S.*)$")
"""A group row's header with the row's name beside it (委託事項 1 市民課窓口業務)."""
_FRAGMENT = re.compile(r"\S\s+([\[\]])$")
_GLUED_CHOICE = re.compile(
    r"^(.*[^\s\[\]])\s+(\[\s*([^\[\]○〇]+?)\s*\](?:\s*[(（]\s*[0-9]*\s*[)）]\s*件)?)$"
)
_NEXT_BOX = re.compile(r"(?<=\S)\s+(?=\[\s*[○〇]?\s*\]\s*\S)")
_CLAUSE_MIN = 12
"""A clause text shorter than this (squashed) is too common to be looked for."""
_FLAG = re.compile(r"^\[\s*[○〇]?\s*\]\s*(\S.*)$")
_FILE = re.compile(r"^\s*[(（][0-9]+[)）]\s*\S")
"""``(1) 住民基本台帳ファイル``: the file a per-file part is about."""


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
    kind: LabelKind = LabelKind()
    optional: bool = False
    """A group row's header: it may take the row's name from the next run, or nothing."""
    legends: list[str] = field(default_factory=list)
    """Option legend lines, printed after the value wherever pdftotext put them."""


class _Reader:
    """Collects runs of value lines and shares each among the labels waiting for a value."""

    def __init__(self, known: Known, wrap: int):
        self.known, self.wrap = known, wrap
        self.rows: list[_Row] = []
        self.waiting: list[_Row] = []
        self.run: list[Line] = []
        self.numbers: list[int] = []
        self.blank = self.paged = False
        self.before: _Row | None = None
        """The row that took the last value text."""

    def line(self, number: int, text: str) -> None:
        """Take one non-blank line."""
        stripped = text.strip()
        if self.known.heading(stripped) or self.known.part(stripped):
            self.flush()
            self.rows.append(_Row(number, stripped))
            if self.known.part(stripped):
                self.waiting.clear()
                self.before = None
            elif _GROUP_HEAD.match(stripped):  # 移転先 1: its name may come with the values
                self.rows[-1].optional, self.rows[-1].kind = True, LabelKind(frozenset({"line"}))
                self.waiting.append(self.rows[-1])
        elif (names := self.known.label(stripped)) is not None:
            marks = self._marks_ahead(self.known.kind(names))
            self.flush()
            row = _Row(number, names, marks, kind=self.known.kind(names))
            self.rows.append(row)
            self.waiting.append(row)
        elif _FILE.match(stripped) and (heading := self._file_of()) is not None:
            heading.values.append(stripped)  # (1) 住民基本台帳ファイル: the file of Ⅱ (1)
        elif (named := _GROUP_ROW.match(stripped)) and self.known.heading(named.group(1)):
            self.flush()  # 委託事項 1 市民課窓口業務: a group row's header and its name
            self.rows.append(_Row(number, named.group(1), [named.group(2)]))
        else:
            blank = self.blank and not self.paged
            for piece in _pieces(stripped):
                self.run.append(Line(piece, blank))
                self.numbers.append(number)
                blank = False
        self.blank = self.paged = False

    def _marks_ahead(self, kind: LabelKind) -> list[str]:
        """Return the clause marks at the end of the run that belong to the label after it.

        They are taken out of the run: LibreOffice draws the mark of a value cell before its
        label. A mark belongs to the next label when its clause is written for that item, or
        when it is all the run after a heading.
        """
        count = 0
        while count < len(self.run) and _MARK.match(self.run[-1 - count].text):
            count += 1
        named = count and all(
            marked_label(line.text) in kind.names for line in self.run[len(self.run) - count :]
        )
        last = self.rows[-1] if self.rows else None
        after_heading = last is not None and self.known.heading(last.label)
        alone = count == len(self.run) and (
            after_heading or not any(not r.optional for r in self.waiting)
        )
        if not count or not (named or alone):
            return []
        marks = [line.text for line in self.run[len(self.run) - count :]]
        del self.run[len(self.run) - count :], self.numbers[len(self.numbers) - count :]
        return marks

    def _file_of(self) -> _Row | None:
        """Return the part heading just printed, when it still lacks its file, else None."""
        if self.run:
            return None
        for row in reversed(self.rows):
            if self.known.part(row.label):
                return None if row.values or re.search(r"[(（][0-9]+[)）]", row.label) else row
            if row.values:
                return None
        return None

    def end_block(self, page: bool = False) -> None:
        """A blank line (or a page break): the next value text may start a new value.

        Not when a page break came since the last text: a value goes on over a page.
        """
        self.blank = True
        self.paged = self.paged or page

    def flush(self) -> None:
        """Share the run of value lines read since the last label among the waiting labels."""
        run, numbers = self._legends(self._flags(boxes(self.run))), self.numbers
        self.run, self.numbers = [], []
        if not run:
            return
        run = self._clause_texts(run)
        if not run:
            return
        candidates = ([self.before] if self.before is not None else []) + self.waiting
        if not self.waiting:
            self._target(numbers[0], run[0].blank).values.extend(line.text for line in run)
            return
        kinds = [c.kind for c in candidates]
        optional = [c.optional for c in candidates]
        ends, used = share(run, kinds, self.before is not None, self.wrap, optional)
        start = 0
        for row, end in zip(candidates[:used], ends, strict=False):
            piece = [line.text for line in run[start:end]]
            row.values.extend(piece)
            if piece and not all(_MARK.match(t) for t in row.values):
                self.before = row
            start = end
        given = set(map(id, candidates[:used]))
        self.waiting = [
            r
            for r in self.waiting
            if not r.optional
            and (id(r) not in given or r.values and all(_MARK.match(t) for t in r.values))
        ]

    def _clause_texts(self, run: list[Line]) -> list[Line]:
        """Give a marked label the lines that print its standard clause, wherever they stand.

        pdftotext may print the clause texts of marked rows after the text of an unmarked
        row below them; the mark names the clause, the library has its text.
        """
        for row in [r for r in self.waiting if r.values and all(_MARK.match(t) for t in r.values)]:
            body = marked_text(row.values[-1])
            span = _span(run, body) if len(body) >= _CLAUSE_MIN else None
            if span is not None:
                row.values += [line.text for line in run[span[0] : span[1]]]
                run = run[: span[0]] + run[span[1] :]
                self.waiting.remove(row)
        return run

    def _flags(self, run: list[Line]) -> list[Line]:
        """Give the checkboxes printed right after a section heading to it (``[○] 委託しない``)."""
        last = self.rows[-1] if self.rows else None
        if last is None or not self.known.heading(last.label) or self.known.part(last.label):
            return run
        taken = 0
        for line in run:
            box = _FLAG.match(line.text)
            if box is None or "flag" not in self.known.kind(box.group(1)).kinds:
                break
            last.values.append(line.text)
            taken += 1
        return run[taken:]

    def _legends(self, run: list[Line]) -> list[Line]:
        """Give the legend lines of known options to their choice items; return the others."""
        kept: list[Line] = []
        heads: list[str] = []
        target: _Row | None = None
        for line in run:
            listed = legend(line.text)
            if listed == frozenset():  # <選択肢>: goes with the options of its legend
                heads.append(line.text)
                continue
            found = self._owner(listed) if listed and listed <= all_options() else None
            if found is None:
                kept.append(line)
            else:
                target = found
                found.legends.append(line.text)
        target = target or self._owner(frozenset())
        if heads and target is not None:
            target.legends.extend(heads)  # a lone <選択肢> says nothing but where a legend was
        elif heads:
            kept += [Line(h, False) for h in heads]
        return kept

    def _owner(self, options: frozenset[str]) -> _Row | None:
        """Return the waiting or recent choice item whose options include ``options``."""
        recent = [r for r in reversed(self.rows[-_RECENT:]) if r.values]
        for row in [*self.waiting, *recent]:
            if "choice" in row.kind.kinds and options <= row.kind.options:
                return row
        return None

    def _named(self, row: _Row) -> bool:
        """Return True for a group row's header printed with its name (移転先 2 …)."""
        return bool(_GROUP_ROW.match(f"{row.label} x")) and self.known.heading(row.label)

    def _target(self, number: int, blank: bool) -> _Row:
        """Return the row value text goes to when no label waits for one.

        A new block after a value of one line (a date, a name, a choice) is a row of its own;
        the line after a group row's name continues the name.
        """
        last = self.rows[-1] if self.rows else None
        if last is not None and last.values and not blank and self._named(last):
            return last  # the name of a group row (移転先 2 …) goes on
        single = last is not None and last.values and not last.kind.kinds & _LONG
        if last is not None and single and blank:
            last = None
        elif self.before is not None and last is not None and last is self.before:
            return last
        if (
            last is not None
            and not self.known.heading(last.label)
            and not self.known.part(last.label)
        ):
            self.before = last
            return last
        row = _Row(number, "")
        self.rows.append(row)
        self.before = row
        return row


def _span(run: list[Line], body: str) -> tuple[int, int] | None:
    """Return (first, end) of the consecutive lines that print ``body`` (squashed), or None."""
    for first, line in enumerate(run):
        text = squashed(line.text)
        if not text or not body.startswith(text):
            continue
        end = first + 1
        while end < len(run) and body.startswith(text + (more := squashed(run[end].text))):
            text, end = text + more, end + 1
        if len(text) >= 0.9 * len(body):
            return first, end
    return None


def _pieces(text: str) -> list[str]:
    """Return a value line cut where pdftotext glued what the PDF drew apart.

    A stray bracket of a box drawn elsewhere (``…限定する。 [``), a choice value after prose
    (``…限る。 [ 十分である ]``), two checkboxes on one line (``[○] 接続しない(入手) [ ] …``).
    """
    fragment = _FRAGMENT.search(text)
    if fragment and text.count("[") != text.count("]"):
        return [*_pieces(text[: fragment.start() + 1]), fragment.group(1)]
    choice = _GLUED_CHOICE.match(text)
    if choice and normalise(choice.group(3)) in all_options():
        return [choice.group(1), choice.group(2)]
    boxes = [m.start() for m in _NEXT_BOX.finditer(text)] if _FLAG.match(text) else []
    if boxes:
        return [text[: boxes[0]].strip(), *_pieces(text[boxes[0] :].strip())]
    return [text]


@dataclass(frozen=True)
class Known:
    """What the reader knows of the forms' labels."""

    label: Callable[[str], str | None]
    """The label a line prints (None for value text)."""
    heading: Callable[[str], bool]
    """Part, section and group-row headings, which take no value."""
    prefix: Callable[[str], bool] = lambda _: False
    """The first piece of a label that wrapped."""
    kind: Callable[[str], LabelKind] = lambda _: LabelKind()
    """The kinds and options of the items a label names."""
    part: Callable[[str], bool] = lambda _: False
    """Part headings (Ⅱ 特定個人情報ファイルの概要, maybe with its file): no label waits past one."""


def read_raw(text: str, known: Known) -> list[TextRow]:
    """Return rows [label, value] of plain pdftotext text."""
    lines = list(enumerate(text.replace("\f", "\n").split("\n"), start=1))
    widths = sorted(display_width(line.strip()) for _, line in lines if line.strip())
    reader = _Reader(known, widths[len(widths) * 95 // 100] if widths else 0)
    furniture, starts = page_numbers(text), page_starts(text)
    for number, line in rejoin(lines, known.label, known.prefix):
        if number in starts or _PAGE.match(line) or number in furniture:
            reader.end_block(page=True)
        if not line.strip() or _PAGE.match(line) or _DRAFT.match(line) or number in furniture:
            reader.end_block()
        else:
            reader.line(number, line)
    reader.flush()
    rows = []
    for row in reader.rows:
        value = "\n".join(row.values + row.legends).replace("\uf0b7", "・")
        cells = (row.label, value) if value else (row.label,)
        rows.append(TextRow(row.line, cells if row.label else ("", value)))
    return rows
