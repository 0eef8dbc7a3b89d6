"""Share a run of value lines among the labels printed before it, by form order and by kind.

Plain ``pdftotext`` text often prints the labels of several rows first and their values after
them as one run, without a blank line between two values (LibreOffice's PDFs always do). The
run is cut into one piece per waiting label, in order: each label takes a piece (maybe none),
and the cuts are chosen so that the pieces fit the labels' kinds. A choice value ``[ 実施する ]``
fits only a choice item with that option, an option legend (``<選択肢>``, ``1) 実施する``) the
choice item whose options it lists, a checkbox line (``[○] 紙``) a multi item with that option,
prose a text item. Between two prose values, a cut is cheap at a blank line or at the end of a
paragraph (a short line, ``。``, the next line a bullet or number) and dear inside one. The
label before the run (the value just printed) may take the first lines: its legend or second
column of checkboxes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pia_build.core.labels import display_width, normalise
from pia_build.importer.known import LabelKind, marked_label
from pia_build.importer.marks import OPTIONS_HEAD, listed_options

_CHOICE = re.compile(r"^\[\s*([^\]\[○〇]*[^\]\[○〇\s])\s*\](?:\s*[(（]\s*[0-9]*\s*[)）]\s*件)?\s*$")
_BOX = re.compile(r"^\[\s*[○〇]?\s*\]\s*(\S.*)$")
_BROKEN = re.compile(r"^(?:\[\s*[○〇]?\s*$|\]\s*\S)")
_DETAIL = re.compile(r"\s*[(（].*$")
_MARK = re.compile(r"^標準記載\s+\S+\s+v\s*[0-9]+$")
_STARTS = re.compile(r"^(?:[•・※【]|o\s|[0-9]+[.)．]\s?|[①-⑳]|[(（][0-9]+[)）]|-\s)")
"""A line starting like this opens a paragraph (a bullet, a number, a note)."""

MISFIT = 8.0
"""Cost of a line given to an item of another kind."""
SKIPPED = 2.0
"""Cost of a waiting label left without a value while a later one takes one."""
CARRIED = 2.5
"""Cost of a waiting label left waiting for a later run."""
BEFORE = 1.0
"""Cost of prose given to the label before the run (it had its value already)."""
MARKED = 4.0
"""Cost of a clause mark given to another item than the one its clause is written for."""
LONGER = 1.5
"""Cost of each further paragraph given to an item of one line (a name, a date)."""
_SINGLE = frozenset({"line", "date", "integer"})
_CUT = {"blank": 0.0, "start": 0.0, "end": 1.0, "inside": 3.0}
_EPSILON = 0.001


@dataclass(frozen=True)
class Line:
    """One value line of a run."""

    text: str
    blank: bool
    """A blank line (or page break) was printed before it."""


def legend(text: str) -> frozenset[str] | None:
    """Return the options a legend line lists (empty for ``<選択肢>``), None for other lines."""
    if OPTIONS_HEAD.match(text):
        rest = OPTIONS_HEAD.sub("", text, count=1).strip()
        return legend(rest) if rest else frozenset()
    if not re.match(r"^[0-9]+\)", text):
        return None
    return frozenset(listed_options(text))


def line_cost(text: str, kind: LabelKind, before: bool = False) -> float:
    """Return how badly one value line fits an item of ``kind`` (0 = it belongs there)."""
    kinds, options = kind.kinds, kind.options
    textual = bool(kinds - {"choice", "multi", "flag"}) or not kinds
    if match := _CHOICE.match(text):
        if "choice" in kinds:
            return 0.0 if normalise(match.group(1)) in options else 2.0
        return MISFIT
    if match := _BOX.match(text):
        if "flag" in kinds or "multi" in kinds and _has_option(match.group(1), options):
            return 0.0
        return 2.0 if "multi" in kinds else MISFIT
    if text in ("[", "]"):  # a bracket drawn apart from its box or choice
        return 0.0 if kinds & {"multi", "choice"} else 0.5
    if _BROKEN.match(text):
        return 0.0 if "multi" in kinds else 1.0 if "choice" in kinds else MISFIT
    if (clause := marked_label(text)) is not None and textual:
        return 0.0 if clause in kind.names else MARKED  # the clause names its item
    listed = legend(text)
    if listed is not None and kinds & {"choice", "multi"}:
        return 0.0 if listed <= options else 1.0
    if listed is not None:
        return 3.0 if textual else MISFIT
    return (BEFORE if before else 0.0) if textual else MISFIT


def _has_option(text: str, options: frozenset[str]) -> bool:
    plain = normalise(_DETAIL.sub("", text)) or normalise(text)
    return plain in options or any(plain.startswith(o) for o in options)


def _cuts(lines: Sequence[Line], wrap: int) -> list[float]:
    """Return the cost of cutting the run before each line (index 0: before the first).

    ``wrap`` is the width at which the document's long values wrap.
    """
    here = max(display_width(line.text) for line in lines)
    widest = wrap if wrap and here >= 0.8 * wrap else here  # a narrow column wraps earlier
    costs = [0.0]
    for previous, line in zip(lines, lines[1:], strict=False):
        text = line.text
        if line.blank:
            kind = "blank"
        elif _CHOICE.match(text) or _BOX.match(text) or legend(text) is not None:
            kind = "start"
        elif _MARK.match(text) or _BROKEN.match(text):
            kind = "start"
        elif display_width(previous.text) < 0.92 * widest or previous.text.endswith("。"):
            kind = "end"
        elif _STARTS.match(text):
            kind = "end"
        else:
            kind = "inside"
        costs.append(_CUT[kind])
    return costs


def share(
    lines: Sequence[Line],
    kinds: Sequence[LabelKind],
    before: bool,
    wrap: int = 0,
    optional: Sequence[bool] = (),
) -> tuple[list[int], int]:
    """Return (where each label's piece ends, how many labels took part).

    Piece i is lines[ends[i-1]:ends[i]]. ``kinds`` are the labels in print order; with
    ``before`` the first is the label whose value was printed just before the run. The labels
    after the last one that took lines keep waiting for a later run. An ``optional`` label (a
    group row's header, which may print the row's name) costs nothing when it takes no line.
    """
    n, k = len(lines), len(kinds)
    cuts = _cuts(lines, wrap) + [0.0]
    prefix = [[0.0] * (n + 1) for _ in range(k)]
    opening = [[0.0] * (n + 1) for _ in range(k)]
    for j, kind in enumerate(kinds):
        single = bool(kind.kinds) and kind.kinds <= _SINGLE
        for i, line in enumerate(lines):
            cost = line_cost(line.text, kind, before and j == 0) + _EPSILON * (k - j)
            if single and i and cuts[i] < _CUT["inside"]:
                cost += LONGER  # a one-line item does not take a second paragraph
                opening[j][i] = LONGER  # unless the piece starts there
            prefix[j][i + 1] = prefix[j][i] + cost
    points = [i for i in range(n + 1) if i in (0, n) or cuts[i] < _CUT["inside"]]
    if len(points) > 400:  # a very long run: cut only at blank lines and starts
        points = [i for i in range(n + 1) if i in (0, n) or cuts[i] == 0.0]
    free = [bool(optional[j]) if j < len(optional) else False for j in range(k)]
    best, back, solid = _table(
        points, prefix, opening, cuts, [before, *free[1:]] if before else free
    )
    total = [solid[j][0] + CARRIED * sum(not f for f in free[j:]) for j in range(k + 1)]
    used = min(range(k + 1), key=lambda j: (total[j], -j))
    ends = [n] * k
    p, q = len(points) - 1, solid[used][1]
    for j in range(used, 0, -1):
        ends[j - 1] = points[p]
        p, q = q, back[j - 1][q]
    return ends, used


def _table(
    points: list[int],
    prefix: list[list[float]],
    opening: list[list[float]],
    cuts: list[float],
    free: list[bool],
) -> tuple[list[list[float]], list[list[int]], list[tuple[float, int]]]:
    """Return the cheapest ways to share lines[:points[p]] among the first j labels.

    best[j][p] / back[j][p]: labels[:j] took exactly lines[:points[p]] (the last ones may be
    empty); solid[j]: (cost, p before) when label j-1 took the last piece, up to the end.
    """
    inf = float("inf")
    k, last, n = len(prefix), len(points) - 1, points[-1]
    best = [[inf] * len(points) for _ in range(k + 1)]
    back = [[-1] * len(points) for _ in range(k + 1)]
    solid = [(inf, -1)] * (k + 1)
    best[0][0] = 0.0
    solid[0] = (0.0, -1) if n == 0 else (inf, -1)
    for j in range(1, k + 1):
        empty = 0.0 if free[j - 1] else SKIPPED
        for p in range(len(points)):
            if best[j - 1][p] + empty < best[j][p]:
                best[j][p], back[j][p] = best[j - 1][p] + empty, p
            for q in range(p):
                if best[j - 1][q] == inf:
                    continue
                end = points[p]
                start = points[q]
                piece = prefix[j - 1][end] - prefix[j - 1][start] - opening[j - 1][start]
                cost = best[j - 1][q] + piece + (cuts[end] if end < n else 0.0)
                if cost < best[j][p]:
                    best[j][p], back[j][p] = cost, q
                if p == last and cost < solid[j][0]:
                    solid[j] = (cost, q)
    return best, back, solid
