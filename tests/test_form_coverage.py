"""Coverage and sanity checks for the official form definitions in pia_build/forms/.

The definitions are read with PyYAML only; nothing from pia_build is imported, so these tests
hold the data to docs/forms.md even while the loader changes. Two families:

* sanity (every form): the schema of docs/forms.md, unique keys, known kinds, resolvable
  `choices`, `when`, `rows_of`, `option_rows`, `star_except` and `threshold` references;
* coverage (forms with a seed): every label printed in a published document of that form is an
  item or part label of the definition, ※ in the seed is a star in the definition, and every
  option of a printed choice list is printed in the seed.

To add a form, append its file stem to FORMS; to add a seed, add a SeedCase to SEEDS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
FORMS_DIR = REPO / "pia_build" / "forms"
SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
SHARED_SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"

FORMS = ["focused-r6", "basic-r6", "full-r6"]

KINDS = frozenset("section group line text date integer choice multi flag list table".split())
CONTAINER_KINDS = frozenset({"section", "group"})
CHOICE_KINDS = frozenset({"choice", "multi"})
COLUMN_KINDS = KINDS - CONTAINER_KINDS - {"table"}

TOP_FIELDS = frozenset("id name title edition number sources choices threshold parts".split())
THRESHOLD_FIELDS = frozenset({"population", "handlers", "incident", "result"})
PART_FIELDS = frozenset("key label file star star_except items per_file".split())
ITEM_FIELDS = frozenset(
    "key label kind star optional print verified note choices when rows_of option_rows"
    " items item_label min max columns default".split()
)
OPTION_FIELDS = frozenset("label detail count exclusive group verified note".split())
COLUMN_FIELDS = frozenset("key label kind choices optional".split())
WHEN_OPS = {"equals", "not_equals", "includes"}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------- seeds


@dataclass(frozen=True)
class SeedCase:
    """The label cells of one published document, as printed, for one form definition."""

    form: str
    seed: str
    cell_labels: tuple[str, ...]
    """First tab cells that are labels."""
    value_cells: tuple[str, ...]
    """First tab cells that are values (or wrapped option lists), not labels."""
    sub_labels: tuple[str, ...]
    """Labels printed in a later tab cell (row continuations)."""
    heading_lines: tuple[str, ...]
    """Lines without a tab that are labels (part headings, section headings, risk headings)."""
    value_line_prefixes: tuple[str, ...]
    """Prefixes of the lines without a tab that are values or content, not labels."""
    flag_labels: tuple[str, ...]
    """Single checkboxes printed on a heading line as `[…] label`."""
    fixed_text: tuple[str, ...]
    """Headings the renderer prints itself and the definition does not hold (項目一覧)."""


# 千葉市「予防接種に関する事務 重点項目評価書」(評価書番号 39, 公表日 令和3年2月3日).
# fmt: off
SEED_001 = SeedCase(
    form="focused-r6",
    seed="001_fb1bf0b09c48865e.txt",
    cell_labels=(
        "評価書番号",
        # Ⅰ 基本情報
        "1. 特定個人情報ファイルを取り扱う事務", "①事務の名称", "②事務の内容", "③対象人数",
        "2. 特定個人情報ファイルを取り扱う事務において使用するシステム",
        "システム1", "システム2", "システム3",
        "①システムの名称", "②システムの機能", "③他のシステムとの接続",
        "3. 特定個人情報ファイル名",
        "4. 個人番号の利用 ※", "法令上の根拠",
        "5. 情報提供ネットワークシステムによる情報連携 ※", "①実施の有無", "②法令上の根拠",
        "6. 評価実施機関における担当部署", "①部署", "②所属長の役職名",
        "7. 他の評価実施機関",
        # Ⅱ 特定個人情報ファイルの概要
        "1. 特定個人情報ファイル名", "2. 基本情報",
        "①ファイルの種類 ※", "②対象となる本人の数", "③対象となる本人の範囲 ※", "④記録される項目",
        "主な記録項目 ※", "その妥当性", "全ての記録項目", "⑤保有開始日", "⑥事務担当部署",
        "①入手元 ※", "②入手方法", "③使用目的 ※", "④使用の主体", "⑤使用方法", "情報の突合",
        "⑥使用開始日",
        "委託の有無 ※", "委託事項1", "①委託内容", "②委託先における取扱者数", "③委託先名", "再委託",
        "提供・移転の有無",
        "提供先1", "提供先2", "提供先2~5", "提供先6~10", "提供先11~15", "提供先16~20",
        "①法令上の根拠", "②提供先における用途", "③提供する情報",
        "④提供する情報の対象となる本人の数", "⑤提供する情報の対象となる本人の範囲",
        "⑥提供方法", "⑦時期・頻度",
        "移転先1", "②移転先における用途", "③移転する情報",
        "④移転する情報の対象となる本人の数", "⑤移転する情報の対象となる本人の範囲", "⑥移転方法",
        "保管場所 ※",
        # Ⅲ リスク対策
        "リスクに対する措置の内容", "リスクへの対策は十分か",
        "リスク2：権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク",
        "ユーザ認証の管理", "具体的な管理方法", "その他の措置の内容",
        "4. 特定個人情報ファイルの取扱いの委託",
        "リスク：委託先における不正な使用等のリスク",
        "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "規定の内容",
        "再委託先による特定個人情報ファイルの適切な取扱いの担保", "具体的な方法",
        "特定個人情報ファイルの取扱いの委託における他のリスク及びそのリスクに対する措置",
        "5. 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
        "リスク：不正な提供・移転が行われるリスク",
        "特定個人情報の提供・移転に関するルール", "ルールの内容及びルール遵守の確認方法",
        "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）"
        "における他のリスク及びそのリスクに対する措置",
        "①事故発生時手順の策定・周知",
        "②過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか",
        "その内容", "再発防止策の内容",
        "特定個人情報の保管・消去におけるその他のリスク及びそのリスクに対する措置",
        "8. 監査", "実施の有無", "9. 従業者に対する教育・啓発", "従業者に対する教育・啓発",
        "10. その他のリスク対策",
        # Ⅳ 開示請求、問合せ
        "①請求先", "②請求方法", "③法令による特別の手続", "④個人情報ファイル簿への不記載等",
        "①連絡先", "②対応方法",
        # Ⅴ 評価実施手続
        "1. 基礎項目評価", "①実施日", "②しきい値判断結果",
        "2. 国民・住民等からの意見の聴取【任意】", "①方法", "②実施日・期間", "③主な意見の内容",
        "3. 第三者点検【任意】", "②方法", "③結果",
    ),
    value_cells=("39", "予防接種対象者ファイル", "—", "1) 発生あり", "1) 特に力を入れている"),
    sub_labels=(
        "評価書名", "使用部署", "使用者数", "④再委託の有無 ※", "⑤再委託の許諾方法", "⑥再委託事項",
    ),
    heading_lines=(
        "特定個人情報保護評価書(重点項目評価書)",
        "個人のプライバシー等の権利利益の保護の宣言", "特記事項", "評価実施機関名", "公表日",
        "項目一覧",
        "I 基本情報", "II 特定個人情報ファイルの概要", "(別添1) 特定個人情報ファイル記録項目",
        "III リスク対策", "III リスク対策 ※(7. ②を除く。)", "IV 開示請求、問合せ", "V 評価実施手続",
        "(別添2) 変更箇所",
        "3. 特定個人情報の入手・使用", "4. 特定個人情報ファイルの取扱いの委託",
        "5. 特定個人情報の提供・移転(委託に伴うものを除く。)",
        "移転先2~5", "移転先6~10", "移転先11~15", "移転先16~20",
        "6. 特定個人情報の保管・消去", "7. 備考",
        "1. 特定個人情報ファイル名",
        "2. 特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
        "リスク：目的外の入手が行われるリスク",
        "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）"
        "におけるその他のリスク及びそのリスクに対する措置",
        "3. 特定個人情報の使用",
        "リスク1：目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク",
        "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置",
        "6. 情報提供ネットワークシステムとの接続",
        "リスク1：目的外の入手が行われるリスク", "リスク2：不正な提供が行われるリスク",
        "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置",
        "7. 特定個人情報の保管・消去", "リスク：特定個人情報の漏えい・滅失・毀損リスク",
        "1. 特定個人情報の開示・訂正・利用停止請求", "2. 特定個人情報ファイルの取扱いに関する問合せ",
    ),
    value_line_prefixes=(
        "千葉市は、",  # the 宣言 text
        "千葉市長",
        "令和3年2月3日",
        "予防接種番号、",  # the (別添1) paragraph
        "予防接種対象者ファイル",
        "[] 接続しない",  # the flag line under Ⅲ-6, checked through flag_labels
        "【",  # organisation headings inside a measures text (…における措置)
        "- ",  # bullets of a measures text
    ),
    flag_labels=("委託しない", "提供・移転しない", "接続しない(入手)", "接続しない(提供)"),
    fixed_text=("項目一覧",),
)
# fmt: on

SEEDS = {case.form: case for case in (SEED_001,)}


def _read_seed(case: SeedCase) -> str:
    return (SEEDS_DIR / case.seed).read_text(encoding="utf-8")


def _seed_rows(text: str) -> tuple[list[list[str]], list[str]]:
    """Split the seed into tab rows (stripped cells) and the non-empty lines without a tab."""
    rows = [[c.strip() for c in line.split("\t")] for line in text.splitlines() if "\t" in line]
    lines = [line.strip() for line in text.splitlines() if line.strip() and "\t" not in line]
    return rows, lines


# ---------------------------------------------------------------- definitions


def _load(form: str) -> dict[str, Any]:
    with (FORMS_DIR / f"{form}.yml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict), f"{form}.yml is not a mapping"
    return data


def _norm(label: str) -> str:
    """Comparison key for labels: NFKC, no whitespace, no ※ (with its 「(…を除く。)」 scope)."""
    s = unicodedata.normalize("NFKC", label).replace("〜", "~")
    s = re.sub(r"\s+", "", s)
    return re.sub(r"※(\([^()]*を除く。\))?", "", s)


def _option_label(option: Any) -> Any:
    return option["label"] if isinstance(option, dict) else option


def _option_labels(form: dict[str, Any], name: str) -> list[Any]:
    return [_option_label(o) for o in form["choices"][name]]


def _iter_items(
    items: list[dict[str, Any]], chain: tuple[dict[str, Any], ...]
) -> Iterator[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    """Yield (item, ancestors) depth-first in printed order; ancestors start with the part."""
    for item in items:
        yield item, chain
        if isinstance(item.get("items"), list):
            yield from _iter_items(item["items"], (*chain, item))


def _all_items(form: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    for part in form["parts"]:
        yield from _iter_items(part.get("items") or [], (part,))


def _child(node: dict[str, Any], key: str) -> dict[str, Any] | None:
    for item in node.get("items") or []:
        if item.get("key") == key:
            return item
    return None


def _resolve(chain: tuple[dict[str, Any], ...], path: str) -> dict[str, Any] | None:
    """Resolve a `when`/`rows_of` path relative to the last node of chain (`../` goes up)."""
    stack = list(chain)
    while path.startswith("../"):
        path = path[3:]
        stack.pop()
        if not stack:
            return None
    node: dict[str, Any] | None = stack[-1] if stack else None
    for key in path.split("."):
        node = _child(node, key) if node is not None else None
    return node


def _resolve_from_root(form: dict[str, Any], path: str) -> dict[str, Any] | None:
    """Resolve `part.item.item` as used by the `threshold` block."""
    part_key, _, rest = path.partition(".")
    part = next((p for p in form["parts"] if p.get("key") == part_key), None)
    return _resolve((part,), rest) if part is not None and rest else None


def _label_index(form: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Map normalised label → every part, item and table column carrying it (title included)."""
    index: dict[str, list[dict[str, Any]]] = {_norm(form["title"]): [{"label": form["title"]}]}
    for part in form["parts"]:
        index.setdefault(_norm(part["label"]), []).append(part)
    for item, _ in _all_items(form):
        index.setdefault(_norm(item["label"]), []).append(item)
        for column in item.get("columns") or []:
            index.setdefault(_norm(column["label"]), []).append(column)
    return index


def _groups(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item, _ in _all_items(form) if item.get("kind") == "group"]


def _is_starred(form: dict[str, Any], target: dict[str, Any]) -> bool:
    """True when ※ covers the item: its own star, a starred ancestor, or a starred part."""
    for part in form["parts"]:
        if part is target:
            return bool(part.get("star"))
    for item, chain in _all_items(form):
        if item is target:
            return any(node.get("star") for node in (*chain, item))
    return False


# ---------------------------------------------------------------- sanity (every form)


@pytest.mark.parametrize("form_id", FORMS)
def test_top_level(form_id: str) -> None:
    form = _load(form_id)
    assert set(form) == TOP_FIELDS, f"top-level fields: {sorted(set(form) ^ TOP_FIELDS)}"
    assert form_id.startswith(form["id"] + "-")
    assert isinstance(form["number"], int)
    assert set(form["threshold"]) == THRESHOLD_FIELDS
    assert form["parts"][0]["key"] == "cover" and form["parts"][0]["file"] == "evaluation.md"


@pytest.mark.parametrize("form_id", FORMS)
def test_parts(form_id: str) -> None:
    form = _load(form_id)
    keys = [part["key"] for part in form["parts"]]
    assert len(keys) == len(set(keys)), f"duplicate part keys: {keys}"
    for part in form["parts"]:
        where = f"part {part.get('key')}"
        assert set(part) <= PART_FIELDS, f"{where}: unknown fields {set(part) - PART_FIELDS}"
        assert KEY_RE.match(part["key"]) and part["label"] and part["items"], where
        assert re.fullmatch(r"[0-9a-z-]+(\{n\})?[0-9a-z-]*\.(md|yml)", part["file"]), where
        assert bool(part.get("per_file")) == ("{n}" in part["file"]), f"{where}: per_file vs {{n}}"
        if part.get("star_except"):
            assert part.get("star"), f"{where}: star_except without star"
            for path in part["star_except"]:
                assert _resolve((part,), path) is not None, f"{where}: star_except {path!r}"


@pytest.mark.parametrize("form_id", FORMS)
def test_parts_sharing_a_file(form_id: str) -> None:
    """Parts in one source file are addressed together, so their top items must not collide."""
    form = _load(form_id)
    by_file: dict[str, list[dict[str, Any]]] = {}
    for part in form["parts"]:
        by_file.setdefault(part["file"], []).extend(part["items"])
    for file, items in by_file.items():
        keys = [item["key"] for item in items]
        labels = [_norm(item["label"]) for item in items]
        assert len(keys) == len(set(keys)), f"{file}: duplicate keys {keys}"
        assert len(labels) == len(set(labels)), f"{file}: duplicate labels {labels}"


@pytest.mark.parametrize("form_id", FORMS)
def test_items(form_id: str) -> None:
    form = _load(form_id)
    siblings: list[list[dict[str, Any]]] = [p["items"] for p in form["parts"]]
    siblings += [
        item["items"] for item, _ in _all_items(form) if item.get("kind") in CONTAINER_KINDS
    ]
    for group in siblings:
        # labels may repeat among siblings (全項目 Ⅲ-3 prints 具体的な管理方法 three times)
        keys = [item.get("key") for item in group]
        assert len(keys) == len(set(keys)), f"duplicate sibling keys: {keys}"
    for item, chain in _all_items(form):
        where = "/".join(node["key"] for node in (*chain, item))
        assert set(item) <= ITEM_FIELDS, f"{where}: unknown fields {set(item) - ITEM_FIELDS}"
        assert isinstance(item.get("key"), str) and KEY_RE.match(item["key"]), where
        assert isinstance(item.get("label"), str) and item["label"].strip(), where
        kind = item.get("kind")
        assert kind in KINDS, f"{where}: kind {kind!r}"
        # a section may be a bare heading row (empty items); a group needs its row items
        assert ("items" in item) == (kind in CONTAINER_KINDS), f"{where}: items vs kind"
        assert isinstance(item.get("items", []), list), f"{where}: items is not a list"
        assert kind != "group" or item["items"], f"{where}: a group without items"
        assert ("choices" in item) == (kind in CHOICE_KINDS), f"{where}: choices vs kind"
        if kind in CHOICE_KINDS:
            assert item["choices"] in form["choices"], (
                f"{where}: no choice list {item['choices']!r}"
            )
        if kind in CONTAINER_KINDS:
            assert "optional" not in item, f"{where}: optional on a {kind}"
        assert ("item_label" in item) == (kind == "group"), f"{where}: item_label vs kind"
        if kind == "group":
            assert "{n}" in item["item_label"], where
            assert item.get("min", 0) <= item.get("max", item.get("min", 0)), where
        assert ("columns" in item) == (kind == "table"), f"{where}: columns vs kind"
        if item.get("verified") is False:
            assert item.get("note"), f"{where}: verified: false without a note"
        for field in ("star", "optional", "print", "verified"):
            assert isinstance(item.get(field, False), bool), f"{where}: {field} is not a bool"


@pytest.mark.parametrize("form_id", FORMS)
def test_table_columns(form_id: str) -> None:
    form = _load(form_id)
    for item, _ in _all_items(form):
        if item.get("kind") != "table":
            continue
        keys = [column["key"] for column in item["columns"]]
        assert len(keys) == len(set(keys)), f"{item['key']}: duplicate column keys"
        for column in item["columns"]:
            assert set(column) <= COLUMN_FIELDS, f"{item['key']}: {set(column) - COLUMN_FIELDS}"
            assert column["kind"] in COLUMN_KINDS, f"{item['key']}.{column['key']}"
            assert ("choices" in column) == (column["kind"] in CHOICE_KINDS), column["key"]
            if "choices" in column:
                assert column["choices"] in form["choices"], column["key"]


@pytest.mark.parametrize("form_id", FORMS)
def test_choice_lists(form_id: str) -> None:
    form = _load(form_id)
    used = {item["choices"] for item, _ in _all_items(form) if "choices" in item}
    used |= {
        c["choices"]
        for item, _ in _all_items(form)
        for c in item.get("columns") or []
        if "choices" in c
    }
    assert used == set(form["choices"]), (
        f"unused or missing lists: {sorted(used ^ set(form['choices']))}"
    )
    for name, options in form["choices"].items():
        assert options, f"{name}: empty list"
        labels = _option_labels(form, name)
        assert all(isinstance(label, str) and label for label in labels), f"{name}: {labels}"
        assert len(labels) == len(set(labels)), f"{name}: duplicate options"
        for option in options:
            if isinstance(option, dict):
                assert set(option) <= OPTION_FIELDS, f"{name}: {set(option) - OPTION_FIELDS}"
                if option.get("verified") is False:
                    assert option.get("note"), (
                        f"{name}: {option['label']} verified: false without a note"
                    )


@pytest.mark.parametrize("form_id", FORMS)
def test_conditions_resolve(form_id: str) -> None:
    form = _load(form_id)
    for item, chain in _all_items(form):
        where = "/".join(node["key"] for node in (*chain, item))
        when = item.get("when")
        if when is not None:
            assert set(when) - {"item"} <= WHEN_OPS and len(when) == 2, f"{where}: when {when}"
            target = _resolve(chain, when["item"])
            assert target is not None, f"{where}: when.item {when['item']!r} does not resolve"
            ((op, value),) = ((k, v) for k, v in when.items() if k != "item")
            kind = target["kind"]
            if kind == "flag":
                assert op in {"equals", "not_equals"} and isinstance(value, bool), where
            elif kind == "choice":
                assert op in {"equals", "not_equals"}, where
                assert value in _option_labels(form, target["choices"]), f"{where}: {value!r}"
            elif kind == "multi":
                assert op == "includes", where
                assert value in _option_labels(form, target["choices"]), f"{where}: {value!r}"
            else:
                pytest.fail(f"{where}: condition on a {kind}")
        if "rows_of" in item:
            assert item["kind"] == "integer", where
            group = _resolve(chain, item["rows_of"])
            assert group is not None and group["kind"] == "group", f"{where}: rows_of"
        if "option_rows" in item:
            assert item["kind"] == "multi", where
            options = {
                o["label"]: o for o in form["choices"][item["choices"]] if isinstance(o, dict)
            }
            for label, path in item["option_rows"].items():
                assert options.get(label, {}).get("count"), (
                    f"{where}: {label} is not a count option"
                )
                group = _resolve(chain, path)
                assert group is not None and group["kind"] == "group", (
                    f"{where}: option_rows {path}"
                )


@pytest.mark.parametrize("form_id", FORMS)
def test_threshold_block(form_id: str) -> None:
    form = _load(form_id)
    for name, path in form["threshold"].items():
        item = _resolve_from_root(form, path)
        assert item is not None, f"threshold.{name}: {path!r} does not resolve"
        assert item["kind"] == "choice", f"threshold.{name}: {path} is a {item['kind']}"
    # the しきい値判断 needs the top band, which only a 全項目評価書 may serve
    population = form["threshold"]["population"]
    assert _option_labels(form, _resolve_from_root(form, population)["choices"])[-1] == "30万人以上"


def test_cover_meta_items_agree() -> None:
    """Every form names its non-printed cover items alike, so `pia` reads any evaluation.md."""
    metas = []
    for form_id in FORMS:
        cover = _load(form_id)["parts"][0]["items"]
        metas.append(
            [
                (i["key"], i["label"], i["kind"])
                for i in cover
                if i.get("print") is False and i["kind"] != "section"
            ]
        )
    assert metas and all(meta == metas[0] for meta in metas), metas
    assert [key for key, _, _ in metas[0]] == ["form", "edition", "org", "status"]


# ---------------------------------------------------------------- coverage (forms with a seed)


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_copy_matches_shared(case: SeedCase) -> None:
    shared = SHARED_SEEDS_DIR / case.seed
    if not shared.exists():
        pytest.skip(f"{shared} is not beside the repository")
    assert (SEEDS_DIR / case.seed).read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_label_list_matches_seed(case: SeedCase) -> None:
    """The label lists of the SeedCase are exactly what the seed prints, no more, no less."""
    text = _read_seed(case)
    rows, lines = _seed_rows(text)
    first_cells = {row[0] for row in rows if row[0]}
    listed = set(case.cell_labels) | set(case.value_cells)
    assert not listed - first_cells, (
        f"listed but not a first cell of the seed: {listed - first_cells}"
    )
    assert not first_cells - listed, f"first cells of the seed not listed: {first_cells - listed}"
    later_cells = {cell for row in rows for cell in row[1:]}
    assert not set(case.sub_labels) - later_cells, set(case.sub_labels) - later_cells
    assert not set(case.heading_lines) - set(lines), set(case.heading_lines) - set(lines)
    unlisted = [
        line
        for line in lines
        if line not in case.heading_lines and not line.startswith(case.value_line_prefixes)
    ]
    assert not unlisted, f"lines of the seed neither headings nor values: {unlisted}"
    for flag in case.flag_labels:
        assert re.search(r"\[[^\]]*\] " + re.escape(flag), text), f"flag {flag!r} not in the seed"


def _seed_labels(case: SeedCase) -> list[str]:
    labels = [*case.cell_labels, *case.sub_labels, *case.heading_lines, *case.flag_labels]
    return [label for label in labels if label not in case.fixed_text]


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_labels_are_defined(case: SeedCase) -> None:
    """Every label the seed prints is a part or item label (or a row header of a group)."""
    form = _load(case.form)
    index = _label_index(form)
    row_headers = {_norm(g["item_label"]).replace("{n}", ""): g for g in _groups(form)}
    missing = []
    for label in _seed_labels(case):
        key = _norm(label)
        if key in index:
            continue
        # row headers 「システム2」 and range headers 「提供先6~10」 come from a group's item_label
        match = re.fullmatch(r"(.+?)(\d+)(?:~(\d+))?", key)
        group = row_headers.get(match.group(1)) if match else None
        if group is not None and int(match.group(3) or match.group(2)) <= group.get("max", 10**6):
            continue
        missing.append(label)
    assert not missing, f"labels printed in {case.seed} missing from {case.form}.yml: {missing}"


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_stars_are_defined(case: SeedCase) -> None:
    """A label printed with ※ is covered by a star; one printed without it has no own star."""
    form = _load(case.form)
    index = _label_index(form)
    for label in _seed_labels(case):
        targets = index.get(_norm(label), [])
        if "※" in label:
            assert any(_is_starred(form, t) for t in targets), f"{label!r} has no star"
        elif targets and not any(t in form["parts"] for t in targets):  # 項目一覧 omits ※
            assert any(not t.get("star") for t in targets), f"{label!r} is printed without ※"


def _printed_choice_items(form: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item, chain in _all_items(form):
        if "choices" in item and not any(n.get("print") is False for n in (*chain, item)):
            yield item


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_options_are_printed(case: SeedCase) -> None:
    """Each verified option of a printed list appears in the seed: `n) label` or `] label`."""
    form = _load(case.form)
    text = _read_seed(case)
    absent = []
    for item in _printed_choice_items(form):
        for number, option in enumerate(form["choices"][item["choices"]], start=1):
            if isinstance(option, dict) and option.get("verified") is False:
                continue
            label = _option_label(option)
            printed = f"{number}) {label}" if item["kind"] == "choice" else f"] {label}"
            if printed not in text:
                absent.append(f"{item['choices']}: {printed}")
    assert not absent, f"options not printed in {case.seed}: {absent}"
