"""Document-wide rules: the cover, the しきい値判断 and personal numbers in published text.

The しきい値判断 follows 特定個人情報保護評価指針 第5 2: 対象人数 sets the base evaluation, and
取扱者数 of 500 or more or a 重大事故 in the past year raises it by one level.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.core.labels import did_you_mean, normalise
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Field, PartData
from pia_build.source.walk import iter_fields, lookup, part_anchor

# Evaluation levels: 0 none required, 1 基礎, 2 基礎+重点, 3 基礎+全項目.
FORM_LEVEL = {"basic": 1, "focused": 2, "full": 3}
LEVEL_NAME = {0: "no evaluation", 1: "a 基礎項目評価書", 2: "a 重点項目評価書", 3: "a 全項目評価書"}
_NUMBER = re.compile(r"(?<![0-9])([0-9]{4})[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")


def check_rules(
    form: FormSpec, parts: list[PartData], orgs: Mapping[str, object]
) -> list[Diagnostic]:
    """Return the problems found by every document-wide rule."""
    return [
        *check_cover(form, parts, orgs),
        *check_threshold(form, parts),
        *check_personal_numbers(parts),
    ]


def _field(
    form: FormSpec, parts: list[PartData], path: str, written: bool = False
) -> tuple[ItemSpec | None, Field | None]:
    """Return the item and its value at ``part.key.key`` (first file for per-file parts).

    The value is None when the item is empty; with ``written``, an unreadable value counts.
    """
    part_key, *keys = path.split(".")
    part = next((p for p in parts if p.spec.key == part_key), None)
    spec, entry = lookup(part, keys) if part is not None else (None, None)
    if not isinstance(entry, Field):
        return spec, None
    keep = entry.value is not None or (written and not entry.valid)
    return spec, entry if keep else None


def _label(value: object) -> str:
    return value.label if isinstance(value, Pick) else str(value or "")


def check_cover(
    form: FormSpec, parts: list[PartData], orgs: Mapping[str, object]
) -> list[Diagnostic]:
    """Check the cover's organisation and publication date."""
    problems: list[Diagnostic] = []
    cover = next(p for p in parts if p.spec.key == "cover")
    top = Location(cover.path, 1)
    # 様式の版 picks the definition (source.bind): an unknown edition is reported there
    _, org = _field(form, parts, "cover.org")
    if org and str(org.value) not in orgs:
        hint = did_you_mean(str(org.value), orgs) or f"; profiles: {', '.join(orgs) or 'none'}"
        message = f"評価実施機関 '{org.value}' has no profile in content/orgs{hint}"
        problems.append(error("org.unknown", org.location, message))
    _, status = _field(form, parts, "cover.status")
    _, published = _field(form, parts, "cover.publication_date", written=True)
    if status and _label(status.value) == "公表" and published is None:
        message = "状態 is 公表, but 公表日 is not filled in"
        problems.append(
            error("cover.publication_date", status.location if status else top, message)
        )
    return problems


def check_threshold(form: FormSpec, parts: list[PartData]) -> list[Diagnostic]:
    """Compare the evaluation the しきい値判断 requires with the declared form and result."""
    found = {role: _field(form, parts, path) for role, path in form.threshold.items()}
    if any(found.get(r, (None, None))[1] is None for r in ("population", "handlers", "incident")):
        return []
    population = _index(*found["population"])
    raised = _index(*found["handlers"]) == 0 or _index(*found["incident"]) == 0
    required = required_level(population, raised)
    facts = "、".join(_label(found[r][1].value) for r in ("population", "handlers", "incident"))  # type: ignore[union-attr]
    problems: list[Diagnostic] = []
    where = found["population"][1].location  # type: ignore[union-attr]
    declared = FORM_LEVEL.get(form.id, 0)
    if declared > 1 and required > declared:
        message = (
            f"しきい値判断 ({facts}) requires {LEVEL_NAME[required]}, but this is a {form.name}"
        )
        problems.append(error("threshold.form", where, message))
    spec, result = found.get("result", (None, None))
    if spec is not None and result is not None and required <= max(declared, 3):
        expected = spec.options[len(spec.options) - 1 - min(required, len(spec.options) - 1)].label
        if normalise(_label(result.value)) != normalise(expected) and not (
            declared > 1 and required > declared
        ):
            message = f"②しきい値判断結果 should be '{expected}' for {facts}"
            problems.append(error("threshold.result", result.location, message))
    return problems


def _index(spec: ItemSpec | None, value: Field | None) -> int:
    """Return the position of the chosen option in its printed list."""
    assert spec is not None and value is not None
    labels = [normalise(o.label) for o in spec.options]
    return labels.index(normalise(_label(value.value)))


def required_level(population: int, raised: bool) -> int:
    """Return the level required by the 対象人数 band and the raising factors."""
    base = {0: 0, 1: 1, 2: 1, 3: 2, 4: 3}[population]
    if raised and population in (2, 3):
        return base + 1
    return base


def check_personal_numbers(parts: list[PartData]) -> list[Diagnostic]:
    """Report any 12-digit number whose check digit makes it a possible 個人番号."""
    problems: list[Diagnostic] = []
    for part in parts:
        for _, field, _ in iter_fields(part.spec.items, part.block, part_anchor(part)):
            for text in _texts(field.value):
                for match in _NUMBER.finditer(unicodedata.normalize("NFKC", text)):
                    digits = "".join(match.groups())
                    if is_personal_number(digits):
                        message = (
                            f"'{digits[:4]}********' passes the 個人番号 check digit; a published "
                            "evaluation must not contain personal data"
                        )
                        problems.append(error("privacy.mynumber", field.location, message))
    return problems


def _texts(value: object) -> Iterator[str]:
    """Yield every piece of text inside a value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Pick):
        yield value.detail
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def is_personal_number(digits: str) -> bool:
    """Return True when a 12-digit string has a valid 個人番号 check digit."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(c) for c in digits[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(digits[11])


_required_level = required_level  # the name tests/test_rules.py imports
