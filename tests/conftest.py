"""Shared fixtures: the repository's own project, built once per session into a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pia_build import build
from pia_build.build import BuildResult
from pia_build.config import Config

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """Build content/ of this repository into a temporary output folder."""
    out = tmp_path_factory.mktemp("output")
    result = build(Config(REPO, out))
    return result, out / "site"
