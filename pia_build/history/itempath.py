"""Item paths in the form's notation, and item values as the 変更箇所 annex prints them.

Owns how the 項目 column names an item (``II-3 ②入手方法``, ``III-7 リスク1 ⑥技術的対策
具体的な対策の内容``, ``II-4 委託事項2``, ``I-5``) and the text of a value in 変更前/変更後. It
knows no git and compares nothing; the rules are in docs/review.md.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pia_build.check.shapes import Evaluation
from pia_build.core.labels import DASHES, normalise, without_numbering
from pia_build.core.wareki import format_wareki
from pia_build.forms.spec import ItemSpec, PartSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Block, Entry, Field, Rows

ABSENT = "－"
"""Printed as 変更前 of an added group (there was nothing)."""
REMOVED = "項目ごと削除"
"""Printed as 変更後 of a removed group, as 札幌市's annex does."""
CONTAINERS = ("section", "group")

_ROMAN = re.compile(r"^\s*([ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+)(?=\s)")
_SECTION = re.compile(r"^\s*([0-9０-９]+)\s*[.．]")
_NUMBERED = re.compile(r"^\s*(?:[①-⑳㉑-㉟]|[0-9０-９]+\s*[.．])")
_CLAUSE_BLOCK = re.compile(r"^::: clause .*?^:::[ \t]*$", re.MULTILINE | re.DOTALL)
_CLAUSE_FENCE = re.compile(r"^:::.*$", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def part_code(part: PartSpec) -> str:
    """Return the part's numeral in Latin letters (``II``), or "" for the cover and annexes."""
    match = _ROMAN.match(part.label)
    return unicodedata.normalize("NFKC", match.group(1)) if match else ""


def head(label: str) -> str:
    """Return a label up to its colon: ``リスク1：目的外の入手が行われるリスク`` → ``リスク1``."""
    return re.split(r"[:：]", label, maxsplit=1)[0].strip()


def item_path(part: PartSpec, segments: tuple[str, ...], file_name: str = "") -> str:
    """Return the 項目 text of an item from its segments inside ``part``.

    A numbered top-level section joins the part numeral (``II`` + ``3.`` → ``II-3``); parts
    without a numeral (annexes, the cover) start with their label. A per-file part of an
    evaluation with several files ends with the file: ``(1)住民基本台帳ファイル``.
    """
    code = part_code(part)
    section = _SECTION.match(segments[0]) if code and segments else None
    if section:
        number = int(unicodedata.normalize("NFKC", section.group(1)))
        names = [f"{code}-{number}", *segments[1:]]
    else:
        names = [code or part.label, *segments]
    return " ".join([*names, *([file_name] if file_name else [])])


def file_label(evaluation: Evaluation, number: int) -> str:
    """Return ``(n)name`` of a 特定個人情報ファイル: the first line item of its per-file part."""
    for part in evaluation.parts:
        if part.number == number and part.spec.per_file and part.spec.items:
            first = part.spec.items[0]
            entry = part.block.entries.get(first.key)
            if first.kind == "line" and isinstance(entry, Field):
                return f"({number}){entry.value}"
    return f"({number})" if number else ""


def part_names(part: PartSpec) -> dict[str, tuple[str, ...]]:
    """Return the names of a part's top-level items; an annex's first item is the annex itself."""
    names = sibling_names(part.items)
    first = next((s for s in part.items if s.printed), None)
    if first is not None and not part_code(part) and part.key != "cover":
        names[first.key] = ()
    return names


def sibling_names(items: tuple[ItemSpec, ...], title: str = "") -> dict[str, tuple[str, ...]]:
    """Return the path segments that name each of these sibling items, by key.

    A numbered item (①…, 3.) names itself. An unnumbered item is printed as a sub-row: of the
    choice its condition depends on (ユーザ認証の管理 具体的な管理方法), else of the nearest
    numbered item above it (⑧使用方法 情報の突合), else of a first row that repeats the section
    title (Ⅳ-2). A label still repeated among siblings is prefixed by the row above it (Ⅲ-4
    特定個人情報ファイルの取扱いの記録 具体的な方法). A group row's header item, and the only item
    of a section, are named by their row or section alone.
    """
    printed = [s for s in items if s.printed]
    if len(printed) == 1 and printed[0].kind not in CONTAINERS:
        return {printed[0].key: ()}
    names: dict[str, tuple[str, ...]] = {}
    anchor = ""
    for index, spec in enumerate(printed):
        label = head(spec.label) if spec.kind in CONTAINERS else spec.label
        parent = _condition_parent(spec, items)
        if spec.header:
            names[spec.key] = ()
        elif spec.kind in CONTAINERS:
            names[spec.key], anchor = _container_name(spec), ""
        elif _NUMBERED.match(spec.label) or (index == 0 and _repeats(spec.label, title)):
            names[spec.key], anchor = (label,), spec.label
        elif parent is not None:
            names[spec.key], anchor = (parent.label, label), ""
        else:
            names[spec.key] = (anchor, label) if anchor else (label,)
    return _distinct(names, printed)


def _distinct(
    names: dict[str, tuple[str, ...]], printed: list[ItemSpec]
) -> dict[str, tuple[str, ...]]:
    """Return the names with a label repeated among siblings prefixed by the row above it."""
    seen = [n for n in names.values() if n]
    for above, spec in zip(printed, printed[1:], strict=False):
        if len(names[spec.key]) == 1 and seen.count(names[spec.key]) > 1:
            names[spec.key] = (above.label, *names[spec.key])
    return names


def _container_name(spec: ItemSpec) -> tuple[str, ...]:
    """Return a section's or group's own segment; 委託事項 is named by its rows alone."""
    if spec.kind == "group" and spec.item_label.startswith(spec.label):
        return ()
    return (head(spec.label),)


def _repeats(label: str, title: str) -> bool:
    """Return True when an item's label repeats its section's title (Ⅳ-2 従業者に対する教育・啓発)."""
    return bool(title) and normalise(label) == normalise(without_numbering(title))


def _condition_parent(spec: ItemSpec, siblings: tuple[ItemSpec, ...]) -> ItemSpec | None:
    """Return the sibling choice this item's condition depends on, if any."""
    if spec.when is None or "/" in spec.when.item:
        return None
    parent = next((s for s in siblings if s.key == spec.when.item), None)
    return parent if parent is not None and parent.kind in ("choice", "multi") else None


def value_text(spec: ItemSpec, value: object) -> str:
    """Return a value as the annex prints it; empty when nothing was written."""
    if value is None:
        return ""
    if spec.kind == "flag":
        return f"[{'○' if value else ' '}] {spec.label}"
    if spec.kind == "multi" and isinstance(value, tuple):
        return "、".join(_pick_text(p) for p in _in_option_order(spec, value))
    if spec.kind == "list" and isinstance(value, tuple):
        return "\n".join(str(v) for v in value)
    if spec.kind == "table" and isinstance(value, tuple):
        lines = (" ".join(_scalar(row.get(c.key)) for c in spec.children) for row in value)
        return "\n".join(line.strip() for line in lines)
    return _scalar(value)


def compare_key(spec: ItemSpec, value: object) -> str:
    """Return what decides whether a value changed: its printed text without whitespace.

    Clause provenance fences, the counts that only follow the rows of a group (( ) 件) and a
    lone dash (nothing written) do not count.
    """
    if spec.kind == "integer" and spec.rows_of:
        return ""
    if spec.kind == "flag":
        return "○" if value else ""
    if spec.kind == "multi" and isinstance(value, tuple):
        derived = {label for label, _ in spec.option_rows}
        value = tuple(Pick(p.label, p.detail) if p.label in derived else p for p in value)
    text = value_text(spec, value)
    if spec.kind == "text":
        text = _CLAUSE_FENCE.sub("", text)
    squeezed = _SPACE.sub("", text)
    return "" if squeezed in DASHES else squeezed


def without_clauses(text: str) -> str:
    """Return prose without its standard clause blocks, whitespace removed."""
    return _SPACE.sub("", _CLAUSE_BLOCK.sub("", text))


def flatten(items: tuple[ItemSpec, ...], block: Block | None) -> str:
    """Return every filled item of a block as printed, one paragraph per item."""
    return "\n\n".join(_lines(items, block)) or ABSENT


def _lines(items: tuple[ItemSpec, ...], block: Block | None) -> list[str]:
    """Return ``label value`` lines of a block's filled items, sections and group rows."""
    lines: list[str] = []
    for spec in (s for s in items if s.printed and block is not None):
        entry = block.entries.get(spec.key) if block is not None else None
        if spec.kind == "section":
            inner = _lines(spec.children, entry if isinstance(entry, Block) else None)
            lines += [spec.label, *inner] if inner else []
        elif spec.kind == "group":
            lines += _group_lines(spec, entry)
        elif isinstance(entry, Field) and compare_key(spec, entry.value):
            text = value_text(spec, entry.value)
            lines.append(text if spec.header or spec.kind == "flag" else f"{spec.label} {text}")
    return lines


def _group_lines(spec: ItemSpec, entry: Entry | None) -> list[str]:
    """Return the lines of every row of a group, each under its printed row header."""
    lines: list[str] = []
    for number, row in enumerate(entry.rows if isinstance(entry, Rows) else (), start=1):
        lines.append(spec.item_label.replace("{n}", str(number)) or str(number))
        lines += _lines(spec.children, row)
    return lines


def _pick_text(pick: Pick) -> str:
    """Return a chosen option as printed, with its ( ) text or ( ) 件 count."""
    if pick.count is not None:
        return f"{pick.label}({pick.count}件)"
    return f"{pick.label}({pick.detail})" if pick.detail else pick.label


def _in_option_order(spec: ItemSpec, picks: tuple[Pick, ...]) -> list[Pick]:
    """Return the picks in the order the form prints the options."""
    order = {o.label: n for n, o in enumerate(spec.options)}
    return sorted(picks, key=lambda p: order.get(p.label, len(order)))


def _scalar(value: object) -> str:
    """Return a single value as printed (dates in 和暦)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_wareki(value)
    if isinstance(value, Pick):
        return _pick_text(value)
    return str(value).strip("\n")
