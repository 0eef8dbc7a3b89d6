"""Unit tests of the rule functions: 個人番号 check digit and しきい値判断.

Expected values are computed here independently of pia_build (the official check digit formula,
the bands of 特定個人情報保護評価指針 第5 2), never by calling the code under test a second time.
"""

from __future__ import annotations

import random

import pytest

from pia_build.check.rules import _required_level, check_threshold, is_personal_number
from pia_build.core.diagnostics import Location
from pia_build.core.labels import normalise
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
