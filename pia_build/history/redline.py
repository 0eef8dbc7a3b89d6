"""Review diffs, item by item: Markdown for a pull-request comment, an HTML redline page.

Each changed item is shown under its path in the form's notation (``II-3 ②入手方法``), never as
lines of a source file; the HTML page (layouts/diff.html) marks insertions and deletions inside
the item's text. Neither output runs git or reads content: they are made from ChangeRecords.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby
from typing import Literal

from pia_build.history.shapes import ChangeRecord

Op = Literal["equal", "insert", "delete"]
COMMENT_LIMIT = 60_000
"""GitHub refuses comments over 65,536 characters."""
TOO_LONG = "The texts are too long for a comment: read them in the HTML redline page (pia diff --format html)."
UNSET = "未記入"
"""Shown where the author has not given 提出時期 yet."""


@dataclass(frozen=True)
class Piece:
    """A run of text that stayed, was inserted or was deleted."""

    op: Op
    """What happened to the text."""
    text: str
    """The text."""


def redline(record: ChangeRecord) -> list[Piece]:
    """Return the pieces that turn 変更前 into 変更後: whole lines first, then characters."""
    if record.kind != "changed":
        text = record.after if record.kind == "added" else record.before
        return [Piece("insert" if record.kind == "added" else "delete", text)]
    if record.whole:  # 150人以上 → 50人以上, not ~~1~~5 0人以上
        return [Piece("delete", record.before), Piece("insert", record.after)]
    a, b = record.before.splitlines(keepends=True), record.after.splitlines(keepends=True)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        pieces += [Piece("equal", old)] if tag == "equal" else _characters(old, new)
    return _merged(pieces)


def _characters(old: str, new: str) -> list[Piece]:
    """Return a character-level redline of two texts."""
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", old[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", old[i1:i2]))
        if j2 > j1:
            pieces.append(Piece("insert", new[j1:j2]))
    return pieces


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Return the pieces with neighbours of the same kind joined."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        elif piece.text:
            merged.append(piece)
    return merged


def summary(records: Sequence[ChangeRecord]) -> str:
    """Return one sentence counting the changes."""
    evaluations = len({r.evaluation for r in records})
    stars = sum(r.star for r in records)
    return (
        f"{len(records)} changed item(s) in {evaluations} evaluation(s); "
        f"{stars} of them ※ item(s), possible 重要な変更."
    )


def render_markdown(
    records: Sequence[ChangeRecord], base: str, head: str, limit: int = COMMENT_LIMIT
) -> str:
    """Return the diff as GitHub-flavoured Markdown for a pull-request comment.

    When the texts would make the comment longer than ``limit`` characters, only the tables of
    changed items are given, with a pointer to the HTML redline page.
    """
    lines = [f"### pia diff: `{base}` → `{head}`", ""]
    if not records:
        return "\n".join([*lines, "No item of any evaluation changed.", ""])
    lines += [summary(records), ""]
    tables, details = list(lines), list(lines)
    for evaluation, group in groupby(records, key=lambda r: r.evaluation):
        items = list(group)
        table = [f"#### {evaluation}", "", "| 項目 | ※ | 提出時期 | 提出時期に係る説明 |"]
        table += ["|---|---|---|---|", *(_table_row(r) for r in items), ""]
        tables += table
        details += table + [line for record in items for line in _details(record)]
    full = "\n".join(details)
    return full if len(full) <= limit else "\n".join([*tables, TOO_LONG, ""])


def _table_row(record: ChangeRecord) -> str:
    """Return one Markdown table row of the summary."""
    cells = (record.item, "※" if record.star else "", record.timing or UNSET, record.reason)
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    """Return text safe inside a Markdown table cell."""
    return html.escape(" ".join(text.split())).replace("|", "\\|")


def _details(record: ChangeRecord) -> list[str]:
    """Return a collapsible block with the item's line diff."""
    body = _line_diff(record)
    longest = max((len(m) for m in re.findall(r"`+", "\n".join(body))), default=0)
    fence = "`" * max(3, longest + 1)
    summary_line = html.escape(record.item) + (" ※" if record.star else "")
    return [
        f"<details><summary>{summary_line}</summary>",
        "",
        f"{fence}diff",
        *body,
        fence,
        "",
        "</details>",
        "",
    ]


def _line_diff(record: ChangeRecord) -> list[str]:
    """Return the lines of 変更前 and 変更後 marked ``-``, ``+`` or kept, for a diff block."""
    a = [] if record.kind == "added" else record.before.splitlines()
    b = [] if record.kind == "removed" else record.after.splitlines()
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines += [f"  {line}" for line in a[i1:i2]]
        else:
            lines += [f"- {line}" for line in a[i1:i2]] + [f"+ {line}" for line in b[j1:j2]]
    return lines
