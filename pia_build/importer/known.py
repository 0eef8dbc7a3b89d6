"""The labels every known form prints, for readers that must tell labels from values.

Value labels name an item that holds a value (①事務の名称); headings take none: part headings,
section headings and the headers of group rows (システム3, 委託事項2).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from pia_build.core.labels import normalise, without_numbering
from pia_build.forms import builtin_forms
from pia_build.forms.spec import ItemSpec
from pia_build.importer.slots import cell_label
from pia_build.source.library import PACKAGE_CLAUSES, load_library
from pia_build.source.shapes import Clause


@cache
def _sets() -> tuple[frozenset[str], frozenset[str], tuple[re.Pattern[str], ...]]:
    values: set[str] = set()
    headings: set[str] = set()
    groups: set[str] = set()

    def walk(items: tuple[ItemSpec, ...]) -> None:
        for spec in items:
            if spec.kind in ("section", "group"):
                headings.add(normalise(spec.label))
                if spec.item_label:
                    groups.add(re.escape(normalise(spec.item_label)).replace(r"\{n\}", "[0-9]+"))
            elif spec.printed:
                values.add(normalise(spec.label))
            walk(spec.children)

    headings.add("項目一覧")  # the title of the table of contents
    for form in builtin_forms().values():
        headings.add(normalise(form.title))
        for part in form.parts:
            headings.add(normalise(part.label))
            walk(part.items)
    patterns = tuple(re.compile(f"{g}(?:[~〜～-][0-9]+)?") for g in sorted(groups))
    return frozenset(values - headings), frozenset(headings), patterns


def value_label(text: str) -> str | None:
    """Return ``text`` when it is a label of an item that holds a value, else None."""
    plain = cell_label(text)
    values = _sets()[0]
    return text if plain in values or normalise(without_numbering(plain)) in values else None


def is_heading(text: str) -> bool:
    """Return True for a part, section or group-row heading (Ⅰ 基本情報, 2. …, システム3)."""
    plain = cell_label(text)
    _, headings, groups = _sets()
    if plain in headings or normalise(without_numbering(plain)) in headings:
        return True
    return any(g.fullmatch(plain) for g in groups)


def label_prefix(text: str) -> bool:
    """Return True when ``text`` is the first piece (6 characters or more) of a value label."""
    plain = cell_label(text)
    return len(plain) >= 6 and any(v.startswith(plain) for v in _sets()[0])


@dataclass(frozen=True)
class LabelKind:
    """What the items printed under one label hold, over every known form."""

    kinds: frozenset[str] = frozenset()
    """Item kinds (text, choice, multi, flag …)."""
    options: frozenset[str] = frozenset()
    """The option labels of its choice and multi items, in comparison form."""
    names: frozenset[str] = frozenset()
    """The label itself, without its numbering, in comparison form."""


@cache
def _kinds() -> dict[str, LabelKind]:
    found: dict[str, tuple[set[str], set[str]]] = {}

    def walk(items: tuple[ItemSpec, ...]) -> None:
        for spec in items:
            if spec.kind not in ("section", "group") and spec.printed:
                for form in {normalise(spec.label), normalise(without_numbering(spec.label))}:
                    kinds, options = found.setdefault(form, (set(), set()))
                    kinds.add(spec.kind)
                    options.update(normalise(o.label) for o in spec.options)
            walk(spec.children)

    for form in builtin_forms().values():
        for part in form.parts:
            walk(part.items)
    return {k: LabelKind(frozenset(v[0]), frozenset(v[1])) for k, v in found.items()}


def label_kind(text: str) -> LabelKind:
    """Return the kinds and options of the items a value label names (empty when unknown)."""
    plain = cell_label(text)
    kinds = _kinds()
    found = kinds.get(plain) or kinds.get(normalise(without_numbering(plain))) or LabelKind()
    names = {plain, cell_label(without_numbering(text.strip()))}
    return replace(found, names=frozenset(names))


_CLAUSE_MARK = re.compile(r"^\s*標準記載\s+(\S+)\s+v\s*[0-9]+\s*$")


def marked_label(text: str) -> str | None:
    """Return the label (comparison form) of the item a clause mark's clause is written for.

    pia prints ``標準記載 juki-cs/system-name v1`` above a standard clause; the packaged clause
    names its item (``I-2 システム（住基ネット） ①システムの名称``). None for other lines.
    """
    match = _CLAUSE_MARK.match(text)
    return _clause_labels().get(match.group(1)) if match else None


def marked_text(text: str) -> str:
    """Return the text of the clause a clause mark names, in ``squashed`` form ("" if none)."""
    match = _CLAUSE_MARK.match(text)
    return _clause_texts().get(match.group(1), "") if match else ""


def squashed(text: str) -> str:
    """Return text for comparing printed prose: NFKC, no whitespace, no bullets."""
    return re.sub(r"[\s・•\uf0b7*]|^-|(?<=\n)-", "", unicodedata.normalize("NFKC", text))


@cache
def _clause_texts() -> dict[str, str]:
    texts = {}
    for key, clause in _library().items():
        body = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", clause.body, flags=re.DOTALL)
        texts[key] = squashed(re.sub(r"(?m)^\s*(?:[-*]|[0-9]+\.)\s+", "", body))
    return texts


@cache
def _library() -> dict[str, Clause]:
    return load_library(PACKAGE_CLAUSES.parent, PACKAGE_CLAUSES.parent)[0]


@cache
def _clause_labels() -> dict[str, str]:
    library = _library()
    labels = {}
    for key, clause in library.items():
        where = next(iter(clause.items.values()), "")
        if where.split():
            labels[key] = normalise(without_numbering(where.split()[-1]))
    return labels


_FILE_AFTER = re.compile(r"^[(（][0-9]+[)）]")


def is_part_heading(text: str) -> bool:
    """Return True for a part heading, alone or with its file beside it (Ⅱ … (1) 名)."""
    plain = cell_label(text)
    for label in _parts():
        if plain == label or plain.startswith(label) and _FILE_AFTER.match(plain[len(label) :]):
            return True
    return False


@cache
def _parts() -> frozenset[str]:
    return frozenset(normalise(p.label) for f in builtin_forms().values() for p in f.parts[1:])


@cache
def all_options() -> frozenset[str]:
    """Return every option label of every known form, in comparison form."""
    return frozenset(o for kind in _kinds().values() for o in kind.options)
