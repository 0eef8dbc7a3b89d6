"""The static site's own pages: home, search, clause pages and the shared assets → (path, bytes).

Evaluation pages and downloads are rendered per evaluation by ``jobs``; this module builds what
spans evaluations from their summaries. Links are relative, so the folder works from any static
host or sub-path. Writing is not done here: ``build`` hands the pairs to the OutputWriter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pia_build.assemble.shapes import AssembledDoc
from pia_build.core.theme import Layouts, as_theme
from pia_build.core.wareki import format_wareki
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.render.templates import render_template
from pia_build.source.clauses import Expander
from pia_build.source.shapes import Clause

NEUTRAL_ORG = {"団体名": "（団体名）", "評価実施機関名": "（評価実施機関名）"}
"""What clause pages print where a body's own values would stand (any other key: ``（key）``)."""


@dataclass(frozen=True)
class Use:
    """One place where an evaluation uses a clause, as a clause page lists it."""

    doc: AssembledDoc
    """The evaluation."""
    anchor: str
    """The item's anchor on the evaluation page."""
    label: str
    """The item as printed: part heading › section › item."""
    version: int
    """The clause version the evaluation was built with."""


class _Placeholders(dict[str, str]):
    """An organisation profile that prints ``（key）`` for any value a clause asks for."""

    def __missing__(self, key: str) -> str:
        return f"（{key}）"


def iter_site_pages(
    docs: list[AssembledDoc],
    library: Mapping[str, Clause],
    layouts: Layouts,
    held: Mapping[str, int] | None = None,
    portfolio: str = "",
) -> Iterator[tuple[str, bytes]]:
    """Yield every page that spans evaluations, and the assets, as (relative path, content).

    ``held``: evaluations whose last good outputs stay published → their current error count.
    ``portfolio`` is the site path of the public portfolio page (empty: not published).
    """
    yield "index.html", render_index(docs, layouts, held, portfolio)
    yield "search/index.html", _page(layouts, "search.html", root="../")
    uses = clause_uses(docs)
    yield "clauses/index.html", render_clause_index(library, uses, layouts)
    for clause_id in sorted(library):
        page = render_clause(library[clause_id], library, uses.get(clause_id, []), layouts)
        yield f"clauses/{clause_id}/index.html", page
    for name, asset in as_theme(layouts).files("assets/**/*").items():
        yield name, asset.read_bytes()


def render_index(
    docs: list[AssembledDoc],
    layouts: Layouts,
    held: Mapping[str, int] | None = None,
    portfolio: str = "",
) -> bytes:
    """Return the home page: every evaluation grouped by 評価実施機関 (held ones marked), with
    the open data links and, when it is public, the portfolio's."""
    groups: dict[str, list[AssembledDoc]] = {}
    for doc in sorted(docs, key=lambda d: (d.org_name, d.name, d.id)):
        groups.setdefault(doc.org_name or "評価実施機関未設定", []).append(doc)
    return _page(
        layouts,
        "index.html",
        groups=sorted(groups.items()),
        root="",
        held=dict(held or {}),
        portfolio=portfolio,
    )


def render_clause_index(
    library: Mapping[str, Clause], uses: Mapping[str, list[Use]], layouts: Layouts
) -> bytes:
    """Return the list of every standard clause, by family, with its number of uses."""
    families: dict[str, list[tuple[Clause, int]]] = {}
    for clause_id in sorted(library):
        clause = library[clause_id]
        families.setdefault(clause.family, []).append((clause, len(uses.get(clause_id, []))))
    return _page(layouts, "clauses.html", families=sorted(families.items()), root="../")


def render_clause(
    clause: Clause, library: Mapping[str, Clause], uses: list[Use], layouts: Layouts
) -> bytes:
    """Return one clause's page: its text, parameters, versions and every use."""
    return _page(
        layouts,
        "clause.html",
        clause=clause,
        text=default_text(clause, library),
        params=[(name, _param(spec)) for name, spec in clause.params.items()],
        versions=[_version(v) for v in clause.versions],
        uses=uses,
        root="../" * (clause.id.count("/") + 2),
    )


def default_text(clause: Clause, library: Mapping[str, Clause]) -> str:
    """Return the clause expanded with its default parameters and placeholder org values.

    Empty when the template cannot be expanded that way; the page then shows the template only.
    """
    expander = Expander(library, _Placeholders(NEUTRAL_ORG))
    text = expander.expand(f"{{{{ clause({json.dumps(clause.id)}) }}}}", clause.location, "")
    return "" if expander.problems else text


def clause_uses(docs: list[AssembledDoc]) -> dict[str, list[Use]]:
    """Return clause id → every use in ``docs``, by evaluation name and document order."""
    forms = builtin_forms()
    uses: dict[str, list[Use]] = {}
    for doc in sorted(docs, key=lambda d: (d.name, d.id)):
        form = forms.get(doc.form_id)
        for use in doc.clause_uses:
            label = item_label(form, use.item) if form else use.item
            uses.setdefault(use.clause_id, []).append(Use(doc, use.item, label, use.version))
    return uses


def item_label(form: FormSpec, anchor: str) -> str:
    """Return where the item at ``anchor`` is printed: ``Ⅲ リスク対策 (1) › 3. … › ①…``.

    Anchors are ``<part>[-<file>].<key>[.<row>]…`` (see ``walk``); an anchor that does not
    resolve is returned as it is.
    """
    head, *steps = anchor.split(".")
    part_key, _, number = head.partition("-")
    part = next((p for p in form.parts if p.key == part_key), None)
    if part is None:
        return anchor
    labels = [f"{part.label} ({number})" if number else part.label]
    items: tuple[ItemSpec, ...] = part.items
    group: ItemSpec | None = None
    for step in steps:
        spec = next((i for i in items if i.key == step), None)
        if spec is not None:
            labels.append(spec.label)
            items, group = spec.children, spec
        elif step.isdigit() and group is not None:
            row = group.item_label.replace("{n}", step) if group.item_label else step
            labels[-1:] = [row] if row.startswith(labels[-1]) else [labels[-1], row]
        else:
            return anchor
    return " › ".join(label for label in labels if label)


def _param(spec: Mapping[str, object]) -> dict[str, str]:
    """Return a clause parameter as printed: default, choices, description."""
    choices = spec.get("choices")
    return {
        "default": _show(spec.get("default")),
        "choices": ", ".join(map(_show, choices)) if isinstance(choices, list) else "",
        "description": str(spec.get("description") or ""),
    }


def _version(entry: Mapping[str, object]) -> dict[str, str]:
    """Return one entry of a clause's version history as printed."""
    date = entry.get("date")
    return {
        "version": str(entry.get("version", "")),
        "date": format_wareki(date) if isinstance(date, dt.date) else str(date or ""),
        "iso": date.isoformat() if isinstance(date, dt.date) else "",
        "note": str(entry.get("note") or ""),
    }


def _show(value: object) -> str:
    """Return a YAML value as an author would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _page(layouts: Layouts, name: str, **context: object) -> bytes:
    """Render one layout to UTF-8 bytes."""
    return render_template(layouts, name, **context).encode("utf-8")
