"""A pia project in its own git repository, driven as an author would: edit, commit, publish.

Built from tests/projects/minimal (a 重点項目評価書) in a temporary folder, for the change-history
tests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO

from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, ordered
from pia_build.publish import PublishResult, publish

MINIMAL = REPO / "tests" / "projects" / "minimal"
EVALUATION = "content/evaluations/minimal"
HTML_ONLY = ("html",)
STAR_CHANGE = (  # a change to the ※ item II-3 ①入手元
    "①入手元: [本人又は本人の代理人]",
    "①入手元: [本人又は本人の代理人, {民間事業者: 見本株式会社}]",
)


class Project:
    """A pia project in its own git repository."""

    def __init__(self, root: Path, evaluations: tuple[str, ...] = ("minimal",)) -> None:
        self.root = root
        shutil.copytree(MINIMAL / "content", root / "content")
        for other in (e for e in evaluations if e != "minimal"):
            shutil.copytree(root / EVALUATION, root / "content" / "evaluations" / other)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "見本 太郎")
        self.git("config", "user.email", "author@example.com")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "tag.gpgsign", "false")
        self.commit("first version")

    @property
    def config(self) -> Config:
        return Config(self.root, self.root / "output")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def publish(self, evaluation: str = "minimal") -> PublishResult:
        return publish(self.config, evaluation)

    def set_date(self, date: str, evaluation: str = "minimal") -> None:
        cover = self.root / "content" / "evaluations" / evaluation / "evaluation.md"
        text = re.sub(r"公表日: .*", f"公表日: {date}", cover.read_text(encoding="utf-8"))
        cover.write_text(text, encoding="utf-8")


def rendered(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.render() for d in ordered(diagnostics)]


def next_version(project: Project, submissions: str, date: str = "令和7年10月1日") -> None:
    """Give the evaluation a new 公表日 and changes.yml, and commit."""
    project.set_date(date)
    project.write(f"{EVALUATION}/changes.yml", submissions)
    project.commit("next version")


def published_project(tmp_path: Path) -> Project:
    """Return the minimal evaluation, committed and published on 令和7年4月1日."""
    made = Project(tmp_path)
    assert made.publish().tag == "pia/minimal/2025-04-01"
    return made
