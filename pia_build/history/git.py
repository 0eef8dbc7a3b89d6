"""The only module that runs git: published versions, files at a revision, publishing a version.

A published version of an evaluation is an annotated tag ``pia/<evaluation id>/<公表日 ISO>`` on
the commit that was checked, its message starting ``公表日: 令和6年4月1日``. Reading runs only
commands that take no locks (``GIT_OPTIONAL_LOCKS=0``), so a build may read a repository that
someone else is working in. What the history means is decided in ``history``; this module only
asks git.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pia_build.core.config import ConfigError

TAG_ROOT = "pia"
"""First component of every version tag."""
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


class GitError(ConfigError):
    """git is missing, the project is not in a repository, or a revision does not exist."""


@dataclass(frozen=True)
class Version:
    """A published version of an evaluation: a tag on the commit that was published."""

    evaluation: str
    """Evaluation id."""
    tag: str
    """Tag name, ``pia/<id>/<公表日 ISO>``."""
    commit: str
    """The commit the tag names."""
    published: dt.date
    """公表日, from the tag name."""


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    """Return the output of ``git args`` run in ``root``; raise GitError when it fails."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            input=data,
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed; install git to use published versions") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def in_repository(root: Path) -> bool:
    """Return True when ``root`` is inside a git work tree (False without git)."""
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except GitError:
        return False


def tag_name(evaluation: str, published: dt.date) -> str:
    """Return the tag of the version of ``evaluation`` published on ``published``."""
    return f"{TAG_ROOT}/{evaluation}/{published.isoformat()}"


def versions(root: Path) -> dict[str, list[Version]]:
    """Return every evaluation's published versions, oldest first (none outside a repository)."""
    if not in_repository(root):
        return {}
    fields = "%(refname:strip=2)%09%(objectname)%09%(*objectname)"
    out = git(root, "for-each-ref", f"--format={fields}", f"refs/tags/{TAG_ROOT}/")
    found: dict[str, list[Version]] = {}
    for line in out.decode("utf-8").splitlines():
        version = _version(*line.split("\t"))
        if version is not None:
            found.setdefault(version.evaluation, []).append(version)
    return {k: sorted(v, key=lambda x: x.published) for k, v in found.items()}


def versions_key(found: list[Version]) -> str:
    """Return a fingerprint of published versions (their tags and commits) for the build cache."""
    return "\n".join(f"{v.tag}={v.commit}" for v in found)


def _version(tag: str, target: str, commit: str = "") -> Version | None:
    """Return the Version a tag stands for, or None for a tag not named by pia."""
    parts = tag.split("/")
    if len(parts) != 3 or parts[0] != TAG_ROOT:
        return None
    try:
        published = dt.date.fromisoformat(parts[2])
    except ValueError:
        return None
    return Version(parts[1], tag, commit or target, published)


def resolve(root: Path, rev: str) -> str:
    """Return the commit ``rev`` names; raise GitError when it names none."""
    if not in_repository(root):
        raise GitError(f"{root} is not in a git repository")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"'{rev}' is not a commit, branch or tag of this repository") from None


def merge_base(root: Path, branches: tuple[str, ...] = ("main", "origin/main")) -> str:
    """Return the commit where the current branch left main (the default base of a review)."""
    for branch in branches:
        try:
            return git(root, "merge-base", resolve(root, branch), "HEAD").decode().strip()
        except GitError:
            continue
    raise GitError(f"no branch {' or '.join(branches)} to compare with; name the revision")


def read_files(root: Path, rev: str, paths: list[str]) -> dict[str, bytes]:
    """Return {path relative to root: content} of the files under ``paths`` at ``rev``."""
    listing = git(root, "ls-tree", "-r", "-z", resolve(root, rev), "--", *paths)
    blobs: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if entry:
            meta, path = entry.decode("utf-8").split("\t", 1)
            if meta.split()[1] == "blob":
                blobs.append((meta.split()[2], path))
    if not blobs:
        return {}
    out = git(root, "cat-file", "--batch", data="".join(f"{sha}\n" for sha, _ in blobs).encode())
    return dict(zip((p for _, p in blobs), _batch(out), strict=True))


def _batch(out: bytes) -> list[bytes]:
    """Split the output of ``git cat-file --batch`` into the blobs' contents."""
    contents: list[bytes] = []
    at = 0
    while at < len(out):
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents.append(out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return contents


def modified(root: Path, paths: list[str]) -> list[str]:
    """Return the files under ``paths`` that differ from the last commit (or are untracked)."""
    out = git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    prefix = git(root, "rev-parse", "--show-prefix").decode("utf-8").strip()  # status names
    found = (entry[3:].decode("utf-8") for entry in out.split(b"\0") if len(entry) > 3)
    return sorted(path.removeprefix(prefix) for path in found)  # files from the repository root


def ignored(root: Path, paths: list[str]) -> list[str]:
    """Return the files under ``paths`` that git ignores (a clone of any commit lacks them)."""
    out = git(root, "status", "--porcelain", "-z", "--ignored=traditional", "-uall", "--", *paths)
    prefix = git(root, "rev-parse", "--show-prefix").decode("utf-8").strip()
    found = (e[3:].decode("utf-8") for e in out.split(b"\0") if e.startswith(b"!! "))
    return sorted(path.removeprefix(prefix) for path in found if not path.endswith("/"))


def create_tag(root: Path, evaluation: str, published: dt.date, message: str) -> str:
    """Tag the last commit as the version of ``evaluation`` published on ``published``."""
    name = tag_name(evaluation, published)
    git(root, "tag", "--annotate", "--file=-", name, "HEAD", data=message.encode("utf-8"))
    return name
