"""Read the rows of a part that is one table: （別添）変更箇所 and 特定個人情報ファイル記録項目.

Rows are matched to the form's columns by position. A 変更箇所 row is aligned on its 提出時期
(a column with an option list); a row with a merged or missing cell is repaired and reported,
and a row printed twice (003 prints one block again with OCR noise) is dropped with a warning.
The 記録項目 may be printed as a run-on list (``1. 住民票コード、2. 漢字氏名``), as rows, or as
sub-tables laid out several across the page, which are read column by column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.core.labels import normalise
from pia_build.core.wareki import DateError, format_wareki, parse_date
from pia_build.forms.spec import ItemSpec
from pia_build.importer.columns import layout_rows
from pia_build.importer.marks import match_option, plain
from pia_build.importer.parts import file_switch
from pia_build.importer.place import Found
from pia_build.importer.prose import one_line, to_markdown
from pia_build.importer.slots import FUZZY, cell_label

Row = tuple[tuple[str, ...], int]
_ITEM = re.compile(r"^\s*([0-9]+)[.．]?\s+(\S.*)$")
_DASHES = re.compile(r"[ー－—―‐一\-]")
_DUPLICATE = 0.95
_OCR = (("ファイラー", "ファイルー"), ("力ード", "カード"))
"""OCR substitutions seen in the second copy of a block printed twice (form-full.md §5.5)."""


def read_table(
    spec: ItemSpec, found: list[Found], source: str, layout: bool
) -> tuple[list[dict[str, object]], list[Diagnostic]]:
    """Return the table's rows keyed by column label, and the repairs made."""
    labels = [normalise(c.label) for c in spec.children]
    rows = layout_rows(found, spec) if layout and any(f.raw for f in found) else _tab_rows(found)
    # headers and the like end a block of rows (a page of a long annex) and are dropped
    rows = [((), line) if _furniture(spec, cells) else (cells, line) for cells, line in rows]
    problems: list[Diagnostic] = []
    if any(c.kind == "choice" for c in spec.children):
        cells = _aligned(spec, rows, source, problems)
    else:
        cells = _records(rows, labels, source, problems)
    out = [_row(spec, c) for c in cells]
    return [r for r in out if any(v not in (None, "") for v in r.values())], problems


def _tab_rows(found: list[Found]) -> list[Row]:
    return [(f.cells, f.line) for f in found]


def _furniture(spec: ItemSpec, cells: tuple[str, ...]) -> bool:
    """Return True for a header row, the item's own label, or a ``(n) file`` line."""
    texts = [cell_label(c) for c in cells if c.strip()]
    if not texts or texts == [normalise(spec.label)]:
        return True
    if file_switch_cells(cells):
        return True
    labels = [normalise(c.label) for c in spec.children]
    return all(max(_ratio(t, label) for label in labels) >= FUZZY for t in texts)


def file_switch_cells(cells: tuple[str, ...]) -> bool:
    from pia_build.importer.cells import TextRow

    return file_switch(TextRow(0, cells)) is not None


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --------------------------------------------------------------------------- 変更箇所


def _aligned(
    spec: ItemSpec, rows: list[Row], source: str, problems: list[Diagnostic]
) -> list[tuple[str, ...]]:
    """Return each row's cells in column order, repairing merged or missing cells."""
    choice = next(i for i, c in enumerate(spec.children) if c.kind == "choice")
    options = spec.children[choice].options
    out: list[tuple[str, ...]] = []
    seen: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for cells, line in rows:
        if not cells:
            continue
        where = Location(source, line)
        at = next((i for i, c in enumerate(cells) if match_option(plain(c), options)[0]), None)
        if at is not None and at < choice:
            cells = _fill_missing(cells, at, spec, where, problems)
        key = tuple(_squash(c) for c in cells)
        earlier = seen.setdefault(key[:2], [])
        if any(_close(key, other) for other in earlier):
            message = "this row repeats an earlier row (the block is printed twice); left out"
            problems.append(warning("import.duplicate_row", where, message))
            continue
        earlier.append(key)
        out.append(cells)
    return out


def _close(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Return True when two rows with the same date and 項目 differ only by extraction noise."""
    matcher = difflib.SequenceMatcher(None, "".join(a[2:]), "".join(b[2:]), autojunk=False)
    return (
        matcher.real_quick_ratio() >= _DUPLICATE
        and matcher.quick_ratio() >= _DUPLICATE
        and matcher.ratio() >= _DUPLICATE
    )


def _fill_missing(
    cells: tuple[str, ...], at: int, spec: ItemSpec, where: Location, problems: list[Diagnostic]
) -> tuple[str, ...]:
    """Repair a row whose choice column (提出時期) sits too far left: split a merged second
    cell (項目 with 変更前の記載) or add blank cells before it."""
    labels = [c.label for c in spec.children]
    choice = next(i for i, c in enumerate(spec.children) if c.kind == "choice")
    head, *more = re.split(r"</p>\s*", cells[1], maxsplit=1) if len(cells) > 1 else [""]
    if more and more[0].strip() and at == choice - 1:
        message = f"the {labels[1]} cell also holds {labels[2]}; split at its first paragraph"
        problems.append(warning("import.merged_cell", where, message))
        return (cells[0], head, more[0], *cells[2:])
    missing = choice - at
    message = f"{missing} cell(s) missing before {labels[choice]}; {labels[2]} is left empty"
    problems.append(warning("import.missing_cell", where, message))
    return (*cells[:2], *([""] * missing), *cells[2:])


def _squash(text: str) -> str:
    """Return text for duplicate detection: NFKC, no spaces, dashes and OCR 一 folded."""
    text = unicodedata.normalize("NFKC", re.sub(r"</?[A-Za-z][^>]*>", "", text))
    for noise, meant in _OCR:
        text = text.replace(noise, meant)
    return _DASHES.sub("-", re.sub(r"\s+", "", text))


# --------------------------------------------------------------------------- 記録項目


def _records(
    rows: list[Row], labels: list[str], source: str, problems: list[Diagnostic]
) -> list[tuple[str, ...]]:
    """Return (group, number, name) cells of a 記録項目 table."""
    out: list[tuple[str, ...]] = []
    block: list[Row] = []
    group = ""  # a sub-table's name printed at the foot of a page applies on the next
    for cells, line in [*rows, ((), 0)]:
        filled = [c for c in cells if c.strip()]
        if len(filled) >= 2 or len(cells) > 3:
            block.append((cells, line))
            continue
        if block and max(len(c) for c, _ in block) > 3:
            found, group = _grid(block, labels, group, source, problems)
            out += found
        elif block:
            out += _plain(block)
        block = []
        if len(filled) == 1:
            out += _run_on(filled[0]) if "、" in filled[0] else [("", "", filled[0])]
    return out


def _plain(block: list[Row]) -> list[tuple[str, ...]]:
    """Return rows printed one per line: the last cells are number and name."""
    out = []
    for cells, _ in block:
        filled = tuple(c for c in cells if c.strip())
        out.append(("", *filled[-2:]) if len(filled) == 2 else filled[-3:])
    return out


def _run_on(text: str) -> list[tuple[str, ...]]:
    """Split ``1. 住民票コード、2. 漢字氏名`` or ``予防接種番号、生年月日`` into rows."""
    rows = []
    for entry in re.split(r"、(?=\s*[0-9]+[.．]\s)" if _ITEM.match(text) else "、", plain(text)):
        match = _ITEM.match(entry)
        rows.append(("", match.group(1), match.group(2).strip()) if match else ("", "", entry))
    return [r for r in rows if r[2].strip()]


def _grid(
    block: list[Row], labels: list[str], group: str, source: str, problems: list[Diagnostic]
) -> tuple[list[tuple[str, ...]], str]:
    """Read sub-tables printed side by side, column by column."""
    width = max(len(cells) for cells, _ in block)
    paired = _paired(block)
    step = 2 if paired else 1
    message = (
        f"this list is printed {width // step} across; it was read column by column: "
        "check the order and the group of each entry"
    )
    problems.append(warning("import.records_layout", Location(source, block[0][1]), message))
    out: list[tuple[str, ...]] = []
    for column in range(0, width, step):
        for cells, _ in block:
            unit = cells[column : column + step] + ("",) * step
            number, name = (unit[0], unit[1]) if paired else _split_item(unit[0])
            if number.strip().isdecimal() and name.strip():
                out.append((group, number.strip(), name.strip()))
            elif number.strip() and not name.strip() and not _is_header(number, labels):
                group = number.strip()
    return out, group


def _paired(block: list[Row]) -> bool:
    """Return True when numbers and names sit in separate cells (番号 | 名称 pairs)."""
    even = [c for cells, _ in block for c in cells[0::2] if c.strip()]
    return sum(c.strip().isdecimal() for c in even) > len(even) / 2


def _split_item(cell: str) -> tuple[str, str]:
    match = _ITEM.match(cell)
    return (match.group(1), match.group(2)) if match else (cell, "")


def _is_header(text: str, labels: list[str]) -> bool:
    """Return True for a printed column header (項目番 for 項目番号)."""
    return any(_ratio(normalise(text), label) >= FUZZY for label in labels)


# --------------------------------------------------------------------------- cells


def _row(spec: ItemSpec, cells: tuple[str, ...]) -> dict[str, object]:
    """Return one row keyed by column label, each cell read by its column's kind."""
    row: dict[str, object] = {}
    for column, cell in zip(spec.children, cells, strict=False):
        row[column.label] = _cell(column, cell)
    return row


def _cell(column: ItemSpec, cell: str) -> object:
    if not cell.strip():
        return None
    if column.kind == "text":
        return to_markdown([(cell,)]) or None
    text = one_line([(cell,)])
    if column.kind == "date":
        try:
            return format_wareki(parse_date(re.sub(r"\s+", "", text)))
        except DateError:
            return text
    if column.kind == "choice":
        option = match_option(text, column.options)[0]
        return option.label if option else text
    return text
