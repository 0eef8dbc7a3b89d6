"""``pia new``: write a blank evaluation with every item of its form in place, like the blank 様式.

Structured items go into front matter with empty values; prose items become headings. The
only writes to content/ happen here, atomically, and never over an existing folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from pia_build.building.output import write_atomic
from pia_build.core.config import Config
from pia_build.forms import builtin_forms
from pia_build.forms.spec import FormSpec, ItemSpec, Option, PartSpec
from pia_build.source.ids import id_problem
from pia_build.source.orgs import load_orgs


class ScaffoldError(Exception):
    """The evaluation cannot be created as asked."""


class BlankDumper(yaml.SafeDumper):
    """YAML that leaves empty values blank (``①部署:``) instead of writing ``null``."""


BlankDumper.add_representer(
    type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", "")
)


def new_evaluation(config: Config, evaluation_id: str, form_id: str, org_id: str) -> list[Path]:
    """Write the blank evaluation and return the paths written."""
    problem = id_problem(evaluation_id)
    if problem:
        raise ScaffoldError(f"{problem}; nothing was written")
    form = builtin_forms()[form_id]
    orgs, _ = load_orgs(config.content, config.root)
    if org_id not in orgs:
        raise ScaffoldError(
            f"there is no profile content/orgs/{org_id}.yml (profiles: {', '.join(orgs) or 'none'})"
        )
    folder = config.content / "evaluations" / evaluation_id
    if folder.exists():
        raise ScaffoldError(
            f"{folder.relative_to(config.root)} already exists; nothing was written"
        )
    defaults = _cover_defaults(form, org_id, orgs[org_id])
    files = blank_files(form, defaults, orgs[org_id])
    folder.mkdir(parents=True)
    written = []
    for name, text in files.items():
        write_atomic(folder / name, text.encode("utf-8"))
        written.append(folder / name)
    return written


def _cover_defaults(form: FormSpec, org_id: str, org: Mapping[str, object]) -> dict[str, object]:
    """Return the cover values known before the author starts."""
    return {
        "form": form.name,
        "edition": form.edition,
        "org": org_id,
        "status": "案",
        "assessor_name": org.get("評価実施機関名"),
    }


def blank_files(
    form: FormSpec, cover: dict[str, object], org: Mapping[str, object] | None = None
) -> dict[str, str]:
    """Return file name → text of a blank evaluation of ``form`` (one file per part file).

    Prose the organisation profile holds (請求先, 連絡先) is filled with a reference to it.
    """
    by_file: dict[str, list[PartSpec]] = {}
    for part in form.parts:
        by_file.setdefault(part.file.replace("{n}", "1"), []).append(part)
    files = {}
    for name, parts in by_file.items():
        values = {"cover": cover} if parts[0].key == "cover" else {}
        files[name] = _blank_file(name, parts, values.get("cover", {}), org or {})
    return files


def _blank_file(
    name: str, parts: list[PartSpec], defaults: dict[str, object], org: Mapping[str, object]
) -> str:
    """Return the text of one blank file: every item, with its options or a hint as a comment."""
    lines: list[str] = []
    prose: list[str] = []
    for part in parts:
        lines += front_lines(part.items, defaults, 0)
        prose += _headings(part.items, 1, part.label, org)
    if name.endswith(".yml"):
        return "".join(f"{line}\n" for line in lines)
    body = "\n".join(prose).rstrip("\n")
    front = "".join(f"{line}\n" for line in lines)
    return f"---\n{front}---\n" + (f"\n{body}\n" if body else "")


def source_text(
    name: str, front: dict[str, object], prose: list[str], dumper: type = BlankDumper
) -> str:
    """Return a source file: front matter, then Markdown prose (a .yml file holds only YAML)."""
    dumped = ""
    if front:
        dumped = yaml.dump(front, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    if name.endswith(".yml"):
        return dumped
    body = "\n".join(prose).rstrip("\n")
    return f"---\n{dumped}---\n" + (f"\n{body}\n" if body else "")


def front_lines(
    items: tuple[ItemSpec, ...], defaults: Mapping[str, object], indent: int
) -> list[str]:
    """Return YAML lines of blank items: every non-prose item, choices with their options."""
    lines: list[str] = []
    pad = " " * indent
    for spec in items:
        if spec.kind == "section":
            inner = front_lines(spec.children, {}, indent + 2)
            if inner:
                lines += [f"{pad}{_key(spec.label)}:", *inner]
        elif spec.kind == "group":
            row = front_lines(spec.children, {}, indent + 4)
            if row:
                row[0] = f"{pad}  - {row[0][indent + 4 :]}"
                lines += [f"{pad}{_key(spec.label)}:", *row]
            else:
                lines.append(f"{pad}{_key(spec.label)}: []")
        elif spec.kind != "text":
            lines += _value_lines(spec, defaults.get(spec.key, _blank(spec)), pad)
    return lines


def _key(label: str) -> str:
    """Return a label as a YAML key (quoted only when YAML needs it)."""
    return yaml.dump(label, Dumper=BlankDumper, allow_unicode=True, width=1000).split("\n")[0]


def _value_lines(spec: ItemSpec, value: object, pad: str) -> list[str]:
    """Return the YAML lines of one item and its value, with what it takes as a comment."""
    dumped = yaml.dump(
        {spec.label: value}, Dumper=BlankDumper, allow_unicode=True, sort_keys=False, width=1000
    )
    lines = [pad + line for line in dumped.rstrip("\n").split("\n")]
    comment = item_comment(spec)
    if comment:
        lines[0] = f"{lines[0]}  # {comment}"
    return lines


def item_comment(spec: ItemSpec) -> str:
    """Return what an item takes, in the author's words: its options, or the shape of its value."""
    if spec.kind in ("choice", "multi"):
        options = " | ".join(_option_text(o) for o in spec.options)
        what = "選択肢（該当するものをリストで）" if spec.kind == "multi" else "選択肢"
        return f"{what}: {options}"
    if spec.kind == "table":
        columns = [
            f"{c.label}（{' | '.join(_option_text(o) for o in c.options)}）"
            if c.options
            else c.label
            for c in spec.children
        ]
        return f"1 行ごとに「- 列名: 値」、列: {', '.join(columns)}"
    return {
        "flag": "チェックするなら true、しないなら false",
        "date": "日付: 令和7年4月1日 のように",
        "integer": "件数（整数）",
        "list": "1 行に 1 つ、「- 」で始めて",
        "table": "1 行ごとに「- 列名: 値」",
        "line": "1 行で",
    }.get(spec.kind, "")


def _option_text(option: Option) -> str:
    """Return how an option is written: with ``: 内容`` or ``: 件数`` when it takes them."""
    if option.detail:
        return f"{option.label}: 内容"
    if option.count:
        return f"{option.label}: 件数"
    return option.label


def _blank(spec: ItemSpec) -> object:
    """Return the empty value of a kind."""
    if spec.default is not None:
        return spec.default
    return {"multi": [], "list": [], "table": [], "flag": False}.get(spec.kind)


def _headings(
    items: tuple[ItemSpec, ...], level: int, context: str, org: Mapping[str, object]
) -> list[str]:
    """Return Markdown headings for every prose item, nested like the form, each with a hint."""
    lines: list[str] = []
    hashes = "#" * min(level, 6)
    for spec in items:
        if spec.kind == "section":
            inner = _headings(spec.children, level + 1, spec.label, org)
            if inner:
                lines += [f"{hashes} {spec.label}", "", *inner]
        elif spec.kind == "group":
            inner = _headings(spec.children, level + 1, spec.label, org)
            if inner:
                lines += [f"{hashes} {spec.item_label.replace('{n}', '1')}", "", *inner]
        elif spec.kind == "text":
            lines += [f"{hashes} {spec.label}", "", f"<!-- {prose_hint(spec, context)} -->", ""]
            text = spec.default or _from_profile(spec, org)
            lines += [str(text), ""] if text else []
    return lines


# Prose items whose answer the organisation profile holds: label ending → profile key.
PROFILE_PROSE = {"請求先": "開示請求先", "連絡先": "問合せ先"}


def _from_profile(spec: ItemSpec, org: Mapping[str, object]) -> str:
    """Return ``{{ org.<key> }}`` for a prose item the profile answers, else an empty string."""
    for ending, key in PROFILE_PROSE.items():
        if spec.label.endswith(ending) and org.get(key):
            return f"{{{{ org.{key} }}}}"
    return ""


# What a prose item asks, by words in its label (first match wins); the rest get the general hint.
_HINTS = (
    ("法令上の根拠", "根拠となる法令の名称と条項を書く（例: 番号法第9条第1項 別表第一の…の項）"),
    ("判断の根拠", "そう判断した理由を具体的に書く"),
    ("リスクに対する措置", "このリスクに対して講じている措置を、具体的に文章で書く"),
    ("具体的な", "実際に行っている方法・内容を、具体的に文章で書く"),
    ("事務の内容", "事務の流れと、その中で特定個人情報をどう取り扱うかを文章で書く"),
    ("機能", "システムが持つ機能を、箇条書きか文章で書く"),
    ("宣言", "評価実施機関として、権利利益の保護のための措置を講じていることを宣言する文章"),
    ("請求先", "開示・訂正・利用停止請求の受付窓口（部署名、所在地、電話番号）"),
    ("連絡先", "問合せの窓口（部署名、所在地、電話番号）"),
    ("方法", "どのように行うかを文章で書く"),
    ("内容", "内容を文章で書く"),
    ("備考", "補足があれば書く（なければ空のままでよい）"),
    ("特記事項", "特に記載しておくべき事項があれば書く（なければ空のままでよい）"),
)


def prose_hint(spec: ItemSpec, context: str) -> str:
    """Return a one-line hint of what a prose item asks (from its label and its section)."""
    where = f"「{context}」の" if context else ""
    for word, hint in _HINTS:
        if word in spec.label:
            return f"{where}{spec.label}: {hint}"
    return f"{where}{spec.label}について、文章で書く"


ORG_TEMPLATE = """\
# 団体のプロファイル: この団体のすべての評価書で共通の値 (docs/authoring.md)
団体名:                # 例: 見本市
評価実施機関名:        # 例: 見本市長
開示請求先: |          # Ⅳ/Ⅴ ①請求先: pia new がこの値を参照する {{{{ org.開示請求先 }}}} を書き込む
  〒
問合せ先: |            # ①連絡先: {{{{ org.問合せ先 }}}}
  〒
spelling: {{}}           # 定型文の表記をこの団体の表記に: {{中間サーバー: 中間サーバ}}
# clause_heading: "【{{}}】"  # 定型文の見出しの書き方 (既定 <…>)
"""


def new_org(config: Config, org_id: str) -> Path:
    """Write a profile to fill in at content/orgs/<org_id>.yml and return its path."""
    path = config.content / "orgs" / f"{org_id}.yml"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(config.root)} already exists; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, ORG_TEMPLATE.format().encode("utf-8"))
    return path
