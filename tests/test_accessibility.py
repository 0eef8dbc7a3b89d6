"""Every kind of page passes axe-core's WCAG 2.1 A/AA rules in Chromium, and the portfolio page
and its risk matrix are screenshotted (JIS X 8341-3 asks public-sector sites for WCAG 2.1 AA).

axe-core comes with the axe-playwright-python wheel (its axe.min.js), so no network is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_browser
from conftest import REPO
from test_browser import WAIT_MS, serve_static

from pia_build import build
from pia_build.core.config import Config

axe_module = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="pip install axe-playwright-python"
)
browser = test_browser.browser  # the fixtures: Debian's chromium, a page collecting console errors
page = test_browser.page
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = (
    ("home", "index.html"),
    ("evaluation (重点)", "chiba-yobosesshu/index.html"),
    ("evaluation (全項目, draft)", "kawaguchi-jumin/index.html"),
    ("clause index", "clauses/index.html"),
    ("clause", "clauses/chukan-pf/education/index.html"),
    ("search", "search/index.html?q=予防接種"),
    ("portfolio", "portfolio/index.html"),
)


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's site with the portfolio published, served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("public")
    build(Config(REPO, out, portfolio="public"), formats=("html", "json"))
    server = serve_static(out / "site")
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def violations(page: Any) -> list[str]:
    """Return axe-core's WCAG 2.1 A/AA violations of the open page, one line per element."""
    results = axe_module.Axe().run(page, options=RULES)
    return [
        f"{v['id']}: {v['help']} — {node['target']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


@pytest.mark.parametrize(("kind", "path"), PAGES, ids=[k for k, _ in PAGES])
def test_every_kind_of_page_has_no_wcag_violations(
    page: Any, public_site: str, kind: str, path: str
) -> None:
    page.goto(public_site + path)
    if kind == "search":
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=WAIT_MS)
    assert violations(page) == []
    assert page.problems == []


def test_portfolio_sorts_with_its_script_and_is_screenshotted(
    page: Any, public_site: str, tmp_path: Path, record_property: Any
) -> None:
    page.goto(public_site + "portfolio/index.html")
    names = page.locator("#portfolio-table tbody tr td:first-child")
    built = names.all_inner_texts()
    page.get_by_role("button", name="評価書名").click()
    assert page.locator("th[data-key=name]").get_attribute("aria-sort") == "ascending"
    assert names.all_inner_texts() == sorted(built)
    page.get_by_role("button", name="評価書名").click()
    assert names.all_inner_texts() == sorted(built, reverse=True)
    assert violations(page) == []  # still accessible with the buttons in place
    shots = {"portfolio": tmp_path / "portfolio.png", "risk-matrix": tmp_path / "risk-matrix.png"}
    page.screenshot(path=str(shots["portfolio"]), full_page=True)
    page.locator("section.risk-matrix").screenshot(path=str(shots["risk-matrix"]))
    for name, shot in shots.items():
        assert shot.stat().st_size > 10_000
        record_property(name, str(shot))
        print(f"screenshot {name}: {shot}")
    matrix = page.locator("svg.risk-matrix")
    assert matrix.get_attribute("role") == "img" and "評価書" in (
        matrix.get_attribute("aria-label") or ""
    )
    assert page.problems == []
