"""The shapes of a form definition: its parts, items, options and conditions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Option:
    """One printed option of a choice or checkbox list."""

    label: str
    """The option text as printed."""
    detail: bool = False
    """Printed ``その他 ( )``: the option carries free text."""
    count: bool = False
    """Printed ``( ) 件``: the option carries a count."""
    exclusive: bool = False
    """May not be checked together with another option (``行っていない``)."""
    group: str = ""
    """Heading of the option's group in grouped checkbox sets (``識別情報``)."""


@dataclass(frozen=True)
class Condition:
    """When an item applies: the value of another item compared with a constant."""

    item: str
    """Path of the other item relative to this item's parent (``../`` goes up)."""
    op: Literal["equals", "not_equals", "includes"]
    """How the other item's value is compared."""
    value: object
    """The constant compared with."""


@dataclass(frozen=True)
class ItemSpec:
    """One item of a form: a value, a section of items or a repeated group."""

    key: str
    """Stable ASCII key, unique among siblings."""
    label: str
    """Label exactly as printed, numbering included (``①事務の名称``)."""
    kind: str
    """One of the kinds in ``forms.types.KINDS``."""
    star: bool = False
    """Printed with ※: a change to it may be a 重要な変更."""
    optional: bool = False
    """May stay empty even when it applies."""
    printed: bool = True
    """False for values pia needs that the form does not print (様式, 状態 …)."""
    verified: bool = True
    """False where no seed or public source confirmed the definition."""
    note: str = ""
    """What is unverified or quirky about this item."""
    options: tuple[Option, ...] = ()
    """Options of a choice or multi item, in printed order."""
    when: Condition | None = None
    """The condition under which the item applies; None = always."""
    rows_of: str = ""
    """For an integer: the sibling group whose row count it must equal."""
    option_rows: tuple[tuple[str, str], ...] = ()
    """For a multi: (count option label, sibling group) pairs that must agree."""
    children: tuple[ItemSpec, ...] = ()
    """Items of a section or of each group row, or the columns of a table."""
    item_label: str = ""
    """For a group: printed header of each row, ``{n}`` = row number."""
    min_rows: int = 0
    """For a group: rows required when it applies."""
    max_rows: int | None = None
    """For a group: rows allowed; None = unlimited."""
    default: object = None
    """The value ``pia new`` writes (``別添1を参照。``); None for an empty item."""
    header: bool = False
    """For the first item of a group row: printed in the row's header (委託事項1 ○○業務)."""
    ranges: bool = False
    """For a group: the form prints range headers (提供先2～5, 6～10 …) up to ``max_rows``."""
    legend_rows: int = 0
    """For a choice: its <選択肢> legend prints in this many rows, column by column; 0 = flowing."""
    joined: bool = False
    """For a list: printed as one paragraph joined with 「、」 (別添1 記録項目)."""


@dataclass(frozen=True)
class PartSpec:
    """One part of a form (表紙, Ⅰ 基本情報 …), stored in one source file."""

    key: str
    """Stable key, unique in the form."""
    label: str
    """Printed heading, also its 項目一覧 line."""
    file: str
    """Source file name in the evaluation folder; ``{n}`` = file number."""
    items: tuple[ItemSpec, ...]
    """The part's items in printed order."""
    per_file: bool = False
    """Repeated once per 特定個人情報ファイル."""
    star: bool = False
    """※ on the part heading: every item inside is a ※ item."""
    star_except: tuple[str, ...] = ()
    """Item paths inside a starred part that are not ※."""
    star_note: str = ""
    """Printed after the part's ※, e.g. ``(7. ②を除く。)``."""


@dataclass(frozen=True)
class FormSpec:
    """An official 様式 in one edition."""

    id: str
    """Form id: ``full``, ``focused`` or ``basic``."""
    name: str
    """What authors write as 様式 (``重点項目評価書``)."""
    title: str
    """Printed document title."""
    edition: str
    """Edition (``令和6年10月``)."""
    number: int
    """様式 number: 2, 3 or 4."""
    parts: tuple[PartSpec, ...]
    """Parts in printed order; ``cover`` first."""
    threshold: Mapping[str, str] = field(default_factory=dict)
    """Role (population, handlers, incident, result) → item path for the しきい値判断."""
    agree: tuple[Mapping[str, str], ...] = ()
    """Items in different parts that must agree (see ``agree.py``)."""
    source: str = ""
    """The definition file this came from."""
    marker_printed: bool = True
    """The edition prints its 様式 marker on the cover (editions before 令和6年10月 did not)."""
    current: bool = True
    """The edition new evaluations use; False for an edition kept for evaluations not migrated."""

    @property
    def marker(self) -> str:
        """Return the printed 様式 marker, e.g. ``[令和6年10月 様式3]``; empty when none is printed."""
        return f"[{self.edition} 様式{self.number}]" if self.marker_printed else ""

    def part(self, key: str) -> PartSpec:
        """Return the part with this key."""
        return next(p for p in self.parts if p.key == key)

    def item(self, path: str) -> ItemSpec | None:
        """Return the item at ``part.key.key``, or None when there is none."""
        part_key, *keys = path.split(".")
        items = next((p.items for p in self.parts if p.key == part_key), ())
        spec = None
        for key in keys:
            spec = next((i for i in items if i.key == key), None)
            if spec is None:
                return None
            items = spec.children
        return spec


# --------------------------------------------------------------------------- sources
