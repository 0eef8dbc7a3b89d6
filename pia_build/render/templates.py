"""The Jinja2 environment over layouts/: autoescaped, sandboxed, StrictUndefined."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from pia_build.render.markdown import render_markdown


def _markdown(text: str) -> Markup:
    """Jinja filter: Markdown prose → safe HTML."""
    return Markup(render_markdown(text))


@cache
def environment(layouts: Path) -> SandboxedEnvironment:
    """Return the layout environment for a layouts folder."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(layouts)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = _markdown
    return env


def render_template(layouts: Path, name: str, **context: object) -> str:
    """Render one layout with ``context``."""
    return environment(layouts).get_template(name).render(**context)
