"""Recognise which 様式 and edition an extracted evaluation was printed on.

The document title (特定個人情報保護評価書（全項目評価書）) names the form; the marker
``[令和6年10月 様式4]`` names its edition and number. Both are compared with the form
definitions, so a new form or edition needs no change here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.core.labels import normalise
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec
from pia_build.importer.cells import TextRow
from pia_build.importer.editions import choose_edition

_MARKER = re.compile(r"^\[\s*((?:令和|平成)\s*\S+?\s*年\s*\d+\s*月)\s*様式\s*(\d+)\s*\]$")
_HEAD_ROWS = 40
"""Title and marker are printed on the cover, within the first rows."""


@dataclass(frozen=True)
class Recognised:
    """The form an evaluation was printed on."""

    form: FormSpec
    """The form definition the import uses."""
    edition: str
    """The edition printed in the marker; empty when no marker was printed."""
    furniture: frozenset[int]
    """Lines of the title and the marker, which are no item of the form."""


def is_marker(text: str) -> bool:
    """Return True for a version marker line such as ``[令和6年10月 様式4]``."""
    return _MARKER.match(unicodedata.normalize("NFKC", text).strip()) is not None


def _marker(row: TextRow) -> tuple[str, int] | None:
    """Return (edition, 様式 number) when the row is a version marker."""
    text = unicodedata.normalize("NFKC", row.text).strip()
    match = _MARKER.match(text)
    if match is None:
        return None
    return re.sub(r"\s+", "", match.group(1)), int(match.group(2))


def _by_title(row: TextRow) -> FormSpec | None:
    """Return the form whose printed title is the row's text."""
    wanted = normalise(row.text)
    return next((f for f in builtin_forms().values() if normalise(f.title) == wanted), None)


def recognise(rows: tuple[TextRow, ...], path: str) -> tuple[Recognised | None, list[Diagnostic]]:
    """Return the form of the document, or None when neither title nor marker names one."""
    titled: tuple[FormSpec, int] | None = None
    marked: tuple[str, int, int] | None = None
    for row in rows[:_HEAD_ROWS]:
        if titled is None and (form := _by_title(row)) is not None:
            titled = (form, row.line)
        if marked is None and (found := _marker(row)) is not None:
            marked = (*found, row.line)
    form = titled[0] if titled else _by_number(marked[1]) if marked else None
    if form is None:
        return None, []
    line = marked[2] if marked else titled[1] if titled else 1
    form, notes = choose_edition(form, rows, marked[0] if marked else None, Location(path, line))
    furniture = frozenset(x[-1] for x in (titled, marked) if x)
    more = _edition_notes(form, titled, marked, path)
    notes += [n for n in more if not (notes and n.code == "import.edition")]
    return Recognised(form, marked[0] if marked else "", furniture), notes


def _by_number(number: int) -> FormSpec | None:
    """Return the form with this 様式 number."""
    return next((f for f in builtin_forms().values() if f.number == number), None)


def _edition_notes(
    form: FormSpec,
    titled: tuple[FormSpec, int] | None,
    marked: tuple[str, int, int] | None,
    path: str,
) -> list[Diagnostic]:
    """Explain where the printed form or edition differs from the definition used."""
    if marked is None:
        where = Location(path, titled[1] if titled else 1)
        message = (
            f"no 様式 marker is printed; imported as {form.name} of {form.edition}, the edition "
            "pia knows; items that edition added are left empty"
            if form.marker_printed
            else f"no 様式 marker is printed; imported as {form.name} of {form.edition}, the "
            "edition that printed none (`pia migrate` moves it to the current one)"
        )
        return [warning("import.edition", where, message)]
    edition, number, line = marked
    where = Location(path, line)
    notes = []
    if number != form.number:
        message = f"the marker says 様式{number} but the title says {form.name} (様式{form.number})"
        notes.append(warning("import.form", where, message))
    if edition != form.edition:
        notes.append(warning("import.edition", where, _other_edition(edition, form)))
    return notes


def _other_edition(edition: str, form: FormSpec) -> str:
    return (
        f"printed on the {edition} edition; imported into the {form.edition} definition, "
        "the one pia has: check items whose wording changed between editions"
    )
