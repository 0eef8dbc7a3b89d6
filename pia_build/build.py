"""The pipeline in one place: load → check (bind, expand clauses, validate) → assemble → write site."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .assemble import assemble
from .check import check_evaluation
from .clauses import load_library
from .config import Config
from .diagnostics import has_errors, promote
from .loader import iter_evaluation_folders, load_evaluation
from .model import Diagnostic, Evaluation
from .orgs import load_orgs
from .output import OutputWriter
from .render import DOWNLOADS, FORMATS, Renderer, load_renderer
from .site import iter_pages


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found."""

    evaluations: list[Evaluation] = field(default_factory=list)
    """Every evaluation that could be bound to a form, valid or not."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Every problem in content/."""
    invalid: set[str] = field(default_factory=set)
    """Ids of evaluations with errors."""


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` did."""

    check: CheckResult
    """The validation that preceded the build."""
    written: list[str] = field(default_factory=list)
    """Output paths whose content changed."""
    removed: list[str] = field(default_factory=list)
    """Stray output paths deleted."""
    notes: list[str] = field(default_factory=list)
    """Messages about the build itself (a format disabled for lack of its tools)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.check.diagnostics


def check(config: Config, strict: bool = False) -> CheckResult:
    """Validate every evaluation under content/ and report all problems at once."""
    library, problems = load_library(config.content, config.root)
    orgs, found = load_orgs(config.content, config.root)
    problems += found
    result = CheckResult(diagnostics=problems)
    for folder in iter_evaluation_folders(config.content):
        doc, found = load_evaluation(folder, config.root)
        evaluation, more = check_evaluation(doc, library, orgs)
        mine = promote(found + more, strict)
        result.diagnostics.extend(mine)
        if evaluation is not None:
            result.evaluations.append(evaluation)
        if evaluation is None or has_errors(mine):
            result.invalid.add(doc.id)
    result.diagnostics[:] = promote(result.diagnostics, strict)
    return result


def build(config: Config, strict: bool = False, formats: Sequence[str] = FORMATS) -> BuildResult:
    """Check content/, then write the site of every valid evaluation into output/site."""
    checked = check(config, strict)
    docs = [assemble(e) for e in checked.evaluations if e.id not in checked.invalid]
    downloads, notes = _downloads(formats)
    writer = OutputWriter(config.output / "site")
    for path, data in iter_pages(docs, config.layouts, downloads):
        writer.write(path, data)
    removed = writer.prune()
    return BuildResult(checked, writer.changed, removed, notes)


def _downloads(formats: Sequence[str]) -> tuple[dict[str, Renderer], list[str]]:
    """Return the available download renderers among ``formats`` and why others are disabled."""
    renderers: dict[str, Renderer] = {}
    notes: list[str] = []
    for name in formats:
        if name not in DOWNLOADS:
            load_renderer(name)  # unknown names fail loudly
            continue
        render, why = load_renderer(name)
        if render is None:
            notes.append(why)
        else:
            renderers[name] = render
    return renderers, notes
