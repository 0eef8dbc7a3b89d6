"""Unit tests of the rule functions: 個人番号 check digit, しきい値判断, 和暦 dates, label matching.

Expected values are computed here independently of pia_build (the official check digit formula,
the bands of 特定個人情報保護評価指針 第5 2, the era start dates), never by calling the code under
test a second time.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from pia_build.check.rules import _required_level, check_threshold, is_personal_number
from pia_build.core.diagnostics import Location
from pia_build.core.labels import did_you_mean, label_forms, nearest, normalise, without_numbering
from pia_build.core.wareki import DateError, format_wareki, parse_date
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Block, Field, PartData

# ---------------------------------------------------------------- 個人番号


def official_check_digit(body: str) -> int:
    """Return the check digit of an 11-digit 個人番号 body.

    行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第8条:
    check digit = 11 − (Σ Pn × Qn mod 11), or 0 when the remainder is 0 or 1, where Pn is the
    n-th digit counted from the right of the 11 digits and Qn = n + 1 (1 ≤ n ≤ 6), n − 5
    (7 ≤ n ≤ 11).
    """
    assert len(body) == 11 and body.isdigit()
    total = 0
    for n in range(1, 12):
        p = int(body[11 - n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def test_check_digit_formula_on_published_sample() -> None:
    # 123456789018 is the sample number used in public explanations of the formula.
    assert official_check_digit("12345678901") == 8


@pytest.mark.parametrize(
    "number",
    ["123456789018", "000000000000", "111111111118", "987654321093", "202404011237"],
)
def test_personal_number_valid(number: str) -> None:
    assert official_check_digit(number[:11]) == int(number[11])
    assert is_personal_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "123456789010",  # wrong check digit
        "123456789019",
        "111111111111",
        "12345678901",  # 11 digits
        "1234567890188",  # 13 digits (e.g. a 法人番号 length)
        "1234 5678 9018",  # separators are the caller's business
        "12345678901a",
        "",
    ],
)
def test_personal_number_invalid(number: str) -> None:
    assert not is_personal_number(number)


def test_exactly_one_check_digit_is_valid_for_random_bodies() -> None:
    rng = random.Random(20240401)
    for _ in range(500):
        body = "".join(rng.choice("0123456789") for _ in range(11))
        valid = [d for d in range(10) if is_personal_number(body + str(d))]
        assert valid == [official_check_digit(body)], body


# ---------------------------------------------------------------- しきい値判断

# Bands in printed order, as positions of the 対象人数 option list.
BANDS = [
    "1,000人未満",
    "1,000人以上1万人未満",
    "1万人以上10万人未満",
    "10万人以上30万人未満",
    "30万人以上",
]
NONE, BASIC, FOCUSED, FULL = 0, 1, 2, 3


def guideline_level(band: int, handlers_500_or_more: bool, serious_incident: bool) -> int:
    """Return the evaluation 特定個人情報保護評価指針 第5 2 requires (0 none … 3 全項目)."""
    raised = handlers_500_or_more or serious_incident
    if band == 0:  # fewer than 1,000: no evaluation required
        return NONE
    if band == 1:  # 1,000 – 10,000: 基礎 only, whatever the other factors
        return BASIC
    if band == 2:  # 10,000 – 100,000: 基礎, or 重点 with 500+ handlers or a serious incident
        return FOCUSED if raised else BASIC
    if band == 3:  # 100,000 – 300,000: 重点, or 全項目 with either factor
        return FULL if raised else FOCUSED
    return FULL  # 300,000 or more


FACTORS = [(h, i) for h in (False, True) for i in (False, True)]


@pytest.mark.parametrize("band", range(len(BANDS)), ids=BANDS)
@pytest.mark.parametrize(
    "handlers, incident", FACTORS, ids=["none", "incident", "500+", "500+&incident"]
)
def test_required_level(band: int, handlers: bool, incident: bool) -> None:
    assert _required_level(band, handlers or incident) == guideline_level(band, handlers, incident)


def test_required_level_table() -> None:
    # The same rule written as the table of the guideline, row by row: (not raised, raised).
    table = {
        0: (NONE, NONE),
        1: (BASIC, BASIC),
        2: (BASIC, FOCUSED),
        3: (FOCUSED, FULL),
        4: (FULL, FULL),
    }
    assert {b: (_required_level(b, False), _required_level(b, True)) for b in table} == table


def _item(form: FormSpec, path: str):  # type: ignore[no-untyped-def]
    part_key, *keys = path.split(".")
    items = form.part(part_key).items
    spec = None
    for key in keys:
        spec = next(i for i in items if i.key == key)
        items = spec.children
    assert spec is not None
    return spec


@pytest.mark.parametrize("form_id", ["basic", "focused", "full"])
def test_threshold_option_order(form_id: str) -> None:
    """check_threshold reads options by position: the lists must stay in printed order."""
    form = builtin_forms()[form_id]
    population = [o.label for o in _item(form, form.threshold["population"]).options]
    assert [
        normalise(p).startswith(normalise(b)) for p, b in zip(population, BANDS, strict=True)
    ] == [True] * 5
    assert _item(form, form.threshold["handlers"]).options[0].label == "500人以上"
    assert _item(form, form.threshold["incident"]).options[0].label == "発生あり"


# The しきい値判断結果 each form should declare, by required level.
RESULTS = {
    "basic": {
        FULL: "基礎項目評価及び全項目評価の実施が義務付けられる",
        FOCUSED: "基礎項目評価及び重点項目評価の実施が義務付けられる",
        BASIC: "基礎項目評価の実施が義務付けられる",
        NONE: "特定個人情報保護評価の実施が義務付けられない",
    },
    "focused": {
        FOCUSED: "基礎項目評価及び重点項目評価の実施が義務付けられる",
        BASIC: "基礎項目評価の実施が義務付けられる(任意に重点項目評価を実施)",
        NONE: "特定個人情報保護評価の実施が義務付けられない(任意に重点項目評価を実施)",
    },
    "full": {
        FULL: "基礎項目評価及び全項目評価の実施が義務付けられる",
        FOCUSED: "基礎項目評価及び重点項目評価の実施が義務付けられる(任意に全項目評価を実施)",
        BASIC: "基礎項目評価の実施が義務付けられる(任意に全項目評価を実施)",
        NONE: "特定個人情報保護評価の実施が義務付けられない(任意に全項目評価を実施)",
    },
}


def _parts(form: FormSpec, values: dict[str, str]) -> list[PartData]:
    """Return every part of ``form``, holding ``values`` (item path → option label) only."""
    trees: dict[str, dict] = {p.key: {} for p in form.parts}
    for path, label in values.items():
        part_key, *keys = path.split(".")
        node = trees[part_key]
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = Field(Pick(label), Location(f"{part_key}.md", len(path)))

    def block(tree: dict) -> Block:
        return Block(
            {k: block(v) if isinstance(v, dict) else v for k, v in tree.items()}, Location("x", 1)
        )

    return [PartData(p, 0, block(trees[p.key]), f"{p.key}.md") for p in form.parts]


def _inputs(form: FormSpec, band: int, handlers: bool, incident: bool) -> dict[str, str]:
    population = _item(form, form.threshold["population"]).options[band].label
    return {
        form.threshold["population"]: population,
        form.threshold["handlers"]: "500人以上" if handlers else "500人未満",
        form.threshold["incident"]: "発生あり" if incident else "発生なし",
    }


CASES = [(b, h, i) for b in range(len(BANDS)) for h, i in FACTORS]


@pytest.mark.parametrize("form_id", ["basic", "focused", "full"])
@pytest.mark.parametrize("band, handlers, incident", CASES)
def test_check_threshold(form_id: str, band: int, handlers: bool, incident: bool) -> None:
    form = builtin_forms()[form_id]
    level = guideline_level(band, handlers, incident)
    inputs = _inputs(form, band, handlers, incident)
    too_low = form_id == "focused" and level == FULL
    for result in RESULTS[form_id].values():
        problems = check_threshold(form, _parts(form, {**inputs, form.threshold["result"]: result}))
        codes = [p.code for p in problems]
        if too_low:
            assert codes == ["threshold.form"]
            assert "requires a 全項目評価書, but this is a 重点項目評価書" in problems[0].message
        elif result == RESULTS[form_id][level]:
            assert codes == []
        else:
            assert codes == ["threshold.result"]
            assert f"should be '{RESULTS[form_id][level]}'" in problems[0].message


def test_check_threshold_needs_all_three_inputs() -> None:
    form = builtin_forms()["focused"]
    inputs = _inputs(form, 4, True, True)
    del inputs[form.threshold["incident"]]
    assert check_threshold(form, _parts(form, inputs)) == []


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
