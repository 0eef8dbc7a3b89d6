"""Find standard wording in imported prose: exact matches become clause references, near
matches stay local text and are reported as drift.

Prose is cut into blocks at headings such as ``<中間サーバ・プラットフォームにおける措置>`` or
``【…における措置】``. A headed block is compared with the clauses of the same heading, an
unheaded value with the unheaded clauses that serve the same item. Texts are compared after
folding notation: width (NFKC), spaces, サーバ/サーバー, bullets. Each clause is rendered with
every combination of its fixed-choice and true/false parameters, in the body's own spelling.
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pia_build.core.labels import normalise
from pia_build.forms.spec import FormSpec, ItemSpec
from pia_build.importer.write import Trees
from pia_build.source.clauses import make_environment
from pia_build.source.orgs import apply_spelling
from pia_build.source.sandbox import RUNTIME_ERRORS
from pia_build.source.shapes import Clause

NEAR = 0.8
"""Blocks at least this similar to a clause (but not equal) are reported as drift."""
_MAX_COMBINATIONS = 64
_HEADING = re.compile(r"^\\?([<＜【])([^<＜【>＞】]{2,60})([>＞】])\s*(.*)$")
_MARK = re.compile(r"^標準記載\s*([a-z0-9-]+/[a-z0-9-]+)\s*v[0-9]+\s*(.*)$")
"""The mark our own outputs print before standard text: it names the clause."""


@dataclass(frozen=True)
class Drift:
    """A block of local text that nearly matches a library clause."""

    clause_id: str
    """The nearest clause."""
    similarity: float
    """difflib ratio of the normalised texts (1.0 = equal)."""
    item: str
    """The item, as ``part › item`` labels."""
    differences: tuple[tuple[str, str], ...]
    """(as printed, as in the clause) for each differing stretch, with a little context."""


@dataclass(frozen=True)
class _Variant:
    clause: Clause
    params: tuple[tuple[str, object], ...]
    text: str


def fold(text: str) -> str:
    """Return text in comparison form: NFKC, no spaces or bullets, サーバー folded to サーバ."""
    text = unicodedata.normalize("NFKC", text).replace("\\", "")
    text = re.sub(r"(?m)^\s*(?:[-•・]|[0-9]+\.)\s+", "", text)
    text = text.replace("サーバー", "サーバ")
    return re.sub(r"\s+", "", text)


def _heading_key(text: str) -> str:
    return fold(text)


def render_variants(clause: Clause, org: Mapping[str, object]) -> list[_Variant]:
    """Return the clause rendered with each combination of its choice parameters."""
    axes: list[list[tuple[str, object]]] = []
    for name, spec in clause.params.items():
        choices = spec.get("choices")
        default = spec.get("default")
        values = (
            list(choices)
            if isinstance(choices, list)
            else ([default, not default] if isinstance(default, bool) else [default])
        )
        axes.append([(name, v) for v in values])
    env = make_environment()
    variants = []
    for combo in itertools.islice(itertools.product(*axes), _MAX_COMBINATIONS):
        try:
            body = env.run(
                env.checked(clause.body),
                {
                    **dict(combo),
                    "clause": lambda *a, **k: "",
                    "org": org,
                    "municipality": org.get("団体名", ""),
                },
            )
        except RUNTIME_ERRORS:
            continue
        variants.append(_Variant(clause, tuple(combo), apply_spelling(body.strip(), org)))
    return variants


def use_clauses(
    form: FormSpec,
    trees: Trees,
    library: Mapping[str, Clause],
    org: Mapping[str, object],
) -> list[Drift]:
    """Replace standard blocks in every prose value by clause references; return the drift."""
    variants = [v for c in library.values() for v in render_variants(c, org)]
    matcher = _Matcher(form, variants)
    for (key, number), tree in trees.items():
        part = form.part(key)
        where = part.label + (f" ({number})" if number else "")
        for spec, path, labels, text in list(_texts(part.items, tree, (), ())):
            _put(tree, path, matcher.rewrite(spec, text, " › ".join((where, *labels))))
    return matcher.drift


def _texts(
    items: tuple[ItemSpec, ...], tree: object, path: tuple[str | int, ...], labels: tuple[str, ...]
) -> Iterator[tuple[ItemSpec, tuple[str | int, ...], tuple[str, ...], str]]:
    """Yield (item, path, printed labels, text) for every prose value."""
    if not isinstance(tree, dict):
        return
    for spec in items:
        value = tree.get(spec.key)
        here = (*path, spec.key)
        if spec.kind == "text" and isinstance(value, str):
            yield spec, here, (*labels, spec.label), value
        elif spec.kind == "section":
            yield from _texts(spec.children, value, here, (*labels, spec.label))
        elif spec.kind == "group" and isinstance(value, list):
            for number, row in enumerate(value, start=1):
                label = spec.item_label.replace("{n}", str(number))
                yield from _texts(spec.children, row, (*here, number), (*labels, label))


def _put(tree: dict[str, object], path: tuple[str | int, ...], value: str) -> None:
    node: object = tree
    for key in path[:-1]:
        node = node[key - 1] if isinstance(key, int) else node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]


class _Matcher:
    """Matches prose blocks against rendered clause variants."""

    def __init__(self, form: FormSpec, variants: list[_Variant]) -> None:
        self.form = form
        self.headed: dict[str, list[_Variant]] = {}
        self.unheaded: list[_Variant] = []
        for variant in variants:
            heading = variant.clause.heading
            if heading:
                self.headed.setdefault(_heading_key(heading), []).append(variant)
            else:
                self.unheaded.append(variant)
        self.drift: list[Drift] = []
        self._by_id: dict[str, list[_Variant]] = {}
        for variant in variants:
            self._by_id.setdefault(variant.clause.id, []).append(variant)

    def rewrite(self, spec: ItemSpec, text: str, where: str) -> str:
        """Return the prose with every standard block replaced by its clause reference."""
        out: list[str] = []
        for heading, body, marked in _blocks(text):
            pool = self._by_id.get(marked, []) if marked else self._pool(spec, heading)
            reference = self._match(pool, heading, body, where) if pool and body else None
            if reference is not None:
                out.append(reference)
            else:
                out.append("\n\n".join(p for p in (heading, body) if p))
        return "\n\n".join(p for p in out if p)

    def _pool(self, spec: ItemSpec, heading: str) -> list[_Variant]:
        """Return the clause variants a block may be: same heading (those serving the item
        first, as two clauses may share a text), or unheaded clauses serving the item."""
        if not heading:
            return [v for v in self.unheaded if self._serves(v, spec)]
        match = _HEADING.match(heading)
        pool = self.headed.get(_heading_key(match.group(2)), []) if match else []
        return sorted(pool, key=lambda v: not self._serves(v, spec))

    def _serves(self, variant: _Variant, spec: ItemSpec) -> bool:
        """Return True when the clause names this item among the items it serves."""
        return normalise(spec.label) in normalise(variant.clause.items.get(self.form.id, ""))

    def _match(self, pool: list[_Variant], heading: str, body: str, where: str) -> str | None:
        printed = fold(body)
        best: tuple[float, _Variant] | None = None
        for variant in pool:
            clause = fold(variant.text)
            if clause == printed:
                return _reference(variant)
            matcher = difflib.SequenceMatcher(None, printed, clause, autojunk=False)
            if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
                continue
            ratio = matcher.ratio()
            if best is None or ratio > best[0]:
                best = (ratio, variant)
        if best is not None and best[0] >= NEAR:
            diff = _differences(printed, fold(best[1].text))
            self.drift.append(Drift(best[1].clause.id, round(best[0], 3), where, diff))
        return None


def _reference(variant: _Variant) -> str:
    """Return the ``{{ clause(...) }}`` line for a variant (parameters that differ from default)."""
    params = variant.clause.params
    given = [(n, v) for n, v in variant.params if v != params[n].get("default")]
    args = "".join(f", {n}={_literal(v)}" for n, v in given)
    return f'{{{{ clause("{variant.clause.id}"{args}) }}}}'


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return '"' + str(value).replace('"', '\\"') + '"'


def _blocks(text: str) -> list[tuple[str, str, str]]:
    """Cut prose into (heading, body, marked clause id) blocks.

    A block starts at a heading line or at our own ``標準記載 <id> v<n>`` mark (then the clause
    is known); the first block may have neither.
    """
    blocks: list[tuple[str, list[str], str]] = [("", [], "")]
    for line in text.split("\n"):
        match = _HEADING.match(line.strip())
        mark = _MARK.match(line.strip())
        if mark:
            blocks.append(("", [mark.group(2)] if mark.group(2) else [], mark.group(1)))
        elif match and match.group(2).strip():
            heading = f"{match.group(1)}{match.group(2)}{match.group(3)}"
            body = [match.group(4)] if match.group(4) else []
            if blocks[-1][2] and not blocks[-1][0] and not "".join(blocks[-1][1]).strip():
                blocks[-1] = (heading, body, blocks[-1][2])  # a marked clause's own heading
            else:
                blocks.append((heading, body, ""))
        else:
            blocks[-1][1].append(line)
    return [(h, "\n".join(b).strip("\n"), m) for h, b, m in blocks if h or m or "".join(b).strip()]


def _differences(printed: str, clause: str) -> tuple[tuple[str, str], ...]:
    """Return the differing stretches of two folded texts, with two characters of context."""
    matcher = difflib.SequenceMatcher(None, printed, clause, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.append((printed[max(i1 - 2, 0) : i2 + 2], clause[max(j1 - 2, 0) : j2 + 2]))
    return tuple(out[:8])
