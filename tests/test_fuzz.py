"""Fuzzing untrusted content (issue 15): front matter, prose, clause and org files made of YAML and
template fragments. Every input ends as diagnostics or output: never a traceback, never a hang.

Fixed seed (``derandomize``) and a bounded number of cases in CI; ``PIA_FUZZ_CASES`` runs more
(docs/benchmarks.md has the longer run).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia_build import build
from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.core.diagnostics import has_errors

REPO = Path(__file__).resolve().parents[1]
CASES = int(os.environ.get("PIA_FUZZ_CASES", "60"))
PER_CASE = 20
"""Seconds one case may take before it counts as a hang."""
TOKENS = [
    "{{ ",
    " }}",
    "{% ",
    " %}",
    "{#",
    "#}",
    "clause(",
    ")",
    '"local/fz"',
    "'x'",
    "org.",
    "団体名",
    "range(",
    "10**",
    "9",
    "0",
    "1/0",
    "*",
    "**",
    "~",
    "|",
    "center(",
    "format",
    "__class__",
    "macro m(n) ",
    "m(n)",
    "endmacro",
    "for i in ",
    "endfor",
    "if ",
    "endif",
    "set x = ",
    "x",
    "include 'a'",
    "import 'a' as b",
    "extends 'a'",
    "namespace()",
    "lipsum(9)",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "\n",
    "  ",
    "# ",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "!!binary ",
    "? ",
    "|\n  ",
    ">\n  ",
    "'",
    '"',
    "\\",
    "\t",
    "：",
    "2025-02-30",
    "1e999",
    "0x",
    "true",
    "null",
    "---\n",
    "...\n",
    "## ",
    "見本",
    "\u3000",
    "\x00",
    "\ufeff",
    "version: ",
    "params: ",
    "items: ",
    "spelling: ",
    "clause_heading: ",
    "{}",
]
fragment = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), min_size=1, max_size=40
).map("".join)
TARGETS = ("front matter", "prose", "clause", "org")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "content" / "orgs", root / "content" / "orgs")
    shutil.copytree(
        REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal",
        root / "content" / "evaluations" / "fz",
    )
    clause = root / "content" / "clauses" / "local" / "fz.md"
    clause.parent.mkdir(parents=True)
    clause.write_text("---\nid: local/fz\ntitle: 試験\n---\n試験の文言。\n", encoding="utf-8")
    return root


def originals(root: Path) -> dict[Path, bytes]:
    paths = [
        root / "content" / "evaluations" / "fz" / "evaluation.md",
        root / "content" / "evaluations" / "fz" / "1-basic.md",
        root / "content" / "clauses" / "local" / "fz.md",
        root / "content" / "orgs" / "mihon.yml",
    ]
    return {p: p.read_bytes() for p in paths}


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    """Fail the case (as a hang) when it runs longer than ``seconds``."""

    def hang(*_: object) -> None:
        raise AssertionError(f"no result after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def plant(root: Path, target: str, text: str) -> None:
    """Put ``text`` where ``target`` says, in the evaluation, its clause or its org."""
    folder = root / "content" / "evaluations" / "fz"
    if target == "front matter":
        cover = folder / "evaluation.md"
        cover.write_text(
            cover.read_text(encoding="utf-8").replace("---\n", "---\n" + text + "\n", 1), "utf-8"
        )
    elif target == "prose":
        basic = folder / "1-basic.md"
        basic.write_text(basic.read_text(encoding="utf-8") + "\n" + text + "\n", "utf-8")
    elif target == "clause":
        clause = root / "content" / "clauses" / "local" / "fz.md"
        clause.write_text(f"---\nid: local/fz\n{text}\n---\n{text}\n", encoding="utf-8")
        basic = folder / "1-basic.md"
        basic.write_text(basic.read_text("utf-8") + '\n{{ clause("local/fz") }}\n', "utf-8")
    else:
        org = root / "content" / "orgs" / "mihon.yml"
        org.write_text(org.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")


@settings(
    max_examples=CASES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), text=fragment)
def test_hostile_content_ends_as_diagnostics_or_output(base: Path, target: str, text: str) -> None:
    saved = originals(base)
    try:
        plant(base, target, text)
        config = Config(base)
        with bounded(PER_CASE):
            result = check(config)
            for diagnostic in result.diagnostics:
                assert diagnostic.render().count(":") >= 2  # path:line: severity[code]: …
            if not has_errors(result.diagnostics):
                built = build(config, formats=("html",), search=False)
                assert (config.output / "site" / "fz" / "index.html").is_file() or has_errors(
                    built.diagnostics
                )
    finally:
        for path, data in saved.items():
            path.write_bytes(data)
