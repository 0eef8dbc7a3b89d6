"""pia.toml: defaults without a file, every key read, every problem reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_build.cli import main
from pia_build.core.config import ConfigError, load_config
from pia_build.core.settings import KEYS, Settings, load_settings

REPO = Path(__file__).resolve().parents[1]


def project(tmp_path: Path, toml: str | None) -> Path:
    (tmp_path / "content").mkdir()
    if toml is not None:
        (tmp_path / "pia.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, None))
    assert config.settings == Settings()
    assert config.layouts == config.root / "layouts"


def test_every_key_is_read(tmp_path: Path) -> None:
    toml = (
        'title = "千葉市の評価書"\nbase_url = "https://example.lg.jp/pia/"\n'
        'default_org = "chiba"\nformats = ["html", "pdf"]\ntheme = "theme"\nportfolio = "public"\n'
    )
    config = load_config(project(tmp_path, toml))
    assert config.settings == Settings(
        "千葉市の評価書", "https://example.lg.jp/pia/", "chiba", ("html", "pdf"), "theme", "public"
    )
    assert config.layouts == config.root / "theme" and config.portfolio == "public"
    assert sorted(KEYS) == sorted(Settings.__dataclass_fields__)


def test_every_problem_has_its_line(tmp_path: Path) -> None:
    toml = 'title = "x"\nformats = ["html", "odt"]\nbogus = 1\n\n  theme = 3\nportfolio = "all"\n'
    _, problems = load_settings(project(tmp_path, toml))
    assert [d.render() for d in problems] == [
        "pia.toml:2: error[config.value]: formats are html, pdf, docx; not odt",
        "pia.toml:3: error[config.unknown]: unknown key 'bogus'; pia.toml keys are "
        "title, base_url, default_org, formats, theme, portfolio, build_for, language",
        "pia.toml:5: error[config.type]: theme must be a string, not 3",
        "pia.toml:6: error[config.value]: portfolio is one of public, staff, not 'all'",
    ]


def test_a_syntax_error_has_its_line(tmp_path: Path) -> None:
    _, problems = load_settings(project(tmp_path, 'title = "x"\nformats = [\n'))
    assert [(d.code, d.location.line) for d in problems] == [("config.syntax", 2)]


def test_the_command_prints_the_problems_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, "titel = 'x'\n")
    with pytest.raises(ConfigError):
        load_config(tmp_path)
    assert main(["--root", str(tmp_path), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pia.toml:1: error[config.unknown]: unknown key 'titel'")


def test_the_title_reaches_the_home_page(tmp_path: Path) -> None:
    from pia_build import build

    project(tmp_path, 'title = "見本町の評価書"\nbase_url = "https://example.lg.jp/pia/"\n')
    build(load_config(tmp_path), formats=("html",), search=False)
    page = (tmp_path / "output" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>見本町の評価書</title>" in page and "<h1>見本町の評価書</h1>" in page
    assert 'href="https://example.lg.jp/pia/"' in page
