"""Briefings per state as a static SVG world map (a choropleth): no JavaScript, no tiles.

Why a static map: it reads without JavaScript, needs no map library or tile server, and is
the same bytes on every build. The boundaries are Natural Earth's (public domain), vendored
from the npm package world-atlas and pre-projected (Equal Earth) into `data/world.json` by
`scripts/vendor_worldmap.py`; the build only reads that file.

Accessibility: the map is a `<figure>` whose `<figcaption>` names the `<svg>`
(`role="group"`, `aria-labelledby`), since it is a group of links, not one image. Each state
with briefings is a focusable link with an `aria-label` and a `<title>` tooltip ("Mali: 12
briefings"); states without briefings are grey and not linked. Colours are CSS classes
(`ba-map__bin-1` .. `ba-map__bin-5`, `ba-map__none`, `ba-map__context`) that
`site_overrides/assets/stylesheets/briefings.css` colours for the light and dark schemes; the
legend below the map (an HTML list) gives each colour's range of briefings and its number of
states. A "skip the map" link lets keyboard users pass its links.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Callable, Collection, Mapping

DATA = Path(__file__).resolve().parent / "data" / "world.json"
BINS = 5  # colour classes for states with briefings
PADDING = 0.06  # a region's crop: this share of its size on each side
MIN_CROP = 240  # a region's crop is at least this wide and high (map units; the world is 2000 wide)
DOT_RADIUS = 0.005  # small states' markers: this share of the view's width


@dataclass(frozen=True)
class Shape:
    d: str  # SVG path data ("" for a state too small to keep a polygon)
    box: tuple[int, int, int, int]  # box of its largest polygon: what a region's crop frames
    bounds: tuple[int, int, int, int]  # box of everything drawn
    dot: tuple[int, int] | None  # where a marker goes when the state is too small to see


@dataclass(frozen=True)
class World:
    width: int
    height: int
    states: dict[str, Shape]  # ISO 3166-1 alpha-3 -> shape
    other: dict[str, Shape]  # land without an ISO code (Kosovo, Somaliland, ...), by Natural Earth name


_NUMBER = re.compile(r"-?\d+")


def _path_bounds(d: str, box: list[int]) -> tuple[int, int, int, int]:
    """The bounds of a path written by the vendoring script ("M x y l dx dy ... z", repeated)."""
    xs, ys = [box[0], box[2]], [box[1], box[3]]
    for ring in d.split("M")[1:]:
        numbers = [int(n) for n in _NUMBER.findall(ring)]
        x, y = numbers[0], numbers[1]
        xs.append(x)
        ys.append(y)
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def _shape(entry: dict) -> Shape:
    dot = entry.get("dot")
    return Shape(entry["d"], tuple(entry["box"]), _path_bounds(entry["d"], entry["box"]), tuple(dot) if dot else None)


@functools.cache
def load_world(path: Path = DATA) -> World:
    data = json.loads(path.read_text(encoding="utf-8"))
    return World(
        data["width"],
        data["height"],
        {code: _shape(entry) for code, entry in data["states"].items()},
        {name: _shape(entry) for name, entry in data["other"].items()},
    )


def bins(counts: Collection[int]) -> list[tuple[int, int]]:
    """Up to `BINS` ranges (low, high) of briefings covering the positive counts, low first.

    Few distinct counts: one bin each. Otherwise quantile breaks over the counts (each state
    weighs one), so every colour is used by about as many states; equal breaks are merged."""
    positive = sorted(c for c in counts if c > 0)
    if not positive:
        return []
    distinct = sorted(set(positive))
    if len(distinct) <= BINS:
        return [(c, c) for c in distinct]
    highs: list[int] = []
    for i in range(1, BINS + 1):
        high = positive[min(len(positive) - 1, -(-i * len(positive) // BINS) - 1)]
        if not highs or high > highs[-1]:
            highs.append(high)
    lows = [positive[0], *(h + 1 for h in highs[:-1])]
    return list(zip(lows, highs))


def _bin_of(count: int, ranges: list[tuple[int, int]]) -> int:
    """1-based colour class of a positive count; with fewer bins than colours, the darkest are used
    (so one bin is the darkest colour, not the palest)."""
    offset = BINS - len(ranges)
    for number, (low, high) in enumerate(ranges, start=1):
        if low <= count <= high:
            return number + offset
    raise ValueError(f"{count} is in no bin")


def _briefings(count: int) -> str:
    return f"{count} briefing{'' if count == 1 else 's'}"


def _legend_item(css_class: str, text: str, states: int) -> str:
    return f'<li><span class="ba-map__swatch {css_class}"></span>{text} <small>({states} state{"" if states == 1 else "s"})</small></li>'


def _crop(world: World, codes: Collection[str]) -> tuple[float, float, float, float]:
    """viewBox (x, y, width, height) around the largest polygons of `codes`, padded."""
    boxes = [world.states[c].box for c in codes if c in world.states]
    if not boxes:
        return 0, 0, world.width, world.height
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    width, height = max(x1 - x0, MIN_CROP), max(y1 - y0, MIN_CROP)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = width * (1 + 2 * PADDING), height * (1 + 2 * PADDING)
    x, y = max(0.0, cx - width / 2), max(0.0, cy - height / 2)
    width, height = min(width, world.width - x), min(height, world.height - y)
    return round(x), round(y), round(width), round(height)


def _overlaps(bounds: tuple[int, int, int, int], view: tuple[float, float, float, float]) -> bool:
    x, y, width, height = view
    return bounds[0] <= x + width and bounds[2] >= x and bounds[1] <= y + height and bounds[3] >= y


def world_map_svg(
    counts: Mapping[str, int],
    href: Callable[[str], str | None],
    name: Callable[[str], str],
    *,
    caption: str,
    region: Collection[str] | None = None,
    map_id: str = "ba-map",
    world: World | None = None,
) -> str:
    """The map as one line of HTML: a `<figure>` with the inline `<svg>`, its caption and legend.

    `counts`: briefings per state (alpha-3 code). `href(code)`: the state's page URL, or None
    for no link; `name(code)`: its name; both are called only for states with briefings.
    `region`: the alpha-3 codes of a region's states: only they are coloured and linked, the
    view is cropped to them, and neighbours in view are drawn as context. `map_id` prefixes the
    ids (one map per page keeps the default)."""
    world = world or load_world()
    shown = [code for code in world.states if region is None or code in region]
    shown_counts = {code: counts.get(code, 0) for code in shown}
    ranges = bins(shown_counts.values())
    view = _crop(world, shown) if region is not None else (0, 0, world.width, world.height)
    radius = max(1, round(view[2] * DOT_RADIUS))

    background: list[str] = []
    if region is not None:
        context = [s.d for code, s in world.states.items() if code not in region and s.d and _overlaps(s.bounds, view)]
        if context:
            background.append(f'<path class="ba-map__context" d="{"".join(context)}"/>')
    none = [s.d for code in shown if not shown_counts[code] and (s := world.states[code]).d]
    none += [s.d for s in world.other.values() if s.d and (region is None or _overlaps(s.bounds, view))]
    if none:
        background.append(f'<path class="ba-map__none" d="{"".join(none)}"/>')

    linked = sorted((code for code in shown if shown_counts[code]), key=lambda code: (name(code), code))
    states: list[str] = []
    bin_states = [0] * (BINS + 1)
    for code in linked:
        shape = world.states[code]
        count = shown_counts[code]
        colour = _bin_of(count, ranges)
        bin_states[colour] += 1
        label = escape(f"{name(code)}: {_briefings(count)}")
        drawing = f'<path d="{shape.d}"/>' if shape.d else ""
        if shape.dot:
            drawing += f'<circle cx="{shape.dot[0]}" cy="{shape.dot[1]}" r="{radius}"/>'
        url = href(code)
        if url is None:
            states.append(f'<g class="ba-map__bin-{colour}"><title>{label}</title>{drawing}</g>')
        else:
            states.append(
                f'<a href="{escape(url)}" aria-label="{label}" class="ba-map__bin-{colour}"><title>{label}</title>{drawing}</a>'
            )

    ids = {"caption": f"{escape(map_id)}-caption", "end": f"{escape(map_id)}-end"}
    legend = []
    for low, high in ranges:
        colour = _bin_of(low, ranges)
        legend.append(_legend_item(f"ba-map__bin-{colour}", _briefings(high) if low == high else f"{low}–{high} briefings", bin_states[colour]))
    without = sum(1 for code in shown if code in counts and not counts[code])  # the caller's states, not every territory drawn
    legend.append(_legend_item("ba-map__none", "no briefing", without))
    skip = f'<a class="ba-map__skip" href="#{ids["end"]}">Skip the map</a>' if states else ""
    return (
        f'<figure class="ba-map-figure">{skip}'
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ba-map" viewBox="{" ".join(str(v) for v in view)}" '
        f'role="group" aria-labelledby="{ids["caption"]}">'
        f'<g aria-hidden="true">{"".join(background)}</g>{"".join(states)}</svg>'
        f'<figcaption><span id="{ids["caption"]}">{escape(caption)}</span>'
        f'<ul class="ba-map__legend" id="{ids["end"]}">{"".join(legend)}</ul></figcaption></figure>'
    )
