"""Reading sources: front matter split, YAML positions, headed Markdown, encodings."""

from __future__ import annotations

from pathlib import Path

from pia_build.core.raw import RawList, RawMap, Scalar
from pia_build.source.loader import load_file, load_markdown, load_yaml, split_front_matter


def test_front_matter_split_keeps_body_line() -> None:
    front, body, line = split_front_matter("---\na: 1\nb: 2\n---\n# H\ntext\n")
    assert front == "a: 1\nb: 2\n"
    assert body == "# H\ntext\n"
    assert line == 5


def test_no_front_matter() -> None:
    assert split_front_matter("# H\n") == ("", "# H\n", 1)


def test_yaml_positions_are_file_lines() -> None:
    tree, problems = load_yaml("a: 1\nb:\n  - x\n  - y\n", "f.md", 2)
    assert problems == []
    (key_a, where_a, value_a), (_, where_b, value_b) = tree.entries
    assert (key_a, where_a.line, value_a) == ("a", 2, Scalar(1, where_a))
    assert where_b.line == 3
    assert isinstance(value_b, RawList) and [i.location.line for i in value_b.items] == [4, 5]


def test_yaml_syntax_error_has_line() -> None:
    _, problems = load_yaml("a: 1\nb: [1,\n", "f.md", 2)
    assert [(p.code, p.location.line) for p in problems] == [("yaml.syntax", 4)]


def test_front_matter_must_be_a_mapping() -> None:
    _, problems = load_yaml("- a\n- b\n", "f.md", 2)
    assert [p.code for p in problems] == ["yaml.structure"]


def test_headings_nest_and_fences_are_not_headings() -> None:
    body = "# A\n## B\ntext\n\n```\n# not a heading\n```\n## C\n"
    tree, problems = load_markdown(body, "f.md", 10)
    assert problems == []
    ((title, where, value),) = tree.entries
    assert (title, where.line) == ("A", 10)
    assert isinstance(value, RawMap)
    b, c = value.entries
    assert b[0] == "B" and isinstance(b[2], Scalar)
    assert b[2].value == "text\n\n```\n# not a heading\n```" and b[2].location.line == 12
    assert c[0] == "C" and c[2] == Scalar(None, c[1], markdown=True)


def test_text_before_any_heading_is_reported() -> None:
    _, problems = load_markdown("stray\n# A\nx\n", "f.md", 3)
    assert [(p.code, p.location.line) for p in problems] == [("markdown.orphan", 3)]


def test_undecodable_file_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "1-basic.md"
    path.write_bytes("---\na: 1\n---\n# 事務\n".encode("shift_jis"))
    loaded, problems = load_file(path, "1-basic.md")
    assert loaded is None
    assert [(p.code, p.location.line) for p in problems] == [("file.encoding", 4)]


def test_crlf_and_bom_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "1-basic.md"
    path.write_bytes("\ufeff---\r\na: 1\r\n---\r\n# A\r\nx\r\n".encode())
    loaded, problems = load_file(path, "1-basic.md")
    assert problems == [] and loaded is not None
    assert [e[0] for e in loaded.tree.entries] == ["a", "A"]
