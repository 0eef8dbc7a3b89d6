"""Content is untrusted: no text from content/ may reach a page as markup or script."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from htmltext import html_text

from pia_build import build
from pia_build.config import Config

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


def hostile_project(tmp_path: Path) -> Path:
    """Copy the minimal project with the payload in every value that holds 見本 (lines, lists,
    ( ) texts, table cells, prose) and in the org profile used by templates."""
    shutil.copytree(MINIMAL, tmp_path, dirs_exist_ok=True)
    sources = [*(tmp_path / "content" / "evaluations").rglob("*.md"), tmp_path / "content/orgs/mihon.yml"]
    for path in sources:
        text = path.read_text(encoding="utf-8").replace("見本", PAYLOAD)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "layouts", tmp_path / "layouts")
    return tmp_path


def test_payload_is_text_never_markup(tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    result = build(Config(project), formats=("html",))
    assert [d.render() for d in result.diagnostics] == []
    page = (project / "output" / "site" / "minimal" / "index.html").read_text(encoding="utf-8")
    audit = _Audit()
    audit.feed(page)
    assert "script" not in audit.tags and "img" not in audit.tags and "style" not in audit.tags
    assert audit.bad == []
    text = html_text(page)
    assert text.count("<script>alert(1)</script>") >= 10  # shown literally, many times over
    index = (project / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in index and "&lt;script&gt;" in index


def test_pages_forbid_inline_script() -> None:
    base = (REPO / "layouts" / "base.html").read_text(encoding="utf-8")
    assert "script-src 'self'" in base and "object-src 'none'" in base
