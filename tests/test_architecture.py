"""The module layout holds: dependencies point one way, external tools sit at one boundary,
modules stay small (style guide §8, P8, P14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pia_build"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
TESTS = sorted(Path(__file__).resolve().parent.glob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def imports(path: Path) -> set[str]:
    """Return the absolute names a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, [base, node.module or ""]))
            names.add(module)
            names |= {f"{module}.{a.name}" for a in node.names}
    return names


def importers_of(prefix: str) -> set[str]:
    return {
        p.relative_to(PACKAGE).as_posix()
        for p in MODULES
        if any(n == prefix or n.startswith(prefix + ".") for n in imports(p))
    }


STAGES = ("core", "forms", "source", "check", "history", "assemble", "render", "site", "building")
"""The pipeline's stages in order (docs/architecture.md); the package's top level comes last."""


def stage_of(name: str) -> int:
    """Return the position of a module (dotted name) in the stage order."""
    parts = name.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else len(STAGES)


def test_no_stage_imports_a_later_stage() -> None:
    back_edges = {
        f"{p.relative_to(PACKAGE).as_posix()} -> {name}"
        for p in MODULES
        for name in imports(p)
        if name.startswith("pia_build.")
        and stage_of(name) > stage_of(".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts))
    }
    assert not back_edges


def test_the_stage_order_test_can_see_a_back_edge() -> None:
    assert stage_of("pia_build.building.plan") > stage_of("pia_build.site.serve")
    assert stage_of("pia_build.core.raw") < stage_of("pia_build.forms.spec")


def test_data_shapes_import_only_shapes() -> None:
    for path in PACKAGE.rglob("shapes.py"):
        found = {n for n in imports(path) if n.startswith("pia_build.")}
        assert all(set(n.split(".")) & {"shapes", "diagnostics", "spec", "raw"} for n in found), (
            path
        )


def test_only_the_pandoc_boundary_imports_pypandoc() -> None:
    assert importers_of("pypandoc") == {"render/pandoc.py"}


def test_only_the_pdf_renderer_imports_typst() -> None:
    assert importers_of("typst") <= {"render/pdf.py", "render/fonts.py"}


def test_nothing_imports_the_cli() -> None:
    assert importers_of("pia_build.cli") <= {"__main__.py"}


def test_renderers_do_not_reach_up() -> None:
    upper = (
        "pia_build.building.build",
        "pia_build.site.pages",
        "pia_build.building.jobs",
        "pia_build.cli",
        "pia_build.source.loader",
    )
    for path in (PACKAGE / "render").glob("*.py"):
        assert not {n for n in imports(path) if n.startswith(upper)}, path.name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_stay_small(path: Path) -> None:
    # every module splits by responsibility before it passes 400 lines
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


@pytest.mark.parametrize("path", TESTS, ids=lambda p: p.name)
def test_test_modules_stay_small(path: Path) -> None:
    # shared test helpers live in their own modules under tests/ (htmltext, pdftext, gitproject …)
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


def long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Return `module:line name (n lines)` for each function of a module longer than ``limit``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name}:"
        f"{node.lineno} {node.name} ({node.end_lineno - node.lineno} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno > limit
    ]


def test_functions_stay_short() -> None:
    assert [f for path in MODULES for f in long_functions(path)] == []


def test_the_function_length_test_can_fail(tmp_path: Path) -> None:
    body = "\n".join(f"    x = {n}" for n in range(MAX_FUNCTION_LINES))
    (tmp_path / "m.py").write_text(f"def f() -> None:\n{body}\n", encoding="utf-8")
    assert long_functions(tmp_path / "m.py") == []
    (tmp_path / "m.py").write_text(f"def f() -> None:\n{body}\n    x = 0\n", encoding="utf-8")
    assert long_functions(tmp_path / "m.py") == ["m.py:1 f (61 lines)"]


def test_a_job_takes_its_history_prepared() -> None:
    # one pass: the history stage computes the 変更箇所 rows before any job runs (build.py);
    # a job only merges the rows it was given (and derives portfolio facts from them), it reads
    # no git history itself
    found = {n for n in imports(PACKAGE / "building" / "jobs.py") if n.startswith("pia_build.")}
    history = {n for n in found if n.startswith("pia_build.history")}
    assert history <= {
        "pia_build.history.annex",
        "pia_build.history.annex.with_history",
        "pia_build.history.portfolio",
        "pia_build.history.portfolio.facts_of",
        "pia_build.history.shapes",
        "pia_build.history.shapes.ChangeRecord",
    }


def test_markdown_is_parsed_in_one_place() -> None:
    # one prose tree: render/prose.py parses for PDF and DOCX, render/markdown.py holds the
    # parser (and renders HTML with it); no renderer walks markdown-it's tokens itself
    assert importers_of("markdown_it") | importers_of("mdit_py_plugins") == {
        "render/markdown.py",
        "render/prose.py",
    }
