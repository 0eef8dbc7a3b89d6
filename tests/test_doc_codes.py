"""What the docs and the schemas promise matches what pia does (issue 13's misleading messages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pia_build.core.wareki import DateError, parse_date
from pia_build.schema import DATE_PATTERN

REPO = Path(__file__).resolve().parents[1]


def _codes_in_source() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "pia_build").rglob("*.py"))
    return set(re.findall(r"\"([a-z]+\.[a-z_]+)\"", text))


@pytest.mark.parametrize("doc", ["cli.md", "forms.md", "authoring.md", "messages.md"])
def test_the_docs_name_only_codes_that_exist(doc: str) -> None:
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z]+\.[a-z_]+)`", text))
    files = {n for n in named if re.search(r"\.(md|yml|yaml|py|json|toml|txt|html)$", n)}
    files.add("yaml.schemas")  # the VS Code setting, not a code
    assert named - files - _codes_in_source() == set()


DATES = [
    "令和3年1月26日",
    "令和元年5月1日",
    "平成27年10月5日",
    "2021-01-26",
    "2025/05/01",
    "2025.5.1",
    "2025年5月1日",
    "２０２５／０５／０１",
    "令和 3年 1月 26日",
]
NOT_DATES = ["令和3年", "2025-05", "来年の春", "05/01/2025", "R3.1.26"]


@pytest.mark.parametrize("text", DATES + NOT_DATES)
def test_the_schema_accepts_the_dates_pia_check_accepts(text: str) -> None:
    try:
        parse_date(text)
        accepted = True
    except DateError:
        accepted = False
    assert accepted == (text in DATES)
    assert bool(re.match(DATE_PATTERN, text)) == accepted
