"""Content is untrusted: no text from content/ may reach a page as markup or script."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

from htmltext import html_text

from pia_build import build
from pia_build.core.config import Config

REPO = Path(__file__).resolve().parents[1]
MINIMAL = REPO / "tests" / "projects" / "minimal"
PAYLOAD = (
    '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">a</a>'
    '[b](javascript:alert(4)) <javascript:alert(5)> "onmouseover="alert(6)\' <style>*{}</style>'
)


class _Audit(HTMLParser):
    """Collects every element and attribute a browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"<{tag} {name}={value!r}>")


EVIL_CLAUSE = 'evil/a"><img src=x onerror=alert(7)>'
"""A clause whose id (so its page's path and every link to it) carries an attribute injection."""


def hostile_clause() -> str:
    """Return a clause file with the payload in every field a clause page prints."""
    meta = {
        "id": EVIL_CLAUSE,
        "family": "evil",
        "title": PAYLOAD,
        "heading": PAYLOAD,
        "items": {"focused": PAYLOAD},
        "version": 2,
        "versions": [{"version": 1, "date": PAYLOAD, "note": PAYLOAD}],
        "params": {"p": {"default": PAYLOAD, "description": PAYLOAD}},
    }
    front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
    return f"---\n{front}\n---\n{PAYLOAD}\n\n{{{{ p }}}} {{{{ org.団体名 }}}}\n"


def hostile_project(tmp_path: Path) -> Path:
    """Copy the minimal project with the payload in every value that holds 見本 (lines, lists,
    ( ) texts, table cells, prose), in the org profile used by templates, and in a clause."""
    shutil.copytree(MINIMAL, tmp_path, dirs_exist_ok=True)
    sources = [
        *(tmp_path / "content" / "evaluations").rglob("*.md"),
        tmp_path / "content/orgs/mihon.yml",
    ]
    for path in sources:
        text = path.read_text(encoding="utf-8").replace("見本", PAYLOAD)
        path.write_text(text, encoding="utf-8")
    clause = tmp_path / "content" / "clauses" / f"{EVIL_CLAUSE}.md"
    clause.parent.mkdir(parents=True)
    clause.write_text(hostile_clause(), encoding="utf-8")
    risk = tmp_path / "content" / "evaluations" / "minimal" / "3-risk-1.md"
    text = risk.read_text(encoding="utf-8")
    use = "### その他の措置の内容\n\n{{ clause('" + EVIL_CLAUSE + "') }}\n"
    risk.write_text(text.replace("### その他の措置の内容\n", use, 1), encoding="utf-8")
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    return tmp_path


def audit(page: str) -> _Audit:
    """Return what a browser would see of ``page``."""
    found = _Audit()
    found.feed(page)
    return found


def test_payload_is_text_never_markup(tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    result = build(Config(project), formats=("html",))
    assert [d.render() for d in result.diagnostics] == []
    page = (project / "output" / "site" / "minimal" / "index.html").read_text(encoding="utf-8")
    found = audit(page)
    assert "img" not in found.tags and "style" not in found.tags
    assert found.tags.count("script") == 0 and found.bad == []
    text = html_text(page)
    assert text.count("<script>alert(1)</script>") >= 10  # shown literally, many times over
    index = (project / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "&lt;script&gt;" in index


def test_clause_pages_show_the_payload_as_text(tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    build(Config(project), formats=("html",))
    site = project / "output" / "site"
    page = (site / "clauses" / EVIL_CLAUSE / "index.html").read_text(encoding="utf-8")
    text = html_text(page)
    # title ×2, heading ×2, item, text ×2, template, param default + description, version date +
    # note: each shown literally
    assert text.count("<script>alert(1)</script>") >= 12
    assert f"clause('{EVIL_CLAUSE}')" not in text  # the reference was expanded, not echoed
    listing = (site / "clauses" / "index.html").read_text(encoding="utf-8")
    evaluation = (site / "minimal" / "index.html").read_text(encoding="utf-8")
    quoted = "a%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%287%29%3E"
    assert f'href="../clauses/evil/{quoted}/index.html"' in evaluation
    for html in (page, listing, evaluation):
        found = audit(html)
        assert "img" not in found.tags and found.bad == []


def test_no_page_of_the_site_carries_markup_from_content(tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    build(Config(project), formats=("html",))
    pages = sorted((project / "output" / "site").rglob("*.html"))
    assert len(pages) >= 6  # home, search, clause list, 3 clause pages, the evaluation
    for path in pages:
        found = audit(path.read_text(encoding="utf-8"))
        own = {"script"} if path.parent.name == "search" else set()  # Pagefind's UI, by src
        assert set(found.tags) & {"img", "style", "iframe", "object"} == set(), path
        assert {t for t in found.tags if t == "script"} <= own and found.bad == [], path


def test_pages_forbid_inline_script() -> None:
    base = (REPO / "layouts" / "base.html").read_text(encoding="utf-8")
    assert "script-src 'self'" in base and "object-src 'none'" in base
