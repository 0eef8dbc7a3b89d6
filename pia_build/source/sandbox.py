"""The sandbox content templates run in: Jinja2's SandboxedEnvironment, bounded.

Prose and clause files come from many authors and from imports, so a template may do only what
standard wording needs (``clause(…)``, ``org.…``, parameters, ``if``/``for``/``set``, simple
filters) and within limits: loop iterations, function calls, the size of text and numbers it
makes, and its running time. Going past a limit, or any error while running, ends that template
with a ``TemplateLimit`` or the error itself; ``Expander`` turns both into ``path:line``
diagnostics. Nothing is included, imported or extended: there is no loader.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

MAX_ITERATIONS = 200_000
"""Loop steps over ``range`` in one template, nested loops counted together."""
MAX_CALLS = 20_000
"""Function and macro calls in one template."""
MAX_TEXT = 1_000_000
"""Characters one template may produce, and the longest text or list ``*`` may make."""
MAX_INT_BITS = 256
"""Largest integer (in bits) arithmetic may make: no 10**5000."""
TIME_LIMIT = 5.0
"""Seconds one template may run (a backstop: the counts above end real cases first)."""
FILTERS = (
    "abs capitalize center count default d e escape first float format int join last length "
    "list lower max min replace reverse round safe sort string striptags sum title trim truncate "
    "unique upper wordcount"
).split()
"""The filters content may use; their number arguments are bounded too."""
_PRINTABLE = (str, int, float, bool, dt.date)


class TemplateLimit(Exception):
    """A content template went past one of the sandbox's limits."""


class _Budget(threading.local):
    """What the template running in this thread has used (one environment serves all threads)."""

    iterations = 0
    calls = 0
    depth = 0
    deadline = 0.0


class ContentEnvironment(SandboxedEnvironment):
    """A SandboxedEnvironment whose templates run within counted limits."""

    intercepted_binops = frozenset({"*", "**", "%", "//", "/"})

    def __init__(self) -> None:
        super().__init__(
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            finalize=_printable,
        )
        self.globals = {"range": self._range}
        self.filters = {name: _bounded(self.filters[name]) for name in FILTERS}
        self.tests = dict(self.tests)
        self._budget = _Budget()

    def start(self) -> None:
        """Begin counting for one template (``render`` does it)."""
        self._budget.iterations = self._budget.calls = 0
        self._budget.deadline = time.monotonic() + TIME_LIMIT

    def tick(self, steps: int = 1) -> None:
        """Count loop steps; raise TemplateLimit past the budget or the deadline."""
        budget = self._budget
        budget.iterations += steps
        if budget.iterations > MAX_ITERATIONS:
            raise TemplateLimit(f"loops ran more than {MAX_ITERATIONS:,} steps")
        if budget.iterations % 1000 == 0 and time.monotonic() > budget.deadline:
            raise TemplateLimit(f"the template ran longer than {TIME_LIMIT:g} s")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Count every call (macros, clause(), methods) before making it."""
        budget = __self._budget
        budget.calls += 1
        if budget.calls > MAX_CALLS:
            raise TemplateLimit(f"more than {MAX_CALLS:,} calls (a macro that calls itself?)")
        if time.monotonic() > budget.deadline:
            raise TemplateLimit(f"the template ran longer than {TIME_LIMIT:g} s")
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        """Do arithmetic and repetition only within the size limits."""
        if operator_ == "%" and isinstance(left, str):
            raise TemplateLimit("text % values is not available; join text with ~")
        if operator_ == "**":
            if not isinstance(right, int | float) or abs(right) > 64:
                raise TemplateLimit("powers above 64 are not allowed")
        if operator_ == "*":
            _check_repeat(left, right)
        result = _BINOPS[operator_](left, right)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise TemplateLimit(f"numbers above {MAX_INT_BITS} bits are not allowed")
        return result

    def checked(self, source: str) -> jinja2.Template:
        """Compile ``source``, refusing include, import and extends before anything runs."""
        tree = self.parse(source)
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            word = {"FromImport": "from … import"}.get(type(node).__name__, type(node).__name__)
            raise TemplateLimit(f"{{% {word.lower()} %}} is not available in content templates")
        return self.from_string(tree)

    def run(self, template: jinja2.Template, values: Mapping[str, Any]) -> str:
        """Render ``template`` with ``values``, counting output, steps and time.

        A template run while another runs (a clause inside prose) shares its budget.
        """
        if self._budget.depth == 0:
            self.start()
        self._budget.depth += 1
        try:
            chunks, size = [], 0
            for chunk in template.generate(values):
                size += len(chunk)
                if size > MAX_TEXT:
                    raise TemplateLimit(f"the template made more than {MAX_TEXT:,} characters")
                chunks.append(chunk)
            return "".join(chunks)
        finally:
            self._budget.depth -= 1

    def _range(self, *args: int) -> Iterator[int]:
        """``range`` whose steps count against the template's budget."""
        if not all(isinstance(a, int) for a in args) or not 1 <= len(args) <= 3:
            raise TemplateLimit("range() takes one to three whole numbers")
        for value in range(*args):
            self.tick()
            yield value


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "%": operator.mod,
    "//": operator.floordiv,
    "/": operator.truediv,
}


def _check_repeat(left: Any, right: Any) -> None:
    """Refuse ``text * n`` or ``list * n`` that would make more than MAX_TEXT elements."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int):
            if len(seq) * max(count, 0) > MAX_TEXT:
                raise TemplateLimit(f"repetition would make more than {MAX_TEXT:,} elements")


def _bounded(filter_: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so its number arguments stay small (center(10**9) is refused)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        numbers = [a for a in (*args[1:], *kwargs.values()) if isinstance(a, int | float)]
        if any(abs(n) > 10_000 for n in numbers):
            raise TemplateLimit("filter arguments above 10,000 are not allowed")
        return filter_(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):
        if hasattr(filter_, attribute):
            setattr(run, attribute, getattr(filter_, attribute))
    return run


def _printable(value: Any) -> Any:
    """Let ``{{ … }}`` print text, numbers and dates only (no reprs of functions or lists)."""
    if value is None or isinstance(value, (*_PRINTABLE, jinja2.Undefined)):
        return value  # an Undefined raises its own error when printed
    kind = "function" if callable(value) else type(value).__name__
    raise TemplateLimit(f"{{{{ … }}}} would print a {kind}, not text")


RUNTIME_ERRORS = (
    TemplateLimit,
    jinja2.TemplateError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
    MemoryError,
)
"""What running a content template may raise; each becomes a diagnostic."""


def describe(exc: BaseException) -> str:
    """Return an error raised by a template in an author's words."""
    if isinstance(exc, TemplateLimit):
        return f"over a limit of content templates: {exc}"
    if isinstance(exc, RecursionError):
        return "macros or clauses call each other too deeply"
    if isinstance(exc, ZeroDivisionError):
        return "division by zero"
    return f"the template failed: {type(exc).__name__}: {exc}"


def template_line(exc: BaseException) -> int:
    """Return the template line an error was raised at (innermost template frame), or 1."""
    line = 1
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
