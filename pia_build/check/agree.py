"""Agreement between items in different parts, declared in the form's ``agree:`` list.

Three relations cover what the forms require:

* ``same``: two items hold the same option or text (Ⅰ-1 ③対象人数 and the しきい値判断 対象人数;
  Ⅲ 1. and Ⅱ 1. 特定個人情報ファイル名 of the same file);
* ``flag_iff``: a box is checked exactly when another item has a value (Ⅲ-4 委託しない when
  Ⅱ-4 委託の有無 is 委託しない);
* ``listed``: each file's item appears in a list (Ⅰ-3 names every file's Ⅱ 1.).

Per-file items are compared within the same file number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pia_build.core.diagnostics import Diagnostic, error
from pia_build.core.labels import normalise, without_numbering
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.forms.types import Pick
from pia_build.source.shapes import Field, PartData
from pia_build.source.walk import lookup

Found = tuple[ItemSpec, Field | None, PartData]


def check_agreement(
    form: FormSpec, parts: list[PartData], rules: list[Mapping[str, str]]
) -> list[Diagnostic]:
    """Return a diagnostic for every declared agreement that does not hold."""
    problems: list[Diagnostic] = []
    for rule in rules:
        kind = rule["rule"]
        if kind == "same":
            problems += _same(parts, rule["a"], rule["b"])
        elif kind == "flag_iff":
            problems += _flag_iff(parts, rule["flag"], rule["item"], rule["equals"])
        elif kind == "listed":
            problems += _listed(parts, rule["list"], rule["item"])
    return problems


def _find(parts: list[PartData], path: str) -> Iterator[Found]:
    """Yield the item at ``part.key.key…`` in every instance of the part."""
    part_key, *keys = path.split(".")
    for part in parts:
        if part.spec.key != part_key or not part.present:
            continue
        spec, entry = lookup(part, keys)
        assert spec is not None, path
        yield spec, entry if isinstance(entry, Field) and entry.value is not None else None, part


def _text(spec: ItemSpec, field: Field) -> str:
    """Return a value as the author wrote it."""
    value = field.value
    return value.label if isinstance(value, Pick) else str(value)


def _key(spec: ItemSpec, field: Field) -> str:
    """Return a comparison form: the option position for choices, normalised text otherwise."""
    if isinstance(field.value, Pick):
        labels = [normalise(o.label) for o in spec.options]
        wanted = normalise(field.value.label)
        return f"#{labels.index(wanted)}" if wanted in labels else wanted
    return normalise(without_numbering(str(field.value)))


def _same(parts: list[PartData], path_a: str, path_b: str) -> list[Diagnostic]:
    problems = []
    others = {p.number: (s, f) for s, f, p in _find(parts, path_b)}
    for spec_a, field_a, part in _find(parts, path_a):
        spec_b, field_b = others.get(part.number) or others.get(0) or (None, None)
        if field_a is None or field_b is None or spec_b is None:
            continue
        if _key(spec_a, field_a) != _key(spec_b, field_b):
            message = (
                f"{spec_a.label} '{_text(spec_a, field_a)}' does not agree with "
                f"{spec_b.label} '{_text(spec_b, field_b)}' in {field_b.location}"
            )
            problems.append(error("form.agree", field_a.location, message))
    return problems


def _flag_iff(parts: list[PartData], flag: str, path: str, equals: str) -> list[Diagnostic]:
    problems = []
    flags = {p.number: (s, f, p) for s, f, p in _find(parts, flag)}
    for spec, field, part in _find(parts, path):
        if field is None or part.number not in flags:
            continue
        flag_spec, flag_field, flag_part = flags[part.number]
        expected = normalise(_text(spec, field)) == normalise(equals)
        checked = bool(flag_field and flag_field.value)
        if expected != checked:
            state = "be checked" if expected else "not be checked"
            message = f"'{flag_spec.label}' must {state}: {spec.label} is '{_text(spec, field)}' in {field.location}"
            where = flag_field.location if flag_field else flag_part.block.location
            problems.append(error("form.agree", where, message))
    return problems


def _listed(parts: list[PartData], list_path: str, path: str) -> list[Diagnostic]:
    found = list(_find(parts, list_path))
    if not found or found[0][1] is None:
        return []
    list_spec, list_field, _ = found[0]
    assert list_field is not None
    listed = {normalise(without_numbering(str(v))) for v in list_field.value}  # type: ignore[attr-defined]
    problems = []
    for spec, field, _ in _find(parts, path):
        if field is not None and normalise(without_numbering(str(field.value))) not in listed:
            message = f"{spec.label} '{field.value}' is not listed in {list_spec.label} ({list_field.location})"
            problems.append(error("form.agree", field.location, message))
    return problems
