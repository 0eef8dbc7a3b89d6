"""The shapes of an assembled document: the ordered, numbered rows every renderer draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pia_build.source.shapes import ClauseUse


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
    unwritten: bool = False
    """A required item left empty in a draft: every format prints 未記入 before the empty value."""
    count: str = ""
    """A choice's ``( ) 件`` as printed beside it (``( 2 ) 件``); empty when it has none."""
    legend_columns: int = 0
    """A choice legend printed as a grid of this many columns (``marks`` row by row); 0 = flowing."""


@dataclass(frozen=True)
class Row:
    """One printed row of the form."""

    kind: Literal["section", "group", "item"]
    """A section heading, a group row or range header (システム1, システム2～5), or an item."""
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
    flags: tuple[Mark, ...] = ()
    """Check marks printed on a section heading (``[ ] 委託しない``), in printed order."""
    on_heading: bool = False
    """A flag printed on its section's heading (in that row's ``flags``), not as a row."""


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
    edition: str = ""
    """The form's edition (``令和6年10月``); an edition before the markers prints no marker."""


# --------------------------------------------------------------------------- history
