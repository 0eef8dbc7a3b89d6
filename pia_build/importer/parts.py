"""Cut the rows of a document into the parts of its form: cover, Ⅰ, Ⅱ (1), Ⅱ (2) … 別添.

Part headings are recognised by the part labels of the form definition. The table of contents
(項目一覧: a run of part headings with nothing between them) is dropped with its title row.
Per-file parts repeat once per 特定個人情報ファイル; a heading may carry the file number
(``(2) 本人確認情報ファイル``), and a part that is one table (別添2) switches file at a
``(n) name`` line.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from pia_build.core.labels import normalise
from pia_build.forms.spec import FormSpec, PartSpec
from pia_build.importer.cells import TextRow
from pia_build.importer.slots import FUZZY, cell_label, iter_groups, row_number

_FILE_NUMBER = re.compile(r"^\s*[(（]([0-9]+)[)）]\s*(\S.*)?$")
_TOC_RUN = 3
"""A run of at least this many part headings is the table of contents."""


@dataclass
class PartRows:
    """The rows of one part instance."""

    spec: PartSpec
    """The part."""
    number: int
    """File number of a per-file part (1, 2 …); 0 otherwise."""
    line: int
    """Source line of its heading (1 for the cover)."""
    rows: list[TextRow] = field(default_factory=list)
    """Rows below the heading, up to the next part."""


def heading_part(row: TextRow, form: FormSpec) -> tuple[PartSpec, int] | None:
    """Return (part, file number or 0) when the row is a part heading."""
    cells = [c for c in row.cells if c]
    # a heading opens its row and has at most a file name beside it (not a 変更箇所 row)
    if not row.cells or not row.cells[0] or len(cells) > 2:
        return None
    text = cell_label(cells[0])
    hint = " ".join(cells[1:])
    for part in form.parts[1:]:
        label = normalise(part.label)
        if text == label or text.startswith(label) and _file_hint(text[len(label) :]) is not None:
            return part, _file_hint(text[len(label) :]) or _file_hint(hint) or 0
    best = max(form.parts[1:], key=lambda p: _ratio(text, normalise(p.label)))
    return (best, _file_hint(hint) or 0) if _ratio(text, normalise(best.label)) >= FUZZY else None


def _ratio(text: str, label: str) -> float:
    """Return the similarity of a misprinted heading (別紙3 for 別添3) with the same numbering."""
    if text[:1] != label[:1] or text[:1] not in "(IV":
        return 0.0
    return difflib.SequenceMatcher(None, text, label, autojunk=False).ratio()


def _file_hint(text: str) -> int | None:
    """Return n for a trailing ``(n) ファイル名`` beside a heading."""
    match = _FILE_NUMBER.match(unicodedata.normalize("NFKC", text.replace("**", "")))
    return int(match.group(1)) if match else None


def file_switch(row: TextRow) -> int | None:
    """Return n when a row is only ``(n) name``: the start of file n inside a one-table part."""
    cells = [c for c in row.cells if c]
    return _file_hint(cells[0]) if len(cells) == 1 else None


def split_parts(rows: list[TextRow], form: FormSpec) -> list[PartRows]:
    """Return the part instances of the document in print order (the cover first)."""
    headings = [heading_part(row, form) for row in rows]
    skip = _toc(rows, headings)
    parts = [PartRows(form.parts[0], 0, 1)]
    seen: dict[str, int] = {}
    for index, (row, found) in enumerate(zip(rows, headings, strict=True)):
        if index in skip:
            continue
        if found is not None and parts[-1].spec is form.parts[-1] is not found[0]:
            # nothing follows the last annex (変更箇所): the heading of a part printed before
            # it is a cell of its table (VI 評価実施手続 in the 項目 column)
            found = None if any(p.spec is found[0] for p in parts) else found
        if found is None and parts[-1].spec is form.parts[0] and (again := _resumed(row, form)):
            # the pages before were lost: the part is known by its rows
            parts.append(PartRows(again[0], _number(again[0], 0, seen, parts[-1]), row.line))
            parts[-1].rows.append(row)
            continue
        if found is None:
            _switch_file(parts, row, seen)
            parts[-1].rows.append(row)
            continue
        part, hint = found
        number = _number(part, hint, seen, parts[-1])
        if not (parts[-1].spec is part and parts[-1].number == number):
            parts.append(PartRows(part, number, row.line))
    return parts


def _resumed(row: TextRow, form: FormSpec) -> tuple[PartSpec, int] | None:
    """Return the part a row can only belong to: a group row header (システム3) or a section."""
    first = next((cell_label(c) for c in row.cells if c.strip()), "")
    if not first:
        return None
    for part in form.parts[1:]:
        for _, spec in iter_groups(part.items):
            if row_number(spec, first) is not None:
                return part, 0
        if any(cell_label(s.label) == first for s in part.items if s.kind == "section"):
            return part, 0
    return None


def _number(part: PartSpec, hint: int, seen: dict[str, int], current: PartRows) -> int:
    """Return the file number a heading of ``part`` opens."""
    if not part.per_file:
        return 0
    if hint:
        number = hint
    elif _one_table(part):
        # a page header repeated over a long annex stays in the same file
        number = current.number if current.spec is part else seen.get(part.key, 0) + 1
    else:
        number = seen.get(part.key, 0) + 1
    seen[part.key] = max(seen.get(part.key, 0), number)
    return number


def _one_table(part: PartSpec) -> bool:
    """Return True for a part that is a single list or table (別添 記録項目)."""
    return len(part.items) == 1 and part.items[0].kind in ("table", "list")


def _switch_file(parts: list[PartRows], row: TextRow, seen: dict[str, int]) -> None:
    """Open file n of a one-table part at a ``(n) name`` line."""
    current = parts[-1]
    number = file_switch(row)
    if not (current.spec.per_file and _one_table(current.spec) and number):
        return
    if number != current.number and (current.rows or current.number == 0):
        parts.append(PartRows(current.spec, number, row.line))
        seen[current.spec.key] = max(seen.get(current.spec.key, 0), number)
    elif not current.rows:
        current.number = number


def _toc(rows: list[TextRow], headings: list) -> set[int]:  # type: ignore[type-arg]
    """Return the indexes of the table of contents and of its title row."""
    run: list[int] = []
    for index, found in enumerate(headings):
        # the contents list each part once: a repeated part is the body's first heading
        if found is not None and all(headings[i][0] is not found[0] for i in run):
            run.append(index)
            continue
        if len(run) >= _TOC_RUN:
            break
        run = [index] if found is not None else []
    if len(run) < _TOC_RUN:
        return set()
    title = run[0] - 1
    single = title >= 0 and len([c for c in rows[title].cells if c]) == 1
    return set(run) | ({title} if single else set())
