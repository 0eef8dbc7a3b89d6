"""How much of the input an import understood: nothing is lost without being listed.

Every row of the input ends in one of three places: in an item (a value), in the form's own
structure (a part heading, a label, a column head, the table of contents), or in the list of
*unplaced* rows, quoted with its page and line. Two shares come of it: the share of the input's
text placed (values and structure), and the share of the form's items filled. Below
``TEXT_MIN`` or ``ITEMS_MIN`` the input is *not understood*.

Two kinds of value are not trusted even though they were placed: a value much longer than an
item of its kind holds, and a list or text that swallows labels of the form (the sign of text
whose reading order is scrambled). Both are reported as errors and their rows count as unplaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.importer.cells import TextRow
from pia_build.importer.mapping import Mapped
from pia_build.importer.place import Found
from pia_build.importer.slots import cell_label

TEXT_MIN = 0.90
"""Below this share of the input's text placed, the input is not understood."""
ITEMS_MIN = 0.35
"""Below this share of the form's items filled, the input is not understood."""
SWALLOWED = 3
"""A list or text holding this many lines that are labels of the form has swallowed them."""
_LONGEST = {"text": 20000, "list": 30000, "table": 200000}
"""Characters an item of a kind plausibly holds; any other kind holds at most ``_SHORT``."""
_SHORT = 400
_LABEL_SIZE = 5
"""Labels shorter than this (その他, 備考) are ordinary words inside a value too."""


@dataclass(frozen=True)
class Coverage:
    """Where every row of the input went."""

    rows: int
    """Rows read from the input (page furniture excluded), counted by their source line."""
    placed: int
    """Rows whose text is in an item."""
    structure: int
    """Rows that print the form's own headings and labels."""
    unplaced: tuple[tuple[int, str], ...]
    """(line, text) of every other row."""
    text_share: float
    """Share of the input's characters placed (in items or structure)."""
    items_filled: int
    items_total: int
    furniture: int = 0
    """Lines of page furniture dropped (page numbers, draft marks)."""
    where: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    """For a PDF: row line → (page, line on the page)."""

    @property
    def items_share(self) -> float:
        """Return the share of the form's items filled."""
        return self.items_filled / self.items_total if self.items_total else 0.0

    @property
    def understood(self) -> bool:
        """Return True when both shares reach their thresholds."""
        return self.text_share >= TEXT_MIN and self.items_share >= ITEMS_MIN

    def place(self, line: int) -> str:
        """Return where a row was printed: ``p.3 l.12`` for a PDF, ``line 45`` for text."""
        if line in self.where:
            page, row = self.where[line]
            return f"p.{page} l.{row}"
        return f"line {line}"

    def summary(self) -> str:
        """Return the one-line coverage figure the terminal and IMPORT.md show."""
        return (
            f"coverage: {self.text_share:.1%} of the input's text placed "
            f"({self.placed} rows in items, {self.structure} rows of form structure, "
            f"{len(self.unplaced)} unplaced, {self.furniture} furniture lines dropped); "
            f"{self.items_share:.1%} of the form's items filled "
            f"({self.items_filled} of {self.items_total})"
        )


def measure(
    rows: Iterable[TextRow],
    mapped: list[Mapped],
    trees: Mapping[tuple[str, int], Mapping[str, object]],
    form: FormSpec,
    source: str,
    labels: Iterable[str],
) -> tuple[Coverage, list[Diagnostic]]:
    """Return where every row went, and the errors for values that are not trusted."""
    known = {cell_label(label) for label in labels if len(cell_label(label)) >= _LABEL_SIZE}
    in_parts = {row.line for part in mapped for row in part.part.rows}
    placed: set[int] = set()
    structure: set[int] = set()
    problems: list[Diagnostic] = []
    for part in mapped:
        structure |= part.structure
        specs = {slot.path: slot.spec for slot in part.slots}
        for path, found in part.values.items():
            spec = specs.get(path)
            doubtful = _doubtful(spec, found, known, source) if spec else None
            if doubtful is not None:
                problems.append(doubtful)
            else:
                placed |= {f.line for f in found}
    texts: dict[int, list[str]] = {}  # a source line may give more than one row
    for row in rows:
        texts.setdefault(row.line, []).append(row.text)
    structure |= {line for line in texts if line not in in_parts}
    size = {line: sum(_size(text) for text in found) for line, found in texts.items()}
    kept = placed | structure
    unplaced = tuple((line, "\t".join(found)) for line, found in texts.items() if line not in kept)
    total = sum(size.values()) or 1
    filled, items = _items(form, trees)
    share = sum(size[line] for line in size if line in kept) / total
    coverage = Coverage(
        len(texts), len(placed), len(structure - placed), unplaced, share, filled, items
    )
    return coverage, problems


def _size(text: str) -> int:
    return len("".join(text.split()))


def _doubtful(
    spec: ItemSpec, found: list[Found], known: set[str], source: str
) -> Diagnostic | None:
    """Return an error when a value swallowed labels of the form or is implausibly long."""
    lines = [line for f in found for cell in f.cells for line in cell.split("\n")]
    if spec.kind in ("list", "text"):  # a table's header rows repeat on every page
        swallowed = [line for line in lines if cell_label(line.lstrip("-・• ")) in known]
        if len(swallowed) >= SWALLOWED:
            sample = "、".join(swallowed[:4])
            message = (
                f"{spec.label}: {len(found)} rows were read into it, {len(swallowed)} of them "
                f"labels of the form ({sample} …): the text is out of order; not imported"
            )
            return error("import.swallowed", Location(source, found[0].line), message)
    length = sum(len(line) for line in lines)
    if length > _LONGEST.get(spec.kind, _SHORT):
        message = (
            f"{spec.label}: {length} characters were read into this {spec.kind} item, more than "
            f"it plausibly holds ({_LONGEST.get(spec.kind, _SHORT)}); not imported"
        )
        return error("import.too_long", Location(source, found[0].line), message)
    return None


def _items(
    form: FormSpec, trees: Mapping[tuple[str, int], Mapping[str, object]]
) -> tuple[int, int]:
    """Return (filled, total) value items over every part instance of the form."""
    filled = total = 0
    for part in form.parts:
        numbers = [n for key, n in trees if key == part.key] or [0]
        for number in numbers:
            got, of = _count(part.items, trees.get((part.key, number), {}))
            filled, total = filled + got, total + of
    return filled, total


def _count(items: tuple[ItemSpec, ...], tree: Mapping[str, object]) -> tuple[int, int]:
    """Return (filled, total) value items of one tree level."""
    filled = total = 0
    for spec in items:
        if not spec.printed:
            continue
        value = tree.get(spec.key) if isinstance(tree, Mapping) else None
        if spec.kind == "section":
            got, of = _count(spec.children, value if isinstance(value, Mapping) else {})
        elif spec.kind == "group":
            got = of = 0
            for row in value if isinstance(value, list) else []:
                a, b = _count(spec.children, row if isinstance(row, Mapping) else {})
                got, of = got + a, of + b
        else:
            got, of = int(value not in (None, "", [], {})), 1
        filled, total = filled + got, total + of
    return filled, total
