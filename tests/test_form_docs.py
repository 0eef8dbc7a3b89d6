"""docs/forms/ is current: one generated page per form definition file (issue 13)."""

from __future__ import annotations

from pathlib import Path

from pia_build.formdoc import form_pages
from pia_build.forms import FORMS_DIR, load_form

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "forms"


def test_docs_forms_is_current() -> None:
    """Run `make form-docs` when this fails."""
    pages = form_pages(REPO)
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted(pages)
    for name, text in pages.items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, f"docs/forms/{name} is stale"


def test_every_form_file_and_every_item_has_its_page() -> None:
    pages = form_pages(REPO)
    for path in FORMS_DIR.glob("*.yml"):
        form = load_form(path)
        page = pages[f"{path.stem}.md"]
        assert f"様式の版: {form.edition}" in page
        for part in form.parts:
            assert f"## {part.label}" in page
            for spec in part.items:
                assert spec.label.replace("|", "\\|") in page


def test_a_page_lists_options_conditions_and_clauses() -> None:
    page = form_pages(REPO)["focused-r6.md"]
    assert (
        "| 1,000人未満 / 1,000人以上1万人未満 / 1万人以上10万人未満 / 10万人以上30万人未満 |"
        in page
    )
    assert "| ④再委託の有無 が 再委託する |" in page
    assert "`chukan-pf/storage`" in page
