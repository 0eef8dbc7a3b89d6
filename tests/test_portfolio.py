"""The portfolio: due dates computed from fixed dates, and the flags of what is behind.

Due dates follow 特定個人情報保護評価に関する規則 第15条 counted as 民法 第140条・第143条 count
a period of years (docs/portfolio.md). Every test fixes "today", so none depends on the day it runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from gitproject import EVALUATION, STAR_CHANGE, Project

from pia_build.building.portfolio import portfolio, summaries
from pia_build.cli import main
from pia_build.core.config import Config
from pia_build.core.wareki import parse_date
from pia_build.forms import builtin_forms
from pia_build.history.due import deadline, period_end, reassessment_due, submission_due, today
from pia_build.site.portfolio import portfolio_rows, threshold_state
from pia_build.site.portfolio_data import to_csv, to_json, to_table
from pia_build.site.portfolio_page import matrix, matrix_svg

MINIMAL = REPO / "tests" / "projects" / "minimal"


def d(text: str) -> dt.date:
    return parse_date(text)


# --------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("evaluated", "due"),
    [
        ("令和3年2月3日", "令和8年2月3日"),
        # era boundaries: the period runs across 平成 → 令和 (2019-05-01) as days do
        ("平成31年4月30日", "令和6年4月30日"),
        ("令和元年5月1日", "令和6年5月1日"),
        ("平成30年6月1日", "令和5年6月1日"),
        ("昭和64年1月7日", "平成6年1月7日"),
        # 29 February: the period begins 1 March and ends on the day before 1 March (民法 第143条)
        ("令和2年2月29日", "令和7年2月28日"),
        # the first counted day is 29 February; five years on it does not exist: month's end
        ("令和5年2月28日", "令和10年2月29日"),
        ("令和6年2月28日", "令和11年2月28日"),
        ("令和6年12月31日", "令和11年12月31日"),
    ],
)
def test_reassessment_falls_due_five_years_after_the_evaluation(evaluated: str, due: str) -> None:
    assert reassessment_due(d(evaluated)) == d(due)


def test_period_end_counts_whole_years_without_the_first_day() -> None:
    assert period_end(dt.date(2021, 1, 26), 1) == dt.date(2022, 1, 26)
    assert period_end(dt.date(2024, 2, 28), 1) == dt.date(2025, 2, 28)  # 2024-02-29 → 2025-02-28


def test_deadline_states_on_fixed_days() -> None:
    due = d("令和8年2月3日")
    assert deadline(due, d("令和8年2月3日")) == deadline(due, dt.date(2026, 2, 3))
    on_the_day = deadline(due, dt.date(2026, 2, 3))
    assert (on_the_day.days, on_the_day.state) == (0, "soon")
    assert deadline(due, dt.date(2026, 2, 4)).state == "overdue"
    assert deadline(due, dt.date(2026, 2, 4)).days == -1
    assert deadline(due, dt.date(2025, 8, 7)).state == "soon"  # 180 days before
    assert deadline(due, dt.date(2025, 8, 6)).state == "ok"
    assert deadline(None, dt.date(2026, 1, 1)).state == "unknown"


def test_changes_are_due_before_an_important_change_and_on_any_other() -> None:
    assert submission_due(dt.date(2025, 10, 1), important=True) == dt.date(2025, 9, 30)
    assert submission_due(dt.date(2025, 10, 1), important=False) == dt.date(2025, 10, 1)
    assert submission_due(None, important=True) is None


def test_today_is_the_build_epoch_day_in_japan() -> None:
    # 2025-03-31 15:00 UTC is already 2025-04-01 in Japan
    assert today(int(dt.datetime(2025, 3, 31, 15, tzinfo=dt.UTC).timestamp())) == dt.date(
        2025, 4, 1
    )


# --------------------------------------------------------------------------- fixture evaluations


def project(tmp_path: Path, **covers: tuple[str, str, str]) -> Config:
    """Copies of the minimal evaluation, each with (状態, 公表日, ①実施日); '' leaves it blank."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL / "content", root / "content")
    source = root / EVALUATION
    for name, (status, published, implemented) in covers.items():
        folder = root / "content" / "evaluations" / name
        shutil.copytree(source, folder)
        cover = folder / "evaluation.md"
        text = cover.read_text(encoding="utf-8").replace("状態: 公表", f"状態: {status}")
        text = re.sub(r"公表日: .*", f"公表日: {published}", text)
        text = text.replace("評価書名: 見本市 見本事務", f"評価書名: {name}")
        cover.write_text(text, encoding="utf-8")
        procedure = folder / "5-procedure.md"
        text = procedure.read_text(encoding="utf-8")
        text = text.replace("①実施日: 令和7年3月1日", f"①実施日: {implemented}")
        procedure.write_text(text, encoding="utf-8")
    shutil.rmtree(source)
    return Config(root, root / "output")


@pytest.fixture
def dated(tmp_path: Path) -> Config:
    return project(
        tmp_path,
        heisei=("公表", "平成31年4月30日", "平成31年4月26日"),
        reiwa=("公表", "令和元年5月7日", ""),
        draft=("案", "", "令和7年3月1日"),
        leap=("公表", "令和2年3月2日", "令和2年2月29日"),
    )


def test_due_dates_and_overdue_flags_of_fixture_evaluations(dated: Config) -> None:
    rows, day = portfolio(dated, dt.date(2024, 4, 30))
    assert day == dt.date(2024, 4, 30)
    found = {r.id: (r.evaluated, r.reassessment.due, r.reassessment.days) for r in rows}
    assert found == {
        # ①実施日 is the date of the 評価; 公表日 follows it
        "heisei": (d("平成31年4月26日"), d("令和6年4月26日"), -4),
        # no ①実施日: the 公表日 stands for it
        "reiwa": (d("令和元年5月7日"), d("令和6年5月7日"), 7),
        # 公表日 missing: never published, so no 再実施 falls due yet
        "draft": (d("令和7年3月1日"), None, None),
        "leap": (d("令和2年2月29日"), d("令和7年2月28日"), 304),
    }
    states = {r.id: r.reassessment.state for r in rows}
    assert states == {"heisei": "overdue", "reiwa": "soon", "draft": "unknown", "leap": "ok"}
    flags = {r.id: r.flags for r in rows}
    assert flags["heisei"] == ("再実施期限超過",)
    assert flags["reiwa"] == ("再実施期限間近",)
    assert flags["draft"] == ()
    # a day later the evaluation of 令和元年 is still not overdue, that of 平成31年 is by 5 days
    later = {r.id: r.reassessment.days for r in portfolio(dated, dt.date(2024, 5, 1))[0]}
    assert later["heisei"] == -5 and later["reiwa"] == 6


def test_outputs_carry_the_same_dates(dated: Config) -> None:
    rows, day = portfolio(dated, dt.date(2024, 4, 30))
    data = json.loads(to_json(rows, day))
    assert data["as_of"] == "2024-04-30"
    heisei = next(e for e in data["evaluations"] if e["id"] == "heisei")
    assert (heisei["reassessment_due"], heisei["days_left"]) == ("2024-04-26", -4)
    assert heisei["reassessment_state"] == "overdue"
    draft = next(e for e in data["evaluations"] if e["id"] == "draft")
    assert (draft["published"], draft["reassessment_due"]) == (None, None)
    lines = to_csv(rows).splitlines()
    assert lines[0].startswith("id,評価書名,様式,状態,公表日,評価実施日,再実施期限,残日数")
    heisei_line = "heisei,heisei 重点項目評価書,重点項目評価書 令和6年10月,公表,2019-04-30,2019-04-26,2024-04-26,-4,"
    assert any(line.startswith(heisei_line) for line in lines)
    table = to_table(rows, day)
    assert table.startswith("令和6年4月30日現在（4件）\n")
    assert "heisei 重点項目評価書: 再実施期限超過" in table


def test_cli_prints_the_portfolio(dated: Config, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--root", str(dated.root), "portfolio", "--date", "2024-04-30", "--format", "json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["as_of"] == "2024-04-30"
    assert main(["--root", str(dated.root), "portfolio", "--date", "30 April"]) == 2
    assert "is not a date" in capsys.readouterr().err


# --------------------------------------------------------------------------- what is behind


def test_flags_an_unpublished_star_change_an_old_clause_and_an_earlier_edition(
    tmp_path: Path,
) -> None:
    made = Project(tmp_path)
    assert made.publish().tag == "pia/minimal/2025-04-01"
    made.edit(f"{EVALUATION}/2-file-1.md", *STAR_CHANGE)
    made.write(
        f"{EVALUATION}/changes.yml",
        "変更:\n  - 項目: II-3 ①入手元\n    提出時期: 事前\n    変更日: 令和7年10月1日\n",
    )
    clause = "content/clauses/chukan-pf/storage.md"
    made.edit(clause, "version: 1\n", "version: 2\n")
    made.edit(
        clause,
        "params:\n",
        "  - version: 2\n    date: 2025-06-01\n    提出時期: 事後\n"
        "    提出時期に係る説明: 標準記載の改訂であり、重要な変更には該当しない\nparams:\n",
    )
    made.edit(
        clause, "バックアップもデータベース上に保存される。", "バックアップは別の場所に保存される。"
    )
    made.commit("a ※ change and a new clause version, not yet published")
    newer = dataclasses.replace(builtin_forms()["focused"], edition="令和8年4月")
    rows, _ = portfolio(made.config, dt.date(2025, 9, 1), [*builtin_forms().values(), newer])
    (row,) = rows
    assert [(c.item, c.important, c.date, c.due) for c in row.important_changes] == [
        ("II-3 ①入手元", True, dt.date(2025, 10, 1), dt.date(2025, 9, 30))
    ]
    assert len(row.changes) == 2  # the ※ change and the item the clause changed
    assert row.old_clauses == ({"id": "chukan-pf/storage", "used": 1, "current": 2},)
    assert (row.edition, row.latest_edition, row.edition_behind) == (
        "令和6年10月",
        "令和8年4月",
        True,
    )
    assert row.flags == (
        "未提出の重要な変更 1件",
        "旧版の標準記載 1件",
        "様式の版が古い（最新 令和8年4月）",
    )
    assert row.next_submission == dt.date(2025, 9, 30)
    current, _ = portfolio(made.config, dt.date(2025, 9, 1))
    assert not current[0].edition_behind


def test_nothing_is_flagged_for_a_published_evaluation_without_changes(tmp_path: Path) -> None:
    made = Project(tmp_path)
    made.publish()
    (row,) = portfolio(made.config, dt.date(2025, 9, 1))[0]
    assert (row.changes, row.old_clauses, row.flags) == ((), (), ())
    assert row.reassessment.due == d("令和12年3月1日")


def facts(form: str, population: str, result: str, **more: str) -> dict:
    return {
        "form_id": form,
        "org": "mihon",
        "affair": "見本事務",
        "population": population,
        "handlers": "500人未満",
        "incident": "発生なし",
        "result": result,
        **more,
    }


def test_threshold_is_compared_with_the_bodys_basic_evaluation() -> None:
    forms = list(builtin_forms().values())
    focused = facts(
        "focused", "10万人以上30万人未満", "基礎項目評価及び重点項目評価の実施が義務付けられる"
    )
    agreeing = facts(
        "basic", "10万人以上30万人未満", "基礎項目評価及び重点項目評価の実施が義務付けられる"
    )
    other = facts("basic", "30万人以上", "基礎項目評価及び全項目評価の実施が義務付けられる")
    basic = [{"portfolio": agreeing}]
    assert threshold_state(focused, basic, forms) == "一致"
    assert (
        threshold_state(focused, [{"portfolio": other}], forms)
        == "不一致: 対象人数、しきい値判断結果"
    )
    assert threshold_state(focused, [], forms) == "照合先なし"
    elsewhere = {**agreeing, "affair": "別の事務"}
    assert threshold_state(focused, [{"portfolio": elsewhere}], forms) == "照合先なし"
    assert threshold_state(agreeing, basic, forms) == "—"


def test_an_issue_left_in_a_risk_is_flagged_and_leads_its_category(dated: Config) -> None:
    found = summaries(dated)
    answers = found[0]["risks"]
    assert answers and {a["answer"] for a in answers} <= {
        "十分である",
        "特に力を入れている",
        "未記入",
    }
    use = next(a for a in answers if a["category"] == "use")
    use["answer"] = "課題が残されている"
    rows = portfolio_rows(found, dt.date(2024, 4, 30))
    row = next(r for r in rows if r.id == found[0]["id"])
    assert "課題が残されているリスクあり" in row.flags
    assert row.worst_in("use") == "課題が残されている"
    assert row.worst_in("acquisition") == "十分である"
    assert row.risk_counts["課題が残されている"] == 1
    columns, grid = matrix(rows)
    assert columns[1] == "使用" and dict(grid)[row.name][1] == "課題が残されている"
    assert "△" in matrix_svg(rows)
