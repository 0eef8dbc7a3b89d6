"""pia init --vscode: the schemas of pia schema, VS Code settings that use them, and a
pia check --watch task whose problem matcher reads every line of --format gcc."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pia_build.cli import main
from pia_build.core.diagnostics import Diagnostic, Location, format_gcc

FLAGS = ["--org-id", "chiba", "--body-name", "千葉市", "--org-name", "千葉市長", "--vscode"]


def test_init_wires_the_schemas_and_the_check_task(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert main(["init", str(root), *FLAGS]) == 0
    settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema, globs in settings["yaml.schemas"].items():
        assert (root / schema).is_file(), schema
        assert globs == ["content/evaluations/*/history.yml"]
    tasks = json.loads((root / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    check = next(t for t in tasks if t["label"] == "pia check --watch")
    assert check["command"] == "pia check --watch --format gcc"
    matcher = check["problemMatcher"]
    pattern = re.compile(matcher["pattern"]["regexp"])  # VS Code's regexps read the same here
    rows = [
        Diagnostic("form.choice", "error", Location("content/evaluations/a/1-basic.md", 4), "x: y"),
        Diagnostic("file.note", "warning", Location("content/orgs/a.yml", 0), "note [1]"),
    ]
    for line in format_gcc(rows).splitlines():
        found = pattern.match(line)
        assert found, line
        groups = matcher["pattern"]
        assert found.group(groups["severity"]) in ("error", "warning")
        assert found.group(groups["file"]).startswith("content/")
    assert (
        found.group(groups["code"]) == "file.note" and found.group(groups["message"]) == "note [1]"
    )
    assert re.match(matcher["background"]["beginsPattern"], "pia check: checking")
    assert re.match(matcher["background"]["endsPattern"], "pia: check failed in 0.12 s")


def test_without_vscode_nothing_of_it_is_written(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "p"), *FLAGS[:-1]]) == 0
    assert not (tmp_path / "p" / ".vscode").exists() and not (tmp_path / "p" / "schemas").exists()
