"""The clause library: load standard wording, expand ``{{ clause(...) }}`` references sandboxed.

Expanded text is wrapped in a ``::: clause <id> <version>`` block so that every renderer can
mark it as standard text; each expansion is also recorded as a ClauseUse. Unknown clauses,
unknown parameters, cycles and template errors are diagnostics with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import jinja2

from pia_build.core.diagnostics import Diagnostic, Location, error, warning
from pia_build.core.labels import did_you_mean
from pia_build.source.library import load_library
from pia_build.source.orgs import apply_spelling
from pia_build.source.sandbox import (
    RUNTIME_ERRORS,
    ContentEnvironment,
    TemplateLimit,
    describe,
    template_line,
)
from pia_build.source.shapes import Clause, ClauseUse

__all__ = ["Expander", "load_library", "make_environment"]

DEFAULT_HEADING = "<{}>"


def make_environment() -> ContentEnvironment:
    """Return the sandboxed, bounded Jinja2 environment used for all content templates."""
    return ContentEnvironment()


@cache
def shared_environment() -> ContentEnvironment:
    """Return the one content environment of this process (its compiled templates are cached)."""
    return make_environment()


@lru_cache(maxsize=8192)
def compiled(text: str) -> jinja2.Template:
    """Return ``text`` compiled once per process: the parse cache, keyed by the text itself.

    Clause bodies and the prose around them repeat across evaluations and across rebuilds, and
    compiling is most of what expanding costs. A syntax error is raised (and not cached).
    """
    return shared_environment().checked(text)


_CALL = re.compile(r"\{\{-?\s*clause\(.*?\)\s*-?\}\}")


@dataclass
class Expander:
    """Expands the templates of one evaluation, collecting uses and problems."""

    library: Mapping[str, Clause]
    org: Mapping[str, object]
    env: ContentEnvironment = field(default_factory=shared_environment)
    uses: list[ClauseUse] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    _stack: list[str] = field(default_factory=list)
    _where: Location = Location("")
    _anchor: str = ""
    _text: str = ""

    def expand(self, text: str, where: Location, anchor: str) -> str:
        """Return ``text`` with its template expressions and clause references expanded."""
        if "{{" not in text and "{%" not in text and "{#" not in text:
            return text
        self._where, self._anchor, self._text = where, anchor, text
        self._inline_calls(text)
        try:
            template = self._compile(text)
            return self.env.run(template, {"clause": self._clause, "org": self.org})
        except jinja2.TemplateSyntaxError as exc:
            self._report("template.syntax", exc.lineno, f"template syntax error: {exc.message}")
        except jinja2.UndefinedError as exc:
            name = _undefined_name(exc)
            self._report("template.undefined", self._line_of(name), self._undefined(exc, name))
        except jinja2.exceptions.SecurityError as exc:
            self._report("template.unsafe", template_line(exc), f"not allowed in a template: {exc}")
        except RUNTIME_ERRORS as exc:
            self._report(_code(exc), template_line(exc), describe(exc))
        return text

    def _inline_calls(self, text: str) -> None:
        """Report a clause call that shares its line with other text (it is a block, not a word)."""
        for number, line in enumerate(text.split("\n"), start=1):
            rest = _CALL.sub("", line)
            for call in _CALL.finditer(line):
                if rest.strip():
                    message = (
                        f"{call.group(0)} is inside a sentence; a clause is a block of text: "
                        "put it on a line of its own"
                    )
                    self._report("clause.inline", number, message)

    def _compile(self, text: str) -> jinja2.Template:
        """Return the compiled template (cached when this expander uses the shared environment)."""
        return compiled(text) if self.env is shared_environment() else self.env.checked(text)

    def _undefined(self, exc: jinja2.UndefinedError, name: str) -> str:
        """Explain an undefined name in the author's terms."""
        if "has no attribute" in (exc.message or "") and name and name not in ("clause",):
            keys = [str(k) for k in self.org if k not in ("spelling", "id", "clause_heading")]
            hint = did_you_mean(name, keys) or f"; it has {', '.join(keys)}"
            return f"the organisation profile has no '{name}'{hint}"
        return f"'{name}' is not defined; templates can use clause(…) and org.… only"

    def _clause(self, clause_id: object = None, /, **params: object) -> str:
        """Return the expanded clause ``clause_id``: the function templates call."""
        if not isinstance(clause_id, str) or not clause_id:
            message = (
                'clause(…) needs a clause id in quotes first, like clause("chukan-pf/storage")'
            )
            self._report("clause.call", self._line_of("clause("), message)
            return ""
        clause = self.library.get(clause_id)
        line = self._line_of(clause_id)
        if clause is None:
            hint = did_you_mean(clause_id, self.library)
            self._report("clause.unknown", line, f"there is no clause '{clause_id}'{hint}")
            return ""
        if clause_id in self._stack:
            chain = " → ".join([*self._stack, clause_id])
            self._report("clause.cycle", line, f"clauses refer to each other in a cycle: {chain}")
            return ""
        values = self._params(clause, params, line)
        self._stack.append(clause_id)
        try:
            body = self._run_clause(clause, values)
        finally:
            self._stack.pop()
        where = Location(self._where.path, self._where.line + line - 1)
        self.uses.append(ClauseUse(clause.id, clause.version, self._anchor, where))
        if clause.outdated:
            self.problems.append(warning("clause.outdated", where, _outdated(clause)))
        return self._wrap(clause, apply_spelling(body.strip("\n"), self.org))

    def _run_clause(self, clause: Clause, values: dict[str, object]) -> str:
        """Return a clause body rendered; its errors are reported at the clause file's line."""
        municipality = self.org.get("団体名", "")
        extra = {"clause": self._clause, "org": self.org, "municipality": municipality}
        try:
            return self.env.run(self._compile(clause.body), {**values, **extra})
        except jinja2.UndefinedError:
            raise  # reported where the prose called the clause, in the author's terms
        except (jinja2.TemplateSyntaxError, jinja2.exceptions.SecurityError) as exc:
            line = getattr(exc, "lineno", None) or template_line(exc)
            message = f"in clause '{clause.id}': {exc}"
            self.problems.append(error("template.syntax", _at(clause, line), message))
        except RUNTIME_ERRORS as exc:
            message = f"in clause '{clause.id}': {describe(exc)}"
            self.problems.append(error(_code(exc), _at(clause, template_line(exc)), message))
        return ""

    def _params(self, clause: Clause, given: Mapping[str, object], line: int) -> dict[str, object]:
        """Return the clause's parameters: defaults overridden by ``given``, checked."""
        values = {name: spec.get("default") for name, spec in clause.params.items()}
        for name, value in given.items():
            if name not in clause.params:
                hint = (
                    did_you_mean(name, clause.params)
                    or f"; it takes {', '.join(clause.params) or 'none'}"
                )
                self._report(
                    "clause.param", line, f"clause '{clause.id}' has no parameter '{name}'{hint}"
                )
                continue
            choices = clause.params[name].get("choices")
            if isinstance(choices, list) and value not in choices:
                options = ", ".join(map(str, choices))
                self._report(
                    "clause.param", line, f"'{value}' is not a value of {name} (one of {options})"
                )
                continue
            values[name] = value
        return values

    def _wrap(self, clause: Clause, body: str) -> str:
        """Return the clause text in its provenance block (nested clauses stay unwrapped)."""
        heading = ""
        if clause.heading:
            style = str(self.org.get("clause_heading") or DEFAULT_HEADING)
            heading = apply_spelling(style.replace("{}", clause.heading, 1), self.org) + "\n\n"
        if self._stack:
            return heading + body
        return f"::: clause {clause.id} {clause.version}\n{heading}{body}\n:::"

    def _line_of(self, needle: str) -> int:
        """Return the 1-based line of the current text where ``needle`` first occurs."""
        index = self._text.find(needle) if needle else -1
        return self._text[:index].count("\n") + 1 if index >= 0 else 1

    def _report(self, code: str, line: int, message: str) -> None:
        where = Location(self._where.path, self._where.line + line - 1)
        self.problems.append(error(code, where, message))


def _outdated(clause: Clause) -> str:
    """Explain that a project clause replaces an older version of a standard clause."""
    return (
        f"'{clause.id}' comes from {clause.location.path}, written from version {clause.overrides} "
        f"of the standard clause; pia now carries version {clause.package_version}: "
        "compare them (pia clauses) and update the file and its overrides"
    )


def _at(clause: Clause, line: int) -> Location:
    """Return the place of a line of a clause body in its file."""
    return Location(clause.location.path, clause.location.line + line - 1)


def _code(exc: BaseException) -> str:
    """Return the diagnostic code of a template runtime error."""
    return "template.limit" if isinstance(exc, TemplateLimit | RecursionError) else "template.error"


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    """Return the missing name in an UndefinedError message (the attribute, for attribute errors)."""
    parts = (exc.message or "").split("'")
    return parts[-2] if len(parts) > 2 else ""
