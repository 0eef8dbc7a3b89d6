"""Markdown prose → the block tree the PDF template lays out (render/typst_markup.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pia_build.render.typst_markup import prose_blocks

# Characters and sequences that mean something in typst markup or code.
HOSTILE = [
    '#import "x": *',
    '#eval("1+1")',
    "#set text(size: 40pt)",
    "$x^2$",
    "@ref and <label>",
    "// not a comment",
    "/* not a comment */",
    "a ~ b -- c --- d ... e",
    "\"double\" and 'single'",
    ']) } #panic("x")',
    "= not a heading",
    "+= not a list",
]


def first(text: str) -> Any:
    """Return the first block of a text, untyped for easy indexing."""
    return prose_blocks(text)[0]


def test_plain_paragraph() -> None:
    assert prose_blocks("住民基本台帳に関する事務") == [
        {"type": "paragraph", "body": ["住民基本台帳に関する事務"]}
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_typst_syntax_stays_one_plain_string(text: str) -> None:
    assert prose_blocks(text) == [{"type": "paragraph", "body": [text]}]


def test_code_span_keeps_markdown_active_characters() -> None:
    code = r"*a* _b_ [c] \d ` e"
    blocks = prose_blocks(f"`` {code} ``")
    assert blocks[0]["body"] == [{"type": "code", "text": code}]


def test_tree_is_plain_json() -> None:
    text = "\n\n".join(HOSTILE) + "\n\n- a **b** `c`\n\n::: clause x/y 1\nz\n:::\n"
    blocks = prose_blocks(text)
    assert json.loads(json.dumps(blocks)) == blocks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("住民票の\n記載", "住民票の記載"),
        ("CSの\nサーバ", "CSのサーバ"),
        ("番号法第9条\n(以下", "番号法第9条(以下"),
        ("plain\nEnglish", "plain English"),
    ],
)
def test_soft_break_prints_nothing_next_to_japanese(text: str, expected: str) -> None:
    assert prose_blocks(text)[0]["body"] == [expected]


def test_hard_break() -> None:
    assert prose_blocks("a  \nb")[0]["body"] == ["a", {"type": "linebreak"}, "b"]


def test_emphasis_and_strong() -> None:
    assert prose_blocks("a **b** *c*")[0]["body"] == [
        "a ",
        {"type": "strong", "body": ["b"]},
        " ",
        {"type": "emph", "body": ["c"]},
    ]


def test_only_web_and_mail_links_are_live() -> None:
    body: Any = first("[a](https://example.jp) [b](mailto:x@example.jp) [c](ftp://x)")["body"]
    assert body[0] == {"type": "link", "url": "https://example.jp", "body": ["a"]}
    assert body[2] == {"type": "link", "url": "mailto:x@example.jp", "body": ["b"]}
    assert body[4] == {"type": "span", "body": ["c"]}


def test_image_keeps_its_alt_text() -> None:
    assert prose_blocks("図: ![全体図](zu.png)")[0]["body"] == ["図: 全体図"]


def test_bullet_list_tight_and_loose() -> None:
    tight = prose_blocks("- a\n- b")[0]
    loose = prose_blocks("- a\n\n- b")[0]
    assert tight["type"] == "list" and tight["tight"] is True
    assert loose["tight"] is False
    assert tight["items"] == [
        [{"type": "paragraph", "body": ["a"]}],
        [{"type": "paragraph", "body": ["b"]}],
    ]


def test_ordered_list_keeps_start_and_delimiter() -> None:
    block = first("3) 三\n4) 四")
    assert (block["type"], block["start"], block["delimiter"]) == ("enum", 3, ")")
    assert len(block["items"]) == 2


def test_nested_list() -> None:
    block = first("1. 番号法\n   - 第7条")
    inner = block["items"][0][1]
    assert inner["type"] == "list"
    assert inner["items"] == [[{"type": "paragraph", "body": ["第7条"]}]]


def test_clause_block_keeps_provenance() -> None:
    blocks = prose_blocks("前文\n\n::: clause chukan-pf/storage 2\n標準の文\n:::\n")
    assert blocks[1] == {
        "type": "clause",
        "id": "chukan-pf/storage",
        "version": "2",
        "body": [{"type": "paragraph", "body": ["標準の文"]}],
    }


def test_heading_quote_rule_and_code_block() -> None:
    blocks = prose_blocks("## 見出し\n\n> 引用\n\n---\n\n```\n#x\n$y$\n```\n")
    assert blocks[0] == {"type": "heading", "level": 2, "body": ["見出し"]}
    assert blocks[1] == {"type": "quote", "body": [{"type": "paragraph", "body": ["引用"]}]}
    assert blocks[2] == {"type": "rule"}
    assert blocks[3] == {"type": "code_block", "text": "#x\n$y$"}


def test_table() -> None:
    block = prose_blocks("| 分類 | 項目 |\n|---|---|\n| 1 | `#x` |\n")[0]
    assert block["type"] == "table"
    assert block["head"] == [["分類"], ["項目"]]
    assert block["rows"] == [[["1"], [{"type": "code", "text": "#x"}]]]


def test_raw_html_is_text() -> None:
    assert prose_blocks("<b>太字</b>")[0]["body"] == ["<b>太字</b>"]
