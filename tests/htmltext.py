"""Helpers for comparing HTML by its text."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: str) -> str:
    """Return the visible text of an HTML page."""
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


_FURNITURE = re.compile(r"<選択肢>|\[|\]|○|・|[()（）]|[0-9]+\)|\s+")


def squash(text: str) -> str:
    """Return text reduced for containment checks: NFKC, no spaces, no form furniture."""
    return _FURNITURE.sub("", unicodedata.normalize("NFKC", text))
