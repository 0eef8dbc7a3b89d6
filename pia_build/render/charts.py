"""Risk charts as inline SVG, drawn at build time: no script is needed to see them.

Every chart names itself (``role="img"`` with a label) and every mark carries its text: ratings
are told apart by a symbol as well as a colour, and each chart is printed beside a table that
holds the same answers (the layouts do that).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

RATING_STYLE: Mapping[str, tuple[str, str]] = {
    "特に力を入れている": ("#1f4e79", "◎"),
    "十分である": ("#2e6b30", "○"),
    "課題が残されている": ("#a4261c", "△"),
    "未記入": ("#666666", "－"),
    "": ("#ffffff", ""),
}
"""Rating → (fill colour, symbol); every fill holds white text at a contrast of 4.5:1 or more."""
FONTS = "Noto Sans JP, Noto Sans CJK JP, sans-serif"
"""The charts' fonts: the site's, and the PDF's pinned font for the report."""
CELL = 18
PER_LINE = 30
"""Marks per line of a strip."""
GAP = 2


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _svg(width: int, height: int, label: str, body: list[str], css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONTS}" aria-label="{_attr(label)}">' + "".join(body) + "</svg>"
    )


def _mark(x: int, y: int, size: int, rating: str, title: str) -> str:
    fill, symbol = RATING_STYLE.get(rating, RATING_STYLE["未記入"])
    text = (
        f'<text x="{x + size // 2}" y="{y + size // 2}" fill="#ffffff" font-size="{size * 2 // 3}" '
        f'text-anchor="middle" dominant-baseline="central">{symbol}</text>'
        if symbol
        else ""
    )
    stroke = ' stroke="#999999"' if not rating else ""
    return (
        f'<g><title>{escape(title)}</title><rect x="{x}" y="{y}" width="{size}" height="{size}" '
        f'fill="{fill}"{stroke}/>{text}</g>'
    )


def risk_strip(answers: Sequence[Mapping[str, str]], label: str) -> str:
    """Return one square per リスクへの対策は十分か answer, in printed order, 30 to a line."""
    step = CELL + GAP
    body = [
        _mark((i % PER_LINE) * step, (i // PER_LINE) * step, CELL, a["answer"],
              f"{a['part']} {a['risk']}: {a['answer']}")
        for i, a in enumerate(answers)
    ]  # fmt: skip
    width = max(1, min(len(answers), PER_LINE) * step - GAP)
    height = max(1, -(-len(answers) // PER_LINE) * step - GAP)
    return _svg(width, height, label, body, "risk-strip")


def risk_matrix(
    rows: Sequence[tuple[str, Sequence[str]]],
    columns: Sequence[str],
    label: str,
    name_width: int = 0,
) -> str:
    """Return a grid: one row per evaluation, one column per risk category, worst answer in each.

    ``rows`` are (evaluation name, the worst answer per column; empty: no rating there).
    ``name_width`` > 0 prints the names at the left, that many pixels wide.
    """
    size, head = 28, 18 * max((len(c) for c in columns), default=1) // 2 + 8
    body = []
    for j, column in enumerate(columns):
        x = name_width + j * (size + GAP) + size // 2
        body.append(
            f'<text x="{x}" y="{head - 4}" font-size="11" text-anchor="start" fill="#222222" '
            f'transform="rotate(-60 {x} {head - 4})">{escape(column)}</text>'
        )
    for i, (name, cells) in enumerate(rows):
        y = head + i * (size + GAP)
        if name_width:
            body.append(
                f'<text x="{name_width - 6}" y="{y + size // 2}" font-size="12" fill="#222222" '
                f'text-anchor="end" dominant-baseline="central">{escape(name)}</text>'
            )
        for j, rating in enumerate(cells):
            title = f"{name} / {columns[j]}: {rating or '該当なし'}"
            body.append(_mark(name_width + j * (size + GAP), y, size, rating, title))
    width = name_width + len(columns) * (size + GAP) + head
    height = head + len(rows) * (size + GAP)
    return _svg(width, height, label, body, "risk-matrix")
