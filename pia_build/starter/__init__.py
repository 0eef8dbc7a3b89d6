"""``pia init``: a new repository of evaluations in one command.

Writes pia.toml, content/evaluations/, one org profile, .gitignore, a README for the staff,
.pre-commit-config.yaml, two GitHub Actions workflows (check and diff on pull requests; build
and publish on main); with ``vscode``, also the JSON Schemas of ``pia schema`` in schemas/, VS
Code settings that use them (.vscode/settings.json) and a ``pia check --watch`` task whose
problem matcher reads ``--format gcc`` (.vscode/tasks.json). The files are templates beside this module; ``@name@`` marks a value. A
folder that is not empty is refused unless ``force``, and an existing file is never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from pia_build import __version__
from pia_build.schema import write_schemas

TEMPLATES = Path(__file__).resolve().parent
FILES = {
    "pia.toml": "pia.toml",
    "README.md": "README.md",
    ".gitignore": "gitignore",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".github/workflows/pia-check.yml": "github/workflows/pia-check.yml",
    ".github/workflows/pia-publish.yml": "github/workflows/pia-publish.yml",
    "content/orgs/{org_id}.yml": "org.yml",
}
"""Written file → its template."""
VSCODE = {
    ".vscode/settings.json": "vscode/settings.json",
    ".vscode/tasks.json": "vscode/tasks.json",
}
"""With ``vscode``: the editor's settings (schemas) and tasks (``pia check --watch``, serve)."""
ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class InitError(Exception):
    """The folder cannot be made into a project as asked (exit code 2)."""


@dataclass(frozen=True)
class Answers:
    """What ``pia init`` asks."""

    org_id: str
    """Org profile id: lower-case letters, digits, - and _ (``chiba``)."""
    body_name: str
    """団体名 (千葉市)."""
    org_name: str
    """評価実施機関名 (千葉市長)."""
    disclosure: str = "（開示請求先の住所・部署・電話番号）"
    """開示請求先."""
    inquiry: str = "（問合せ先の住所・部署・電話番号）"
    """問合せ先."""
    title: str = ""
    """The site's title; default ``<団体名> 特定個人情報保護評価書``."""
    base_url: str = ""
    """Where the site will be published."""
    requirement: str = f"pia-build=={__version__}"
    """The pip requirement CI and pre-commit install: this version of pia."""


def init_project(
    folder: Path, answers: Answers, force: bool = False, vscode: bool = False
) -> list[Path]:
    """Write a new evaluations repository into ``folder``; return the files written."""
    if not ORG_ID.match(answers.org_id):
        raise InitError(f"org id '{answers.org_id}': use lower-case letters, digits, - and _")
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitError(f"{folder} is not empty; pass --force to add the missing files to it")
    values = {k: str(v) for k, v in asdict(answers).items()}
    values["title"] = answers.title or f"{answers.body_name} 特定個人情報保護評価書"
    written = []
    for target, template in {**FILES, **(VSCODE if vscode else {})}.items():
        path = folder / target.format(org_id=answers.org_id)
        if path.exists():
            continue  # never overwrite
        text = _fill((TEMPLATES / template).read_text(encoding="utf-8"), values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if vscode and not (folder / "schemas").exists():
        written += write_schemas(folder / "schemas")
    keep = folder / "content" / "evaluations" / ".gitkeep"
    if not keep.parent.is_dir():
        keep.parent.mkdir(parents=True)
        keep.write_text("", encoding="utf-8")
        written.append(keep)
    return written


def _fill(text: str, values: dict[str, str]) -> str:
    """Replace each ``@name@`` with its value (multi-line values keep the line's indent)."""

    def one(match: re.Match[str]) -> str:
        indent, name = match.group(1), match.group(2)
        lines = values[name].splitlines() or [""]
        return indent + ("\n" + indent).join(lines)

    return re.sub(
        r"([ \t]*)@(\w+)@", lambda m: one(m) if m.group(2) in values else m.group(0), text
    )
