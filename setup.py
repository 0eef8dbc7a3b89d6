"""Build hook: ship this repository's layouts/ inside the wheel as the package's default theme.

layouts/ stays the one source of the default theme (it is also this repository's own theme);
when a wheel is built, build_py copies it to ``pia_build/theme/``, where
``pia_build.core.theme.package_theme`` finds it. Nothing is copied in git or for an editable
install, which reads layouts/ in place. Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

THEME_SOURCE = Path(__file__).resolve().parent / "layouts"
THEME_TARGET = Path("pia_build") / "theme"


class BuildWithTheme(build_py):
    """build_py that also copies layouts/ into the built package as pia_build/theme/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / THEME_TARGET
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(THEME_SOURCE, target)


setup(cmdclass={"build_py": BuildWithTheme})
