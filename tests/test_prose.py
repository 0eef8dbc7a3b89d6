"""The prose tree (render/prose.py) that the PDF and DOCX renderers walk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pia_build.render.markdown import render_markdown
from pia_build.render.prose import (
    BulletList,
    Clause,
    Code,
    Emph,
    Heading,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Space,
    Strong,
    Table,
    Text,
    parse_prose,
)


def test_a_paragraph_of_inlines() -> None:
    assert parse_prose("a **b** *c* `#d`  \ne") == (
        Paragraph(
            (
                Text("a "),
                Strong((Text("b"),)),
                Text(" "),
                Emph((Text("c"),)),
                Text(" "),
                Code("#d"),
                LineBreak(),
                Text("e"),
            )
        ),
    )


def test_soft_breaks_print_a_space_only_between_latin_text() -> None:
    assert parse_prose("one\ntwo")[0] == Paragraph((Text("one"), Space(), Text("two")))
    assert parse_prose("住民\n基本台帳")[0] == Paragraph((Text("住民"), Text("基本台帳")))
    assert parse_prose("住民\nabc")[0] == Paragraph((Text("住民"), Text("abc")))


def test_only_web_and_mail_links_are_live() -> None:
    (web,) = parse_prose('[市](https://example.jp "t")')[0].body  # type: ignore[union-attr]
    (script,) = parse_prose("[x\ny](tel:0123)")[0].body  # type: ignore[union-attr]
    assert web == Link("https://example.jp", "t", (Text("市"),), "市") and web.live
    assert isinstance(script, Link) and not script.live and script.text == "x y"


def test_images_keep_their_text() -> None:
    assert parse_prose("図: ![全体図](zu.png)")[0] == Paragraph((Text("図: "), Text("全体図")))


def test_lists_know_whether_they_are_tight() -> None:
    tight, loose = parse_prose("- a\n- b")[0], parse_prose("3) a\n\n4) b")[0]
    assert tight == BulletList(
        ((Paragraph((Text("a"),), True),), (Paragraph((Text("b"),), True),)), True
    )
    assert isinstance(loose, OrderedList) and not loose.tight
    assert (loose.start, loose.delimiter) == (3, ")")


def test_clause_blocks_keep_their_provenance() -> None:
    (before, clause) = parse_prose("前文\n\n::: clause chukan-pf/storage 2\n標準の文\n:::\n")
    assert before == Paragraph((Text("前文"),))
    assert clause == Clause("chukan-pf/storage", "2", (Paragraph((Text("標準の文"),)),))


def test_headings_and_tables() -> None:
    heading, table = parse_prose("## 見出し\n\n| 分類 | 項目 |\n|---|---|\n| 1 | `#x` |\n")
    assert heading == Heading(2, (Text("見出し"),))
    assert table == Table(
        (((Text("分類"),), (Text("項目"),)), ((Text("1"),), (Code("#x"),))), header=True
    )


def test_a_clause_marker_cut_off_at_the_end_of_a_quote_is_text() -> None:
    assert render_markdown("> ::: clause a/b 2\n>") == (
        "<blockquote>\n<p>::: clause a/b 2</p>\n</blockquote>\n"
    )
    assert parse_prose("> ::: clause a/b 2\n>")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(["> ", ">", "::: clause a/b 2", ":::", "- ", "  ", "文", "\n"])))
def test_any_mix_of_quotes_lists_and_clause_markers_parses(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert isinstance(render_markdown(text), str)
    assert isinstance(parse_prose(text), tuple)
