"""The portfolio's outputs: the page in the site (public) or beside it (staff), the risk strip on
every evaluation page, the PDF report and the workbook; all reproducible for one day."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from htmltext import html_text

from pia_build import build
from pia_build.building.portfolio import portfolio
from pia_build.core.config import Config
from pia_build.site.portfolio_book import portfolio_workbook
from pia_build.site.portfolio_report import portfolio_pdf

DAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def rows() -> list:
    return portfolio(Config(REPO), DAY)[0]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_pdf_report_holds_the_table_the_matrix_and_each_evaluation(
    rows: list, tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    data = portfolio_pdf(rows, DAY, REPO / "layouts")
    assert data == portfolio_pdf(rows, DAY, REPO / "layouts")
    text = "".join(pdf_text(data, tmp_path).split())  # pdftotext spaces out 和暦 dates
    assert "令和8年1月1日現在" in text
    assert "令和8年1月26日" in text  # 千葉市: 再実施期限
    for row in rows:
        name = "".join(row.name.split())
        assert text.count(name) >= 3  # table, matrix (SVG and table), per-evaluation section
    for label in ("入手", "使用", "委託", "提供・移転", "情報連携", "保管・消去"):
        assert label in text
    assert "課題が残されている" in text and "特に力を入れている30件" in text


def test_an_evaluation_on_an_earlier_edition_is_flagged(rows: list) -> None:
    chiba = next(r for r in rows if r.id == "chiba-yobosesshu")
    assert (chiba.edition, chiba.latest_edition, chiba.edition_behind) == (
        "令和6年9月以前",
        "令和6年10月",
        True,
    )
    assert "様式の版が古い（最新 令和6年10月）" in chiba.flags
    assert not next(r for r in rows if r.id == "mihon-jumin").edition_behind


def test_the_workbook_has_one_sheet_per_view(rows: list) -> None:
    data = portfolio_workbook(rows, DAY)
    assert data == portfolio_workbook(rows, DAY)
    path_book = zipfile.ZipFile(__import__("io").BytesIO(data))
    workbook = path_book.read("xl/workbook.xml").decode("utf-8")
    for name in ("一覧", "未公表の変更", "旧版の標準記載", "リスク", "リスク回答"):
        assert f'name="{name}"' in workbook
    strings = path_book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "千葉市 予防接種に関する事務 重点項目評価書" in strings and "令和8年1月26日" in strings


def test_the_portfolio_page_is_public_or_for_staff_only(tmp_path: Path) -> None:
    staff = build(Config(REPO, tmp_path / "staff"), formats=("html",), search=False)
    assert staff.diagnostics == [] or all(d.severity != "error" for d in staff.diagnostics)
    page = tmp_path / "staff" / "staff" / "portfolio" / "index.html"
    assert page.is_file() and not (tmp_path / "staff" / "site" / "portfolio").exists()
    assert 'href="../../site/assets/style.css"' in page.read_text(encoding="utf-8")
    home = (tmp_path / "staff" / "site" / "index.html").read_text(encoding="utf-8")
    assert "portfolio/index.html" not in home
    build(Config(REPO, tmp_path / "public", portfolio="public"), formats=("html",), search=False)
    public = tmp_path / "public" / "site" / "portfolio" / "index.html"
    home = (tmp_path / "public" / "site" / "index.html").read_text(encoding="utf-8")
    assert public.is_file() and 'href="portfolio/index.html"' in home
    text = html_text(public.read_text(encoding="utf-8"))
    assert "特定個人情報保護評価書の管理状況" in text and "リスク対策の自己評価（表）" in text
    html = public.read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="risk-matrix" role="img"' in html
    assert "<script>" not in html and 'src="../assets/sort.js"' in html


def test_every_evaluation_page_shows_its_risk_strip_and_table(tmp_path: Path) -> None:
    build(Config(REPO, tmp_path), formats=("html",), search=False)
    page = (tmp_path / "site" / "kawaguchi-jumin" / "index.html").read_text(encoding="utf-8")
    assert 'class="risk-strip" role="img"' in page
    text = html_text(page)
    assert "特に力を入れている 30件" in text and "未記入 18件" in text
    assert page.count("<tr><td>Ⅲ") + page.count("<tr><td>Ⅲ") >= 1
