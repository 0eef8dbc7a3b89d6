"""Markdown prose → safe HTML: raw HTML is escaped, unsafe links are dropped.

Clause blocks (``::: clause <id> <version>``) become ``<div class="clause">`` marked with their
provenance so readers can tell standard text from local text.
"""

from __future__ import annotations

from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin


def _render_clause(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Open or close a clause block with its id and version."""
    token = tokens[idx]
    if token.nesting == -1:
        return "</div>\n"
    _, clause_id, version = (token.info.split() + ["", "", ""])[:3]
    label = f"標準記載 {clause_id} v{version}"
    return (
        f'<div class="clause" data-clause="{escape(clause_id)}" data-version="{escape(version)}">'
        f'<span class="clause-mark">{escape(label)}</span>\n'
    )


@cache
def parser() -> MarkdownIt:
    """Return the shared Markdown parser (CommonMark + tables, HTML disabled)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(container_plugin, name="clause", render=_render_clause)
    return md


def render_markdown(text: str) -> str:
    """Return the HTML of a Markdown text."""
    return parser().render(text)
