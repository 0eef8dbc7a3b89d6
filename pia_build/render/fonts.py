"""The Japanese fonts every PDF embeds, located inside pinned PyPI packages.

A fresh machine needs no system fonts: ``pip install`` brings the font files, and this module
finds them through each distribution's installed file list (its RECORD), so it depends neither
on a package's Python API nor on the font file's name. It does not know typst.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path

FONT_FAMILY = "Noto Sans CJK JP"
"""The family name the PDF template asks for."""

FONT_DISTRIBUTIONS = ("noto-cjk-sans-jp-regular", "noto-cjk-sans-jp-bold")
"""PyPI distributions that ship the font files (pinned in pyproject.toml), regular first."""

_FONT_SUFFIXES = (".otf", ".ttf", ".otc", ".ttc")


class FontsMissing(Exception):
    """A font package is not installed, or ships no font file."""


@cache
def font_files() -> tuple[Path, ...]:
    """Return every font file of the font packages, regular weight first."""
    return tuple(path for name in FONT_DISTRIBUTIONS for path in _distribution_fonts(name))


def _distribution_fonts(name: str) -> list[Path]:
    """Return the installed font files of one distribution."""
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError as exc:
        raise FontsMissing(f"font package {name} is not installed (pip install {name})") from exc
    entries = [f for f in dist.files or () if f.suffix.lower() in _FONT_SUFFIXES]
    paths = [Path(str(dist.locate_file(f))).resolve() for f in sorted(entries, key=str)]
    found = [p for p in paths if p.is_file()]
    if not found:
        raise FontsMissing(f"font package {name} is installed but no font file was found in it")
    return found


def font_dirs() -> tuple[Path, ...]:
    """Return the folders holding the font files, in font order, without repeats."""
    return tuple(dict.fromkeys(path.parent for path in font_files()))
