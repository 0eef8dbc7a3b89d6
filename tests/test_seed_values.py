"""The 千葉市 evaluation in content/ carries every value of the published seed 001.

Every value cell of the seed (the text after the label in each tab-separated row) is cut into
paragraphs and checked, normalised, against the text of the built HTML page. Corrections of
extraction damage are listed in content/evaluations/chiba-yobosesshu/NOTES.md and in
``CORRECTED`` below; each is checked in its corrected form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from htmltext import html_text, squash

from pia_build.building.build import BuildResult

SEED = Path(__file__).parent / "seeds" / "001_fb1bf0b09c48865e.txt"

# seed text (as squashed) → the corrected text the evaluation holds instead (see NOTES.md)
CORRECTED: dict[str, str] = {}


def seed_values(text: str) -> list[str]:
    """Return the paragraphs of every value cell of the seed, squashed."""
    values: list[str] = []
    for line in text.splitlines():
        if "\t" not in line:
            continue
        for cell in line.split("\t")[1:]:
            # paragraphs, checkbox marks, numbered options (printed column-major in the seed,
            # so they are compared one by one) and 【…】 block headings each stand alone
            for paragraph in re.split(r"</p>|<br\s*/?>|\[\s*○?\s*\]|\s[0-9]+\)\s|(?=【)", cell):
                plain = re.sub(r"<[^>]+>", "", paragraph)
                plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                plain = re.sub(r"^\s*(?:[0-9]+\.|[①-⑳]|・|-)\s*", "", plain)
                if len(squash(plain)) >= 2:
                    values.append(squash(plain))
    return values


@pytest.fixture(scope="module")
def chiba_text(repo_build: tuple[BuildResult, Path]) -> str:
    _, site = repo_build
    page = site / "chiba-yobosesshu" / "index.html"
    return squash(html_text(page.read_text(encoding="utf-8")))


def test_seed_has_values() -> None:
    assert len(seed_values(SEED.read_text(encoding="utf-8"))) > 150


def test_every_seed_value_is_in_the_html(chiba_text: str) -> None:
    missing = []
    for value in seed_values(SEED.read_text(encoding="utf-8")):
        wanted = CORRECTED.get(value, value)
        if wanted not in chiba_text:
            missing.append(value)
    assert missing == []
