"""Unit tests of 和暦 dates and label matching.

Expected values are computed here independently of pia_build (the era start dates), never by
calling the code under test a second time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pia_build.core.labels import did_you_mean, label_forms, nearest, normalise, without_numbering
from pia_build.core.wareki import DateError, format_wareki, parse_date

# ---------------------------------------------------------------- 和暦


@pytest.mark.parametrize(
    "text, date",
    [
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("令和1年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("昭和64年1月7日", dt.date(1989, 1, 7)),
        ("昭和元年12月25日", dt.date(1926, 12, 25)),
        ("令和3年1月26日", dt.date(2021, 1, 26)),
        ("令和３年１月２６日", dt.date(2021, 1, 26)),  # full-width digits
        ("令和3年 1月 26日", dt.date(2021, 1, 26)),
        ("令和6年2月29日", dt.date(2024, 2, 29)),  # leap day
        ("2021-01-26", dt.date(2021, 1, 26)),
        ("2021-1-26", dt.date(2021, 1, 26)),
        ("2021年1月26日", dt.date(2021, 1, 26)),
        ("2021/1/26", dt.date(2021, 1, 26)),
        (dt.date(2021, 1, 26), dt.date(2021, 1, 26)),  # YAML reads 2021-01-26 as a date
        (dt.datetime(2021, 1, 26, 9, 30), dt.date(2021, 1, 26)),
    ],
)
def test_parse_date(text: object, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    "text, reason",
    [
        ("令和元年4月30日", "outside the 令和 era"),  # the day before 令和 began
        ("平成31年5月1日", "outside the 平成 era"),  # the day 平成 had ended
        ("平成32年4月1日", "outside the 平成 era"),
        ("平成元年1月7日", "outside the 平成 era"),
        ("昭和64年1月8日", "outside the 昭和 era"),
        ("令和0年5月1日", "outside the 令和 era"),
        ("令和3年2月30日", "not a day of the calendar"),
        ("令和5年2月29日", "not a day of the calendar"),  # 2023 is no leap year
        ("令和3年13月1日", "not a day of the calendar"),
        ("2021-02-30", "not a day of the calendar"),
        ("明治45年7月30日", "is not a date"),  # eras before 昭和 are not supported
        ("来年4月", "is not a date"),
        ("", "is not a date"),
    ],
)
def test_parse_date_invalid(text: str, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert reason in str(caught.value)
    assert f"'{text}'" in str(caught.value)


@pytest.mark.parametrize(
    "date, text",
    [
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(2021, 1, 26), "令和3年1月26日"),
    ],
)
def test_format_wareki(date: dt.date, text: str) -> None:
    assert format_wareki(date) == text


def test_format_before_showa_falls_back_to_seireki() -> None:
    assert format_wareki(dt.date(1926, 12, 24)) == "1926年12月24日"


def test_wareki_round_trip() -> None:
    day = dt.date(1926, 12, 25)
    while day < dt.date(2031, 1, 1):
        assert parse_date(format_wareki(day)) == day
        day += dt.timedelta(days=13)


# ---------------------------------------------------------------- labels


@pytest.mark.parametrize(
    "a, b",
    [
        ("③ 対象人数", "③対象人数"),
        ("③対象人数 ※", "③対象人数"),
        ("保管場所※(7. ②を除く。)", "保管場所"),
        ("ＡＢＣ　１２", "ABC12"),  # width and the ideographic space
        (
            "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
            "特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)",
        ),
        ("1. 特定個人情報ファイル名", "1.特定個人情報ファイル名"),
    ],
)
def test_normalise_equal(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("①事務の名称", "②事務の名称"),
        ("10万人以上30万人", "10万人以上30万人未満"),
        ("再委託する", "再委託しない"),
    ],
)
def test_normalise_different(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


@pytest.mark.parametrize(
    "label, bare",
    [
        ("①事務の名称", "事務の名称"),
        ("⑳その他", "その他"),
        ("1. 特定個人情報ファイル名", "特定個人情報ファイル名"),
        ("１．特定個人情報ファイル名", "特定個人情報ファイル名"),
        ("10. その他のリスク対策", "その他のリスク対策"),
        ("(1) 入手", "入手"),
        ("（1）入手", "入手"),
        ("（別添1）特定個人情報ファイル記録項目", "特定個人情報ファイル記録項目"),
        ("(別紙2)変更箇所", "変更箇所"),
        ("Ⅱ 特定個人情報ファイルの概要", "特定個人情報ファイルの概要"),
        ("Ⅳ開示請求、問合せ", "開示請求、問合せ"),
        ("IV 開示請求、問合せ", "開示請求、問合せ"),
        ("II 3.①入手元", "3.①入手元"),  # one level only
        # not numbering
        ("事務の名称", "事務の名称"),
        ("10万人以上30万人未満", "10万人以上30万人未満"),
        ("1,000人未満", "1,000人未満"),
        ("4情報(氏名、性別、生年月日、住所)", "4情報(氏名、性別、生年月日、住所)"),
        ("VPN接続", "VPN接続"),
    ],
)
def test_without_numbering(label: str, bare: str) -> None:
    assert without_numbering(label) == bare


def test_label_forms() -> None:
    assert label_forms("①事務の名称", "name") == {normalise("①事務の名称"), "事務の名称", "name"}
    # 「リスク1：…」 may be addressed by its head 「リスク1」
    assert "リスク1" in label_forms(
        "リスク1：目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク"
    )


POPULATION = ["1,000人未満", "1,000人以上1万人未満", "1万人以上10万人未満", "10万人以上30万人未満"]


@pytest.mark.parametrize(
    "text, candidates, best",
    [
        ("事務の明称", ["①事務の名称", "②事務の内容", "③対象人数"], "①事務の名称"),
        ("①事務の明称", ["①事務の名称", "②事務の内容", "③対象人数"], "①事務の名称"),
        ("②事務の内訳", ["①事務の名称", "②事務の内容", "③対象人数"], "②事務の内容"),
        ("10万人以上30万人", POPULATION, "10万人以上30万人未満"),
        ("１万人以上１０万人未満", POPULATION, "1万人以上10万人未満"),
        (
            "chukan-pf/storag",
            ["chukan-pf/storage", "chukan-pf/audit", "gov-cloud/storage"],
            "chukan-pf/storage",
        ),
        ("pf_entry_controll", ["pf_entry_control"], "pf_entry_control"),
        ("mihom", ["chiba", "kawaguchi", "mihon", "sapporo"], "mihon"),
        ("まったく別の文", ["①事務の名称", "②事務の内容"], None),
        ("事務の名称", [], None),
    ],
)
def test_nearest(text: str, candidates: list[str], best: str | None) -> None:
    assert nearest(text, candidates) == best


def test_nearest_returns_the_candidate_as_written() -> None:
    # Matching ignores numbering and width, but the hint shows the printed label.
    assert nearest("事務の名称", ["①事務の名称"]) == "①事務の名称"


def test_did_you_mean() -> None:
    assert did_you_mean("事務の明称", ["①事務の名称"]) == "; did you mean '①事務の名称'?"
    assert did_you_mean("まったく別の文", ["①事務の名称"]) == ""
