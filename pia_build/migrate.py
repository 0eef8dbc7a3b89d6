"""Move an evaluation to another edition of its 様式 (``pia migrate ID --to EDITION``).

Items are matched by their key path in the two definitions: an item whose label changed is
renamed where the author wrote it (YAML key or Markdown heading), every answer is carried as it
is, and 様式の版 on the cover names the new edition. What cannot be carried is listed with
file:line, as warnings: an item the new edition adds (it needs a new answer), an answered item
the new edition no longer has, an answer that is no longer an option. Nothing else is touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.core.labels import normalise
from pia_build.forms import editions, find_form
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.forms.types import Pick
from pia_build.source.bind import bind_document, declared_form
from pia_build.source.loader import load_evaluation
from pia_build.source.shapes import Block, Entry, Field, PartData, Rows

Path_ = tuple[str, ...]
_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)(.+?)(\s*:(?:\s.*)?)$")
_HEADING_LINE = re.compile(r"^(#{1,6}[ \t]+)(.+?)([ \t#]*)$")
EDITION_LINE = re.compile(r"^(様式の版|edition)\s*:.*$", re.MULTILINE)
FORM_LINE = re.compile(r"^(様式|form)\s*:.*$", re.MULTILINE)


class MigrateError(Exception):
    """The evaluation cannot be migrated: unknown id or edition, or its form cannot be read."""


@dataclass(frozen=True)
class Migration:
    """What ``pia migrate`` did: the files it rewrote and what needs the author."""

    edition: str
    """The edition the evaluation is on now."""
    written: tuple[Path, ...]
    """Files rewritten."""
    notes: tuple[Diagnostic, ...]
    """Items that need a new answer or a decision, with file:line."""


def migrate(config: Config, ident: str, edition: str) -> Migration:
    """Move evaluation ``ident`` to ``edition`` of its form; rewrite its files in place."""
    folder = config.content / "evaluations" / ident
    if not folder.is_dir():
        raise MigrateError(f"no evaluation '{ident}' in {folder.parent}")
    doc, _ = load_evaluation(folder, config.root)
    source, problems = declared_form(doc)
    if source is None or problems:
        raise MigrateError("; ".join(d.render() for d in problems))
    target = find_form(source.id, edition)
    if target is None:
        known = ", ".join(editions(source.id))
        raise MigrateError(f"'{edition}' is not an edition of the {source.name}; editions: {known}")
    parts, _ = bind_document(doc, source)
    renames = _renames(source, target)
    written = [p for p in _rewrite(folder, renames, target.edition) if p]
    notes = list(_added(source, target, parts)) + list(_dropped(source, target, parts))
    return Migration(target.edition, tuple(written), tuple(notes))


# ----------------------------------------------------------------------- item paths


def item_paths(form: FormSpec) -> dict[Path_, ItemSpec]:
    """Return every item of ``form`` by key path (part key first), in printed order."""
    found: dict[Path_, ItemSpec] = {}

    def walk(items: tuple[ItemSpec, ...], prefix: Path_) -> None:
        for item in items:
            found[(*prefix, item.key)] = item
            if item.kind in ("section", "group"):
                walk(item.children, (*prefix, item.key))

    for part in form.parts:
        walk(part.items, (part.key,))
    return found


def _renames(source: FormSpec, target: FormSpec) -> dict[str, str]:
    """Return normalised old label → new label for items whose printed label changed."""
    new = item_paths(target)
    return {
        normalise(item.label): new[path].label
        for path, item in item_paths(source).items()
        if path in new and new[path].label != item.label
    }


# ----------------------------------------------------------------------- rewriting


def _rewrite(folder: Path, renames: dict[str, str], edition: str) -> Iterator[Path | None]:
    """Rewrite renamed labels in every source file and the edition on the cover."""
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".md", ".yml", ".yaml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        lines = [_renamed(line, renames) for line in text.split("\n")]
        new = "\n".join(lines)
        if path.name == "evaluation.md":
            new = _with_edition(new, edition)
        if new != text:
            path.write_text(new, encoding="utf-8")
            yield path
        yield None


def _with_edition(cover: str, edition: str) -> str:
    """Return the cover with 様式の版 set to ``edition`` (added after 様式 when missing)."""
    if EDITION_LINE.search(cover):
        return EDITION_LINE.sub(lambda m: f"{m.group(1)}: {edition}", cover, count=1)
    return FORM_LINE.sub(lambda m: f"{m.group(0)}\n様式の版: {edition}", cover, count=1)


def _renamed(line: str, renames: dict[str, str]) -> str:
    """Return a YAML key or Markdown heading line with a renamed label replaced."""
    for pattern in (_HEADING_LINE, _KEY_LINE):
        match = pattern.match(line)
        if match and normalise(match.group(2)) in renames:
            return match.group(1) + renames[normalise(match.group(2))] + match.group(3)
    return line


# ----------------------------------------------------------------------- notes


def _added(source: FormSpec, target: FormSpec, parts: list[PartData]) -> Iterator[Diagnostic]:
    """Report each item the target edition adds, once per part instance, where it goes."""
    old = item_paths(source)
    paths = list(item_paths(target))
    for index, path in enumerate(paths):
        if path in old or path[:-1] in {p for p in paths if p not in old}:
            continue
        item = item_paths(target)[path]
        before = next((p for p in reversed(paths[:index]) if p in old), path[:1])
        for part in (p for p in parts if p.spec.key == path[0]):
            where = _location(part, path[1:-1]) or part.block.location
            message = (
                f"{item.label}: new in the {target.edition} edition; it needs an answer "
                f"(after {old[before].label if before in old else part.spec.label})"
            )
            yield warning("migrate.new_item", where, message)


def _dropped(source: FormSpec, target: FormSpec, parts: list[PartData]) -> Iterator[Diagnostic]:
    """Report answered items the target edition no longer has, or whose answer is no option."""
    new = item_paths(target)
    for path, item in item_paths(source).items():
        for part in (p for p in parts if p.spec.key == path[0]):
            entry = _entry(part.block, path[1:])
            if not isinstance(entry, Field) or entry.value is None:
                continue
            if path not in new:
                message = f"{item.label}: not on the {target.edition} edition; move or remove it"
                yield warning("migrate.dropped_item", entry.location, message)
            elif not _still_an_option(entry.value, new[path]):
                message = (
                    f"{item.label}: the answer is not an option of the {target.edition} edition"
                )
                yield warning("migrate.new_answer", entry.location, message)


def _still_an_option(value: object, item: ItemSpec) -> bool:
    """Return True unless a chosen option is missing from the item's options."""
    picks = value if isinstance(value, tuple) else (value,)
    labels = {o.label for o in item.options}
    return all(p.label in labels for p in picks if isinstance(p, Pick))


def _entry(block: Block, keys: Path_) -> Entry | None:
    """Return the value at ``keys`` below ``block`` (first row of a group)."""
    entry: Entry | None = block
    for key in keys:
        if isinstance(entry, Rows):
            entry = entry.rows[0] if entry.rows else None
        if not isinstance(entry, Block):
            return None
        entry = entry.entries.get(key)
    return entry


def _location(part: PartData, keys: Path_) -> Location | None:
    """Return where the item at ``keys`` (or its nearest written parent) was written."""
    while keys:
        entry = _entry(part.block, keys)
        if isinstance(entry, (Field, Block)):
            return entry.location
        if isinstance(entry, Rows):
            return entry.location
        keys = keys[:-1]
    return None
