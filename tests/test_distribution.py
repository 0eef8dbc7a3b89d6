"""Distribution: the wheel and sdist hold everything, and an installed wheel works in a fresh project.

The wheel is built from a copy of the sources (``pip wheel --no-deps --no-build-isolation``) and
installed into a new virtual environment (no editable install; dependencies come through pip and
its cache). Every ``pia`` command then runs from that environment in an empty temporary folder,
so nothing of this repository is on the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from pia_build import __version__

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pia_build", "layouts", "docs")
FIXTURE = REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal"
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")


def sources(tmp: Path) -> Path:
    """Copy what a build of the package reads into ``tmp``/src."""
    src = tmp / "src"
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=IGNORE)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, src / name)
    return src


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; fail the test with its output when it fails."""
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    run(*pip, "-w", tmp / "dist", sources(tmp), cwd=tmp)
    (found,) = (tmp / "dist").glob("*.whl")
    return found


def expected_files() -> set[str]:
    """Every file the wheel must hold: the code, forms, clauses, starter and the whole theme."""
    package = REPO / "pia_build"
    names = {
        f"pia_build/{p.relative_to(package).as_posix()}"
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    layouts = REPO / "layouts"
    names |= {
        f"pia_build/theme/{p.relative_to(layouts).as_posix()}"
        for p in layouts.rglob("*")
        if p.is_file()
    }
    return names


def test_the_wheel_holds_everything(wheel: Path) -> None:
    assert wheel.name == f"pia_build-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    assert expected_files() <= names, sorted(expected_files() - names)
    for needed in (
        "pia_build/theme/evaluation.html",
        "pia_build/theme/pdf/evaluation.typ",
        "pia_build/theme/docx/reference.docx",
        "pia_build/clauses/chukan-pf/storage.md",
        "pia_build/forms/full-r6.yml",
        "pia_build/starter/github/workflows/pia-publish.yml",
    ):
        assert needed in names
    assert not [n for n in names if n.startswith(("tests/", "content/", "layouts/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "pia = pia_build.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_sdist_holds_everything(tmp_path: Path) -> None:
    src = sources(tmp_path)
    run(
        sys.executable,
        "-m",
        "build",
        "--sdist",
        "--no-isolation",
        "-o",
        tmp_path / "d",
        src,
        cwd=tmp_path,
    )
    (sdist,) = (tmp_path / "d").glob("*.tar.gz")
    top = f"pia_build-{__version__}/"
    with tarfile.open(sdist) as archive:
        names = {n.removeprefix(top) for n in archive.getnames()}
    for needed in (
        "setup.py",
        "pyproject.toml",
        "layouts/evaluation.html",
        "layouts/docx/reference.docx",
        "pia_build/clauses/chukan-pf/storage.md",
        "pia_build/starter/gitignore",
        "docs/themes.md",
    ):
        assert needed in names


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its bin folder."""
    env = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", "--without-pip", env, cwd=env.parent)
    python = env / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", python, "install", "-q"]
    run(*install, "--prefer-binary", wheel, cwd=env.parent)
    return env / "bin"


def clean_env(bin_dir: Path) -> dict[str, str]:
    """The environment of a person who installed pia: its bin first, no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def new_project(bin_dir: Path, root: Path) -> dict[str, str]:
    """pia init, pia new, fill the evaluation from the fixture, pia check; return the env."""
    root.mkdir()
    env = clean_env(bin_dir)
    pia = bin_dir / "pia"
    run(
        pia,
        "init",
        "--org-id",
        "mihon",
        "--body-name",
        "見本市",
        "--org-name",
        "見本市長",
        cwd=root,
        env=env,
    )
    run(pia, "new", "minimal", "--form", "focused", cwd=root, env=env)
    shutil.copytree(FIXTURE, root / "content" / "evaluations" / "minimal", dirs_exist_ok=True)
    return env


def outputs(root: Path) -> dict[str, str]:
    """Return the text of the evaluation's HTML, PDF and DOCX; assert the search index exists."""
    site = root / "output" / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    pdf = subprocess.run(
        ["pdftotext", site / "minimal" / "minimal.pdf", "-"], capture_output=True, text=True
    ).stdout
    docx = zipfile.ZipFile(site / "minimal" / "minimal.docx").read("word/document.xml").decode()
    html = (site / "minimal" / "index.html").read_text(encoding="utf-8")
    return {"html": html, "pdf": pdf, "docx": docx}


def test_an_installed_wheel_makes_and_builds_a_new_project(venv: Path, tmp_path: Path) -> None:
    root = tmp_path / "mihon-pia"
    env = new_project(venv, root)
    where = run(
        venv / "python",
        "-c",
        "import sys, pia_build; print(pia_build.__file__); print(sys.path)",
        cwd=root,
        env=env,
    )
    assert where.startswith(str(venv.parent)) and str(REPO) not in where
    assert run(venv / "pia", "--version", cwd=root, env=env) == f"pia {__version__}\n"
    run(venv / "pia", "check", cwd=root, env=env)
    run(venv / "pia", "build", cwd=root, env=env)
    texts = outputs(root)
    for text in texts.values():
        assert "見本ファイル" in text
    assert "中間サーバー・プラットフォーム" in texts["pdf"]  # a packaged clause, expanded
    assert "chukan-pf/storage" in run(venv / "pia", "clauses", cwd=root, env=env)


def test_a_project_overrides_one_layout_and_one_clause(venv: Path, tmp_path: Path) -> None:
    root = tmp_path / "mihon-pia"
    env = new_project(venv, root)
    theme = Path(
        run(
            venv / "python",
            "-c",
            "from pia_build.core.theme import package_theme; print(package_theme())",
            cwd=root,
            env=env,
        ).strip()
    )
    assert theme.parts[-2:] == ("pia_build", "theme") and not theme.is_relative_to(REPO)
    base = (theme / "base.html").read_text(encoding="utf-8")
    (root / "layouts").mkdir()
    (root / "layouts" / "base.html").write_text(
        base.replace("<body", '<body data-body="mihon"'), "utf-8"
    )
    packaged = (theme.parent / "clauses" / "chukan-pf" / "storage.md").read_text(encoding="utf-8")
    front, _, _ = packaged.partition("\n---\n")
    clause = root / "content" / "clauses" / "chukan-pf" / "storage.md"
    clause.parent.mkdir(parents=True)
    clause.write_text(
        front.replace("\nversion: 1", "\nversion: 1\noverrides: 1")
        + "\n---\n- 見本市独自の保管場所の記載。\n",
        "utf-8",
    )
    listing = run(venv / "pia", "clauses", cwd=root, env=env)
    assert "project (overrides package v1)" in listing
    run(venv / "pia", "check", cwd=root, env=env)
    run(venv / "pia", "build", cwd=root, env=env)
    texts = outputs(root)
    assert 'data-body="mihon"' in texts["html"]
    for text in texts.values():
        assert "見本市独自の保管場所の記載。" in text
