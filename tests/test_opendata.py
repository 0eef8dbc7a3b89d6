"""Open data: each evaluation's items as JSON valid against its form's schema, the CSV of every
item across the body, and the Atom feed of published versions linked from the home page."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO
from jsonschema import Draft202012Validator, FormatChecker

from pia_build.building.build import BuildResult
from pia_build.site.opendata import atom_feed

EVALUATIONS = sorted(p.name for p in (REPO / "content" / "evaluations").iterdir() if p.is_dir())
ATOM = "{http://www.w3.org/2005/Atom}"


def open_data(site: Path, evaluation: str) -> dict:
    return json.loads((site / evaluation / f"{evaluation}.json").read_text(encoding="utf-8"))


def validator(site: Path, data: dict) -> Draft202012Validator:
    schema_path = (site / data["id"] / data["$schema"]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.mark.parametrize("evaluation", EVALUATIONS)
def test_every_evaluation_in_content_is_valid_against_its_form_schema(
    repo_build: tuple[BuildResult, Path], evaluation: str
) -> None:
    _, site = repo_build
    data = open_data(site, evaluation)
    errors = sorted(validator(site, data).iter_errors(data), key=lambda e: e.json_path)
    assert [f"{e.json_path}: {e.message}" for e in errors] == []
    marker = data["form"]["marker"]  # an edition before the markers prints none
    assert marker == "" or marker.startswith(f"[{data['form']['edition']} 様式")
    assert all(item["path"] for item in data["items"])


def test_the_schema_rejects_what_the_form_does_not_allow(
    repo_build: tuple[BuildResult, Path],
) -> None:
    _, site = repo_build
    data = open_data(site, "chiba-yobosesshu")
    check = validator(site, data)
    assert check.is_valid(data)
    choice = next(i for i in data["items"] if i["kind"] == "choice" and i["value"])
    broken = copy.deepcopy(data)
    next(i for i in broken["items"] if i["anchor"] == choice["anchor"])["value"]["label"] = (
        "どれでもない"
    )
    assert not check.is_valid(broken)
    broken = copy.deepcopy(data)
    broken["items"][0]["path"] = "cover.no_such_item"
    assert not check.is_valid(broken)
    broken = copy.deepcopy(data)
    broken["form"]["id"] = "full"
    assert not check.is_valid(broken)


def test_open_data_keeps_values_stars_and_clause_provenance(
    repo_build: tuple[BuildResult, Path],
) -> None:
    _, site = repo_build
    data = open_data(site, "chiba-yobosesshu")
    items = {i["anchor"]: i for i in data["items"]}
    assert data["published"] == "2021-02-03"
    assert items["risk-1.training.method"]["clauses"] == [
        {"id": "chukan-pf/education", "version": 1}
    ]
    rating = items["risk-1.use.r1_linkage.adequacy"]
    assert (rating["label"], rating["value"]) == ("リスクへの対策は十分か", {"label": "十分である"})
    assert any(i.get("star") for i in data["items"])
    page = (site / "chiba-yobosesshu" / "index.html").read_text(encoding="utf-8")
    assert 'href="chiba-yobosesshu.json"' in page


def test_the_csv_holds_every_item_of_every_evaluation(repo_build: tuple[BuildResult, Path]) -> None:
    _, site = repo_build
    text = (site / "data" / "items.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    for evaluation in EVALUATIONS:
        data = open_data(site, evaluation)
        valued = [i for i in data["items"] if "value" in i]
        mine = [r for r in rows if r["評価書"] == evaluation]
        assert [r["anchor"] for r in mine] == [i["anchor"] for i in valued]
    row = next(r for r in rows if r["anchor"] == "risk-1.use.r1_linkage.adequacy")
    assert (row["評価書"], row["値"]) == ("chiba-yobosesshu", "十分である")


def test_the_feed_lists_published_versions_and_the_home_page_links_it(
    repo_build: tuple[BuildResult, Path],
) -> None:
    _, site = repo_build
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert "chiba-yobosesshu/index.html" in links and "kawaguchi-jumin/index.html" not in links
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    for link in links:
        assert (site / link).is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="feed.xml"' in home


def test_the_feed_has_an_entry_per_published_version() -> None:
    summaries = [{"id": "a", "name": "A", "published": "令和7年10月1日", "draft": False}]
    versions = {"a": [dt.date(2025, 4, 1)]}
    feed = ET.fromstring(atom_feed(summaries, versions))
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["A（公表日の更新 令和7年10月1日）", "A（新規公表 令和7年4月1日）"]
    assert atom_feed(summaries, versions) == atom_feed(summaries, versions)
