"""The site in a real browser: headless Chromium (Debian's) driven by Playwright for Python.

Browse from the home page to an evaluation, follow an item anchor, search a Japanese phrase,
see `pia serve` reload a page and show a failed build, and check that search results carry no
markup from content. Any console error fails a test. Screenshots go to the test's tmp dir.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_html_safety import hostile_project

from pia_build import build
from pia_build.building.build import BuildResult
from pia_build.core.config import Config
from pia_build.render.fonts import font_dirs
from pia_build.site.serve import DevServer

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CHIBA_PHRASE = "個別通知用のシール及び予診票の印刷"
"""A phrase from the 千葉市 evaluation (Ⅰ 2. システム1 ②システムの機能)."""
WAIT_MS = 20_000

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium with the Japanese fonts of the PDF packages (no system fonts needed)."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    conf = tmp_path_factory.mktemp("fonts") / "fonts.conf"
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs())
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig>{dirs}'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>',
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, env=env)
        yield launched
        launched.close()


def serve_static(site: Path) -> ThreadingHTTPServer:
    """Serve ``site`` on 127.0.0.1 from a thread, as any static host would."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site_url(repo_build: tuple[BuildResult, Path]) -> Iterator[str]:
    """The repository's built site under a sub-path, to prove the links are relative."""
    _, site = repo_build
    root = site.parent / "host"
    root.mkdir(exist_ok=True)
    (root / "pia").symlink_to(site, target_is_directory=True)
    server = serve_static(root)
    yield f"http://127.0.0.1:{server.server_address[1]}/pia/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose console errors, page errors and failed requests are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.problems = []
    opened.on("console", lambda m: m.type == "error" and opened.problems.append(m.text))
    opened.on("pageerror", lambda e: opened.problems.append(f"page error: {e}"))
    opened.on("requestfailed", lambda r: opened.problems.append(f"failed: {r.url}"))
    opened.on("dialog", lambda d: (opened.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield opened
    context.close()


def test_browse_follow_an_anchor_and_search(
    page: Any, site_url: str, tmp_path: Path, record_property: Any
) -> None:
    page.goto(site_url)
    assert page.locator("html").get_attribute("lang") == "ja"
    page.get_by_role("link", name="千葉市 予防接種に関する事務 重点項目評価書").click()
    page.wait_for_url("**/pia/chiba-yobosesshu/index.html")
    assert page.locator("h1").inner_text() == "特定個人情報保護評価書（重点項目評価書）"
    page.locator("a.clause-link").first.click()
    page.wait_for_url("**/pia/clauses/chukan-pf/education/index.html")
    page.locator("#uses a[href*='#']").first.click()
    page.wait_for_url("**/pia/chiba-yobosesshu/index.html#risk-1.training.method")
    assert page.evaluate("document.querySelector(':target').id") == "risk-1.training.method"
    assert page.locator('[id="risk-1.training.method"]').is_visible()
    page.fill("#site-q", CHIBA_PHRASE)
    page.press("#site-q", "Enter")
    page.wait_for_url("**/pia/search/index.html?q=*")
    first = page.locator(".pagefind-ui__result-link").first
    first.wait_for(timeout=WAIT_MS)
    assert first.get_attribute("href") == "/pia/chiba-yobosesshu/index.html"
    assert first.inner_text() == "千葉市 予防接種に関する事務 重点項目評価書"
    shot = tmp_path / "search.png"
    page.screenshot(path=str(shot), full_page=True)
    record_property("screenshot", str(shot))
    print(f"screenshot: {shot}")
    first.click()
    page.wait_for_url("**/pia/chiba-yobosesshu/index.html")
    assert page.problems == []


def test_search_results_carry_no_markup_from_content(page: Any, tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "project")
    build(Config(project), formats=("html",))
    server = serve_static(project / "output" / "site")
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/index.html?q=alert")
        # results appear first as placeholders; wait until their excerpts have loaded
        page.locator(".pagefind-ui__result-excerpt").first.wait_for(timeout=WAIT_MS)
        results = page.locator("#search")
        page.wait_for_function(
            "() => document.querySelector('#search').innerText.includes('alert(')", timeout=WAIT_MS
        )
        assert "alert(" in results.inner_text()
        assert results.locator("script, img, style, iframe, [onerror], [onmouseover]").count() == 0
        hrefs = results.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs and not [h for h in hrefs if not h.startswith("http://127.0.0.1:")]
    finally:
        server.shutdown()
        server.server_close()
    assert page.problems == []


def _first_page(tmp_path: Path) -> tuple[Path, Path]:
    """Return a site folder with the theme's assets and its index page saying 一回目."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parents[1] / "layouts" / "assets", site / "assets")
    index = site / "index.html"
    index.write_text(_page("一回目"), encoding="utf-8")
    return site, index


def test_serve_reloads_the_page_and_shows_a_failed_build(page: Any, tmp_path: Path) -> None:
    site, index = _first_page(tmp_path)
    with DevServer(site, port=0) as server:
        page.goto(server.url)
        index.write_text(_page("二回目"), encoding="utf-8")
        server.state.publish([])
        page.get_by_text("二回目").wait_for(timeout=WAIT_MS)
        server.state.publish(["content/a.md:4: error[form.choice]: <b>not an option</b>"])
        overlay = page.locator("#pia-build-errors")
        overlay.wait_for(timeout=WAIT_MS)
        assert "content/a.md:4: error[form.choice]: <b>not an option</b>" in overlay.inner_text()
        page.screenshot(path=str(tmp_path / "serve-error.png"))
        index.write_text(_page("三回目"), encoding="utf-8")
        server.state.publish([])
        page.get_by_text("三回目").wait_for(timeout=WAIT_MS)
        assert overlay.count() == 0
    assert page.problems == []


def test_serve_refreshes_only_the_pages_a_build_names_and_in_place(
    page: Any, tmp_path: Path
) -> None:
    site, index = _first_page(tmp_path)
    with DevServer(site, port=0) as server:
        page.goto(server.url)
        page.evaluate("window.sameDocument = true")
        with page.expect_request(lambda r: "__pia/status?since=1" in r.url):
            index.write_text(_page("二回目"), encoding="utf-8")  # not announced for this page
            server.state.publish([], ("other/index.html",))
        assert page.get_by_text("一回目").count() == 1  # it asks for the next build, unchanged
        index.write_text(_page("三回目"), encoding="utf-8")
        server.state.publish([], ("index.html",))
        page.get_by_text("三回目").wait_for(timeout=WAIT_MS)
        assert page.evaluate("window.sameDocument") is True  # the body was put in place
        assert page.locator("script").count() == 1
        index.write_text(_page("四回目"), encoding="utf-8")
        server.state.publish([])  # a build that does not name its pages: a whole reload
        page.get_by_text("四回目").wait_for(timeout=WAIT_MS)
        assert page.evaluate("window.sameDocument") is None
    assert page.problems == []


def test_serve_marks_a_download_still_being_made(page: Any, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(_page('<a href="a.pdf">PDF</a>'), encoding="utf-8")
    (site / "a" / "a.pdf").write_bytes(b"%PDF-1.7")
    downloads = "() => document.documentElement.dataset.piaDownloads === '{}'"
    with DevServer(site, port=0) as server:
        server.state.set_pending({"a/a.pdf"})
        page.goto(server.url + "a/index.html")
        page.wait_for_function(downloads.format("pending"), timeout=WAIT_MS)
        link = page.locator("a[href='a.pdf']")
        assert link.inner_text() == "PDF（作成中…）"
        assert link.get_attribute("aria-busy") == "true"
        server.state.set_pending(set())
        page.wait_for_function(downloads.format("ready"), timeout=WAIT_MS)
        assert link.inner_text() == "PDF"
        assert link.get_attribute("aria-busy") is None
    assert page.problems == []


def _page(text: str) -> str:
    """Return a page with the site's own head (its CSP included) and one paragraph."""
    base = (Path(__file__).parents[1] / "layouts" / "base.html").read_text(encoding="utf-8")
    csp = next(line for line in base.splitlines() if "Content-Security-Policy" in line)
    head = f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">{csp}<title>t</title>'
    return head + f'<link rel="icon" href="data:,"></head><body><p>{text}</p></body></html>'
