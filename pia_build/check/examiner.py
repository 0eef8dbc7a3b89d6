"""The checks an examiner makes of a 基礎項目評価書 (様式2) that no single item shows.

* Ⅳ-1 提出する評価書の種類 and the Ⅳ-11 box 全項目評価又は重点項目評価を実施する say the same thing;
* Ⅳ-1 names the 評価書 the しきい値判断 of Ⅱ requires (30万人以上 needs a 全項目評価書 …);
* Ⅳ-11 当該対策は十分か【再掲】 repeats the answer given to the chosen 対策 in Ⅳ-2 … Ⅳ-10.

Also, for every form: a standard clause is used only in an item its ``items:`` metadata lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from pia_build.check.rules import LEVEL_NAME, required_level
from pia_build.core.diagnostics import Diagnostic, error
from pia_build.core.labels import normalise, without_numbering
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Clause, ClauseUse, Field, PartData
from pia_build.source.walk import lookup

# 様式2 Ⅳ-11 最も優先度が高いと考えられる対策: option position → the Ⅳ item whose answer it repeats.
REPEATED = (
    "acquisition.adequacy",
    "use.linkage_adequacy",
    "use.unauthorized_adequacy",
    "outsourcing.adequacy",
    "provision.adequacy",
    "nws.acquire_adequacy",
    "nws.provide_adequacy",
    "storage.adequacy",
    "training.level",
)
RISKS = "risk_summary"
_PATH = re.compile(r"^[IVX]+-[0-9]+\s")


def check_basic_form(form: FormSpec, parts: Sequence[PartData]) -> list[Diagnostic]:
    """Return the examiner's findings on a 基礎項目評価書 (nothing for other forms)."""
    part = next((p for p in parts if p.spec.key == RISKS and p.present), None)
    if form.id != "basic" or part is None:
        return []
    return [*_report_set_flag(part), *_report_set_level(form, parts, part), *_repeat(part)]


def _at(part: PartData, path: str) -> tuple[ItemSpec | None, Field | None]:
    """Return the item at ``key.key`` in a part and its value (None when empty or unreadable)."""
    spec, entry = lookup(part, path.split("."))
    ok = isinstance(entry, Field) and entry.valid and entry.value is not None
    return spec, entry if ok and isinstance(entry, Field) else None


def _label(value: object) -> str:
    return value.label if isinstance(value, Pick) else str(value)


def _report_level(spec: ItemSpec, field: Field) -> int:
    """Return the level Ⅳ-1 names: 1 基礎 only, 2 and 重点, 3 and 全項目 (0 when unknown)."""
    labels = [normalise(o.label) for o in spec.options]
    wanted = normalise(_label(field.value))
    return labels.index(wanted) + 1 if wanted in labels else 0


def _report_set_flag(part: PartData) -> list[Diagnostic]:
    """Ⅳ-1 names a 重点/全項目評価書 exactly when the Ⅳ-11 box is checked."""
    spec, chosen = _at(part, "report_set")
    flag_spec, flag = _at(part, "top_priority.not_applicable")
    if spec is None or chosen is None or flag_spec is None:
        return []
    more = _report_level(spec, chosen) > 1
    checked = bool(flag and flag.value)
    if more == checked or not _report_level(spec, chosen):
        return []
    state = "not checked" if more else "checked"
    message = f"{spec.label} is '{_label(chosen.value)}', but '{flag_spec.label}' is {state}"
    return [error("form.report_set", flag.location if flag else chosen.location, message)]


def _report_set_level(
    form: FormSpec, parts: Sequence[PartData], part: PartData
) -> list[Diagnostic]:
    """Ⅳ-1 names the 評価書 that the しきい値判断 of Ⅱ requires."""
    spec, chosen = _at(part, "report_set")
    facts = [_threshold(form, parts, role) for role in ("population", "handlers", "incident")]
    if spec is None or chosen is None or any(f is None for f in facts):
        return []
    indexes = [i for i, _ in facts]  # type: ignore[misc]
    required = required_level(indexes[0], indexes[1] == 0 or indexes[2] == 0)
    named = _report_level(spec, chosen)
    if not named or named == max(required, 1) or required == 0:
        return []
    shown = "、".join(label for _, label in facts)  # type: ignore[misc]
    message = (
        f"{spec.label} is '{_label(chosen.value)}', but the しきい値判断 ({shown}) requires "
        f"{LEVEL_NAME[required]}"
    )
    return [error("threshold.report_set", chosen.location, message)]


def _threshold(form: FormSpec, parts: Sequence[PartData], role: str) -> tuple[int, str] | None:
    """Return (option position, label) of a しきい値判断 input, or None when it is not answered."""
    path = form.threshold.get(role, "")
    part_key, _, rest = path.partition(".")
    part = next((p for p in parts if p.spec.key == part_key), None)
    if part is None:
        return None
    spec, field = _at(part, rest)
    if spec is None or field is None:
        return None
    labels = [normalise(o.label) for o in spec.options]
    wanted = normalise(_label(field.value))
    return (labels.index(wanted), _label(field.value)) if wanted in labels else None


def _repeat(part: PartData) -> list[Diagnostic]:
    """The 【再掲】 answer of Ⅳ-11 repeats the answer of the 対策 it names."""
    measure_spec, measure = _at(part, "top_priority.measure")
    spec, repeated = _at(part, "top_priority.adequacy")
    if measure_spec is None or measure is None or spec is None or repeated is None:
        return []
    labels = [normalise(o.label) for o in measure_spec.options]
    wanted = normalise(_label(measure.value))
    if wanted not in labels or labels.index(wanted) >= len(REPEATED):
        return []
    source_spec, source = _at(part, REPEATED[labels.index(wanted)])
    if source_spec is None or source is None:
        return []
    if _position(spec, repeated) == _position(source_spec, source):
        return []
    message = (
        f"{spec.label} '{_label(repeated.value)}' differs from what it repeats, "
        f"{source_spec.label} '{_label(source.value)}' in {source.location}"
    )
    return [error("form.repeat", repeated.location, message)]


def _position(spec: ItemSpec, field: Field) -> int:
    """Return the option's position (十分か answers compare by place: 特に力を入れて(行って)いる …)."""
    labels = [normalise(o.label) for o in spec.options]
    wanted = normalise(_label(field.value))
    return labels.index(wanted) if wanted in labels else -1


def check_clause_items(
    form: FormSpec,
    parts: Sequence[PartData],
    uses: Sequence[ClauseUse],
    library: Mapping[str, Clause],
) -> list[Diagnostic]:
    """Report a clause used in an item its ``items:`` metadata does not list for this form."""
    problems: list[Diagnostic] = []
    for use in uses:
        clause = library.get(use.clause_id)
        if clause is None or not clause.items:
            continue
        listed = clause.items.get(form.id)
        place = _place(parts, use.item)
        if place is None or (listed and clause_matches(str(listed), place)):
            continue
        if not any(
            _PATH.match(unicodedata.normalize("NFKC", str(v))) for v in clause.items.values()
        ):
            continue  # items: that name no item path (II-6 …) say nothing to check against
        where = ", ".join(f"{k}: {v}" for k, v in clause.items.items())
        message = f"clause '{use.clause_id}' is not meant for {place[-1]}; its items: are {where}"
        problems.append(error("clause.item", use.location, message))
    return problems


def _place(parts: Sequence[PartData], anchor: str) -> list[str] | None:
    """Return [part-section number, labels …] of the item at a clause use's anchor."""
    first, *keys = anchor.split(".")
    part = next((p for p in parts if _anchor(p) == first), None)
    if part is None:
        return None
    items, labels, number = part.spec.items, [], ""
    for key in keys:
        if key.isdigit():
            continue
        spec = next((i for i in items if i.key == key), None)
        if spec is None:
            return None
        number = number or spec.label.split(".", 1)[0].split("．", 1)[0]
        labels.append(spec.label)
        items = spec.children
    roman = unicodedata.normalize("NFKC", part.spec.label.split(" ", 1)[0])
    return [f"{roman}-{number}", *labels]


def _anchor(part: PartData) -> str:
    return f"{part.spec.key}-{part.number}" if part.number else part.spec.key


def clause_matches(listed: str, place: list[str]) -> bool:
    """Return True when ``II-6 ①保管場所`` names the place: its section and the item's label.

    Words in between (リスク2, a row's header) and notes in brackets (（中間サーバーについて）) are
    for the reader; the section number and the last word decide, which names the item or the
    リスク section holding it.
    """
    words = re.sub(r"[（(][^）)]*[）)]", "", unicodedata.normalize("NFKC", listed)).split()
    if len(words) < 2 or words[0] != place[0]:
        return False
    named = _bare(words[-1])
    return any(named in (_bare(label), _bare(label.split("：")[-1])) for label in place[1:])


def _bare(label: str) -> str:
    """Return a label without numbering, brackets, width or spaces."""
    return normalise(without_numbering(unicodedata.normalize("NFKC", label)))
