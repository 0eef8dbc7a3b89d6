"""Shared fixtures: the repository's own project, built once per session into a temp folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pia_build import build
from pia_build.building.build import BuildResult
from pia_build.core.config import Config

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests assert pia's English messages unless they ask for Japanese (the users' default).

    pia chooses the language from pia.toml or LANG (docs/messages.md); tests of the Japanese
    catalogue set LANG=ja_JP.UTF-8 themselves.
    """
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)


# Folders of the repository that are not sources (tools' caches, environments, git itself).
NOT_SOURCES = {
    ".git",
    ".venv",
    ".venv-ci",
    ".hypothesis",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
}


def repository_paths() -> set[str]:
    """Return every path in the repository's source tree (caches and environments left out)."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCES and d != "__pycache__"]
        found.update(os.path.relpath(os.path.join(folder, n), REPO) for n in dirs + files)
    return found


@pytest.fixture(scope="module", autouse=True)
def repository_untouched() -> Iterator[None]:
    """Tests write into temporary folders, never into the repository (e.g. the check record
    output/.pia_build/check.json of a `pia check --root tests/projects/minimal`): a path the
    module's tests made in the tree fails the module's last test."""
    before = repository_paths()
    yield
    made = sorted(repository_paths() - before)
    if made:
        pytest.fail(f"tests wrote into the repository: {', '.join(made[:5])}", pytrace=False)


@pytest.fixture(scope="session")
def repo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """Build content/ of this repository into a temporary output folder."""
    out = tmp_path_factory.mktemp("output")
    result = build(Config(REPO, out))
    return result, out / "site"


@pytest.fixture
def scratch(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Return a function that writes a project from {relative path: text} and returns its root."""

    def write(files: dict[str, str | bytes]) -> Path:
        for rel, data in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        (tmp_path / "content").mkdir(exist_ok=True)
        return tmp_path

    return write


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:  # type: ignore[type-arg]
    """Under CI=true a skipped test fails: CI installs every real client, so nothing may skip."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every tool must be installed: {reason}"
    return outcome
