"""Give a test project its own copy of a standard clause, declared as an override."""

from __future__ import annotations

import re
from pathlib import Path

from pia_build.source.library import PACKAGE_CLAUSES


def override_clause(root: Path, clause_id: str) -> Path:
    """Copy packaged clause ``clause_id`` into ``root``/content/clauses with ``overrides:``."""
    text = (PACKAGE_CLAUSES / f"{clause_id}.md").read_text(encoding="utf-8")
    version = re.search(r"^version: (\d+)$", text, re.M)
    assert version is not None, clause_id
    text = text.replace(version.group(0), f"{version.group(0)}\noverrides: {version.group(1)}", 1)
    target = root / "content" / "clauses" / f"{clause_id}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
