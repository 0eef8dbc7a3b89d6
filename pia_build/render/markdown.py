"""Markdown prose → safe HTML: raw HTML is escaped, unsafe links are dropped.

Clause blocks (``::: clause <id> <version>``) become ``<div class="clause">`` marked with their
provenance so readers can tell standard text from local text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
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
    rule = next(r for r in md.block.ruler.__rules__ if r.name == "container_clause")
    md.block.ruler.at("container_clause", _guarded(rule.fn), {"alt": rule.alt})
    return md


def _guarded(rule: Callable[..., bool]) -> Callable[..., bool]:
    """Return the container rule, reading a marker cut off at the end of a quote as no marker.

    mdit_py_plugins' container rule indexes past the text for ``> ::: clause …`` followed by a
    last line ``>``; such a line simply does not open or close a clause block.
    """

    def rule_or_nothing(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        try:
            return rule(state, start, end, silent)
        except IndexError:
            return False

    return rule_or_nothing


def render_markdown(text: str) -> str:
    """Return the HTML of a Markdown text."""
    return parser().render(text)
