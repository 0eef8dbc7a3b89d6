"""Coverage of the official form definitions in pia_build/forms/ by published documents.

For forms with a seed (tests/seedcases.py): every label printed in a published document of that
form is an item or part label of the definition, ※ in the seed is a star in the definition, and
every option of a printed choice list is printed in the seed. The definitions are read with
PyYAML only (tests/formdefs.py); the sanity checks of every form are in test_form_definitions.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from formdefs import all_items, form_groups, is_starred, label_index, load_form, norm, option_label
from seedcases import SEEDS, SEEDS_DIR, SeedCase


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
        assert norm(printed) != norm(official), printed


@pytest.mark.parametrize(
    "case", [c for c in SEEDS.values() if c.marker], ids=[f for f, c in SEEDS.items() if c.marker]
)
def test_seed_marker(case: SeedCase) -> None:
    form = load_form(case.form)
    marker = f"[{form['edition']} 様式{form['number']}]"
    assert marker in case.heading_lines and marker in case.fixed_text, marker


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_labels_are_defined(case: SeedCase) -> None:
    """Every label the seed prints is a part or item label (or a row header of a group)."""
    form = load_form(case.form)
    index = label_index(form)
    row_headers = {norm(g["item_label"]).replace("{n}", ""): g for g in form_groups(form)}
    missing = []
    for label in _seed_labels(case):
        key = norm(label)
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
    form = load_form(case.form)
    index = label_index(form)
    for label in _seed_labels(case):
        targets = index.get(norm(label), [])
        if "※" in label:
            assert any(is_starred(form, t) for t in targets), f"{label!r} has no star"
        elif targets and not any(t in form["parts"] for t in targets):  # 項目一覧 omits ※
            assert any(not t.get("star") for t in targets), f"{label!r} is printed without ※"


def _printed_choice_items(form: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item, chain in all_items(form):
        if "choices" in item and not any(n.get("print") is False for n in (*chain, item)):
            yield item


@pytest.mark.parametrize("case", list(SEEDS.values()), ids=list(SEEDS))
def test_seed_options_are_printed(case: SeedCase) -> None:
    """Each verified option of a printed list appears in the seed: `n) label` or `] label`."""
    form = load_form(case.form)
    text = _read_seed(case)
    absent = []
    for item in _printed_choice_items(form):
        for number, option in enumerate(form["choices"][item["choices"]], start=1):
            if isinstance(option, dict) and option.get("verified") is False:
                continue
            label = option_label(option)
            printed = f"{number}) {label}" if item["kind"] == "choice" else f"] {label}"
            if printed not in text:
                absent.append(f"{item['choices']}: {printed}")
    assert not absent, f"options not printed in {case.seed}: {absent}"
