"""The clause library: the standard clauses packaged with pia, then the project's own.

The standard clauses (national text, the same for every body, versioned) are package data in
``pia_build/clauses/``. A project's ``content/clauses/`` adds clauses, and may replace a standard
one only by saying so: ``overrides: <version>`` names the packaged version it was written from.
A project clause with a packaged id and no ``overrides`` is an error and the packaged text stays;
nothing is ever shadowed silently. Expansion lives in ``clauses``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.source.clausemeta import clause_meta
from pia_build.source.loader import load_text, load_yaml, split_front_matter
from pia_build.source.shapes import Clause

PACKAGE_CLAUSES = Path(__file__).resolve().parents[1] / "clauses"
"""The standard clause library shipped in the package."""
PACKAGE_PREFIX = "pia_build/clauses"
"""How diagnostics and pages name a packaged clause file (the same on every machine)."""


def clause_folders(content: Path) -> list[Path]:
    """Return the clause folders in lookup order: the package's, then the project's."""
    return [PACKAGE_CLAUSES, content / "clauses"]


def load_library(content: Path, root: Path) -> tuple[dict[str, Clause], list[Diagnostic]]:
    """Read the packaged clauses and the project's content/clauses, keyed by id."""
    library, problems = _load_folder(PACKAGE_CLAUSES, PACKAGE_PREFIX, "package")
    folder = content / "clauses"
    if folder.resolve() == PACKAGE_CLAUSES.resolve() or not folder.is_dir():
        return library, problems
    own, found = _load_folder(folder, folder.relative_to(root).as_posix(), "project")
    problems += found
    for clause in own.values():
        problems += _add(library, clause)
    return library, problems


def _add(library: dict[str, Clause], clause: Clause) -> list[Diagnostic]:
    """Add a project clause, replacing a packaged one only when it declares ``overrides``."""
    packaged = library.get(clause.id)
    where = Location(clause.location.path, 2)
    if packaged is None:
        if clause.overrides is not None:
            message = f"overrides: {clause.overrides}, but pia has no standard clause '{clause.id}'"
            return [error("clause.override", where, message)]
        library[clause.id] = clause
        return []
    if clause.overrides is None:
        message = (
            f"'{clause.id}' is a standard clause of pia (version {packaged.version}); "
            f"to replace it, say which version you started from: overrides: {packaged.version}"
        )
        return [error("clause.override", where, message)]
    if clause.overrides == 0:  # not a number: already reported, the packaged text stays
        return []
    if not 1 <= clause.overrides <= packaged.version:
        message = (
            f"overrides: {clause.overrides}, but the standard clause '{clause.id}' "
            f"has versions 1 to {packaged.version}"
        )
        return [error("clause.override", where, message)]
    library[clause.id] = replace(clause, package_version=packaged.version)
    return []


def _load_folder(
    folder: Path, prefix: str, origin: str
) -> tuple[dict[str, Clause], list[Diagnostic]]:
    """Read every clause file under ``folder``; ``prefix`` is the folder as diagnostics name it."""
    library: dict[str, Clause] = {}
    problems: list[Diagnostic] = []
    for path in sorted(folder.rglob("*.md")):
        relative = path.relative_to(folder)
        rel = f"{prefix}/{relative.as_posix()}"
        text, found = load_text(path, rel)
        problems += found
        if text is None:
            continue
        clause, found = clause_from_text(text, rel, relative, origin)
        problems += found
        library[clause.id] = clause
    return library, problems


def clause_from_text(
    text: str, rel: str, relative: Path, origin: str = "project"
) -> tuple[Clause, list[Diagnostic]]:
    """Build a Clause from a clause file's text; ``relative`` is its path in the clause folder."""
    front, body, body_line = split_front_matter(text)
    tree, problems = load_yaml(front, rel, 2)
    meta, found = clause_meta(tree)
    problems += found
    expected = relative.with_suffix("").as_posix()
    if meta.get("id") != expected:
        message = f"the clause id must be its path under content/clauses: id: {expected}"
        problems.append(error("clause.id", Location(rel, 2), message))
    overrides = meta.get("overrides")
    if overrides is not None and (not isinstance(overrides, int) or isinstance(overrides, bool)):
        message = f"overrides must be a version number, not '{overrides}'"
        problems.append(error("clause.override", Location(rel, 2), message))
        overrides = 0
    clause = Clause(
        id=expected,
        family=str(meta.get("family") or expected.split("/")[0]),
        title=str(meta.get("title") or expected),
        heading=str(meta.get("heading") or ""),
        version=int(meta.get("version") or 1),
        versions=tuple(meta.get("versions") or ()),
        params={
            k: (v if isinstance(v, dict) else {"default": v})
            for k, v in (meta.get("params") or {}).items()
        },
        items=dict(meta.get("items") or {}),
        body=body.strip("\n"),
        location=Location(rel, body_line),
        origin=origin,
        overrides=overrides,
    )
    return clause, problems
