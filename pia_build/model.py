"""Data shapes shared by every stage: locations, diagnostics, forms, sources, assembled documents.

This module owns shapes only: no I/O, no imports of other pia_build modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file."""

    path: str
    """Path relative to the project root, with forward slashes."""
    line: int = 0
    """1-based line number; 0 means the file as a whole."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the sources, written for the author."""

    code: str
    """Stable identifier such as ``form.choice``; tests and tools match on it."""
    severity: Severity
    """``error`` fails the run; ``warning`` fails it only under ``--strict``."""
    location: Location
    """Where the author should look."""
    message: str
    """The explanation, in the author's terms (printed labels, option texts)."""

    def render(self) -> str:
        """Return the one-line ``path:line: severity[code]: message`` form."""
        return f"{self.location}: {self.severity}[{self.code}]: {self.message}"


# --------------------------------------------------------------------------- forms


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

    @property
    def marker(self) -> str:
        """Return the printed 様式 marker, e.g. ``[令和6年10月 様式3]``."""
        return f"[{self.edition} 様式{self.number}]"

    def part(self, key: str) -> PartSpec:
        """Return the part with this key."""
        return next(p for p in self.parts if p.key == key)


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Scalar:
    """A YAML scalar or a Markdown section body, with its position."""

    value: object
    """str, int, bool, None, date …, as YAML loaded it (Markdown bodies are str)."""
    location: Location
    """Where the value starts."""
    markdown: bool = False
    """True when the text came from a Markdown section."""


@dataclass(frozen=True)
class RawMap:
    """A YAML mapping (or a Markdown heading) whose keys still name items by label."""

    entries: tuple[tuple[str, Location, RawValue], ...]
    """(key as written, where the key is, value) in source order."""
    location: Location
    """Where the mapping starts."""
    markdown: bool = False
    """True when the keys are Markdown headings."""


@dataclass(frozen=True)
class RawList:
    """A YAML sequence."""

    items: tuple[RawValue, ...]
    """The elements in order."""
    location: Location
    """Where the sequence starts."""


RawValue = Scalar | RawMap | RawList


@dataclass(frozen=True)
class SourceFile:
    """One file of an evaluation: front matter and Markdown sections, positions kept."""

    path: str
    """Path relative to the project root."""
    name: str
    """File name inside the evaluation folder."""
    tree: RawMap
    """Front matter and headed Markdown sections merged into one label-keyed tree."""
    complete: bool = True
    """False when part of the file could not be read (its empty items are then not reported)."""


@dataclass(frozen=True)
class SourceDoc:
    """An evaluation folder as read from disk, not yet checked against its form."""

    id: str
    """Folder name."""
    folder: str
    """Folder path relative to the project root."""
    files: tuple[SourceFile, ...]
    """Its files, sorted by name."""


# --------------------------------------------------------------------------- bound values


@dataclass(frozen=True)
class Field:
    """A value bound to a form item."""

    value: object
    """The normalised value (see forms.types for each kind's shape)."""
    location: Location
    """Where the author wrote it."""
    valid: bool = True
    """False when what was written could not be read as a value (already reported)."""


@dataclass(frozen=True)
class Block:
    """The values of a section, a group row or a part, keyed by item key."""

    entries: Mapping[str, Entry]
    """Item key → value; missing keys were not written."""
    location: Location
    """Where the block starts."""


@dataclass(frozen=True)
class Rows:
    """The rows of a repeated group."""

    rows: tuple[Block, ...]
    """One block per row, in order."""
    location: Location
    """Where the list starts."""


Entry = Field | Block | Rows


@dataclass(frozen=True)
class PartData:
    """One part of one evaluation, bound to the form."""

    spec: PartSpec
    """The part's definition."""
    number: int
    """File number for per-file parts (1, 2 …); 0 otherwise."""
    block: Block
    """The part's values."""
    path: str
    """The source file it came from."""
    present: bool = True
    """False when its file is missing (its items are then not reported one by one)."""


@dataclass(frozen=True)
class ClauseUse:
    """One expansion of a standard clause."""

    clause_id: str
    """The clause id (``chukan-pf/storage``)."""
    version: int
    """The clause version inserted."""
    item: str
    """Anchor of the item the clause was inserted into."""
    location: Location
    """Where the reference was written."""


@dataclass(frozen=True)
class Evaluation:
    """An evaluation bound to its form, with clauses expanded."""

    id: str
    """Folder name."""
    folder: str
    """Folder path relative to the project root."""
    form: FormSpec
    """Its form definition."""
    org: Mapping[str, object]
    """Its organisation profile (empty when none)."""
    parts: tuple[PartData, ...]
    """Bound parts in printed order."""
    clause_uses: tuple[ClauseUse, ...] = ()
    """Every clause expansion, in document order."""

    def part(self, key: str, number: int = 0) -> PartData | None:
        """Return the bound part, or None when the evaluation does not have it."""
        return next((p for p in self.parts if p.spec.key == key and p.number == number), None)


@dataclass(frozen=True)
class Clause:
    """A standard clause from the library."""

    id: str
    """``<family>/<slug>``."""
    family: str
    """Clause family (``chukan-pf``)."""
    title: str
    """Short human title."""
    heading: str
    """Block heading printed before the text; empty for unheaded text."""
    version: int
    """Current version."""
    versions: tuple[Mapping[str, object], ...]
    """Every known version: version, date, note."""
    params: Mapping[str, Mapping[str, object]]
    """Parameter name → {default, choices, description}."""
    items: Mapping[str, str]
    """Form id → item it serves, in that form's notation."""
    body: str
    """The Jinja2 template text."""
    location: Location
    """Where the body starts in its file."""


# --------------------------------------------------------------------------- assembled


@dataclass(frozen=True)
class Mark:
    """One printed option with its mark: ``[○] 庁内連携システム`` or ``2) 実施しない``."""

    number: int
    """Printed option number (1-based)."""
    label: str
    """Option text."""
    checked: bool
    """Chosen by the author."""
    detail: str = ""
    """Text in ``( )``."""
    count: int | None = None
    """Number in ``( ) 件``."""
    group: str = ""
    """Option group heading (識別情報 …)."""
    has_detail: bool = False
    """The option prints ``( )``."""
    has_count: bool = False
    """The option prints ``( ) 件``."""


@dataclass(frozen=True)
class Cell:
    """One cell of a table value."""

    text: str
    """Cell text (Markdown when ``markdown``)."""
    markdown: bool = False
    """Render the text as Markdown prose."""


@dataclass(frozen=True)
class Display:
    """How a value is printed; which fields matter depends on ``kind``."""

    kind: str
    """The item kind (line, text, choice, multi, flag, list, table, date, integer)."""
    text: str = ""
    """Line, date, integer and text values (Markdown for text)."""
    marks: tuple[Mark, ...] = ()
    """Options of a choice or multi, in printed order."""
    selected: str = ""
    """The chosen option of a choice, as printed inside ``[ ]``."""
    checked: bool = False
    """A flag's state."""
    items: tuple[str, ...] = ()
    """List entries."""
    columns: tuple[str, ...] = ()
    """Table column labels."""
    rows: tuple[tuple[Cell, ...], ...] = ()
    """Table rows."""
    empty: bool = True
    """Nothing was written."""


@dataclass(frozen=True)
class Row:
    """One printed row of the form."""

    kind: Literal["section", "group", "item"]
    """A section heading, a group row header (システム1), or an item with its value."""
    label: str
    """The printed label."""
    anchor: str
    """Stable id of the item in every output."""
    depth: int
    """Nesting depth inside the part (0 = top level)."""
    star: bool = False
    """Printed with ※."""
    display: Display | None = None
    """The value of an item row."""


@dataclass(frozen=True)
class AssembledPart:
    """One printed part of an evaluation."""

    key: str
    """Part key."""
    label: str
    """Printed heading."""
    anchor: str
    """Stable id."""
    number: int
    """File number for per-file parts, else 0."""
    file_name: str
    """For per-file parts: the 特定個人情報ファイル name."""
    star: str
    """What follows the heading: ``※``, ``※(7. ②を除く。)`` or empty."""
    rows: tuple[Row, ...]
    """Printed rows in order."""


@dataclass(frozen=True)
class AssembledDoc:
    """An evaluation ready for the renderers: ordered, numbered, displayed."""

    id: str
    """Evaluation id (folder name)."""
    title: str
    """Document title (特定個人情報保護評価書（重点項目評価書）)."""
    name: str
    """評価書名."""
    marker: str
    """[令和6年10月 様式3]."""
    form_id: str
    """Form id."""
    draft: bool
    """状態 案: outputs show a draft mark."""
    org_name: str
    """評価実施機関名."""
    published: str
    """公表日 as printed, or empty."""
    cover: tuple[Row, ...]
    """Printed cover rows."""
    parts: tuple[AssembledPart, ...]
    """Parts after the cover, in printed order."""
    toc: tuple[tuple[str, str], ...]
    """項目一覧: (label, anchor) of each part."""
    clause_uses: tuple[ClauseUse, ...]
    """Every clause expansion."""


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class ChangeRecord:
    """One row of the 変更箇所 annex made from the history: one changed item or group."""

    evaluation: str
    """Evaluation id."""
    item: str
    """項目: the item's path in the form's notation (``II-3 ②入手方法``)."""
    before: str
    """変更前の記載 as printed (Markdown for prose); ``－`` when there was nothing."""
    after: str
    """変更後の記載 as printed; ``項目ごと削除`` for a removed group."""
    kind: Literal["changed", "added", "removed"] = "changed"
    """A changed item, or a whole group (委託事項, 提供先 …) added or removed."""
    date: dt.date | None = None
    """変更日; None while it is not known."""
    timing: str = ""
    """提出時期 (事前 / 事後); empty until the author gives it."""
    reason: str = ""
    """提出時期に係る説明."""
    exception: str = ""
    """Why a ※ change is not a 重要な変更, when given apart from the 説明 (not printed)."""
    star: bool = False
    """The item carries ※: the change may be a 重要な変更."""
    anchor: str = ""
    """Stable anchor of the item in every output."""
    version: str = ""
    """The published version (git tag) that brought the change; empty for unpublished ones."""
    clauses: tuple[tuple[str, int], ...] = ()
    """(clause id, new version) of standard clauses whose new version alone made the change."""
    location: Location = Location("")
    """Where the author wrote the item (its file when the item is gone)."""
