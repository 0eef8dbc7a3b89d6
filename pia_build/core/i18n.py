"""Messages in the author's language: Japanese by default, English kept.

Every message is written in English where it is made; this module translates it at the moment it
is printed, from the catalogue ``messages.ja.yml`` (code + English pattern → Japanese template).
Codes never change with the language. The language comes from ``pia.toml`` (``language = "en"``)
or, without one, from ``LANG``: English when LANG starts with ``en``, Japanese otherwise.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

Language = Literal["ja", "en"]
CATALOGUE = Path(__file__).with_name("messages.ja.yml")
Rule = tuple[re.Pattern[str], str]
_words: dict[str, str] = {}


def language(root: Path | str | None = None) -> Language:
    """Return the language of messages for the project at ``root`` (``ja`` or ``en``)."""
    configured = _configured(Path(root)) if root is not None else None
    if configured is not None:
        return configured
    lang = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "en" if lang.lower().startswith("en") else "ja"


def _configured(root: Path) -> Language | None:
    """Return ``language`` from pia.toml (core/settings.py declares the key), if set."""
    path = root / "pia.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    value = str(data.get("language") or "").lower()
    if value in ("ja", "en"):
        return "ja" if value == "ja" else "en"
    return None


@cache
def _catalogue() -> tuple[dict[str, list[Rule]], list[Rule], list[Rule]]:
    """Return (code → rules, fragment rules, CLI rules) read from the catalogue file."""
    _words.update(yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")).get("words", {}))
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))

    def rules(pairs: list[list[str]]) -> list[Rule]:
        return [(re.compile(pattern, re.DOTALL), template) for pattern, template in pairs]

    by_code = {code: rules(pairs) for code, pairs in data["diagnostics"].items()}
    return by_code, rules(data["fragments"]), rules(data["cli"])


def japanese(code: str, message: str) -> str | None:
    """Return the Japanese form of a diagnostic message, or None when the catalogue lacks it."""
    by_code, fragments, _ = _catalogue()
    for pattern, template in by_code.get(code, ()):
        match = pattern.fullmatch(message)
        if match is not None:
            return _fragments(_expand(match, template), fragments)
    return None


def _expand(match: re.Match[str], template: str) -> str:
    """Fill the template with the match's groups, English words of pia translated."""
    groups = {name: _words.get(value, value) for name, value in match.groupdict("").items()}
    return re.sub(r"\\g<(\w+)>", lambda m: groups[m.group(1)], template)


def _fragments(text: str, fragments: list[Rule]) -> str:
    """Replace the English pieces (hints, row counts) left inside a translated message."""
    for pattern, template in fragments:
        text = pattern.sub(template, text)
    return text


def message(code: str, text: str, lang: Language) -> str:
    """Return a diagnostic message in ``lang`` (English when no translation exists)."""
    if lang == "en":
        return text
    return japanese(code, text) or text


def say(text: str, lang: Language) -> str:
    """Return a CLI message or help text in ``lang`` (English when no translation exists)."""
    if lang == "en":
        return text
    by_code, fragments, cli = _catalogue()
    for pattern, template in cli:
        match = pattern.fullmatch(text)
        if match is not None:
            return _fragments(_expand(match, template), fragments)
    return text


def cli_japanese(text: str) -> str | None:
    """Return the Japanese form of a CLI text, or None when the catalogue lacks it (for tests)."""
    translated = say(text, "ja")
    return translated if translated != text else None
