"""Output formats: one module per format, each with ``render(doc, layouts) -> bytes``.

A renderer whose tools are missing reports itself disabled with a message (``disabled_message``)
and the other formats still build.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from pia_build.assemble.shapes import AssembledDoc
from pia_build.core.config import ConfigError
from pia_build.core.theme import Layouts

Renderer = Callable[[AssembledDoc, Layouts], bytes]
FORMATS = ("html", "pdf", "docx", "xlsx", "json")
"""Every format, in the order a build produces them."""
DOWNLOADS = ("pdf", "docx", "xlsx", "json")
"""Formats published as downloads beside each evaluation's page."""


class UnknownFormat(ConfigError):
    """A format name that no renderer has."""


def load_renderer(name: str) -> tuple[Renderer | None, str]:
    """Return (render function, "") or (None, why the format is disabled)."""
    if name not in FORMATS:
        raise UnknownFormat(f"unknown format '{name}'; formats are {', '.join(FORMATS)}")
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ImportError as exc:
        return None, f"{name} output is disabled: {exc}"
    message = getattr(module, "disabled_message", lambda: None)()
    if message:
        return None, f"{name} output is disabled: {message}"
    return module.render, ""
