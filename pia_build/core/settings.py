"""pia.toml: the project's settings, every key with its type, default and meaning.

No file means the defaults. An unknown key, a value of the wrong type or a TOML syntax error is a
``pia.toml:LINE: error[config.…]`` diagnostic; every problem of the file is reported at once.
tomllib keeps no positions, so the line of a key is found in the text (``_line_of``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pia_build.core.diagnostics import Diagnostic, Location, error

FILE = "pia.toml"
FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class Key:
    """One setting of pia.toml."""

    type: type
    """The TOML type its value must have (``list`` means a list of strings)."""
    default: object
    """Used when the key is absent."""
    doc: str
    """What it means (docs/config.md says the same)."""


KEYS: dict[str, Key] = {
    "title": Key(str, "特定個人情報保護評価書 一覧", "the site's title, on its home page"),
    "base_url": Key(
        str, "", "the address the site is published at, e.g. https://example.lg.jp/pia/"
    ),
    "default_org": Key(str, "", "org profile id that `pia new` uses when --org is not given"),
    "formats": Key(list, list(FORMATS), "formats `pia build` writes: html, pdf, docx"),
    "theme": Key(str, "layouts", "the project's own layouts folder, searched before the package's"),
    "portfolio": Key(str, "staff", "where the portfolio page goes: public (in the site) or staff"),
    "build_for": Key(
        str,
        "review",
        "review (PDF and DOCX mark each standard clause with its id and version) or submission"
        " (they leave the marks out; the site keeps them)",
    ),
    "language": Key(
        str, "", "language of messages: ja or en (default: from LANG, Japanese unless it is en…)"
    ),
}
CHOICES = {
    "portfolio": ("public", "staff"),
    "build_for": ("review", "submission"),
    "language": ("ja", "en"),
}


@dataclass(frozen=True)
class Settings:
    """The values of pia.toml, defaults filled in."""

    title: str = str(KEYS["title"].default)
    """The site's title."""
    base_url: str = ""
    """Where the site is published."""
    default_org: str = ""
    """Org profile used by ``pia new`` without --org."""
    formats: tuple[str, ...] = FORMATS
    """Formats a build writes."""
    theme: str = "layouts"
    """The project's layouts folder, relative to the root."""
    portfolio: str = "staff"
    """public or staff."""
    build_for: str = "review"
    """review or submission: whether PDF and DOCX print clause provenance marks."""
    language: str = ""
    """ja or en; empty: chosen by LANG (core/i18n.py reads it)."""


def load_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """Read ``root``/pia.toml; return the settings and every problem in the file."""
    path = root / FILE
    if not path.is_file():
        return Settings(), []
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        last = text.rstrip("\n").count("\n") + 1  # "at end of document"
        where = Location(FILE, int(line.group(1)) if line else last)
        return Settings(), [error("config.syntax", where, f"not valid TOML: {exc}")]
    problems = [p for key, value in data.items() for p in _check(key, value, text)]
    if problems:
        return Settings(), problems
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return Settings(**values), []


def _check(key: str, value: object, text: str) -> list[Diagnostic]:
    """Return the problems of one key = value."""
    where = Location(FILE, _line_of(key, text))
    spec = KEYS.get(key)
    if spec is None:
        known = ", ".join(KEYS)
        return [error("config.unknown", where, f"unknown key '{key}'; pia.toml keys are {known}")]
    if not isinstance(value, spec.type) or isinstance(value, bool):
        wanted = "a list of strings" if spec.type is list else "a string"
        return [error("config.type", where, f"{key} must be {wanted}, not {value!r}")]
    if key == "formats":
        assert isinstance(value, list)
        wrong = [v for v in value if v not in FORMATS]
        if wrong or not value:
            message = f"formats are {', '.join(FORMATS)}; not {', '.join(map(str, wrong)) or '[]'}"
            return [error("config.value", where, message)]
    if key in CHOICES and value not in CHOICES[key]:
        message = f"{key} is one of {', '.join(CHOICES[key])}, not {value!r}"
        return [error("config.value", where, message)]
    return []


def _line_of(key: str, text: str) -> int:
    """Return the line where ``key`` is assigned (a table header for a table), else 1."""
    pattern = re.compile(rf"^[ \t]*(\[+[ \t]*)?[\"']?{re.escape(key)}[\"']?\s*(=|\])", re.M)
    found = pattern.search(text)
    return text[: found.start()].count("\n") + 1 if found else 1
