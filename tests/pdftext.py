"""Helpers for the PDF tests: text of a page region (pdftotext), the printed texts of a document in
print order, small documents to render, and the characters a document prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Display, Row
from pia_build.render import pdf
from pia_build.render.markdown import parser

REPO = Path(__file__).resolve().parents[1]
LAYOUTS = REPO / "layouts"
EVALUATIONS = sorted(p.name for p in (REPO / "content" / "evaluations").iterdir() if p.is_dir())

# Page geometry of layouts/pdf/evaluation.typ in points: A4, top margin 20mm, bottom 16mm.
PAGE_WIDTH, PAGE_HEIGHT = 596, 842
BODY_TOP, BODY_BOTTOM = 57, 842 - 45

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdffonts, pdfinfo)"
)

RAW = r"# $ * _ [ ] \ @ < > = ` // /* ~ - + 1. "


def squash(text: str) -> str:
    """Return text reduced for comparison: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(
    data: bytes, tmp_path: Path, *args: str, top: int = BODY_TOP, bottom: int = BODY_BOTTOM
) -> str:
    """Return the text of a region of every page (default: the body, without header/footer)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    crop = ["-x", "0", "-W", str(PAGE_WIDTH), "-y", str(top), "-H", str(bottom - top)]
    command = ["pdftotext", *args, *crop, str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def poppler(tool: str, data: bytes, tmp_path: Path) -> str:
    """Return the output of pdffonts or pdfinfo for a PDF."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout


def markdown_texts(text: str) -> Iterator[str]:
    """Yield the text runs of Markdown prose, independently of the renderer's tree."""
    for token in parser().parse(text):
        if token.type in ("code_block", "fence"):
            yield token.content
        for child in token.children or []:
            if child.type in ("text", "code_inline", "image"):
                yield child.content


def iter_value(display: Display) -> Iterator[str | tuple[str, ...]]:
    """Yield the printed texts of one value in print order."""
    if display.kind == "choice":
        yield display.selected
        yield from (m.label for m in display.marks)
    elif display.kind == "multi":
        groups = [m.group for m in display.marks]
        for index, m in enumerate(display.marks):
            if m.group and m.group not in groups[:index]:
                yield m.group
            yield from (m.label, m.detail)
    elif display.kind == "text":
        yield from markdown_texts(display.text)
    elif display.kind == "list":
        yield from display.items
    elif display.kind == "table":
        yield from display.columns
        # narrow columns of a row that continues on the next page come out of pdftotext
        # interleaved line by line, so a table's cells are checked as one group (see below)
        cells = [c for row in display.rows for c in row]
        yield tuple(t for c in cells for t in (markdown_texts(c.text) if c.markdown else [c.text]))
    else:
        yield display.text


def iter_printed(doc: AssembledDoc) -> Iterator[str | tuple[str, ...]]:
    """Yield every label and value text of a document in print order."""
    yield doc.title
    rows: list[Row] = list(doc.cover)
    if len(rows) >= 2 and all(
        r.display and r.display.kind in ("integer", "line") for r in rows[:2]
    ):
        # 評価書番号 and 評価書名 print side by side: both labels, then both values.
        yield from (rows[0].label, rows[1].label)
        rows[:2] = [Row("item", "", "", 0, display=r.display) for r in rows[:2]]
    yield from (t for row in rows for t in (row.label, *iter_value(row.display or Display(""))))
    yield doc.marker
    yield from (label for label, _ in doc.toc)
    for part in doc.parts:
        yield from (part.label, part.file_name)
        for row in part.rows:
            yield row.label
            if row.display is not None:
                yield from iter_value(row.display)


def assert_in_order(needles: Iterator[str | tuple[str, ...]], text: str) -> None:
    """Assert that every needle occurs in text, each after the previous one.

    A tuple is a table's texts: every one of their characters must occur after the previous
    needle (counted with multiplicity), but not as contiguous strings, because pdftotext
    interleaves the lines of narrow columns when a row breaks across pages.
    """
    haystack, position = squash(text), 0
    for needle in needles:
        if isinstance(needle, tuple):
            missing = Counter(squash("".join(needle))) - Counter(haystack[position:])
            assert not missing, f"table text missing from the PDF: {''.join(missing.elements())!r}"
            continue
        wanted = squash(needle)
        if not wanted:
            continue
        found = haystack.find(wanted, position)
        context = haystack[max(0, position - 60) : position]
        assert found >= 0, f"{needle!r} not found (in order) after …{context}"
        position = found + len(wanted)


def make_doc(
    rows: tuple[Row, ...], draft: bool = False, cover: tuple[Row, ...] = ()
) -> AssembledDoc:
    """Return a one-part document around some rows."""
    part = AssembledPart("basic", "Ⅰ 基本情報", "basic", 0, "", "", rows)
    title, marker = "特定個人情報保護評価書（重点項目評価書）", "[令和6年10月 様式3]"
    name, org, toc = "テスト市 テスト事務 重点項目評価書", "テスト市長", (("Ⅰ 基本情報", "basic"),)
    return AssembledDoc(
        "test", title, name, marker, "focused", draft, org, "", cover, (part,), toc, ()
    )


def text_row(label: str, text: str, kind: str = "text") -> Row:
    """Return an item row holding a text value."""
    return Row(
        "item", label, f"basic.{len(label)}", 0, display=Display(kind, text=text, empty=False)
    )


def printed_chars(doc: AssembledDoc) -> set[str]:
    """Return every character the PDF prints: the document's texts and the template's own."""
    texts = ["".join(t) for t in iter_printed(doc)] + [doc.name, doc.org_name]
    template = (LAYOUTS / pdf.TEMPLATE).read_text(encoding="utf-8")
    texts += re.findall(r'"((?:[^"\\]|\\.)*)"', template) + ["\u3000\u00a0"]
    return {ch for text in texts for ch in text if unicodedata.category(ch) != "Cc"}


def missing_chars(chars: set[str], cmap: set[int]) -> list[str]:
    """Return the characters a font cannot show."""
    return sorted(ch for ch in chars if ord(ch) not in cmap)
