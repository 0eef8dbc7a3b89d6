"""Every row of the form is printed (issue 12): a blank evaluation of each form definition, every
edition, prints every item of its definition in HTML, PDF and DOCX, in the printed order.

The expected labels come from the definition files themselves (``forms/*.yml`` through
``all_forms``), walked in printed order: part headings, section headings with the flags printed on
them, each group's first row (``提供先1``) and its range headers (``提供先2～5`` …), every item, the
columns of a table. Nothing is taken from the assembled document, so a row the assembler drops
fails here.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from htmltext import html_text

from pia_build.assemble.document import assemble
from pia_build.assemble.shapes import AssembledDoc
from pia_build.check.folder import check_evaluation
from pia_build.forms import all_forms
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.render import docx, html, pdf
from pia_build.scaffold import blank_files
from pia_build.source.loader import load_evaluation

REPO = Path(__file__).resolve().parents[1]
LAYOUTS = REPO / "layouts"
FORMS = {f"{f.id} {f.edition}": f for f in all_forms()}
COUNT = re.compile(r"^[(（]\s*[)）]\s*件$")


def squash(text: str) -> str:
    """NFKC, no whitespace, no ※ (it may sit on its own line beside a label)."""
    return re.sub(r"\s+|※", "", unicodedata.normalize("NFKC", text))


def blank_doc(form: FormSpec, tmp_path: Path) -> AssembledDoc:
    """Return the assembled blank evaluation of ``form`` (as ``pia new`` writes it)."""
    folder = tmp_path / "content" / "evaluations" / "blank"
    folder.mkdir(parents=True)
    cover = {"form": form.name, "edition": form.edition, "status": "案"}
    for name, text in blank_files(form, cover).items():
        (folder / name).write_text(text, encoding="utf-8")
    doc, _ = load_evaluation(folder, tmp_path)
    evaluation, _ = check_evaluation(doc, {}, {})
    assert evaluation is not None and evaluation.form == form
    return assemble(evaluation)


def definition_labels(form: FormSpec) -> Iterator[str]:
    """Yield every printed label of the definition in printed order."""
    for part in form.parts:
        if part.key != "cover":
            yield part.label
        yield from _items(part.items)


def _items(items: tuple[ItemSpec, ...]) -> Iterator[str]:
    for item in items:
        if not item.printed or (item.kind == "integer" and COUNT.match(item.label)):
            continue  # ( ) 件 prints beside its choice, checked by test_count_beside_choice
        if item.kind == "group":
            yield from _group(item)
            continue
        yield item.label
        if item.kind == "table":
            yield from (c.label for c in item.children)
        yield from _items(item.children) if item.kind == "section" else ()


def _group(item: ItemSpec) -> Iterator[str]:
    """Yield a group's own heading, its first row and the range headers the form prints."""
    if item.label and not item.item_label.startswith(item.label):
        yield item.label
    base = item.item_label.replace("{n}", "")
    yield f"{base}1"
    children = item.children[1:] if item.children and item.children[0].header else item.children
    yield from _items(children)
    if item.ranges and item.max_rows:
        yield f"{base}2～5"
        yield from (f"{base}{s}～{s + 4}" for s in range(6, item.max_rows + 1, 5))


def assert_in_order(text: str, labels: list[str]) -> None:
    """Assert every label occurs in ``text``, each after the one before."""
    haystack, cursor = squash(text), 0
    for label in labels:
        found = haystack.find(squash(label), cursor)
        assert found >= 0, f"{label!r} missing after …{haystack[max(cursor - 60, 0) : cursor]!r}"
        cursor = found + len(squash(label))


def output_text(fmt: str, doc: AssembledDoc, tmp_path: Path) -> str:
    """Return the text of the blank evaluation rendered as ``fmt``."""
    if fmt == "html":
        return html_text(html.render(doc, LAYOUTS).decode("utf-8"))
    if fmt == "docx":
        data = docx.render(doc, LAYOUTS)
        path = tmp_path / "blank.docx"
        path.write_bytes(data)
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf.render(doc, LAYOUTS))
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True)
    return done.stdout


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
@pytest.mark.parametrize("name", list(FORMS))
def test_every_item_of_the_definition_prints_in_order(name: str, fmt: str, tmp_path: Path) -> None:
    form = FORMS[name]
    labels = list(definition_labels(form))
    text = output_text(fmt, blank_doc(form, tmp_path), tmp_path)
    assert_in_order(text, labels)


def test_order_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        assert_in_order("提供先1 提供先2～5", ["提供先2～5", "提供先1"])
    with pytest.raises(AssertionError):
        assert_in_order("移転先1", ["移転先1", "移転先2～5"])


def test_the_walk_sees_range_headers_and_new_items() -> None:
    current = list(definition_labels(FORMS["focused 令和6年10月"]))
    before = list(definition_labels(FORMS["focused 令和6年9月以前"]))
    assert "その必要性" in current and "その必要性" not in before
    for base in ("システム", "委託事項", "提供先", "移転先"):
        assert [f"{base}2～5", f"{base}6～10", f"{base}11～15", f"{base}16～20"] == [
            label for label in current if label.startswith(base) and "～" in label
        ]
    assert "システム2～5" not in before and "提供先16～20" in before


def test_count_beside_choice_and_flags_on_headings(tmp_path: Path) -> None:
    doc = blank_doc(FORMS["focused 令和6年10月"], tmp_path)
    text = squash(html_text(html.render(doc, LAYOUTS).decode("utf-8")))
    assert squash("[ \u3000 ] ( \u3000 ) 件") in text  # 委託の有無 with its ( ) 件
    assert squash("4. 特定個人情報ファイルの取扱いの委託 [\u3000] 委託しない") in text
    assert squash("[\u3000] 接続しない(入手) [\u3000] 接続しない(提供)") in text
