"""Turn the cells found for each item into values in the authoring format's terms.

A choice becomes its option label (``{その他: detail}`` with a detail), checkboxes the list of
ticked options, a date the 和暦 text, prose Markdown. The result is a tree keyed by item keys:
a section is a dict, a group a list of dicts. Values that cannot be read are kept as printed
and reported, so the author sees them in ``pia check`` too.
"""

from __future__ import annotations

import re
import unicodedata

from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.core.labels import DASHES, normalise, without_numbering
from pia_build.core.wareki import DateError, format_wareki, parse_date
from pia_build.forms.spec import ItemSpec
from pia_build.importer.cells import fold_spacing
from pia_build.importer.fit import option_list
from pia_build.importer.mapping import Mapped
from pia_build.importer.marks import (
    Picked,
    flag_state,
    labelled_detail,
    plain,
    read_choice,
    read_count,
    read_multi,
)
from pia_build.importer.place import Found
from pia_build.importer.prose import lines_of, one_line, to_markdown
from pia_build.importer.slots import Path
from pia_build.importer.tables import read_table

Tree = dict[str, object]


class _Converter:
    """Converts one part's cells, collecting problems."""

    def __init__(self, source: str, layout: bool, per_file: bool, alone: bool) -> None:
        self.source, self.layout, self.per_file, self.alone = source, layout, per_file, alone
        self.problems: list[Diagnostic] = []

    def warn(self, code: str, line: int, message: str) -> None:
        self.problems.append(warning(f"import.{code}", Location(self.source, line), message))

    def value(self, spec: ItemSpec, found: list[Found], first: bool) -> object:
        """Return the value of one item from its cells."""
        if self.layout:
            found = [Found(tuple(map(fold_spacing, f.cells)), f.line, f.raw) for f in found]
        cells = [f.cells for f in found]
        line = found[0].line
        kind = spec.kind
        if kind == "text":
            # a cell that only holds a printed option list belongs to a choice beside it
            cells = [tuple(c for c in row if not option_list(c)) for row in cells]
            return to_markdown(cells) or None
        if kind == "line":
            text = one_line(cells)
            return without_numbering(text) if first and self.per_file else text or None
        if kind == "list":
            lines = [t for t in lines_of(cells) if normalise(t) != normalise(spec.label)]
            if len(lines) == 1 and lines[0].count("、") >= (1 if self.alone else 3):
                lines = lines[0].split("、")  # a run-on list (001 別添1)
            return [without_numbering(t) or t for t in lines if t.strip()] or None
        if kind == "table":
            rows, problems = read_table(spec, found, self.source, self.layout)
            self.problems += problems
            return rows or None
        return self._marked(spec, " ".join(c for row in cells for c in row), line)

    def _marked(self, spec: ItemSpec, text: str, line: int) -> object:
        """Return the value of a choice, checkbox, flag, date or number cell."""
        if spec.kind == "choice":
            return self._choice(spec, text, line)
        if spec.kind == "multi":
            return self._multi(spec, text, line)
        if spec.kind == "flag":
            state = flag_state(text, spec.label)
            return state if state is not None else bool(re.search(r"\[[○〇O]\]", plain(text)))
        if spec.kind == "integer":
            count = read_count(text)
            digits = normalise(plain(text))
            return count if count is not None else int(digits) if digits.isdecimal() else None
        if spec.kind == "date":
            return self._date(spec, text, line)
        return plain(text) or None

    def _choice(self, spec: ItemSpec, text: str, line: int) -> object:
        picked = read_choice(text, spec.options)
        if picked is None:
            body = re.sub(r"[<＜]選択肢[>＞].*$", "", plain(text), flags=re.DOTALL).strip(" []")
            if body:
                self.warn("choice", line, f"{spec.label}: '{body}' is not one of its options")
            return None
        if picked.printed:
            self.warn(
                "option",
                line,
                f"{spec.label}: printed as {picked.printed}; read as '{picked.label}'",
            )
        printed = {int(n) for n in re.findall(r"(?<![0-9,.])([0-9]+)\)", plain(text))}
        if 0 < len(printed) < len(spec.options):
            self.warn(
                "options",
                line,
                f"{spec.label}: the printed option list is incomplete "
                f"({len(printed)} of {len(spec.options)}); the value is read against the "
                "form's list",
            )
        return {picked.label: picked.detail} if picked.detail else picked.label

    def _multi(self, spec: ItemSpec, text: str, line: int) -> object:
        picks, notes = read_multi(text, spec.options)
        for note in notes:
            self.warn("boxes", line, f"{spec.label}: {note}")
        values: list[object] = []
        seen: set[str] = set()
        for pick in sorted(picks, key=lambda p: not p.checked):
            if (not pick.checked and not pick.count) or pick.label in seen:
                continue
            seen.add(pick.label)
            if not pick.checked:
                self.warn(
                    "boxes",
                    line,
                    f"{spec.label}: '{pick.label}' is not ticked but has a "
                    f"count of {pick.count}; read as ticked",
                )
            if self.layout and pick.detail:
                pick = Picked(pick.label, _WRAPPED.sub("", pick.detail), pick.count)
            values.append(_pick_value(pick))
        return values

    def _date(self, spec: ItemSpec, text: str, line: int) -> object:
        printed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", plain(text)))
        if not printed or printed in DASHES:
            return None
        try:
            return format_wareki(parse_date(printed))
        except DateError:
            self.warn(
                "date",
                line,
                f"{spec.label}: '{printed}' is not a full date; it is kept "
                "as printed and needs a day",
            )
            return printed


_WRAPPED = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def _pick_value(pick: Picked) -> object:
    if pick.count is not None:
        return {pick.label: pick.count}
    return {pick.label: pick.detail} if pick.detail else pick.label


def part_tree(mapped: Mapped, source: str, layout: bool) -> tuple[Tree, list[Diagnostic]]:
    """Return the values of one part instance as a tree keyed by item keys."""
    spec = mapped.part.spec
    converter = _Converter(source, layout, spec.per_file, len(spec.items) == 1)
    tree: Tree = {}
    first = mapped.part.spec.items[0].key if mapped.part.spec.items else ""
    for slot in mapped.slots:
        found = mapped.values.get(slot.path)
        if slot.container or not found:
            continue
        value = converter.value(slot.spec, found, slot.path == (first,))
        if value is not None and value != []:
            set_value(tree, slot.path, value)
        if slot.spec.kind == "choice":
            _printed_beside(mapped, slot.path, found, tree)
    _drop_empty_rows(tree)
    return tree, converter.problems


def _printed_beside(mapped: Mapped, path: Path, found: list[Found], tree: Tree) -> None:
    """Fill items printed inside a choice's cell: ``(6) 件``, ``(手数料額、納付方法: …)``."""
    text = " ".join(c for f in found for c in f.cells)
    for slot in mapped.slots:
        if slot.parent != path[:-1] or slot.path in mapped.values or slot.container:
            continue
        if slot.spec.kind == "integer" and slot.spec.rows_of:
            count = read_count(text)
            if count is not None:
                set_value(tree, slot.path, count)
        elif slot.spec.kind in ("text", "line"):
            detail = labelled_detail(text, slot.spec.label)
            if detail:
                set_value(tree, slot.path, detail)


def set_value(tree: Tree, path: Path, value: object) -> None:
    """Set a value in the tree, creating sections and group rows on the way."""
    node: object = tree
    for index, key in enumerate(path):
        last = index == len(path) - 1
        if isinstance(key, int):
            assert isinstance(node, list)
            while len(node) < key:
                node.append({})
            node = node[key - 1]
            continue
        assert isinstance(node, dict)
        if last:
            node[key] = value
        else:
            following = path[index + 1]
            node = node.setdefault(key, [] if isinstance(following, int) else {})


def _drop_empty_rows(node: object) -> None:
    """Remove group rows in which nothing was printed (001 prints an empty 移転先1 template).

    Only trailing rows go: an empty row before a printed one is a row whose page was lost, and
    keeps the rows after it in their places (システム3 stays row 3).
    """
    if isinstance(node, dict):
        for value in node.values():
            _drop_empty_rows(value)
    elif isinstance(node, list):
        while node and isinstance(node[-1], dict) and not _has_value(node[-1]):
            node.pop()
        for row in node:
            _drop_empty_rows(row)


def _has_value(node: object) -> bool:
    if isinstance(node, dict):
        return any(_has_value(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_value(v) for v in node)
    return node not in (None, "", False)
