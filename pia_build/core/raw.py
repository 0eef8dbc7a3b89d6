"""YAML values as read, each with the place it was written (the loader makes them)."""

from __future__ import annotations

from dataclasses import dataclass

from pia_build.core.diagnostics import Location


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
