"""``pia new``: write a blank evaluation with every item of its form in place, like the blank 様式.

Structured items go into front matter with empty values; prose items become headings. The
only writes to content/ happen here, atomically, and never over an existing folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from pia_build.building.output import write_atomic
from pia_build.core.config import Config
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec, ItemSpec, PartSpec
from pia_build.source.ids import id_problem
from pia_build.source.orgs import load_orgs


class ScaffoldError(Exception):
    """The evaluation cannot be created as asked."""


class BlankDumper(yaml.SafeDumper):
    """YAML that leaves empty values blank (``①部署:``) instead of writing ``null``."""


BlankDumper.add_representer(
    type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", "")
)


def new_evaluation(config: Config, evaluation_id: str, form_id: str, org_id: str) -> list[Path]:
    """Write the blank evaluation and return the paths written."""
    problem = id_problem(evaluation_id)
    if problem:
        raise ScaffoldError(f"{problem}; nothing was written")
    form = builtin_forms()[form_id]
    orgs, _ = load_orgs(config.content, config.root)
    if org_id not in orgs:
        raise ScaffoldError(
            f"there is no profile content/orgs/{org_id}.yml (profiles: {', '.join(orgs) or 'none'})"
        )
    folder = config.content / "evaluations" / evaluation_id
    if folder.exists():
        raise ScaffoldError(
            f"{folder.relative_to(config.root)} already exists; nothing was written"
        )
    defaults = _cover_defaults(form, org_id, orgs[org_id])
    files = blank_files(form, defaults)
    folder.mkdir(parents=True)
    written = []
    for name, text in files.items():
        write_atomic(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written


def _cover_defaults(form: FormSpec, org_id: str, org: Mapping[str, object]) -> dict[str, object]:
    """Return the cover values known before the author starts."""
    return {
        "form": form.name,
        "edition": form.edition,
        "org": org_id,
        "status": "案",
        "assessor_name": org.get("評価実施機関名"),
    }


def blank_files(form: FormSpec, cover: dict[str, object]) -> dict[str, str]:
    """Return file name → text of a blank evaluation of ``form`` (one file per part file)."""
    by_file: dict[str, list[PartSpec]] = {}
    for part in form.parts:
        by_file.setdefault(part.file.replace("{n}", "1"), []).append(part)
    files = {}
    for name, parts in by_file.items():
        values = {"cover": cover} if parts[0].key == "cover" else {}
        files[name] = _blank_file(name, parts, values.get("cover", {}))
    return files


def _blank_file(name: str, parts: list[PartSpec], defaults: dict[str, object]) -> str:
    """Return the text of one blank file."""
    front: dict[str, object] = {}
    prose: list[str] = []
    for part in parts:
        front.update(_front(part.items, defaults))
        prose += _headings(part.items, 1)
    return source_text(name, front, prose)


def source_text(
    name: str, front: dict[str, object], prose: list[str], dumper: type = BlankDumper
) -> str:
    """Return a source file: front matter, then Markdown prose (a .yml file holds only YAML)."""
    dumped = ""
    if front:
        dumped = yaml.dump(front, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    if name.endswith(".yml"):
        return dumped
    body = "\n".join(prose).rstrip("\n")
    return f"---\n{dumped}---\n" + (f"\n{body}\n" if body else "")


def _front(items: tuple[ItemSpec, ...], defaults: dict[str, object]) -> dict[str, object]:
    """Return the front matter of blank items: every non-prose item with an empty value."""
    front: dict[str, object] = {}
    for spec in items:
        if spec.kind == "section":
            inner = _front(spec.children, {})
            if inner:
                front[spec.label] = inner
        elif spec.kind == "group":
            row = _front(spec.children, {})
            front[spec.label] = [row] if row else []
        elif spec.kind != "text":
            front[spec.label] = defaults.get(spec.key, _blank(spec))
    return front


def _blank(spec: ItemSpec) -> object:
    """Return the empty value of a kind."""
    if spec.default is not None:
        return spec.default
    return {"multi": [], "list": [], "table": [], "flag": False}.get(spec.kind)


def _headings(items: tuple[ItemSpec, ...], level: int) -> list[str]:
    """Return Markdown headings for every prose item, nested like the form."""
    lines: list[str] = []
    hashes = "#" * min(level, 6)
    for spec in items:
        if spec.kind == "section":
            inner = _headings(spec.children, level + 1)
            if inner:
                lines += [f"{hashes} {spec.label}", "", *inner]
        elif spec.kind == "group":
            inner = _headings(spec.children, level + 1)
            if inner:
                lines += [f"{hashes} {spec.item_label.replace('{n}', '1')}", "", *inner]
        elif spec.kind == "text":
            lines += [f"{hashes} {spec.label}", ""] + (
                [str(spec.default), ""] if spec.default else []
            )
    return lines
