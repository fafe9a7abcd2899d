"""The world map (builder.site.worldmap) on the real vendored boundaries and the real registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from builder.archive.registry_load import load_registry
from builder.site.worldmap import BINS, bins, load_world, world_map_svg

REPO = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
# Registry states with an ISO code that Natural Earth's 1:50m admin-0 map does not draw.
ABSENT_FROM_NATURAL_EARTH = {"TUV"}  # Tuvalu: atolls below 1:50m
# Natural Earth land without an ISO 3166-1 code: drawn, never linked.
WITHOUT_ISO_CODE = {"Indian Ocean Ter.", "Kosovo", "N. Cyprus", "Siachen Glacier", "Somaliland"}
CSS = REPO / "site_overrides" / "assets" / "stylesheets" / "briefings.css"
PAGE_BACKGROUNDS = {"default": "#ffffff", "slate": "#1e2129"}  # Material: white; hsl(225, 15%, 14%)


@pytest.fixture(scope="module")
def states():
    registry = load_registry(REPO / "registry")
    return {actor.iso_alpha3: actor for actor in registry.actors if actor.type == "state" and actor.iso_alpha3}


@pytest.fixture(scope="module")
def world():
    return load_world()


def figure(html: str) -> etree._Element:
    return etree.fromstring(html.encode("utf-8"))  # raises on anything that is not well-formed


def links(root: etree._Element) -> dict[str, etree._Element]:
    return {a.get("href"): a for a in root.iter(f"{SVG}a")}


def full_map(states, counts=None, **kwargs) -> str:
    counts = counts if counts is not None else {code: 1 + n % 60 for n, code in enumerate(sorted(states))}
    return world_map_svg(
        counts, lambda code: f"../actors/{states[code].id}/", lambda code: states[code].name, caption="Briefings per state", **kwargs
    )


def test_every_registry_state_with_a_code_is_on_the_map(states, world):
    assert {code for code in states if code not in world.states} == ABSENT_FROM_NATURAL_EARTH
    assert set(world.other) == WITHOUT_ISO_CODE
    assert "ATA" not in world.states  # Antarctica is left out


def test_no_ring_crosses_the_map_so_the_antimeridian_was_cut(world):
    for code, shape in world.states.items():
        for ring in shape.d.split("M")[1:]:
            numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
            x, xs = numbers[0], [numbers[0]]
            for dx in numbers[2::2]:
                x += dx
                xs.append(x)
            assert max(xs) - min(xs) < world.width / 2, code
    # Russia's mainland ends at 180°: Chukotka beyond it is drawn at the far left.
    russia = world.states["RUS"]
    assert russia.box[2] - russia.box[0] < world.width / 2
    assert russia.bounds[0] < world.width / 4 and russia.bounds[2] > world.width * 3 / 4


def test_linked_states_have_their_link_label_and_title(states):
    html = full_map(states)
    root = figure(html)
    svg = root.find(f"{SVG}svg")
    assert svg.get("role") == "group" and svg.get("aria-labelledby") == "ba-map-caption"
    assert root.find(".//span[@id='ba-map-caption']").text == "Briefings per state"
    found = links(root)
    drawn = [code for code in states if code not in ABSENT_FROM_NATURAL_EARTH]
    assert len(found) == len(drawn)
    for code in drawn:
        a = found[f"../actors/{states[code].id}/"]
        count = 1 + sorted(states).index(code) % 60
        label = f"{states[code].name}: {count} briefing{'' if count == 1 else 's'}"
        assert a.get("aria-label") == label
        assert a.find(f"{SVG}title").text == label
        assert re.fullmatch(r"ba-map__bin-[1-5]", a.get("class"))
        assert a.find(f"{SVG}path") is not None or a.find(f"{SVG}circle") is not None


def test_a_state_without_briefings_is_not_linked(states):
    counts = {"MLI": 12, "FRA": 3, "NER": 0}
    html = full_map(states, counts)
    found = links(figure(html))
    assert sorted(found) == ["../actors/france/", "../actors/mali/"]
    assert found["../actors/mali/"].get("aria-label") == "Mali: 12 briefings"
    assert "Niger" not in html
    assert 'class="ba-map__none"' in html
    legend = ["".join(li.itertext()) for li in figure(html).iter("li")]
    assert legend == ["3 briefings (1 state)", "12 briefings (1 state)", "no briefing (1 state)"]  # NER; not every territory


def test_a_small_state_gets_a_marker(states):
    root = figure(full_map(states, {"SGP": 2, "BHR": 1}))
    for a in links(root).values():
        assert a.find(f"{SVG}circle") is not None


def test_output_is_deterministic(states):
    counts = {code: len(code) + ord(code[0]) % 7 for code in states}
    assert full_map(states, counts) == full_map(states, dict(reversed(list(counts.items()))))
    europe = {code for code, actor in states.items() if actor.region == "Europe"}
    assert full_map(states, counts, region=europe) == full_map(states, counts, region=sorted(europe))


def test_a_hostile_name_and_link_are_escaped():
    name = '<script>alert("x")</script> & co'
    html = world_map_svg({"MLI": 1}, lambda code: '"><script>x</script>', lambda code: name, caption="<b>map</b>")
    assert "<script>" not in html and "<b>" not in html
    root = figure(html)
    (a,) = root.iter(f"{SVG}a")
    assert a.get("href") == '"><script>x</script>'
    assert a.find(f"{SVG}title").text == f"{name}: 1 briefing"
    assert root.find(".//span[@id='ba-map-caption']").text == "<b>map</b>"


def test_the_full_map_with_every_state_linked_fits_in_150_kb(states):
    html = full_map(states, {code: 100 + n for n, code in enumerate(states)})
    assert len(links(figure(html))) >= 190
    assert len(html.encode("utf-8")) < 150_000


def test_a_region_map_is_cropped_to_its_states_and_links_only_them(states, world):
    mena = {code for code, actor in states.items() if actor.region == "Middle East and North Africa"}
    counts = {code: 5 for code in states}
    root = figure(full_map(states, counts, region=mena))
    x, y, width, height = (float(v) for v in root.find(f"{SVG}svg").get("viewBox").split())
    assert width < world.width / 2 and height < world.height / 2
    for code in mena:  # every state of the region is in view
        box = world.states[code].box
        assert x <= box[0] and box[2] <= x + width and y <= box[1] and box[3] <= y + height, code
    assert sorted(links(root)) == sorted(f"../actors/{states[code].id}/" for code in mena)
    assert 'class="ba-map__context"' in full_map(states, counts, region=mena)  # neighbours drawn, unlinked


def test_bins_cover_the_counts_in_order():
    assert bins([]) == [] and bins([0, 0]) == []
    assert bins([3, 1, 1, 0]) == [(1, 1), (3, 3)]
    counts = [1] * 50 + list(range(2, 40)) + [250]
    ranges = bins(counts)
    assert len(ranges) <= BINS
    assert ranges[0][0] == 1 and ranges[-1][1] == 250
    assert all(high + 1 == next_low for (_, high), (next_low, _) in zip(ranges, ranges[1:]))
    assert all(low <= high for low, high in ranges)


def test_fewer_bins_use_the_darkest_colours(states):
    html = full_map(states, {"MLI": 1, "FRA": 2})
    assert 'class="ba-map__bin-4"' in html and 'class="ba-map__bin-5"' in html and "ba-map__bin-1" not in html


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_darker_bins_have_3_to_1_contrast_in_both_schemes():
    css = CSS.read_text(encoding="utf-8")
    blocks = {
        "default": re.search(r":root \{([^}]*--ba-map-bin-1[^}]*)\}", css).group(1),
        "slate": re.search(r'\[data-md-color-scheme="slate"\] \{([^}]*--ba-map-bin-1[^}]*)\}', css).group(1),
    }
    for scheme, block in blocks.items():
        colours = dict(re.findall(r"--ba-map-([a-z0-9-]+): (#[0-9a-f]{6});", block))
        for number in (3, 4, 5):
            assert _contrast(colours[f"bin-{number}"], PAGE_BACKGROUNDS[scheme]) >= 3, (scheme, number)
