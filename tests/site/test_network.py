"""The actor networks: the ego network SVG of actor pages (builder/site/network.py) and the
network page's data (builder/site/network_page.py)."""

from __future__ import annotations

import gzip
import json
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from builder import urls
from builder.archive.model import Briefing, BriefingMeta
from builder.site.graph import build_graph
from builder.site.network import EGO_NEIGHBOURS, ego_neighbours, ego_network_figure, ego_network_svg
from builder.site.network_page import ALWAYS_TIES, MAX_EDGES, MIN_WEIGHT, TOP_TIES, network_data, network_json, network_pages

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
TYPES = ("state", "armed-group", "person", "organisation", "operation", "mission", "place")
REGIONS = ("Africa", "Europe", "Eurasia", "Americas")


@dataclass(frozen=True)
class FakeActor:
    id: str
    name: str
    type: str = "state"
    region: str | None = "Africa"
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str | None = None
    country: str | None = None


class FakeRegistry:
    def __init__(self, actors, regions=REGIONS):
        self.actors = list(actors)
        self.regions = list(regions)
        self.by_id = {a.id: a for a in self.actors}

    def get(self, actor_id):
        return self.by_id.get(actor_id)


def briefing(number: int, date: str | None, actors, region: str | None = None) -> Briefing:
    path = f"briefings/{date[:4] if date else 'undated'}/{date or 'x'}-b{number:05d}.md"
    return Briefing(meta=BriefingMeta(title=f"B {number}", date=date, actors=tuple(actors), region=region), body="Text.\n", path=path)


def star(hostile: bool = False):
    """A centre actor tied to 15 others (a-o, tie weights 15..1) plus one unknown id."""
    centre = FakeActor("centre", 'Centre <script>alert("x")</script> & Co' if hostile else "Centre")
    others = [FakeActor(f"actor-{c}", f"Actor {c.upper()}", TYPES[i % len(TYPES)]) for i, c in enumerate("abcdefghijklmno")]
    briefings, number = [], 0
    for weight, other in zip(range(15, 0, -1), others):
        for year in range(weight):
            number += 1
            briefings.append(briefing(number, f"{2015 + year % 8}-0{1 + year % 9}-01", ["centre", other.id, "not-in-registry"]))
    registry = FakeRegistry([centre, *others, FakeActor("unnamed", "Named nowhere")])
    return registry, build_graph(briefings)


# ------------------------------------------------------------------------- ego network


def test_ego_network_keeps_the_strongest_ties_with_a_page():
    registry, graph = star()
    from builder.site.network import HavePages

    top = ego_neighbours("centre", graph, HavePages(registry, graph))
    assert len(top) == EGO_NEIGHBOURS == 12
    assert top[0] == ("actor-a", 15) and top[-1] == ("actor-l", 4)
    assert "not-in-registry" not in dict(top)  # in every briefing, but has no page


def test_ego_network_svg_links_only_to_actor_pages_and_is_deterministic():
    registry, graph = star()
    src = urls.actor_page("centre")
    svg = ego_network_svg(registry.get("centre"), graph, registry, src)
    assert svg == ego_network_svg(registry.get("centre"), graph, registry, src)
    assert "\n" not in svg and len(svg.encode()) < 8_000  # one raw HTML line, a few KB
    root = ET.fromstring(svg)
    links = root.findall(f".//{SVG}a")
    assert len(links) == 12
    hrefs = [link.get(XLINK_HREF) for link in links]
    assert all(re.fullmatch(r"\.\./actor-[a-l]/", href) for href in hrefs), hrefs
    wagner = next(link for link in links if link.get(XLINK_HREF) == "../actor-a/")
    assert wagner.get("aria-label") == "Actor A — 15 shared briefings"
    assert wagner.find(f"{SVG}title").text == "Actor A — 15 shared briefings"
    # Wider and darker for more shared briefings.
    ties = [t for t in root.iter(f"{SVG}line") if t.get("class") == "ba-net__tie"]
    widths = sorted(float(t.get("stroke-width")) for t in ties)
    assert len(ties) == 12 and widths[0] < widths[-1] == 6


def test_ego_network_escapes_a_hostile_name():
    registry, graph = star(hostile=True)
    figure = ego_network_figure(registry.get("centre"), graph, registry, urls.actor_page("centre"))
    assert "<script>" not in figure and "&lt;script&gt;" in figure
    ET.fromstring(figure)  # well-formed: nothing broke out of an attribute or an element


def test_ego_network_is_empty_without_ties():
    registry = FakeRegistry([FakeActor("alone", "Alone")])
    graph = build_graph([briefing(1, "2020-01-01", ["alone"])])
    assert ego_network_figure(registry.get("alone"), graph, registry, urls.actor_page("alone")) == ""


def test_actor_pages_carry_the_ego_network(fixture_pages):
    wagner = fixture_pages["actors/wagner-group/index.md"]
    assert '<figure class="ba-network-figure"><svg' in wagner
    assert "(../../network/index.md)" in wagner  # and a link to the whole network


# ------------------------------------------------------------------------ network page


@pytest.fixture(scope="module")
def fixture_pages():
    from pathlib import Path

    from builder.site.load import load_site
    from sitebuild import FIXTURES

    site = load_site(Path(FIXTURES / "docs"), Path(FIXTURES / "actors.yml"))
    return {page.path: page.content for page in site.pages}


def test_network_data_schema(fixture_pages):
    data = json.loads(fixture_pages[urls.NETWORK_DATA])
    assert data["version"] == 1 and data["years"] == [2021, 2023]
    assert {t["id"] for t in data["types"]} >= {"state", "armed-group"}
    nodes, edges = data["nodes"], data["edges"]
    assert {n["id"] for n in nodes} == {p.split("/")[1] for p in fixture_pages if re.fullmatch(r"actors/[^/]+/index\.md", p)}
    for node in nodes:
        assert set(node) == {"id", "label", "type", "region", "url", "x", "y", "size", "mentions", "first", "last", "counts"}
        assert node["url"] == f"../actors/{node['id']}/" and node["region"] in data["regions"]
        assert node["first"] is None or len(node["counts"]) == node["last"] - node["first"] + 1
        assert sum(node["counts"]) <= node["mentions"]  # undated mentions count in the total only
    for source, target, weight, first, per_year in edges:
        assert 0 <= source < len(nodes) and 0 <= target < len(nodes) and source != target
        assert weight >= 1 and sum(per_year) <= weight and (first is None) == (per_year == [])
    mali = next(i for i, n in enumerate(nodes) if n["id"] == "mali")
    wagner = next(i for i, n in enumerate(nodes) if n["id"] == "wagner-group")
    tie = next(e for e in edges if {e[0], e[1]} == {mali, wagner})
    assert tie[2] == 4 and tie[3] == 2021  # 4 shared briefings, the first in 2021


def test_network_page_links_and_controls(fixture_pages):
    page = fixture_pages[urls.NETWORK]
    assert 'data-ba-graph="graph.json"' in page
    for name in ("from", "to", "type", "region"):
        assert f'<select class="ba-filter__control" name="{name}">' in page
    assert "(../about.md#actor-network)" in page and "(../actors/index.md)" in page
    assert "(network/index.md)" in fixture_pages["index.md"]
    assert "(../network/index.md)" in fixture_pages["actors/index.md"]


def test_network_page_escapes_names_and_regions():
    actors = [FakeActor("a", "A <b>bold</b>", "state", 'Region "<x>"'), FakeActor("b", "B", "weird<type>", None)]
    registry = FakeRegistry(actors, regions=['Region "<x>"'])
    graph = build_graph([briefing(1, "2020-01-01", ["a", "b"], region='Region "<x>"')])
    page, data = network_pages(registry, graph)
    assert "<b>" not in page.content and "<x>" not in page.content and "<type>" not in page.content
    assert json.loads(data.content)["nodes"][0]["label"] == "A <b>bold</b>"  # JSON: data, inserted as text
    assert json.loads(data.content)["nodes"][1]["region"] == 'Region "<x>"'  # no region: the region of its briefings


def synthetic(briefings: int, actors: int, seed: int = 0):
    """An archive like the benchmarks' at scale: popular and rare actors, regional casts."""
    rng = random.Random(seed)
    cast = [FakeActor(f"a{i:04d}", f"Actor {i}", TYPES[i % len(TYPES)], REGIONS[i % len(REGIONS)] if i % 5 else None)
            for i in range(actors)]
    weights = [1 / (1 + i) ** 0.8 for i in range(actors)]
    items = []
    for number in range(briefings):
        count = rng.randint(3, 12)
        chosen = set(rng.choices(range(actors), weights=weights, k=count))
        date = f"{2014 + number % 11}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        items.append(briefing(number, date, [cast[i].id for i in sorted(chosen)], REGIONS[number % len(REGIONS)]))
    return FakeRegistry(cast), build_graph(items)


@pytest.fixture(scope="module")
def big():
    registry, graph = synthetic(10_000, 1_500)
    return registry, graph, network_data(registry, graph)


def test_network_data_caps_hold_at_10000_briefings_and_1500_actors(big):
    registry, graph, data = big
    text = network_json(data)
    assert len(gzip.compress(text.encode(), 9)) < 1_000_000
    edges = data["edges"]
    assert 0 < len(edges) <= MAX_EDGES
    ids = [n["id"] for n in data["nodes"]]
    kept: dict[str, set[str]] = {i: set() for i in ids}
    for source, target, weight, _, _ in edges:
        kept[ids[source]].add(ids[target])
        kept[ids[target]].add(ids[source])
    # Every edge is one of its actors' strongest ties (top TOP_TIES of weight >= MIN_WEIGHT, or top ALWAYS_TIES).
    ranked = {i: [other for other, _ in sorted(graph.together[i].items(), key=lambda item: (-item[1], item[0]))]
              for i in {ids[e[0]] for e in edges} | {ids[e[1]] for e in edges}}
    for source, target, weight, _, _ in edges:
        a, b = ids[source], ids[target]
        best = min(ranked[a].index(b), ranked[b].index(a))
        assert best < ALWAYS_TIES or (weight >= MIN_WEIGHT and best < TOP_TIES)
    # Every actor with a tie keeps at least one.
    assert all(kept[i] for i in ids if graph.together.get(i))


def test_network_data_per_year_weights_add_up(big):
    _, graph, data = big
    ids = [n["id"] for n in data["nodes"]]
    for source, target, weight, first, per_year in data["edges"][:200]:
        assert sum(per_year) == weight == graph.together[ids[source]][ids[target]]  # every briefing is dated here
        assert per_year[0] > 0 and per_year[-1] > 0 and first >= 2014
    for node in data["nodes"][:200]:
        assert sum(node["counts"]) == node["mentions"] == graph.mention_count(node["id"])


def test_network_data_is_deterministic():
    first = network_json(network_data(*synthetic(400, 120, seed=3)))
    assert first == network_json(network_data(*synthetic(400, 120, seed=3)))
    coordinates = re.findall(r'"[xy]":(-?[\d.]+)', first)
    assert coordinates and all(len(c.split(".")[1]) <= 1 for c in coordinates if "." in c)
