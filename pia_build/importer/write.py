"""Render imported values as an evaluation folder in the authoring format, and write it.

The layout is the one ``pia new`` writes (scaffold.py): one file per part file, structured items
in front matter keyed by printed label, prose under Markdown headings nested like the form,
group rows as lists in front matter and as ``システム2`` headings in Markdown. Every item of the
form is present, filled or blank. Files are written atomically, and never over existing files
unless asked to.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from pia_build.building.output import write_atomic
from pia_build.forms.spec import FormSpec, ItemSpec, PartSpec
from pia_build.scaffold import BlankDumper, source_text  # the blank 様式's YAML conventions
from pia_build.source.loader import SOURCE_SUFFIXES, is_source

Tree = dict[str, object]
Trees = dict[tuple[str, int], Tree]


class ImportExists(Exception):
    """The evaluation folder already holds files and overwriting was not asked for."""


class FlowRow(dict):  # type: ignore[type-arg]
    """A table row printed on one line (記録項目), so the annex diffs line by line."""


class _Dumper(BlankDumper):
    """The blank 様式's YAML, plus literal blocks for multi-line text and one-line table rows."""

    def ignore_aliases(self, data: object) -> bool:
        return True  # equal values are written out each time, never as &anchors


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(
    FlowRow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)


def render_files(form: FormSpec, trees: Trees, files: int) -> dict[str, str]:
    """Return file name → text for every file of the evaluation."""
    by_file: dict[str, list[tuple[PartSpec, Tree]]] = {}
    for part in form.parts:
        for number in range(1, files + 1) if part.per_file else [0]:
            name = part.file.replace("{n}", str(number))
            tree = trees.get((part.key, number), {})
            by_file.setdefault(name, []).append((part, tree))
    return {name: _file(name, parts) for name, parts in by_file.items()}


def _file(name: str, parts: list[tuple[PartSpec, Tree]]) -> str:
    """Return the text of one file."""
    front: dict[str, object] = {}
    prose: list[str] = []
    for part, tree in parts:
        front.update(_front(part.items, tree))
        prose += _headings(part.items, tree, 1)
    return source_text(name, front, prose, _Dumper)


def _front(items: tuple[ItemSpec, ...], tree: Tree) -> dict[str, object]:
    """Return the front matter of ``items``: every non-prose item, filled or blank."""
    front: dict[str, object] = {}
    for spec in items:
        value = tree.get(spec.key)
        if spec.kind == "section":
            inner = _front(spec.children, value if isinstance(value, dict) else {})
            if inner:
                front[spec.label] = inner
        elif spec.kind == "group":
            rows = value if isinstance(value, list) else []
            blank = [_front(spec.children, {})] if _front(spec.children, {}) else []
            front[spec.label] = [_front(spec.children, r) for r in rows] or blank
        elif spec.kind != "text":
            front[spec.label] = _leaf(spec, value)
    return front


def _leaf(spec: ItemSpec, value: object) -> object:
    """Return a leaf value as written in front matter (blank as the blank 様式 writes it)."""
    if value is None:
        return spec.default if spec.default is not None else _BLANK.get(spec.kind)
    if spec.kind == "table" and isinstance(value, list):
        flat = all(c.kind == "line" for c in spec.children)
        return [FlowRow(_cells(r)) if flat else _cells(r) for r in value]
    return value


_BLANK: dict[str, object] = {"multi": [], "list": [], "table": [], "flag": False}


def _cells(row: object) -> dict[str, object]:
    """Return a table row with empty cells dropped and plain numbers as numbers."""
    assert isinstance(row, dict)
    return {
        k: int(v) if isinstance(v, str) and v.isdecimal() and len(v) < 6 else v
        for k, v in row.items()
        if v not in (None, "")
    }


def _headings(items: tuple[ItemSpec, ...], tree: Tree, level: int) -> list[str]:
    """Return Markdown headings for every prose item, nested like the form, with its text."""
    lines: list[str] = []
    hashes = "#" * min(level, 6)
    for spec in items:
        value = tree.get(spec.key)
        if spec.kind == "section":
            inner = _headings(spec.children, value if isinstance(value, dict) else {}, level + 1)
            if inner:
                lines += [f"{hashes} {spec.label}", "", *inner]
        elif spec.kind == "group":
            rows = value if isinstance(value, list) and value else [{}]
            for number, row in enumerate(rows, start=1):
                inner = _headings(spec.children, row, level + 1)
                if inner:
                    lines += [f"{hashes} {spec.item_label.replace('{n}', str(number))}", ""]
                    lines += inner
        elif spec.kind == "text":
            lines += [f"{hashes} {spec.label}", ""]
            if isinstance(value, str) and value.strip():
                lines += [value.strip("\n"), ""]
    return lines


def write_folder(folder: Path, files: dict[str, str], force: bool) -> list[Path]:
    """Write the files into ``folder`` atomically; refuse to replace anything without ``force``.

    With ``force`` the folder's other source files (an earlier import's parts) are removed, so
    the folder holds exactly this import; notes beside the sources (NOTES.md, _draft.md) stay.
    """
    existing = sorted(name for name in files if (folder / name).exists())
    if existing and not force:
        raise ImportExists(
            f"{folder} already has {', '.join(existing)}; nothing was written (use --force)"
        )
    if force and folder.is_dir():
        for path in sorted(folder.iterdir()):
            generated = path.suffix in SOURCE_SUFFIXES and is_source(path.name)
            if path.is_file() and generated and path.name not in files:
                path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    mode = _file_mode()
    written = []
    for name, text in files.items():
        write_atomic(folder / name, text.encode("utf-8"))
        (folder / name).chmod(mode)  # a temporary file is private; a source is not
        written.append(folder / name)
    return written


def _file_mode() -> int:
    """Return the mode a new file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
