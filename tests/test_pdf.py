"""The PDF renderer: complete text in print order, embedded fonts, reproducible bytes, literal prose.

PDFs are checked through their extracted text (poppler's pdftotext), never as raw bytes, except
for the reproducibility test.
"""

from __future__ import annotations

import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_typst_markup import HOSTILE

from pia_build.assemble.document import assemble
from pia_build.assemble.shapes import AssembledDoc, AssembledPart, Cell, Display, Mark, Row
from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.render import fonts, pdf
from pia_build.render.markdown import parser

REPO = Path(__file__).resolve().parents[1]
LAYOUTS = REPO / "layouts"
EVALUATIONS = sorted(p.name for p in (REPO / "content" / "evaluations").iterdir() if p.is_dir())

# Page geometry of layouts/pdf/evaluation.typ in points: A4, top margin 20mm, bottom 16mm.
PAGE_WIDTH, PAGE_HEIGHT = 596, 842
BODY_TOP, BODY_BOTTOM = 57, 842 - 45

pytestmark = pytest.mark.skipif(
    pdf.disabled_message() is not None, reason=str(pdf.disabled_message())
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdffonts, pdfinfo)"
)

RAW = r"# $ * _ [ ] \ @ < > = ` // /* ~ - + 1. "


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def content_docs() -> dict[str, AssembledDoc]:
    """Assemble every evaluation under content/ (validation problems do not matter here)."""
    result = check(Config(REPO))
    return {e.id: assemble(e) for e in result.evaluations}


@pytest.fixture(scope="session")
def rendered(content_docs: dict[str, AssembledDoc]) -> dict[str, bytes]:
    """Render every content evaluation once."""
    return {doc_id: pdf.render(doc, LAYOUTS) for doc_id, doc in content_docs.items()}


@pytest.fixture(params=EVALUATIONS)
def doc_id(request: pytest.FixtureRequest, content_docs: dict[str, AssembledDoc]) -> str:
    if request.param not in content_docs:
        pytest.skip(f"{request.param} could not be bound to a form")
    return str(request.param)


@pytest.fixture(scope="session")
def font_cmap() -> set[int]:
    """Return the code points that every shipped font maps to a glyph."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    cmaps = [set(ttlib.TTFont(p, lazy=True)["cmap"].getBestCmap()) for p in fonts.font_files()]
    return set.intersection(*cmaps)


def printed_chars(doc: AssembledDoc) -> set[str]:
    """Return every character the PDF prints: the document's texts and the template's own."""
    texts = ["".join(t) for t in iter_printed(doc)] + [doc.name, doc.org_name]
    template = (LAYOUTS / pdf.TEMPLATE).read_text(encoding="utf-8")
    texts += re.findall(r'"((?:[^"\\]|\\.)*)"', template) + ["\u3000\u00a0"]
    return {ch for text in texts for ch in text if unicodedata.category(ch) != "Cc"}


def missing_chars(chars: set[str], cmap: set[int]) -> list[str]:
    """Return the characters a font cannot show."""
    return sorted(ch for ch in chars if ord(ch) not in cmap)


# --------------------------------------------------------------------------- content


@needs_poppler
def test_every_label_and_value_prints_in_order(
    doc_id: str, content_docs: dict[str, AssembledDoc], rendered: dict[str, bytes], tmp_path: Path
) -> None:
    text = pdf_text(rendered[doc_id], tmp_path, "-raw")
    assert_in_order(iter_printed(content_docs[doc_id]), text)


@needs_poppler
def test_order_check_can_fail(tmp_path: Path) -> None:
    doc = make_doc((text_row("①事務の名称", "予防接種", "line"), text_row("②対象", "住民", "line")))
    text = pdf_text(pdf.render(doc, LAYOUTS), tmp_path, "-raw")
    assert_in_order(iter(["①事務の名称", "予防接種", "②対象"]), text)
    with pytest.raises(AssertionError):
        assert_in_order(iter(["②対象", "予防接種"]), text)


@needs_poppler
def test_headers_never_end_a_page(
    doc_id: str, content_docs: dict[str, AssembledDoc], rendered: dict[str, bytes], tmp_path: Path
) -> None:
    rows = [row for part in content_docs[doc_id].parts for row in part.rows]
    headers = [r for r in rows if r.kind != "item" or (r.display and r.display.kind == "table")]
    bars = {squash(r.label + star) for r in headers for star in ("", "※")}
    pages = pdf_text(rendered[doc_id], tmp_path, "-raw").split("\f")[:-1]
    ends = [page.strip().splitlines()[-2:] for page in pages if page.strip()]
    # A header may wrap: compare the last line, and the last two lines together.
    orphans = [end for end in ends if {squash(end[-1]), squash("".join(end))} & bars]
    assert not orphans


def test_segments_keep_headers_apart_from_item_tables() -> None:
    item = text_row("①名称", "x", "line")
    table = Row("item", "記録項目", "t", 0, display=Display("table", columns=("分類",)))
    rows = (
        Row("section", "1. 事務", "s", 0),
        item,
        item,
        Row("group", "システム1", "g", 1),
        item,
        table,
    )
    assert [s["kind"] for s in pdf.segments(rows)] == ["bar", "items", "bar", "items", "wide"]
    assert len(pdf.segments(rows)[1]["rows"]) == 2  # type: ignore[arg-type]


def test_template_never_evaluates_strings() -> None:
    template = (LAYOUTS / pdf.TEMPLATE).read_text(encoding="utf-8")
    assert "eval(" not in template


# --------------------------------------------------------------------------- fonts


@needs_poppler
def test_every_font_is_embedded_and_subset(rendered: dict[str, bytes], tmp_path: Path) -> None:
    for data in rendered.values():
        lines = poppler("pdffonts", data, tmp_path).splitlines()[2:]
        assert lines, "no fonts listed"
        for line in lines:
            name, *_, emb, sub, _uni, _obj, _gen = line.split()
            assert (emb, sub) == ("yes", "yes"), line
            assert "NotoSansCJKjp" in name, line


def test_fonts_cover_every_printed_character(
    doc_id: str, content_docs: dict[str, AssembledDoc], font_cmap: set[int]
) -> None:
    assert missing_chars(printed_chars(content_docs[doc_id]), font_cmap) == []


def test_font_check_can_fail(font_cmap: set[int]) -> None:
    # The ballot boxes the form seems to call for are missing: hence [○] marks.
    assert missing_chars({"☐", "☑", "○"}, font_cmap) == ["☐", "☑"]


def test_fonts_come_from_the_font_packages() -> None:
    names = [path.name for path in fonts.font_files()]
    assert names == ["NotoSansCJKjp-Regular.otf", "NotoSansCJKjp-Bold.otf"]


# --------------------------------------------------------------------------- reproducible


def test_two_processes_give_identical_bytes(
    content_docs: dict[str, AssembledDoc], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = next(iter(content_docs.values()))
    (tmp_path / "doc.pickle").write_bytes(pickle.dumps(doc))
    code = (
        "import pickle, sys; from pathlib import Path; from pia_build.render import pdf; "
        "doc = pickle.loads(Path(sys.argv[1]).read_bytes()); "
        "Path(sys.argv[2]).write_bytes(pdf.render(doc, Path(sys.argv[3])))"
    )
    args = [str(tmp_path / "doc.pickle"), str(tmp_path / "other.pdf"), str(LAYOUTS)]
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=REPO)
    assert pdf.render(doc, LAYOUTS) == (tmp_path / "other.pdf").read_bytes()


@needs_poppler
def test_no_date_without_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    info = poppler("pdfinfo", pdf.render(make_doc(()), LAYOUTS), tmp_path)
    assert "CreationDate" not in info and "ModDate" not in info


@needs_poppler
def test_date_from_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = poppler("pdfinfo", pdf.render(make_doc(()), LAYOUTS), tmp_path)
    assert re.search(r"CreationDate:\s+Tue Nov 14 22:13:20 2023 UTC", info), info


# --------------------------------------------------------------------------- literal text


def hostile_doc() -> AssembledDoc:
    """Return a document with typst syntax in every kind of value."""
    marks = (Mark(1, RAW, True, detail=RAW, has_detail=True), Mark(2, "#none", False))
    table = Display("table", columns=(RAW, "b"), rows=((Cell(RAW), Cell("`#x` $y$", True)),))
    rows = (
        text_row("①prose", "\n\n".join(HOSTILE)),
        text_row("②line", RAW, "line"),
        text_row(RAW, "`" + RAW.replace("`", "") + "`"),
        Row("item", "③choice", "c", 0, display=Display("choice", marks=marks, selected=RAW)),
        Row("item", "④multi", "m", 0, display=Display("multi", marks=marks)),
        Row("item", "⑤list", "l", 0, display=Display("list", items=(RAW,))),
        Row("section", RAW, "s", 0, star=True),
        Row("item", "⑥table", "t", 0, display=table),
    )
    return make_doc(rows, cover=(text_row(RAW, RAW, "line"),))


@needs_poppler
def test_typst_syntax_in_values_prints_literally(tmp_path: Path) -> None:
    text = re.sub(r"\s+", "", pdf_text(pdf.render(hostile_doc(), LAYOUTS), tmp_path, "-raw"))
    for literal in [*HOSTILE, RAW, RAW.replace("`", ""), "`#x`"[1:-1], "$y$"]:
        assert re.sub(r"\s+", "", literal) in text, literal
    assert text.count(re.sub(r"\s+", "", RAW)) >= 8


@needs_poppler
def test_clause_text_is_marked_with_id_and_version(tmp_path: Path) -> None:
    prose = "前文\n\n::: clause chukan-pf/storage 3\n中間サーバーの標準記載\n:::\n"
    text = pdf_text(pdf.render(make_doc((text_row("①保管場所", prose),)), LAYOUTS), tmp_path)
    assert "標準記載 chukan-pf/storage v3" in text
    assert squash(text).index("前文") < squash(text).index("中間サーバーの標準記載")


# --------------------------------------------------------------------------- print furniture


@needs_poppler
@pytest.mark.parametrize("draft", [True, False])
def test_draft_mark_in_every_page_header(draft: bool, tmp_path: Path) -> None:
    data = pdf.render(make_doc((text_row("①名称", "予防接種", "line"),), draft=draft), LAYOUTS)
    headers = pdf_text(data, tmp_path, top=0, bottom=BODY_TOP).split("\f")[:-1]
    assert len(headers) == 3  # cover, 項目一覧, Ⅰ
    assert all(("案" in header) is draft for header in headers)


@needs_poppler
def test_page_numbers_in_footer(tmp_path: Path) -> None:
    data = pdf.render(make_doc((text_row("①名称", "予防接種", "line"),)), LAYOUTS)
    footers = pdf_text(data, tmp_path, top=BODY_BOTTOM, bottom=PAGE_HEIGHT).split("\f")[:-1]
    assert [squash(f) for f in footers] == ["1/3", "2/3", "3/3"]


@needs_poppler
def test_marks_and_choices_print_as_on_the_form(tmp_path: Path) -> None:
    marks = (Mark(1, "実施する", True), Mark(2, "実施しない", False))
    rows = (
        Row(
            "item",
            "①実施の有無",
            "a",
            0,
            display=Display("choice", marks=marks, selected="実施する"),
        ),
        Row("item", "②入手元", "b", 0, star=True, display=Display("multi", marks=marks)),
    )
    text = re.sub(r"\s+", "", pdf_text(pdf.render(make_doc(rows), LAYOUTS), tmp_path, "-raw"))
    assert "①実施の有無[実施する]<選択肢>1)実施する2)実施しない" in text
    assert "②入手元※[○]実施する[]実施しない" in text  # "[　]": an ideographic space


KINSOKU_START = "、。，．）」』】〕〉》］｝"
KINSOKU_END = "（「『【〔〈《［｛"


@needs_poppler
def test_no_line_starts_or_ends_with_forbidden_punctuation(tmp_path: Path) -> None:
    sentences = "".join("あ" * (k % 23) + "「記録」（項目）、確認。" for k in range(1, 80))
    data = pdf.render(make_doc((text_row("", sentences),)), LAYOUTS)
    lines = _lines(pdf_text(data, tmp_path, "-bbox"))
    assert len(lines) > 40
    bad = [line for line in lines if line[0] in KINSOKU_START or line[-1] in KINSOKU_END]
    assert not bad


_WORD = re.compile(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')


def _lines(bbox_html: str) -> list[str]:
    """Return the printed lines of pdftotext -bbox output: words grouped by page and baseline."""
    lines: dict[tuple[int, str], list[tuple[float, str]]] = {}
    for page, html in enumerate(bbox_html.split("<page ")):
        for x, y, word in _WORD.findall(html):
            lines.setdefault((page, y), []).append((float(x), word))
    return ["".join(w for _, w in sorted(words)) for words in lines.values()]
