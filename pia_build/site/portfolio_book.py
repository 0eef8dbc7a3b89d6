"""The portfolio as a workbook: one sheet per view (一覧, 未公表の変更, 旧版の標準記載, リスク,
リスク回答), with filters and frozen headings; byte-identical for the same rows and day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from pia_build.render.workbook import formats, workbook_bytes
from pia_build.site.portfolio import PortfolioRow, wareki
from pia_build.site.portfolio_data import COLUMNS, cells
from pia_build.site.portfolio_page import matrix, urgency


def portfolio_workbook(rows: Sequence[PortfolioRow], today: dt.date) -> bytes:
    """Return the portfolio workbook as of ``today``."""
    ordered = sorted(rows, key=urgency)
    return workbook_bytes(
        lambda book: _fill(book, ordered, today), f"{wareki(today)}現在の管理状況"
    )


def _fill(book: Any, rows: Sequence[PortfolioRow], today: dt.date) -> None:
    look = formats(book)
    headings = [h for _, h in COLUMNS] + ["要対応"]
    table = [[cells(r)[k] for k, _ in COLUMNS] + ["、".join(r.flags) or "—"] for r in rows]
    _sheet(book, look, "一覧", f"{wareki(today)}現在", headings, table)
    changes = [
        [r.name, c.item, "※ 事前" if c.important else "事後", wareki(c.date), wareki(c.due)]
        for r in rows
        for c in r.changes
    ]
    _sheet(book, look, "未公表の変更", "最後に公表した版からの変更",
           ["評価書名", "項目", "重要な変更", "変更日", "提出期限"], changes)  # fmt: skip
    clauses = [
        [r.name, c["id"], f"v{c['used']}", f"v{c['current']}"] for r in rows for c in r.old_clauses
    ]
    _sheet(book, look, "旧版の標準記載", "公表版が旧版を使う標準記載",
           ["評価書名", "標準記載", "公表版の版", "現行の版"], clauses)  # fmt: skip
    columns, grid = matrix(rows)
    _sheet(book, look, "リスク", "分類ごとの最も低い回答（空欄は該当なし）",
           ["評価書名", *columns], [[name, *cells_] for name, cells_ in grid])  # fmt: skip
    answers = [
        [r.name, a["part"], a["category_label"], a["risk"], a["answer"]]
        for r in rows
        for a in r.risks
    ]
    _sheet(book, look, "リスク回答", "リスクへの対策は十分か の全回答",
           ["評価書名", "部", "分類", "リスク", "回答"], answers)  # fmt: skip


def _sheet(
    book: Any, look: dict[str, Any], name: str, note: str, head: list[str], body: list[list[str]]
) -> None:
    """Write one view: a note, the headings, the rows; filter, frozen headings, A4 landscape."""
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, note, look["note"])
    for column, heading in enumerate(head):
        sheet.write_string(1, column, heading, look["head"])
        width = max([len(heading) * 2, *(min(len(r[column]) * 2, 60) for r in body)], default=10)
        sheet.set_column(column, column, max(width, 8))
    for i, row in enumerate(body, start=2):
        for column, text in enumerate(row):
            sheet.write_string(i, column, text, look["value"])
    sheet.freeze_panes(2, 1)
    sheet.autofilter(1, 0, max(len(body) + 1, 1), len(head) - 1)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    sheet.print_area(0, 0, len(body) + 1, len(head) - 1)
