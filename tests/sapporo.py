"""札幌市's 変更箇所 annex (seed 004) as data, and the two versions of an evaluation it implies.

The evaluation is the repository's 全項目評価書 example (mihon-jumin), reduced to one file, with
the items of the seed's rows holding the seed's 変更前 text (``version(rows, "before")``) or its
変更後 text (``"after"``); ``submissions`` writes the changes.yml giving each row's 提出時期 and 説明.

Where the seed differs from what any generator can print, the difference is listed below with
its reason (SEED_ITEMS, SEED_ABBREVIATIONS, ABRIDGED), never hidden in the normalisation.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator

import yaml
from conftest import REPO

from pia_build.building.build import check
from pia_build.core.config import Config
from pia_build.core.wareki import parse_date
from pia_build.forms.spec import ItemSpec
from pia_build.forms.types import Pick
from pia_build.history.submission import path_key
from pia_build.source.shapes import Block, Field, Rows

SEED = REPO / "tests" / "seeds" / "004_672174ab35a34b47.txt"


EVALUATION = "sapporo"
V1, V2 = dt.date(2023, 4, 1), dt.date(2024, 4, 1)

# Seed 項目 the form names otherwise: 004 misprints them (spec form-full §4.2).
SEED_ITEMS = {
    "V-1 ①連絡先": "V-2 ①連絡先",  # ①連絡先 is in Ⅴ-2 of the form
    "II-4 委託事項 2 ②取り扱いは委託する地特定個人情報ファイルの範囲 その妥当性": "II-4 委託事項2 ②取扱いを委託する特定個人情報ファイルの範囲 その妥当性",
    "Ⅲ-3 リスク1 業務で使用するその他のシステムにおける措置の内容": "III-3 リスク1 事務で使用するその他のシステムにおける措置の内容",
}
# Option texts 004 prints shortened; the form's option (as generated) → the seed's text.
SEED_ABBREVIATIONS = {
    "電子記録媒体(フラッシュメモリを除く。)": "電子記録媒体",
    "100万人以上1,000万人未満": "100万人以上1000万人未満",
    "⑥提供方法 その他(ワクチン接種記録システム (VRS))": "⑥提供方法 ワクチン接種記録システム (VRS)",
}
# 004 abridges Ⅲ-5 (項目 「Ⅲ-5 ※詳細省略」): its 変更前 keeps only the three risk headings.
ABRIDGED = {"III-5"}

# Where each seed row's item lives: (part key, path of keys and 1-based group rows).
PLACES: dict[str, tuple[str, tuple[object, ...]]] = {
    "I-1 ②事務の内容": ("basic", ("affair", "description")),
    "I-2 システム7 ②システムの機能": ("basic", ("systems", 7, "functions")),
    "I-5": ("basic", ("number_use", "legal_basis")),
    "I-7 ①部署": ("basic", ("department", "name")),
    "I-7 ②所属長の役職名": ("basic", ("department", "head_title")),
    "（別添1）事務の内容": ("flow", ("diagram",)),
    "II-2 ⑥事務担当部署": ("overview", ("basic", "department")),
    "II-3 ②入手方法": ("overview", ("acquisition_use", "methods")),
    "II-3 ③入手の時期・頻度": ("overview", ("acquisition_use", "timing")),
    "II-3 ④入手に係る妥当性": ("overview", ("acquisition_use", "validity")),
    "II-3 ⑤本人への明示": ("overview", ("acquisition_use", "notice")),
    "II-3 ⑦使用の主体 使用部署": ("overview", ("acquisition_use", "users", "departments")),
    "II-3 ⑧使用方法": ("overview", ("acquisition_use", "usage")),
    "II-3 ⑧使用方法 情報の突合": ("overview", ("acquisition_use", "matching")),
    "II-4 委託事項2": ("overview", ("outsourcing", "items", 2, "title")),
    "II-4 委託事項2 ①委託内容": ("overview", ("outsourcing", "items", 2, "content")),
    "II-4 委託事項2 ②取扱いを委託する特定個人情報ファイルの範囲 その妥当性": (
        "overview",
        ("outsourcing", "items", 2, "scope_validity"),
    ),
    "II-4 委託事項2 ④委託先への特定個人情報ファイルの提供方法": (
        "overview",
        ("outsourcing", "items", 2, "transfer_methods"),
    ),
    "II-6 ①保管場所": ("overview", ("storage", "location")),
    "III-2 リスク1 対象者以外の情報の入手を防止するための措置の内容": (
        "risk",
        ("acquisition", "r1", "non_subject"),
    ),
    "III-2 リスク1 必要な情報以外を入手することを防止するための措置の内容": (
        "risk",
        ("acquisition", "r1", "unneeded_info"),
    ),
    "III-2 リスク2 リスクに対する措置の内容": ("risk", ("acquisition", "r2", "measures")),
    "III-2 リスク3 入手の際の本人確認の措置の内容": (
        "risk",
        ("acquisition", "r3", "identity_check"),
    ),
    "III-2 リスク3 特定個人情報の正確性確保の措置の内容": (
        "risk",
        ("acquisition", "r3", "accuracy"),
    ),
    "III-2 リスク4 リスクに対する措置の内容": ("risk", ("acquisition", "r4", "measures")),
    "III-3 リスク1 事務で使用するその他のシステムにおける措置の内容": (
        "risk",
        ("use", "r1", "other_systems"),
    ),
    "III-3 特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置": (
        "risk",
        ("use", "other_risks"),
    ),
    "III-4 情報保護管理体制の確認": ("risk", ("outsourcing", "protection_check")),
    "III-7 リスク1 ⑥技術的対策 具体的な対策の内容": ("risk", ("storage", "r1", "technical_detail")),
    "IV-1 ①自己点検 具体的なチェック方法": ("other_risk", ("audit", "self_check_detail")),
    "IV-1 ②監査 具体的な内容": ("other_risk", ("audit", "audit_detail")),
    "IV-2 従業者に対する教育・啓発 具体的な方法": ("other_risk", ("training", "detail")),
    "IV-3": ("other_risk", ("other",)),
    "V-2 ①連絡先": ("inquiry", ("contact", "address")),
}
# Checkbox items: the seed prints them as text; these are the options behind that text.
INTAKE = [
    "紙",
    "電子記録媒体(フラッシュメモリを除く。)",
    "庁内連携システム",
    "情報提供ネットワークシステム",
]
CHECKBOXES = {
    "II-3 ②入手方法": (
        [
            *INTAKE,
            {
                "その他": "ワクチン接種記録システム(VRS)(新型コロナウイルス感染症予防接種証明書電子交付機能を含む。)、"
                "コンビニエンスストア等のキオスク端末及び証明書交付センターシステム"
            },
        ],
        [*INTAKE, {"その他": "ワクチン接種記録システム(VRS)"}],
    ),
    "II-4 委託事項2 ④委託先への特定個人情報ファイルの提供方法": (
        [
            {
                "その他": "L2WAY回線を用いた提供 (VRS本体、コンビニエンスストア等)を用いた提供 "
                "(新型コロナウイルス感染症予防接種証明書電子交付機能)"
            }
        ],
        [{"その他": "L2WAY回線を用いた提供"}],
    ),
}
REMOVED_RECIPIENT = {  # II-5 提供先2 as the seed's 変更前 lists it
    "name": "市区町村長",
    "legal_basis": "番号法第19条第16号",
    "purpose": "新型コロナウイルス感染症対策に係る予防接種事務",
    "information": "市区町村コード及び転入者の個人番号",
    "subject_count": "100万人以上1,000万人未満",
    "subject_scope": "「2. 基本情報 ③対象となる本人の範囲」と同じ",
    "methods": [{"その他": "ワクチン接種記録システム (VRS)"}],
    "timing": "札幌市への転入者について、転出先市区町村へ接種記録の照会を行う必要性が生じた都度",
}
EXCEPTIONS = {  # 重要な変更に該当しない理由 for the ※ rows 札幌市 submitted 事後
    "VRSの機能廃止": "機能の廃止であり、リスクを明らかに軽減させる変更",
    "管轄省庁の変更": "所管省庁名の変更であり、形式的な変更",
    "機構変更": "組織名称の変更であり、形式的な変更",
}


# --------------------------------------------------------------------------- the seed table


def cell_text(cell: str) -> str:
    """Return a cell's text: paragraphs for <p>, tags removed (a <…> starting with CJK is text)."""
    text = re.sub(r"</p>|<br\s*/?>", "\n\n", cell)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def seed_rows() -> list[dict[str, str]]:
    """Return the seed's rows as 変更日, 項目, 変更前, 変更後, 提出時期, 説明 (merged cells split)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("変更日\t"))
    rows = []
    for line in (x for x in lines[start + 1 :] if x.strip()):
        cells = line.split("\t")
        if len(cells) < 6:  # 004 merges 変更日+項目 and sometimes 提出時期+説明 into one cell
            head = [p for p in cell_text(cells[0]).split("\n\n") if p]
            tail = [p for c in cells[3:] for p in cell_text(c).split("\n\n") if p]
            cells = [head[0], " ".join(head[1:]), cells[1], cells[2], tail[0], " ".join(tail[1:])]
        keys = ("date", "item", "before", "after", "timing", "reason")
        rows.append(dict(zip(keys, (cell_text(c) for c in cells), strict=True)))
    return rows


def generated_path(seed_item: str) -> str:
    """Return the path the generator prints for a seed 項目."""
    fixed = SEED_ITEMS.get(seed_item, seed_item)
    return next(p for p in [*PLACES, "II-5 提供先2", "III-5"] if path_key(p) == path_key(fixed))


def squash(text: str) -> str:
    """Return text for comparison: NFKC, no HTML tags, no whitespace, empty markers empty."""
    text = unicodedata.normalize("NFKC", re.sub(r"</?[A-Za-z][^>]*>", "", text))
    text = re.sub(r"\[[O〇]\]", "[○]", re.sub(r"\s+", "", text))
    return "" if text in ("-", "－", "—", "―") else text


def as_seed_prints(text: str) -> str:
    """Return generated text with the form's option texts shortened as 004 prints them."""
    for form_text, seed_text in SEED_ABBREVIATIONS.items():
        text = text.replace(form_text, seed_text)
    return text


# --------------------------------------------------------------------------- the evaluation


def plain(value: object, spec: ItemSpec) -> object:
    """Return a bound value as an author writes it in YAML."""
    if isinstance(value, Pick):
        return (
            {value.label: value.count if value.count is not None else value.detail}
            if (value.detail or value.count is not None)
            else value.label
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.kind == "table" and isinstance(value, tuple):
        return [
            {c.label: plain(row.get(c.key), c) for c in spec.children if row.get(c.key) is not None}
            for row in value
        ]
    if isinstance(value, tuple):
        return [plain(v, spec) for v in value]
    if isinstance(value, str) and spec.kind == "text":  # expanded clause text, without its fences
        return re.sub(r"^:::.*\n?", "", value, flags=re.MULTILINE).strip("\n")
    return value


def tree(items: tuple[ItemSpec, ...], block: Block) -> dict[str, object]:
    """Return a bound block as a key-addressed YAML mapping."""
    out: dict[str, object] = {}
    for spec in items:
        entry = block.entries.get(spec.key)
        if isinstance(entry, Field) and entry.value is not None:
            out[spec.key] = plain(entry.value, spec)
        elif isinstance(entry, Block):
            out[spec.key] = tree(spec.children, entry)
        elif isinstance(entry, Rows):
            out[spec.key] = [tree(spec.children, row) for row in entry.rows]
    return out


def base_parts() -> dict[tuple[str, int], dict[str, object]]:
    """Return mihon-jumin's parts as YAML trees, by (part key, file number), file (1) only."""
    evaluation = next(e for e in check(Config(REPO)).evaluations if e.id == "mihon-jumin")
    parts = {
        (p.spec.key, p.number): tree(p.spec.items, p.block)
        for p in evaluation.parts
        if p.number < 2
    }
    parts[("basic", 0)]["file_names"] = [parts[("overview", 1)]["name"]]
    return parts


def place(parts: dict, part: str, path: tuple[object, ...]) -> tuple[dict, object]:
    """Return the mapping that holds an item and the item's key, making group rows as needed."""
    node = parts[(part, 1 if part in ("overview", "risk") else 0)]
    for step in path[:-1]:
        if isinstance(step, int):
            while len(node) < step:
                node.append(dict(node[-1]))
            node = node[step - 1]
        else:
            node = node.setdefault(step, {})
    return node, path[-1]


def version(rows: list[dict[str, str]], side: str) -> dict[tuple[str, int], dict[str, object]]:
    """Return the evaluation's parts with every seed row's item holding its 変更前 or 変更後 text."""
    parts = base_parts()
    systems = parts[("basic", 0)]["systems"]
    while len(systems) < 7:  # distinct names: rows are matched by them
        systems.append({**systems[0], "name": f"見本システム{len(systems) + 1}"})
    for row in rows:
        path = generated_path(row["item"])
        if path in PLACES:
            node, key = place(parts, *PLACES[path])
            text = row[side] or "-"
            node[key] = CHECKBOXES[path][side == "after"] if path in CHECKBOXES else text
    overview, risk = parts[("overview", 1)], parts[("risk", 1)]
    recipients = overview["provision"]["recipients"]
    status = overview["provision"]["status"]
    if side == "before":
        recipients.append(REMOVED_RECIPIENT)
    overview["provision"]["status"] = [
        {label: len(recipients)} if label == "提供を行っている" else {label: count}
        for entry in status
        for label, count in entry.items()
    ]
    if side == "after":
        risk["provision"] = {"not_provided": True}
    return parts


class _Written(yaml.SafeDumper):
    """A dumper that writes every value out, as an author does: pia refuses YAML aliases
    (yaml.alias), and the parts share lists (CHECKBOXES, copied group rows)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(values: object) -> str:
    """Return values as the YAML an author writes (no aliases, unsorted, Unicode as is)."""
    return yaml.dump(values, Dumper=_Written, allow_unicode=True, sort_keys=False, width=1000)


def files(
    parts: dict[tuple[str, int], dict[str, object]], published: dt.date
) -> Iterator[tuple[str, str]]:
    """Yield (file name, text) of the evaluation folder."""
    parts[("cover", 0)]["publication_date"] = published.isoformat()
    grouped: dict[str, dict[str, object]] = {}
    names = {
        "cover": "evaluation.md",
        "basic": "1-basic.md",
        "flow": "1-basic.md",
        "overview": "2-file-1.md",
        "records": "2-file-1.md",
        "risk": "3-risk-1.md",
        "other_risk": "4-other.md",
        "inquiry": "5-inquiry.md",
        "procedure": "6-procedure.md",
        "changes": "history.yml",
    }
    for (key, _), values in parts.items():
        grouped.setdefault(names[key], {}).update(values)
    for name, values in grouped.items():
        text = dump(values)
        yield name, text if name.endswith(".yml") else f"---\n{text}---\n"


def submissions(rows: list[dict[str, str]]) -> str:
    """Return changes.yml giving each row its 提出時期 and 説明 (and 変更日 when not the 公表日)."""
    entries: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        date = row["date"] if parse_date(row["date"]) != V2 else ""
        entries.setdefault((row["timing"], row["reason"], date), []).append(
            generated_path(row["item"])
        )
    out = []
    for (timing, reason, date), items in entries.items():
        entry: dict[str, object] = {"項目": items, "提出時期": timing, "提出時期に係る説明": reason}
        entry |= {"変更日": date} if date else {}
        exception = next((v for k, v in EXCEPTIONS.items() if reason.startswith(k)), "")
        entry |= {"重要な変更に該当しない理由": exception} if timing == "事後" and exception else {}
        out.append(entry)
    return dump({"変更": out})
