"""The module layout holds: dependencies point one way, external tools sit at one boundary,
modules stay small (style guide §8, P8, P14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pia_build"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


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


def test_model_imports_no_other_module() -> None:
    assert not {n for n in imports(PACKAGE / "model.py") if n.startswith("pia_build")}


def test_only_the_pandoc_boundary_imports_pypandoc() -> None:
    assert importers_of("pypandoc") == {"render/pandoc.py"}


def test_only_the_pdf_renderer_imports_typst() -> None:
    assert importers_of("typst") <= {"render/pdf.py", "fonts.py"}


def test_nothing_imports_the_cli() -> None:
    assert importers_of("pia_build.cli") <= {"__main__.py"}


def test_renderers_do_not_reach_up() -> None:
    upper = (
        "pia_build.build",
        "pia_build.site",
        "pia_build.jobs",
        "pia_build.cli",
        "pia_build.loader",
    )
    for path in (PACKAGE / "render").glob("*.py"):
        assert not {n for n in imports(path) if n.startswith(upper)}, path.name


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "model.py"], ids=lambda p: p.name)
def test_modules_stay_small(path: Path) -> None:
    # model.py holds only data shapes, each field with its docstring; everything else splits by
    # responsibility before it passes 400 lines
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
