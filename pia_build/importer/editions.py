"""Which edition of its form a document was printed on: by its marker, then by its wording.

Every edition pia has a definition for (``forms/*.yml``, all editions) prints some labels no other
edition of the same form prints (``…におけるその他のリスク…`` in 令和6年10月, ``…における他の
リスク…`` before). The document's label cells are compared with those distinctive labels:

* a marker naming an edition pia knows picks it; wording of another edition is reported;
* a marker naming an edition pia does not know, or no marker, takes the edition whose own
  wording the document prints most (without a marker, the editions that printed none first),
  and every difference is reported: the chosen edition's own labels not printed, and the labels
  printed that only another edition has.
"""

from __future__ import annotations

import re
from functools import cache

from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.core.labels import normalise
from pia_build.forms import all_forms
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.importer.cells import TextRow
from pia_build.importer.slots import cell_label

_SHOWN = 6
"""How many differing labels a message quotes."""


@cache
def editions(form_id: str) -> tuple[FormSpec, ...]:
    """Return every edition of a form pia has a definition for, the current one first."""
    found = [f for f in all_forms() if f.id == form_id]
    return tuple(sorted(found, key=lambda f: not f.current))


def _labels(form: FormSpec) -> frozenset[str]:
    return _labels_of(form.id, form.edition)


@cache
def _labels_of(form_id: str, edition: str) -> frozenset[str]:
    form = next(f for f in editions(form_id) if f.edition == edition)
    found: set[str] = set()

    def walk(items: tuple[ItemSpec, ...]) -> None:
        for spec in items:
            found.add(normalise(spec.label))
            walk(spec.children)

    for part in form.parts:
        found.add(normalise(part.label))
        walk(part.items)
    return frozenset(found)


def _own(form: FormSpec) -> frozenset[str]:
    """Return the labels of ``form`` that no other edition of it prints."""
    others = [_labels(f) for f in editions(form.id) if f.edition != form.edition]
    return _labels(form).difference(*others) if others else frozenset()


def _printed(rows: tuple[TextRow, ...]) -> set[str]:
    """Return the label-comparison forms of the first cells of every row."""
    return {cell_label(c) for row in rows for c in row.cells[:2] if c.strip()}


def choose_edition(
    form: FormSpec, rows: tuple[TextRow, ...], marked: str | None, where: Location
) -> tuple[FormSpec, list[Diagnostic]]:
    """Return the edition the document was printed on and what differs from it."""
    known = editions(form.id)
    if len(known) < 2:
        return form, []
    printed = _printed(rows)
    hits = {f.edition: len(_own(f) & printed) for f in known}
    by_marker = next((f for f in known if marked and _same(f.edition, marked)), None)
    if by_marker is not None:
        best = max(known, key=lambda f: hits[f.edition])
        if hits[best.edition] > hits[by_marker.edition]:
            return by_marker, [_mixed(by_marker, best, printed, where)]
        return by_marker, []
    pool = [f for f in known if not f.marker_printed] if marked is None else list(known)
    pool = pool or list(known)
    chosen = max(known, key=lambda f: (hits[f.edition], f in pool, f.current))
    if hits[chosen.edition] == 0:
        chosen = pool[0]
    if marked is None:
        return chosen, []
    return chosen, [_unknown(marked, chosen, printed, where)]


def _same(edition: str, marked: str) -> bool:
    return re.sub(r"\s+", "", normalise(edition)) == re.sub(r"\s+", "", normalise(marked))


def _differences(chosen: FormSpec, printed: set[str]) -> str:
    """Return the differences between the document's wording and the chosen edition's."""
    missing = sorted(_own(chosen) - printed)
    foreign = sorted(
        {
            label
            for f in editions(chosen.id)
            if f.edition != chosen.edition
            for label in _own(f) & printed
        }
    )
    parts = []
    if foreign:
        parts.append("printed as in another edition: " + "、".join(foreign[:_SHOWN]))
    if missing:
        parts.append(f"{len(missing)} labels of {chosen.edition} not printed: ")
        parts[-1] += "、".join(missing[:_SHOWN])
    return "; ".join(parts) or "no difference in wording found"


def _mixed(marked: FormSpec, best: FormSpec, printed: set[str], where: Location) -> Diagnostic:
    message = (
        f"the marker names the {marked.edition} edition, but the wording is closer to "
        f"{best.edition}; imported as {marked.edition}: {_differences(marked, printed)}"
    )
    return warning("import.edition", where, message)


def _unknown(marked: str, chosen: FormSpec, printed: set[str], where: Location) -> Diagnostic:
    message = (
        f"printed on the {marked} edition, which pia has no definition for; imported into the "
        f"nearest, {chosen.edition} (by wording): {_differences(chosen, printed)}"
    )
    return warning("import.edition", where, message)
