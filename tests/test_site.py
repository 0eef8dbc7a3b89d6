"""The static site: clause pages, the search bundle, relative links that all resolve, a11y."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import REPO
from htmltext import html_text

from pia_build.building.build import BuildResult
from pia_build.core.diagnostics import Location
from pia_build.forms import builtin_forms
from pia_build.site.pages import default_text, item_label
from pia_build.site.search import run_pagefind
from pia_build.source.clauses import load_library
from pia_build.source.shapes import Clause


class _Links(HTMLParser):
    """Collects links, ids, the html lang and header cells of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.lang = ""
        self.th_without_scope = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.links += [v for k, v in attrs if k in ("href", "src") and v]
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "html":
            self.lang = values.get("lang") or ""
        if tag == "th" and "scope" not in values:
            self.th_without_scope += 1


def parse(path: Path) -> _Links:
    page = _Links()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_link_is_relative_and_resolves(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    pages = sorted(site.rglob("*.html"))
    parsed = {path: parse(path) for path in pages}
    checked = 0
    for path, page in parsed.items():
        for link in page.links:
            url = urlsplit(link)
            if url.scheme == "data" or (not url.path and url.fragment):
                continue
            assert not url.scheme and not url.netloc and not url.path.startswith("/"), (path, link)
            target = (path.parent / unquote(url.path)).resolve()
            assert target.is_file() and target.is_relative_to(site), (path, link)
            if url.fragment and target.suffix == ".html":
                assert unquote(url.fragment) in parsed[target].ids, (path, link)
            checked += 1
    assert checked > 500


def test_every_page_is_japanese_with_scoped_header_cells(
    repo_build: tuple[BuildResult, Path],
) -> None:
    _, site = repo_build
    for path in site.rglob("*.html"):
        page = parse(path)
        assert page.lang == "ja" and page.th_without_scope == 0, path
    css = (site / "assets" / "style.css").read_text(encoding="utf-8")
    assert "@media print" in css


def test_each_clause_has_a_page_with_text_versions_and_uses(
    repo_build: tuple[BuildResult, Path],
) -> None:
    _, site = repo_build
    library, _ = load_library(REPO / "content", REPO)
    assert library
    for clause_id in library:
        assert (site / "clauses" / clause_id / "index.html").is_file(), clause_id
    page = (site / "clauses" / "chukan-pf" / "education" / "index.html").read_text(encoding="utf-8")
    text = html_text(page)
    assert "<中間サーバー・プラットフォームにおける措置>" in text  # the heading as printed
    assert "版の履歴" in text and "令和3年2月3日" in text
    use = '<a href="../../../chiba-yobosesshu/index.html#risk-1.training.method">'
    assert use in page
    assert "Ⅲ リスク対策 (1) › 9. 従業者に対する教育・啓発" in text
    listing = html_text((site / "clauses" / "index.html").read_text(encoding="utf-8"))
    assert (
        "chukan-pf/education" in listing and "中間サーバー・プラットフォーム — 保管場所" in listing
    )


def test_evaluation_pages_link_their_clauses(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    page = (site / "chiba-yobosesshu" / "index.html").read_text(encoding="utf-8")
    link = '<a class="clause-link" href="../clauses/chukan-pf/education/index.html">'
    assert link in page
    row = page[page.index('id="risk-1.training.method"') :]
    assert row.index(link) < row.index("</tr>")  # in the row of the item that uses it
    assert "data-pagefind-body" in page and 'data-pagefind-meta="title[content]"' in page


def test_search_page_and_bundle_are_built(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../pagefind/pagefind-ui.js" defer></script>' in page
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (site / "pagefind" / name).is_file(), name
    assert list((site / "pagefind" / "fragment").iterdir())
    entry = (site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"ja"' in entry  # indexed as Japanese
    base = (REPO / "layouts" / "base.html").read_text(encoding="utf-8")
    assert "script-src 'self' 'wasm-unsafe-eval'" in base


def test_search_index_is_deterministic() -> None:
    pages = [
        (f"{n}/index.html", _page(f"評価書{n}", "予防接種法に基づき予防接種を実施する。" * n))
        for n in range(1, 8)
    ]
    first, second = run_pagefind(pages), run_pagefind(list(reversed(pages)))
    assert [p for p, _ in first] == [p for p, _ in second]
    assert first == second


def test_item_labels_follow_the_printed_form() -> None:
    full = builtin_forms()["full"]
    assert item_label(full, "basic.systems.2.name") == (
        "Ⅰ 基本情報 › 2. 特定個人情報ファイルを取り扱う事務において使用するシステム › システム2"
        " › ①システムの名称"
    )
    assert item_label(full, "overview-1.storage.location").startswith(
        "Ⅱ 特定個人情報ファイルの概要 (1) › "
    )
    assert item_label(full, "nowhere.at.all") == "nowhere.at.all"


def test_clause_text_uses_defaults_and_placeholders() -> None:
    body = "{{ org.団体名 }}は{{ org.開示請求先 }}で{% if mode == 'a' %}A{% else %}B{% endif %}。"
    clause = _clause("x/y", body, {"mode": {"default": "a"}})
    text = default_text(clause, {"x/y": clause})
    assert "（団体名）は（開示請求先）でA。" in text
    broken = _clause("x/z", "{{ missing_param }}", {})
    assert default_text(broken, {"x/z": broken}) == ""


def _page(title: str, text: str) -> bytes:
    html = f'<html lang="ja"><body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main>'
    return (html + "</body></html>").encode("utf-8")


def _clause(clause_id: str, body: str, params: dict) -> Clause:
    return Clause(
        id=clause_id,
        family=clause_id.split("/")[0],
        title=clause_id,
        heading="",
        version=1,
        versions=(),
        params=params,
        items={},
        body=body,
        location=Location("content/clauses/x.md", 5),
    )
