"""Check one evaluation: bind it to its form, expand its clauses, validate it.

The stage order for a single evaluation lives here; ``build`` calls it once per folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from pia_build.check.agree import check_agreement
from pia_build.check.draft import allow_unwritten
from pia_build.check.examiner import check_basic_form, check_clause_items
from pia_build.check.rules import check_rules
from pia_build.check.shapes import Evaluation
from pia_build.check.validate import validate_part
from pia_build.core.diagnostics import Diagnostic, promote
from pia_build.forms.spec import ItemSpec
from pia_build.source.bind import bind_document, declared_form
from pia_build.source.clauses import Expander
from pia_build.source.loader import load_evaluation
from pia_build.source.shapes import Clause, Field, PartData, SourceDoc
from pia_build.source.submissions import split_submissions
from pia_build.source.walk import map_fields, part_anchor

EXPANDED_KINDS = ("text",)


def check_evaluation(
    doc: SourceDoc, library: Mapping[str, Clause], orgs: Mapping[str, Mapping[str, object]]
) -> tuple[Evaluation | None, list[Diagnostic]]:
    """Return the bound, expanded evaluation and every problem found in it."""
    form, problems = declared_form(doc)
    if form is None:
        return None, problems
    doc, _, found = split_submissions(doc, form)  # changes.yml is not a part of the form
    problems += found
    parts, found = bind_document(doc, form)
    problems += found
    org_id = _org_id(parts)
    org = orgs.get(org_id) or (_AnyOrg() if org_id else {})
    expander = Expander(library, org)
    parts = [_expand_part(part, expander) for part in parts]
    problems += expander.problems
    for part in parts:
        problems += validate_part(part)
    problems += check_rules(form, parts, orgs)
    problems += check_basic_form(form, parts)
    problems += check_clause_items(form, parts, expander.uses, library)
    problems += check_agreement(form, parts, list(form.agree))
    parts, problems = allow_unwritten(parts, problems)
    evaluation = Evaluation(doc.id, doc.folder, form, org, tuple(parts), tuple(expander.uses))
    return evaluation, problems


class _AnyOrg(dict):
    """Stands in for an unknown org (already reported) so {{ org.… }} does not fail again."""

    def __missing__(self, key: str) -> str:
        return ""


def _org_id(parts: list[PartData]) -> str:
    """Return the org profile id named on the cover."""
    cover = next((p for p in parts if p.spec.key == "cover"), None)
    entry = cover.block.entries.get("org") if cover else None
    return str(entry.value) if isinstance(entry, Field) else ""


def _expand_part(part: PartData, expander: Expander) -> PartData:
    """Return the part with the templates in its prose expanded."""

    def expand(spec: ItemSpec, field: Field, anchor: str) -> Field:
        if spec.kind not in EXPANDED_KINDS or not isinstance(field.value, str):
            return field
        return Field(expander.expand(field.value, field.location, anchor), field.location)

    block = map_fields(part.spec.items, part.block, part_anchor(part), expand)
    return replace(part, block=block)


def check_folder(
    folder: Path,
    root: Path,
    library: Mapping[str, Clause],
    orgs: Mapping[str, Mapping[str, object]],
    strict: bool = False,
) -> tuple[str, Evaluation | None, list[Diagnostic]]:
    """Read and check one evaluation folder; return its id, the evaluation and its problems."""
    doc, found = load_evaluation(folder, root)
    evaluation, more = check_evaluation(doc, library, orgs)
    return doc.id, evaluation, promote(found + more, strict)
