"""The shapes of what is read from content/: raw YAML with positions, source files,
bound fields, blocks and rows, clauses and their uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pia_build.core.diagnostics import Location
from pia_build.core.raw import RawMap
from pia_build.forms.spec import PartSpec


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
    unwritten: bool = False
    """A required item left empty in a draft (状態 案): printed as 未記入."""


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
    origin: str = "package"
    """"package" (the standard library shipped with pia) or "project" (content/clauses)."""
    overrides: int | None = None
    """For a project clause replacing a standard one: the packaged version it was written from."""
    package_version: int | None = None
    """For such a clause: the version of the standard clause the package carries now."""

    @property
    def outdated(self) -> bool:
        """True when it overrides an older version of a standard clause than pia now carries."""
        return (self.overrides or 0) < (self.package_version or 0)


# --------------------------------------------------------------------------- assembled
