"""Does a printed value fit an item? Used to place values whose label is missing or shifted."""

from __future__ import annotations

import re

from pia_build.core.labels import normalise
from pia_build.forms.spec import ItemSpec
from pia_build.importer.marks import BOXES, plain, read_choice, read_count, read_marks, read_multi

_DATE = re.compile(r"(令和|平成|昭和)\s*(元|[0-9]+)\s*年|[0-9]{4}\s*[年/.-]")
_TABLE = re.compile(r"<t[dr]\b", re.IGNORECASE)


def looks_like_choice(text: str) -> bool:
    """Return True for a bare ``[選択値]`` cell."""
    body = plain(text)
    return (
        body.startswith("[") and ("選択肢" in body or len(body) < 40) and len(read_marks(text)) < 2
    )


def nothing_chosen(text: str) -> bool:
    """Return True for a choice printed with empty brackets: ``[] <選択肢> …``."""
    return re.match(r"^\[\s*\](?!\s*[^\s<＜\[])", plain(text)) is not None


def looks_like_boxes(text: str) -> bool:
    """Return True for a cell of checkboxes."""
    return len(read_marks(text)) >= 2 or re.match(r"\[\s*[○〇OoＯ]?\s*\]", plain(text)) is not None


def fits(spec: ItemSpec, cells: tuple[str, ...]) -> bool:
    """Return True when the printed cells can be a value of ``spec``."""
    text = " ".join(cells)
    kind = spec.kind
    if kind == "choice":
        picked = read_choice(text, spec.options)
        # a misprinted option is only trusted beside its own label, never to place a value
        return picked is not None and picked.printed in ("", BOXES) or nothing_chosen(text)
    if kind == "multi":
        return bool(read_multi(text, spec.options)[0])
    if kind == "flag":
        return bool(read_marks(text))
    if kind == "integer":
        return read_count(text) is not None or normalise(plain(text)).isdecimal()
    if kind == "date":
        return bool(_DATE.search(plain(text))) or plain(text) in ("-", "－", "—")
    if kind in ("text", "line", "list"):
        return not (looks_like_choice(text) or looks_like_boxes(text) or option_list(text))
    return True


def option_list(text: str) -> bool:
    """Return True for a printed option list (1) … 2) …) with nothing else."""
    body = re.sub(r"[<＜]選択肢[>＞]", " ", plain(text))
    return bool(re.fullmatch(r"(?:\s*[0-9]+\)\s*[^\s)]+)+\s*", body))


def same(spec: ItemSpec, first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Return True when two printed values say the same thing (a table printed twice)."""
    a, b = " ".join(first), " ".join(second)
    if spec.kind == "choice":
        return read_choice(a, spec.options) == read_choice(b, spec.options)
    if spec.kind == "multi":
        return read_multi(a, spec.options)[0] == read_multi(b, spec.options)[0]
    return _squash(a) == _squash(b)


def html_table(cells: tuple[str, ...]) -> bool:
    """Return True when a value was printed as an HTML table (then usually again, flattened)."""
    return any(_TABLE.search(c) for c in cells)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", normalise(re.sub(r"</?[A-Za-z][^>]*>", "", text)))
