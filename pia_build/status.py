"""``pia status``: how far each evaluation is written, per part, as a table or JSON.

Counts the form's value items (sections and repeated groups are counted through their items):
filled, empty, and required-but-empty (the ``form.missing`` errors ``pia check`` gives for the
part), with the errors and warnings of each file on the row of the file's first part.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from pia_build.building.checking import selected_folders
from pia_build.check.folder import check_folder
from pia_build.check.validate import validate_part
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic, Location
from pia_build.core.i18n import Language
from pia_build.core.labels import display_width
from pia_build.forms.spec import ItemSpec
from pia_build.source.clauses import load_library
from pia_build.source.orgs import load_orgs
from pia_build.source.shapes import Block, Entry, Field, PartData, Rows


@dataclass(frozen=True)
class PartStatus:
    """Progress of one part of one evaluation."""

    evaluation: str
    part: str
    file: str
    filled: int
    empty: int
    required_empty: int
    errors: int
    warnings: int


def status(config: Config, only: Sequence[str] = ()) -> list[PartStatus]:
    """Return one row per part of every evaluation (or of the named ones)."""
    library, _ = load_library(config.content, config.root)
    orgs, _ = load_orgs(config.content, config.root)
    rows: list[PartStatus] = []
    for folder in selected_folders(config, only):
        evaluation_id, evaluation, problems = check_folder(folder, config.root, library, orgs)
        if evaluation is None:
            errors = sum(p.severity == "error" for p in problems)
            rows.append(
                PartStatus(evaluation_id, "-", "-", 0, 0, 0, errors, len(problems) - errors)
            )
            continue
        seen: set[str] = set()
        for part in evaluation.parts:
            rows.append(_part_status(evaluation_id, part, problems, part.path not in seen))
            seen.add(part.path)
    return rows


def _part_status(
    evaluation: str, part: PartData, problems: list[Diagnostic], first: bool
) -> PartStatus:
    """Count one part's items; the file's errors and warnings go on its first part's row."""
    filled, empty = _count(part.spec.items, part.block) if part.present else (0, 0)
    mine = [p for p in problems if p.location.path == part.path] if first else []
    label = part.spec.label + (f" ({part.number})" if part.number else "")
    return PartStatus(
        evaluation,
        label,
        part.path.rsplit("/", 1)[-1],
        filled,
        empty,
        sum(p.code == "form.missing" for p in validate_part(part)),
        sum(p.severity == "error" for p in mine),
        sum(p.severity == "warning" for p in mine),
    )


def _count(items: tuple[ItemSpec, ...], block: Block) -> tuple[int, int]:
    """Return (filled, empty) value items below ``block``."""
    filled = empty = 0
    for spec in items:
        entry = block.entries.get(spec.key)
        if spec.kind == "section":
            inner = _count(
                spec.children, entry if isinstance(entry, Block) else Block({}, block.location)
            )
        elif spec.kind == "group":
            inner = _count_rows(spec, entry)
        else:
            inner = (1, 0) if _has_value(entry) else (0, 1)
        filled, empty = filled + inner[0], empty + inner[1]
    return filled, empty


def _count_rows(spec: ItemSpec, entry: Entry | None) -> tuple[int, int]:
    """Return (filled, empty) over every row of a group (an unwritten group counts one row)."""
    rows = entry.rows if isinstance(entry, Rows) and entry.rows else (Block({}, Location("")),)
    totals = [_count(spec.children, row) for row in rows]
    return sum(t[0] for t in totals), sum(t[1] for t in totals)


def _has_value(entry: Entry | None) -> bool:
    """Return True when an item holds a value (an unchecked box counts as answered)."""
    return isinstance(entry, Field) and entry.value not in (None, "", ())


HEADERS = {
    "en": ("evaluation", "part", "file", "filled", "empty", "required", "errors", "warnings"),
    "ja": ("評価書", "部", "ファイル", "記入済", "未記入", "必須未記入", "エラー", "警告"),
}


def format_status(rows: list[PartStatus], fmt: str, lang: Language) -> str:
    """Return the rows as an aligned text table or as JSON."""
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    table = [HEADERS[lang]] + [tuple(str(v) for v in asdict(r).values()) for r in rows]
    widths = [max(display_width(line[i]) for line in table) for i in range(len(table[0]))]
    lines = []
    for line in table:
        cells = [
            _pad(cell, width, i >= 3)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _pad(text: str, width: int, right: bool) -> str:
    """Pad text to a display width, numbers to the right."""
    space = " " * (width - display_width(text))
    return space + text if right else text + space
