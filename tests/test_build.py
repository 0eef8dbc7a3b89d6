"""The repository's sample content builds: both evaluations, in the official layout, reproducibly."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO
from htmltext import html_text

from pia_build import build
from pia_build.building.build import BuildResult
from pia_build.core.config import Config


def test_content_checks_clean(repo_build: tuple[BuildResult, Path]) -> None:
    result, _ = repo_build
    assert [d.render() for d in result.diagnostics if d.severity == "error"] == []


def test_every_evaluation_has_a_page(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    ids = sorted(p.name for p in (REPO / "content" / "evaluations").iterdir() if p.is_dir())
    assert ids, "content/evaluations is empty"
    for evaluation_id in ids:
        assert (site / evaluation_id / "index.html").is_file(), evaluation_id
    index = html_text((site / "index.html").read_text(encoding="utf-8"))
    assert "千葉市 予防接種に関する事務 重点項目評価書" in index


def test_page_has_the_official_furniture(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    page = (site / "chiba-yobosesshu" / "index.html").read_text(encoding="utf-8")
    text = html_text(page)
    assert '<html lang="ja">' in page
    assert "特定個人情報保護評価書（重点項目評価書）" in text
    # 千葉市 declares the edition before 令和6年10月, which printed no marker (issue 12)
    assert "様式3]" not in text and "令和6年10月" not in text
    marked = html_text((site / "kawaguchi-jumin" / "index.html").read_text(encoding="utf-8"))
    assert "[令和6年10月 様式4]" in marked
    assert "<選択肢>" in text and "[ 10万人以上30万人未満 ]" in text
    assert "[○]" in text and "※" in text
    assert 'id="basic.business.name"' in page
    assert 'class="clause" data-clause="chukan-pf/' in page
    for label in (
        "Ⅰ 基本情報",
        "Ⅱ 特定個人情報ファイルの概要",
        "Ⅲ リスク対策",
        "Ⅳ 開示請求、問合せ",
        "Ⅴ 評価実施手続",
    ):
        assert label in text


def test_parts_print_in_form_order(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    text = html_text((site / "chiba-yobosesshu" / "index.html").read_text(encoding="utf-8"))
    body = text[text.index("Ⅴ 評価実施手続") :]  # after the 項目一覧
    positions = [
        body.find(label)
        for label in (
            "Ⅰ 基本情報",
            "Ⅱ 特定個人情報ファイルの概要",
            "Ⅲ リスク対策",
            "Ⅳ 開示請求、問合せ",
        )
    ]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(Config(REPO, tmp_path / "a"))
    second = build(Config(REPO, tmp_path / "b"))
    assert first.check.invalid == second.check.invalid
    files_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    files_b = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files_a == files_b and files_a
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_second_build_writes_nothing_and_strays_are_pruned(tmp_path: Path) -> None:
    build(Config(REPO, tmp_path))
    stray = tmp_path / "site" / "old" / "index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text("old", encoding="utf-8")
    again = build(Config(REPO, tmp_path))
    assert again.written == []
    assert again.removed == ["site/old/index.html"]
    assert not stray.parent.exists()
