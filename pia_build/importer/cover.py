"""Complete the cover with what the printed evaluation does not show.

様式, 様式の版, 評価実施機関 and 状態 come from the import itself. The しきい値判断 items live in
the accompanying 基礎項目評価書: 対象人数 is copied from the item the form says must agree with
it, and 取扱者数 / 重大事故 are inferred only when the declared form and しきい値判断結果 leave a
single possibility (checked with the same rule ``pia check`` applies).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pia_build.check.rules import check_threshold
from pia_build.core.diagnostics import Diagnostic, Location, warning
from pia_build.core.labels import normalise
from pia_build.forms.spec import FormSpec
from pia_build.forms.types import Pick
from pia_build.importer.write import Trees
from pia_build.source.shapes import Block, Field, PartData

_ROLES = ("handlers", "incident")


def complete_cover(
    form: FormSpec, trees: Trees, org_id: str | None, draft: bool, where: Location
) -> list[Diagnostic]:
    """Fill the cover's unprinted items in ``trees``; return notes on what was inferred."""
    cover = trees.setdefault(("cover", 0), {})
    published = cover.get("publication_date")
    cover.update(form=form.name, edition=form.edition, org=org_id)
    status = _options(form, "cover.status")  # printed order: draft first, published last
    if status:
        cover["status"] = status[0] if draft or not published else status[-1]
    notes = (
        [] if org_id else [warning("import.org", where, "no --org given: 評価実施機関 is empty")]
    )
    _copy_agreed(form, trees)
    return notes + _infer_threshold(form, trees, where)


def _get(form: FormSpec, trees: Trees, path: str) -> object:
    """Return the imported value at ``part.key.key`` (file 1 for per-file parts)."""
    part_key, *keys = path.split(".")
    part = next(p for p in form.parts if p.key == part_key)
    node: object = trees.get((part_key, 1 if part.per_file else 0), {})
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _set(trees: Trees, path: str, value: object) -> None:
    part_key, *keys = path.split(".")
    node = trees.setdefault((part_key, 0), {})
    for key in keys[:-1]:
        node = node.setdefault(key, {})  # type: ignore[assignment]
    node[keys[-1]] = value


def _copy_agreed(form: FormSpec, trees: Trees) -> None:
    """Copy a value into an unprinted cover item from the printed item it must agree with."""
    for rule in form.agree:
        a, b = rule.get("a", ""), rule.get("b", "")
        if rule.get("rule") != "same" or not b.startswith("cover.") or _get(form, trees, b):
            continue
        source, target, value = form.item(a), form.item(b), _get(form, trees, a)
        if source is None or target is None or not isinstance(value, str):
            continue
        labels = [normalise(o.label) for o in source.options]
        same_text = [o.label for o in target.options if normalise(o.label) == normalise(value)]
        if same_text:
            _set(trees, b, same_text[0])
        elif normalise(value) in labels and labels.index(normalise(value)) < len(target.options):
            _set(trees, b, target.options[labels.index(normalise(value))].label)


def _infer_threshold(form: FormSpec, trees: Trees, where: Location) -> list[Diagnostic]:
    """Infer 取扱者数 and 重大事故 where the declared result leaves one possibility."""
    paths = {role: form.threshold.get(role, "") for role in _ROLES}
    missing = [r for r in _ROLES if paths[r] and not _get(form, trees, paths[r])]
    if not missing or not _get(form, trees, form.threshold.get("population", "")):
        return []
    choices = [_options(form, paths[r]) for r in missing]
    fits = [dict(zip(missing, combo, strict=True)) for combo in itertools.product(*choices)]
    fits = [f for f in fits if not check_threshold(form, list(_parts(form, trees, f)))]
    notes = []
    for role in missing:
        values = {f[role] for f in fits}
        label = form.item(paths[role]).label  # type: ignore[union-attr]
        result = form.item(form.threshold.get("result", ""))
        if len(values) == 1:
            _set(trees, paths[role], values.pop())
            message = f"{label} is not printed; inferred from the form and " + (
                result.label if result else "the しきい値判断"
            )
        else:
            message = f"{label} is not printed: copy it from the 基礎項目評価書"
        notes.append(warning("import.threshold", where, message))
    return notes


def _options(form: FormSpec, path: str) -> list[str]:
    spec = form.item(path)
    return [o.label for o in spec.options] if spec else []


def _parts(form: FormSpec, trees: Trees, trial: dict[str, str]) -> Iterator[PartData]:
    """Yield minimal bound parts holding the しきい値判断 items, with ``trial`` filled in."""
    by_part: dict[str, dict[str, object]] = {}
    for role, path in form.threshold.items():
        value = trial.get(role) or _get(form, trees, path)
        if isinstance(value, str):
            part_key, *keys = path.split(".")
            node = by_part.setdefault(part_key, {})
            for key in keys[:-1]:
                node = node.setdefault(key, {})  # type: ignore[assignment]
            node[keys[-1]] = Field(Pick(value), Location(""))
    for part_key, entries in by_part.items():
        spec = form.part(part_key)
        yield PartData(spec, 0, _block(entries), "")


def _block(entries: dict[str, object]) -> Block:
    return Block(
        {k: _block(v) if isinstance(v, dict) else v for k, v in entries.items()},  # type: ignore[misc]
        Location(""),
    )
