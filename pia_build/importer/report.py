"""IMPORT.md: what an import found doubtful, and the drift from the clause library.

The file name starts with a capital letter, so ``pia`` does not read it as a source file. It is
rewritten by every import; hand-written notes belong in NOTES.md.
"""

from __future__ import annotations

from pia_build.core.diagnostics import Diagnostic
from pia_build.forms.spec import FormSpec
from pia_build.importer.clauses import Drift
from pia_build.importer.coverage import Coverage


def render_report(
    source: str,
    form: FormSpec,
    edition: str,
    problems: list[Diagnostic],
    drift: list[Drift],
    coverage: Coverage,
) -> str:
    """Return the text of IMPORT.md."""
    lines = [
        "# Import report",
        "",
        f"Imported by `pia import` from `{source}`: {form.name}, printed edition "
        f"{edition or 'not printed'}, imported as {form.marker}. This file is rewritten by "
        "every import; keep your own notes in NOTES.md.",
        "",
        f"Coverage: {coverage.summary().removeprefix('coverage: ')}.",
        "",
        f"## Warnings ({len(problems)})",
        "",
        "Each names the line of the source text. Check these items against the published PDF.",
        "",
    ]
    lines += [f"- `{d.location}` {d.code}: {d.message}" for d in problems] or ["None."]
    lines += ["", f"## Unplaced ({len(coverage.unplaced)})", ""]
    lines += _unplaced(coverage) or ["None: every row of the input is in an item or is a label."]
    lines += ["", f"## Clause drift ({len(drift)})", ""]
    lines += _drift(drift) or ["No near matches: every standard block matched its clause."]
    return "\n".join(lines) + "\n"


def _unplaced(coverage: Coverage) -> list[str]:
    """Return the rows that went into no item, quoted with where they were printed."""
    if not coverage.unplaced:
        return []
    lines = [
        "Rows of the input that went into no item. Find each in the PDF and copy what belongs "
        "to an item by hand.",
        "",
    ]
    for line, text in coverage.unplaced:
        quoted = " ".join(text.split()).replace("`", "'")
        lines.append(f"- {coverage.place(line)} (row {line}): `{quoted}`")
    return lines


def _drift(drift: list[Drift]) -> list[str]:
    """Return the drift table: one row per block kept as local text."""
    if not drift:
        return []
    lines = [
        "Blocks that nearly match a library clause and were kept as local text. Compared after "
        "folding width, spaces, bullets and サーバ/サーバー. Use the clause if the difference is "
        "not intended.",
        "",
        "| clause | similarity | item | printed → clause |",
        "| --- | --- | --- | --- |",
    ]
    for entry in drift:
        words = "; ".join(f"「{a}」→「{b}」" for a, b in entry.differences).replace("|", "\\|")
        item = entry.item.replace("|", "\\|")
        lines.append(f"| `{entry.clause_id}` | {entry.similarity:.3f} | {item} | {words} |")
    return lines


def format_drift(drift: list[Drift]) -> str:
    """Return the drift as plain lines for the terminal."""
    return "".join(
        f"drift: {d.clause_id} {d.similarity:.3f} {d.item}: "
        + "; ".join(f"{a!r} → {b!r}" for a, b in d.differences)
        + "\n"
        for d in drift
    )
