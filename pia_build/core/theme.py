"""The theme: the layout folders searched file by file, the project's before the package's.

A body's repository holds only the layout files it changes; every other file comes from the
default theme shipped inside the package. In a wheel the default theme is ``pia_build/theme/``
(copied from this repository's ``layouts/`` when the wheel is built, see ``setup.py``); in a
source checkout it is ``layouts/`` itself, so there is never a second copy in git.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pia_build.core.fingerprint import digest

PACKAGE = Path(__file__).resolve().parents[1]
"""The installed ``pia_build`` package folder."""


def package_theme() -> Path:
    """Return the default theme's folder: packaged in a wheel, ``layouts/`` in a checkout."""
    shipped = PACKAGE / "theme"
    return shipped if shipped.is_dir() else PACKAGE.parent / "layouts"


@dataclass(frozen=True)
class Theme:
    """Layout folders in lookup order: a file is taken from the first folder that has it."""

    folders: tuple[Path, ...]
    """Searched in order; the last one is the package's default theme."""
    site: tuple[tuple[str, str], ...] = ()
    """Project settings every layout sees as ``site.<key>`` (title, base_url), from pia.toml."""

    def find(self, name: str | Path) -> Path:
        """Return the path of layout file ``name`` (in the last folder when no folder has it)."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name

    def __truediv__(self, name: str | Path) -> Path:
        """``theme / "pdf/evaluation.typ"`` is ``theme.find(...)``."""
        return self.find(name)

    def files(self, pattern: str = "**/*") -> dict[str, Path]:
        """Return every layout file matching ``pattern``: relative name → the path that wins."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            for path in folder.glob(pattern):
                if path.is_file():
                    found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def origin(self, name: str) -> str:
        """Return "project" or "package": where layout file ``name`` comes from."""
        return "package" if self.find(name).is_relative_to(self.folders[-1]) else "project"


Layouts = Theme | Path
"""What renderers accept: a theme, or one complete layouts folder."""


def as_theme(layouts: Layouts) -> Theme:
    """Return ``layouts`` as a theme (a single folder is a theme of one folder)."""
    return layouts if isinstance(layouts, Theme) else Theme((layouts,))


def theme_for(layouts: Path, site: tuple[tuple[str, str], ...] = ()) -> Theme:
    """Return the theme of a project whose own layouts folder is ``layouts`` (may not exist)."""
    default = package_theme()
    if layouts.resolve() == default.resolve() or not layouts.is_dir():
        return Theme((default,), site)
    return Theme((layouts, default), site)


def theme_digest(theme: Theme, patterns: tuple[str, ...] = ("**/*",)) -> str:
    """Return one fingerprint of the layout files that win for ``patterns``: names and bytes."""
    chunks: list[bytes | str] = [repr(theme.site)]
    for pattern in patterns:
        for name, path in theme.files(pattern).items():
            chunks += [name, path.read_bytes()]
    return digest(chunks)
