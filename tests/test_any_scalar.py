"""Property: whatever scalar an author writes for any item kind, pia answers with diagnostics.

For every form and every item kind, one item of that kind gets an arbitrary YAML scalar written
as the author would type it (unquoted, so it may be a number, a date YAML cannot build, a
broken flow list, a template …). Checking must never raise: every problem is a diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia_build.check.folder import check_folder
from pia_build.forms import all_forms
from pia_build.forms.spec import FormSpec, ItemSpec, PartSpec
from pia_build.scaffold import blank_files
from pia_build.source.clauses import load_library
from pia_build.source.orgs import load_orgs

MINIMAL = Path(__file__).resolve().parent / "projects" / "minimal"
TRICKY = [
    "2025-02-30",
    "2025-13-01",
    "2025-02-29T25:61:00",
    "令和3年2月30日",
    "平成32年4月1日",
    "0x1F",
    "0o17",
    "1_000",
    ".inf",
    "-.nan",
    "~",
    "null",
    "yes",
    "いいえ",
    "[a, b",
    "{a: 1",
    "- x",
    "*alias",
    "&anchor x",
    "!!binary aGVsbG8=",
    "!!python/object:os.system x",
    "'unterminated",
    '"\\x00"',
    "{{ clause('nope') }}",
    "{{ org.nope }}",
    "{% for x in y %}",
    "その他:",
    "その他: ",
    "提供を行っている: -1",
    "：",
    "\t",
    "a: b: c",
    "# comment",
    "|",
    ">-",
    "1234 5678 9018",
    "99999999999999999999999999",
    "1e400",
]
SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(str),
    st.lists(st.sampled_from(TRICKY), max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
)


def _paths(
    items: tuple[ItemSpec, ...], above: tuple[ItemSpec, ...] = ()
) -> Iterator[tuple[ItemSpec, ...]]:
    """Yield the path (sections and groups, then the item) to every item."""
    for spec in items:
        path = (*above, spec)
        yield path
        if spec.kind in ("section", "group"):
            yield from _paths(spec.children, path)


def _one_per_kind(form: FormSpec) -> dict[str, tuple[PartSpec, tuple[ItemSpec, ...]]]:
    """Return kind → (part, path) of the first item of that kind in the form."""
    found: dict[str, tuple[PartSpec, tuple[ItemSpec, ...]]] = {}
    for part in form.parts:
        for path in _paths(part.items):
            found.setdefault(path[-1].kind, (part, path))
    return found


EDITIONS = {f"{f.id}-{f.edition}": f for f in all_forms()}  # every form file, every edition
CASES = [
    (edition, kind, part, path)
    for edition, form in sorted(EDITIONS.items())
    for kind, (part, path) in sorted(_one_per_kind(form).items())
]


def _yaml(path: tuple[ItemSpec, ...], value: str, indent: int = 0) -> str:
    """Return front matter holding only ``value`` at ``path`` (rows as one-entry lists)."""
    pad = " " * indent
    spec, rest = path[0], path[1:]
    key = spec.label if spec.label[0] not in "[{*&!|>'\"%@`#-?:,~" else f"'{spec.label}'"
    if not rest:
        return f"{pad}{key}: {value}\n"
    if spec.kind == "group":
        inner = _yaml(rest, value, indent + 4)
        return f"{pad}{key}:\n{pad}  - {inner[indent + 4 :]}"
    return f"{pad}{key}:\n" + _yaml(rest, value, indent + 2)


@pytest.fixture(scope="module")
def shared() -> tuple:
    library, _ = load_library(MINIMAL / "content", MINIMAL)
    orgs, _ = load_orgs(MINIMAL / "content", MINIMAL)
    return library, orgs


@pytest.mark.parametrize(
    ("edition", "kind", "part", "path"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=SCALARS)
def test_any_scalar_in_any_item_kind_is_a_diagnostic_never_a_traceback(
    edition: str,
    kind: str,
    part: PartSpec,
    path: tuple[ItemSpec, ...],
    value: str,
    tmp_path: Path,
    shared: tuple,
) -> None:
    library, orgs = shared
    form = EDITIONS[edition]
    folder = tmp_path / "content" / "evaluations" / "any"
    folder.mkdir(parents=True, exist_ok=True)
    cover = {"form": form.name, "edition": form.edition, "org": "mihon", "status": "案"}
    files = blank_files(form, cover)
    name = part.file.replace("{n}", "1")
    front = _yaml(path, value)
    files[name] = front if name.endswith(".yml") else f"---\n{front}---\n"
    if part.key == "cover":
        files[name] = f"---\n様式: {form.name}\n{front}---\n"
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    _, _, problems = check_folder(folder, tmp_path, library, orgs)
    for problem in problems:
        assert problem.render().startswith("content/evaluations/any/")
