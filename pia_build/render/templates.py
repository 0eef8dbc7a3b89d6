"""The Jinja2 environment over the theme: autoescaped, sandboxed, StrictUndefined.

Templates are looked up file by file: the project's layouts/ first, then the packaged theme.
"""

from __future__ import annotations

from functools import cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from pia_build.core.settings import Settings
from pia_build.core.theme import Layouts, Theme, as_theme
from pia_build.render.markdown import render_markdown


def _markdown(text: str) -> Markup:
    """Jinja filter: Markdown prose → safe HTML."""
    return Markup(render_markdown(text))


@cache
def environment(layouts: Theme) -> SandboxedEnvironment:
    """Return the layout environment for a theme."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(f) for f in layouts.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = _markdown
    env.globals["site"] = {"title": Settings.title, "base_url": "", **dict(layouts.site)}
    return env


def render_template(layouts: Layouts, name: str, **context: object) -> str:
    """Render one layout with ``context``."""
    return environment(as_theme(layouts)).get_template(name).render(**context)
