"""Coverage and sanity checks for the official form definitions in pia_build/forms/.

The definitions are read with PyYAML only; nothing from pia_build is imported, so these tests
hold the data to docs/forms.md even while the loader changes. Two families:

* sanity (every form): the schema of docs/forms.md, unique keys, known kinds, resolvable
  `choices`, `when`, `rows_of`, `option_rows`, `star_except` and `threshold` references;
* coverage (forms with a seed): every label printed in a published document of that form is an
  item or part label of the definition, ※ in the seed is a star in the definition, and every
  option of a printed choice list is printed in the seed.

To add a form, append its file stem to FORMS; to add a seed, add a SeedCase to SEEDS. A long
seed can be cut to its form body (`stop_at`, `skip`), and its misprinted labels mapped to the
official ones (`misprints`), so every remaining first cell is still listed and reviewable.
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

TOP_FIELDS = frozenset("id name title edition number sources choices threshold agree parts".split())
THRESHOLD_FIELDS = frozenset({"population", "handlers", "incident", "result"})
PART_FIELDS = frozenset("key label file star star_except star_note items per_file".split())
ITEM_FIELDS = frozenset(
    "key label kind star optional print verified note choices when rows_of option_rows"
    " items item_label min max columns default header".split()
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
    stop_at: str = ""
    """The line where the form body ends (the （別添3） table); it and all after are ignored."""
    skip: tuple[tuple[str, str], ...] = ()
    """(first line, line after) of data regions that hold no form labels, skipped in order."""
    misprints: tuple[tuple[str, str], ...] = ()
    """(label as misprinted in the seed, the official label the definition holds)."""
    marker: bool = False
    """The seed prints the 様式 marker ([令和6年10月 様式4]) of the definition."""


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


# 川口市「住民基本台帳に関する事務 全項目評価書」(案) [令和6年10月 様式4], three files. Cut to the
# form body: the （別添3） table (printed as 「(別紙3)変更箇所」) is not read, nor are the local
# 別紙Ⅱ-5-1…3 tables after Ⅱ(1) or the item lists of （別添2）, which hold data, not labels.
# Not checkable here: ②実現が期待されるメリット (printed after its value inside a <p> cell).
# fmt: off
SEED_003 = SeedCase(
    form="full-r6",
    seed="003_c8b8949bf602a6a1.txt",
    cell_labels=(
        "評価書番号",
        # Ⅰ 基本情報
        "①事務の名称", "②事務の内容 ※", "③対象人数",
        "①システムの名称", "②システムの機能", "③他のシステムとの接続",
        "システム2", "システム3", "システム4", "システム5", "システム6", "システム7",
        "①事務実施上の必要性", "法令上の根拠", "①実施の有無", "②法令上の根拠",
        "7. 評価実施機関における担当部署", "①部署", "②所属長の役職名", "8. 他の評価実施機関",
        # Ⅱ 特定個人情報ファイルの概要
        "1. 特定個人情報ファイル名", "2. 基本情報",
        "①ファイルの種類 ※", "②対象となる本人の数", "③対象となる本人の範囲 ※", "その必要性",
        "④記録される項目", "主な記録項目 ※", "その妥当性", "全ての記録項目", "⑤保有開始日",
        "⑥事務担当部署",
        "①入手元 ※", "②入手方法", "③入手の時期・頻度", "④入手に係る妥当性", "⑤本人への明示",
        "⑥使用目的 ※", "変更の妥当性", "⑦使用の主体", "使用部署 ※", "使用者数",
        "⑧使用方法 ※", "情報の突合 ※", "情報の統計分析 ※", "権利利益に影響を与える得る決定 ※",
        "⑨使用開始日",
        "委託の有無 ※",
        "委託事項1", "委託事項2", "委託事項3", "委託事項4", "委託事項5", "委託事項6",
        "①委託内容", "②取扱いを委託する特定個人情報ファイルの範囲", "対象となる本人の数",
        "対象となる本人の範囲 ※", "③委託先における取扱者数",
        "④委託先への特定個人情報ファイルの提供方法", "⑤委託先名の確認方法", "⑥委託先名",
        "再委託", "⑦再委託の有無 ※", "⑨再委託事項",
        "提供・移転の有無",
        "提供先1", "提供先2", "①法令上の根拠", "②提供先における用途", "③提供する情報",
        "④提供する情報の対象となる本人の数", "⑤提供する情報の対象となる本人の範囲",
        "⑥提供方法", "⑦時期・頻度",
        "移転先1", "②移転先における用途", "③移転する情報", "④移転する情報の対象となる本人の数",
        "⑤移転する情報の対象となる本人の範囲", "⑥移転方法",
        "①保管場所 ※", "②保管期間", "期間", "③消去方法", "7. 備考",
        # Ⅲ リスク対策
        "2. 特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
        "リスク1：目的外の入手が行われるリスク",
        "対象者以外の情報の入手を防止するための措置の内容",
        "必要な情報以外を入手することを防止するための措置の内容",
        "その他の措置の内容", "他の措置の内容", "リスクへの対策は十分か",
        "リスク2：不適切な方法で入手が行われるリスク", "リスクに対する措置の内容",
        "リスク3：入手した特定個人情報が不正確であるリスク",
        "入手の際の本人確認の措置の内容", "個人番号の真正性確認の措置の内容",
        "特定個人情報の正確性確保の措置の内容",
        "リスク4：入手の際に特定個人情報が漏えい・紛失するリスク",
        "特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)"
        "におけるその他のリスク及びそのリスクに対する措置",
        "3. 特定個人情報の使用",
        "リスク1：目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク",
        "宛名システム等における措置の内容", "事務で使用するその他のシステムにおける措置の内容",
        "リスク2：権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
        "ユーザ認証の管理", "具体的な管理方法", "アクセス権限の発効・失効の管理",
        "アクセス権限の管理", "特定個人情報の使用の記録", "特定個人情報の使用的記録", "具体的な方法",
        "リスク3：従業者が事務外で使用するリスク",
        "リスク4：特定個人情報ファイルが不正に複製されるリスク",
        "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置",
        "4. 特定個人情報ファイルの取扱いの委託",
        "委託先による特定個人情報の不正入手・不正な使用に関するリスク",
        "委託先による特定個人情報の不正な提供に関するリスク",
        "委託先による特定個人情報の保管・消去に関するリスク",
        "委託契約終了後の不正な使用等のリスク", "再委託に関するリスク",
        "情報保護管理体制の確認", "特定個人情報ファイルの閲覧者・更新者の制限", "具体的な制限方法",
        "特定個人情報ファイルの取扱いの記録", "特定個人情報の提供ルール",
        "委託先から他者への提供に関するルールの内容及びルール遵守の確認方法",
        "委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法",
        "特定個人情報の消去ルール", "ルールの内容及びルール遵守の確認方法",
        "委託契約書中の特定個人情報ファイルの取扱いに関する規定", "規定の内容",
        "再委託先による特定個人情報ファイルの適切な取扱いの確保",
        "特定個人情報ファイルの取扱いの委託におけるその他のリスク及びそのリスクに対する措置",
        "特定個人情報ファイルの取扱いの委託における他のリスク及びそのリスクに対する措置",
        "5. 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
        "リスク1：不正な提供・移転が行われるリスク",
        "特定個人情報の提供・移転の記録", "特定個人情報の提供・移転に関するルール",
        "リスク2：不適切な方法で提供・移転が行われるリスク",
        "リスク3：誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク",
        "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）"
        "におけるその他のリスク及びそのリスクに対する措置",
        "特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)"
        "におけるその他のリスク及びそのリスクに対する措置",
        "6. 情報提供ネットワークシステムとの接続",
        "リスク2：安全が保たれない方法によって入手が行われるリスク",
        "リスク5：不正な提供が行われるリスク", "リスク6：不適切な方法で提供されるリスク",
        "リスク7：誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク",
        "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置",
        "①NISC政府機関統一基準群", "②安全管理体制", "③安全管理規程",
        "④安全管理体制・規程の職員への周知", "⑤物理的対策", "具体的な対策の内容", "⑥技術的対策",
        "⑦バックアップ", "⑧事故発生時手順の策定・周知",
        "⑨過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか",
        "その内容", "再発防止策の内容", "⑩死者の個人番号", "具体的な保管方法",
        "リスク2：特定個人情報が古い情報のまま保管され続けるリスク",
        "リスク3：特定個人情報が消去されずいつまでも存在するリスク", "消去手順", "手順の内容",
        "特定個人情報の保管・消去におけるその他のリスク及びそのリスクに対する措置",
        # Ⅳ その他のリスク対策
        "①自己点検", "②監査", "従業者に対する教育・啓発",
        # Ⅴ 開示請求、問合せ
        "①請求先", "②請求方法", "特記事項", "③手数料等", "④個人情報ファイル簿の公表",
        "個人情報ファイル名", "公表場所", "⑤法令による特別の手続", "⑥個人情報ファイル簿への不記載等",
        "①連絡先", "②対応方法",
        # Ⅵ 評価実施手続
        "1. 基礎項目評価", "①実施日", "②しきい値判断結果",
        "2. 国民・住民等からの意見の聴取", "①方法", "②実施日・期間",
        "③期間を短縮する特段の理由", "④主な意見の内容", "⑤評価書への反映",
        "3. 第三者点検", "②方法", "③結果",
        "4. 個人情報保護委員会の承認 【行政機関等のみ】", "①提出日",
        "②個人情報保護委員会による審査",
    ),
    value_cells=(
        "1", "[30万人以上]", "[20年以上]", "-",
        "(1)住民基本台帳ファイル", "(2)本人確認情報ファイル", "(3)送付先情報ファイル",
        # options of a checkbox list wrapped onto rows of their own
        '[<input type="checkbox"/>] 100人以上500人未満',
        '[<input type="checkbox"/>] 情報提供ネットワークシステム',
        '[<input type="checkbox"/>] 電子メール', '[<input type="checkbox"/>] フラッシュメモリ',
        '[<input checked="" type="radio"/>] その他 (住基ネット)',
        # clause headings splitting Ⅲ-6 その他のリスク of (1) into rows
        "<中間サーバ・ソフトウェアにおける措置>", "<中間サーバ・プラットフォームにおける措置>",
        # Ⅲ-7 リスク1 ⑦ of (3): the value slipped into the label column
        "<p>送付先情報ファイルは、機関への特定個人情報の提供後、一定期間経過後に市町村CSから削除"
        "される。</p> <p>その後、当該特定個人情報は機関において管理されるため、送付先情報ファイル"
        "のバックアップは取得しない。</p>",
    ),
    sub_labels=(
        "評価書名", "使用部署 ※", "使用者数", "⑦再委託の有無 ※", "⑧再委託の許諾方法",
        "⑨再委託事項", "期間", "具体的なチェック方法", "具体的な内容", "具体的な方法",
    ),
    heading_lines=(
        "特定個人情報保護評価書(全項目評価書)",
        "個人のプライバシー等の権利利益の保護の宣言", "特記事項", "評価実施機関名",
        "個人情報保護委員会 承認日 【行政機関等のみ】", "公表日", "[令和6年10月 様式4]",
        "項目一覧",
        "I 基本情報", "(別添1) 事務の内容", "II 特定個人情報ファイルの概要",
        "(別添2) 特定個人情報ファイル記録項目",
        "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
        "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※(7. リスク1⑨を除く。)",
        "IV その他のリスク対策", "IV その他のリスク対策 *", "V 開示請求、問合せ", "VI 評価実施手続",
        "(別添3) 変更箇所",
        # Ⅰ
        "1. 特定個人情報ファイルを取り扱う事務",
        "2. 特定個人情報ファイルを取り扱う事務において使用するシステム", "システム1",
        "3. 特定個人情報ファイル名", "4. 特定個人情報ファイルを取り扱う理由",
        "5. 個人番号の利用 ※", "6. 情報提供ネットワークシステムによる情報連携 ※",
        "(備考)",
        # Ⅱ
        "3. 特定個人情報の入手・使用", "4. 特定個人情報ファイルの取扱いの委託",
        "5. 特定個人情報の提供・移転(委託に伴うものを除く。)", "6. 特定個人情報の保管・消去",
        "7. 備考",
        # Ⅲ (rows printed without a tab in (2) and (3))
        "1. 特定個人情報ファイル名",
        "2. 特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）",
        "リスク1：目的外の入手が行われるリスク", "リスク2：不適切な方法で入手が行われるリスク",
        "リスク3：入手した特定個人情報が不正確であるリスク",
        "リスク4：入手の際に特定個人情報が漏えい・紛失するリスク",
        "特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)"
        "におけるその他のリスク及びそのリスクに対する措置",
        "3. 特定個人情報の使用",
        "リスク1：目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスク",
        "リスク2：権限のない者（元職員、アクセス権限のない職員等）によって不正に使用されるリスク",
        "リスク2：権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク",
        "リスク3：従業者が事務外で使用するリスク",
        "リスク4：特定個人情報ファイルが不正に複製されるリスク",
        "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置",
        "委託先による特定個人情報の不正入手・不正な使用に関するリスク",
        "委託先による特定個人情報の不正な提供に関するリスク",
        "委託先による特定個人情報の保管・消去に関するリスク",
        "委託契約終了後の不正な使用等のリスク", "再委託に関するリスク",
        "リスク6：不適切な方法で提供されるリスク",
        "リスク7：誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク",
        "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置",
        "7. 特定個人情報の保管・消去", "リスク1：特定個人情報の漏えい・滅失・毀損リスク",
        # Ⅳ Ⅴ
        "1. 監査", "2. 従業者に対する教育・啓発", "3. その他のリスク対策",
        "1. 特定個人情報の開示・訂正・利用停止請求", "2. 特定個人情報ファイルの取扱いに関する問合せ",
    ),
    value_line_prefixes=(
        "川口市は、",  # the 宣言 text
        "住民基本台帳に関する事務では、",  # 特記事項
        "埼玉県川口市長",
        "(案)",  # draft watermark between pages
        "(3)送付先情報ファイル",  # Ⅲ 1. of file (3)
        "- ",  # list items: Ⅰ-3 file names, （別添1） steps, bullets of measures texts
        "※",  # notes under the （別添1） steps
        # （別添1）(備考): the numbered processes of 川口市
        "1. 住民異動に伴う", "2. 住民異動に伴う", "3. 住民票の写しの発行", "4. 外国人住民",
        "5. 情報提供用個人識別符号", "6. 本人確認に関する事務", "7. 個人番号カードを利用した転入",
        "8. 本人確認情報整合", "9. 送付先情報通知", "10. 個人番号カード管理システム",
        "11. 証明書コンビニ交付システム",
        "その他、特定個人情報の使用にあたり",  # Ⅲ-3 その他のリスク text
        "[] 委託しない",  # the flag line of Ⅲ-4, checked through flag_labels
        "<",  # organisation headings inside a measures text (<…における措置>)
    ),
    flag_labels=("委託しない", "提供・移転しない", "接続しない(入手)", "接続しない(提供)"),
    fixed_text=("項目一覧", "[令和6年10月 様式4]"),
    stop_at="(別紙3)変更箇所",
    skip=(
        ("(別紙Ⅱ-5-1) 番号法第19条第8号別表第2に定める情報照会者", "II 特定個人情報ファイルの概要"),
        (
            "(1) 住民基本台帳ファイル",
            "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※(7. リスク1⑨を除く。)",
        ),
    ),
    misprints=(
        ("権利利益に影響を与える得る決定 ※", "権利利益に影響を与え得る決定 ※"),
        ("特定個人情報の使用的記録", "特定個人情報の使用の記録"),
        ("他の措置の内容", "その他の措置の内容"),
        (
            "特定個人情報ファイルの取扱いの委託における他のリスク及びそのリスクに対する措置",
            "特定個人情報ファイルの取扱いの委託におけるその他のリスク及びそのリスクに対する措置",
        ),
        ("IV その他のリスク対策 *", "IV その他のリスク対策 ※"),
    ),
    marker=True,
)
# fmt: on

SEEDS = {case.form: case for case in (SEED_001, SEED_003)}


def _read_seed(case: SeedCase) -> str:
    return (SEEDS_DIR / case.seed).read_text(encoding="utf-8")


def _seed_body(case: SeedCase) -> str:
    """The seed without what follows `stop_at` and without the `skip` regions."""
    kept: list[str] = []
    regions = list(case.skip)
    until = ""
    for line in _read_seed(case).splitlines():
        text = line.strip()
        if case.stop_at and text == case.stop_at:
            break
        if until:
            if text != until:
                continue
            until = ""
        elif regions and text == regions[0][0]:
            until = regions.pop(0)[1]
            continue
        kept.append(line)
    assert not regions and not until, f"{case.seed}: skip regions not found: {regions or until}"
    return "\n".join(kept)


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
    optional = {"agree"}
    assert TOP_FIELDS - optional <= set(form) <= TOP_FIELDS, (
        f"fields: {sorted(set(form) ^ TOP_FIELDS)}"
    )
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
    text = _seed_body(case)
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
    official = dict(case.misprints)
    return [official.get(label, label) for label in labels if label not in case.fixed_text]


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_misprints_are_printed(case: SeedCase) -> None:
    """Each misprint is listed as printed, and its official label differs only by the misprint."""
    listed = {*case.cell_labels, *case.sub_labels, *case.heading_lines}
    for printed, official in case.misprints:
        assert printed in listed, f"misprint {printed!r} is not listed as printed"
        assert _norm(printed) != _norm(official), printed


@pytest.mark.parametrize(
    "case", [c for c in SEEDS.values() if c.marker], ids=[f for f, c in SEEDS.items() if c.marker]
)
def test_seed_marker(case: SeedCase) -> None:
    form = _load(case.form)
    marker = f"[{form['edition']} 様式{form['number']}]"
    assert marker in case.heading_lines and marker in case.fixed_text, marker


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
