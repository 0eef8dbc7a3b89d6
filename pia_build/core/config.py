"""The project: where content, layouts and output live, relative to the project root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pia_build.core.theme import Theme, theme_for


@dataclass(frozen=True)
class Config:
    """Paths of one pia-build project."""

    root: Path
    """The project root (the folder holding content/)."""
    output_dir: Path | None = None
    """Where builds go; default ``<root>/output``."""
    portfolio: str = "staff"
    """Where the portfolio page goes: ``public`` (in the site) or ``staff`` (beside it, unpublished)."""

    @property
    def content(self) -> Path:
        """Authored sources: evaluations, clauses, orgs."""
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        """HTML layouts and CSS."""
        return self.root / "layouts"

    @property
    def theme(self) -> Theme:
        """The layouts searched file by file: the project's layouts/, then the packaged theme."""
        return theme_for(self.layouts)

    @property
    def output(self) -> Path:
        """Build results."""
        return self.output_dir or self.root / "output"


class ConfigError(Exception):
    """The project cannot be used as given (exit code 2)."""


def load_config(root: str | Path = ".") -> Config:
    """Return the project at ``root``, which must hold a content/ folder."""
    path = Path(root).resolve()
    if not (path / "content").is_dir():
        raise ConfigError(
            f"{path} has no content/ folder; run pia from the project root or pass --root"
        )
    return Config(path)
