"""Compare printed labels and option texts the way an author writes them.

Width (NFKC), spaces, a trailing ※ and the leading numbering (1., ①, (1), Ⅰ) do not matter.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NUMBERING = re.compile(
    r"^\s*(?:[(（]別[添紙][0-9０-９]*[)）]|[0-9０-９]+[.．]|[①-⑳㉑-㉟]|[(（][0-9０-９]+[)）]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+(?=\s))\s*"
)
_STAR = re.compile(r"\s*※.*$")
_SPACE = re.compile(r"\s+")

DASHES = ("-", "－", "―", "—", "ー")
"""A lone dash is how printed forms say "nothing here"."""


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Return ``text`` in comparison form: NFKC, no spaces, no trailing ※ note.

    Remembered per text: the same labels are compared for every entry of every evaluation.
    """
    text = _STAR.sub("", text)
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def without_numbering(text: str) -> str:
    """Return the label without its leading 1. / ① / (1) / Ⅰ numbering."""
    return _NUMBERING.sub("", text, count=1)


def label_forms(label: str, key: str = "") -> frozenset[str]:
    """Return every comparison form under which a label may be written."""
    return _label_forms(label, key)


@lru_cache(maxsize=16384)
def _label_forms(label: str, key: str) -> frozenset[str]:
    forms = {normalise(label), normalise(without_numbering(label))}
    head = re.split(r"[:：]", label, maxsplit=1)[0]
    if head != label:
        forms.add(normalise(head))
    if key:
        forms.add(key)
    forms.discard("")
    return frozenset(forms)


def nearest(text: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``text``, or None when nothing is close."""
    pool = list(dict.fromkeys(candidates))
    by_form = {normalise(without_numbering(c)): c for c in pool}
    match = difflib.get_close_matches(normalise(without_numbering(text)), list(by_form), 1, 0.5)
    return by_form[match[0]] if match else None


def did_you_mean(text: str, candidates: Iterable[str]) -> str:
    """Return ``; did you mean 'X'?`` for the nearest candidate, or an empty string."""
    best = nearest(text, candidates)
    return f"; did you mean '{best}'?" if best else ""


def display_width(text: str) -> int:
    """Return the terminal width of ``text`` (East Asian wide characters take two columns)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
