"""The project: where content, layouts and output live, and its settings (pia.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pia_build.core.diagnostics import Diagnostic
from pia_build.core.settings import Settings, load_settings
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
    settings: Settings = Settings()
    """pia.toml (defaults when there is none)."""

    @property
    def content(self) -> Path:
        """Authored sources: evaluations, clauses, orgs."""
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        """HTML layouts and CSS."""
        return self.root / self.settings.theme

    @property
    def theme(self) -> Theme:
        """The layouts searched file by file: the project's layouts/, then the packaged theme."""
        site = (("title", self.settings.title), ("base_url", self.settings.base_url))
        return theme_for(self.layouts, site)

    @property
    def output(self) -> Path:
        """Build results."""
        return self.output_dir or self.root / "output"


class ConfigError(Exception):
    """The project cannot be used as given (exit code 2)."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []
        """Problems with a place (pia.toml:LINE), printed one per line."""


def load_config(root: str | Path = ".") -> Config:
    """Return the project at ``root``, which must hold a content/ folder."""
    path = Path(root).resolve()
    if not (path / "content").is_dir():
        raise ConfigError(
            f"{path} has no content/ folder; run pia from the project root or pass --root"
        )
    settings, problems = load_settings(path)
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in pia.toml", problems)
    return Config(path, portfolio=settings.portfolio, settings=settings)
