"""Acceptance: 札幌市's 変更箇所 annex (seed 004) regenerated from two published versions in git.

The evaluation is the repository's 全項目評価書 example (mihon-jumin), reduced to one file, with
the items of the seed's rows holding the seed's 変更前 text; it is published, then the same items
get the 変更後 text with changes.yml giving each row's 提出時期 and 説明, and it is published
again. The generated annex must have one row per row of the seed table, in the same order, with
the same 項目, 変更前, 変更後, 変更日, 提出時期 and 説明, compared without whitespace and HTML.

Where the seed differs from what any generator can print, the difference is listed in
tests/sapporo.py with its reason (SEED_ITEMS, SEED_ABBREVIATIONS, ABRIDGED), never hidden in the
normalisation.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO
from sapporo import (
    ABRIDGED,
    EVALUATION,
    SEED,
    V1,
    V2,
    as_seed_prints,
    files,
    generated_path,
    seed_rows,
    squash,
    submissions,
    version,
)

from pia_build.assemble.document import assemble
from pia_build.check.shapes import Evaluation
from pia_build.core.config import Config
from pia_build.core.diagnostics import ordered
from pia_build.core.wareki import parse_date
from pia_build.history.annex import with_history
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import history, load_snapshots
from pia_build.publish import publish
from pia_build.render import html

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="needs seed 004 (札幌市 変更箇所)")

# --------------------------------------------------------------------------- the test


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def write_version(root: Path, parts: dict, published: dt.date, changes: str = "") -> None:
    folder = root / "content" / "evaluations" / EVALUATION
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files(parts, published):
        (folder / name).write_text(text, encoding="utf-8")
    if changes:
        (folder / "changes.yml").write_text(changes, encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, list[dict[str, str]]]:
    """Publish the 変更前 version, then the 変更後 version, in a new repository."""
    root = tmp_path_factory.mktemp("sapporo")
    for folder in ("orgs",):  # the standard clauses come with the package
        shutil.copytree(REPO / "content" / folder, root / "content" / folder)
    git(root, "init", "-q", "-b", "main")
    for key, value in (
        ("user.name", "札幌 花子"),
        ("user.email", "a@example.com"),
        ("tag.gpgsign", "false"),
        ("commit.gpgsign", "false"),
    ):
        git(root, "config", key, value)
    config, rows = Config(root), seed_rows()
    for side, date, changes in (("before", V1, ""), ("after", V2, submissions(rows))):
        write_version(root, version(rows, side), date, changes)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", side)
        result = publish(config, EVALUATION)
        assert [d.render() for d in ordered(result.diagnostics)] == []
        assert result.tag == f"pia/{EVALUATION}/{date.isoformat()}"
    return config, rows


def test_the_annex_has_one_row_per_row_of_the_seed(
    published: tuple[Config, list[dict[str, str]]],
) -> None:
    config, seed = published
    rows = history(config)[EVALUATION]
    assert len(seed) == 36
    assert [r.item for r in rows] == [generated_path(s["item"]) for s in seed]
    for row, expected in zip(rows, seed, strict=True):
        assert row.date == parse_date(expected["date"]), row.item
        assert (row.timing, squash(row.reason)) == (expected["timing"], squash(expected["reason"]))
        assert squash(as_seed_prints(row.after)) == squash(expected["after"]), row.item
        if row.item in ABRIDGED:
            assert_in_order(squash(row.before), expected["before"].split("リスク")[1:])
        else:
            assert squash(as_seed_prints(row.before)) == squash(expected["before"]), row.item


def assert_in_order(text: str, parts: list[str]) -> None:
    """Assert that each part (a risk heading) appears in ``text`` after the previous one."""
    at = 0
    for part in parts:
        at = text.index(squash("リスク" + part), at) + 1


def test_the_rows_are_kinds_and_stars_of_the_form(
    published: tuple[Config, list[dict[str, str]]],
) -> None:
    config, _ = published
    rows = {r.item: r for r in history(config)[EVALUATION]}
    assert rows["II-5 提供先2"].kind == "removed" and rows["II-5 提供先2"].after == "項目ごと削除"
    assert rows["III-5"].after == "[○] 提供・移転しない"
    stars = {item for item, r in rows.items() if r.star}
    assert {
        "I-1 ②事務の内容",
        "I-5",
        "II-3 ⑦使用の主体 使用部署",
        "II-6 ①保管場所",
        "III-5",
        "IV-3",
    } <= stars
    assert not stars & {
        "I-7 ①部署",
        "II-3 ②入手方法",
        "II-4 委託事項2",
        "V-2 ①連絡先",
        "II-5 提供先2",
    }


def test_imported_rows_come_first_in_the_printed_annex(
    published: tuple[Config, list[dict[str, str]]],
) -> None:
    config, seed = published
    evaluation: Evaluation = load_snapshots(config.root, [EVALUATION])[EVALUATION].evaluation
    records: list[ChangeRecord] = history(config)[EVALUATION]
    doc = assemble(with_history(evaluation, records))
    (annex,) = [p for p in doc.parts if p.key == "changes"]
    (table,) = [
        r.display for r in annex.rows if r.display is not None and r.display.kind == "table"
    ]
    assert [cells[1].text for cells in table.rows[:3]] == [
        "Ⅰ 基本情報 7. ②所属長の役職名",
        "Ⅱ (1) 6. ①保管場所",
        "Ⅵ 3. ①実施日",
    ]
    assert [cells[1].text for cells in table.rows[3:]] == [r.item for r in records]
    page = html.render(doc, REPO / "layouts").decode("utf-8")
    assert "II-3 ⑦使用の主体 使用部署" in page and "タブレット端末の運用終了" in page
