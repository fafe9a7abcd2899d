"""Vendor the world map's state boundaries: npm world-atlas -> builder/site/data/world.json.

    npm install --prefix /tmp/wa world-atlas@2.0.2
    .venv/bin/python scripts/vendor_worldmap.py /tmp/wa/node_modules/world-atlas

A development tool, run once per world-atlas version: the build reads only the checked-in,
pre-projected `builder/site/data/world.json` (`builder.site.worldmap`). Needs pycountry
(a test extra) to turn the TopoJSON's ISO 3166-1 numeric ids into alpha-3 codes.

What it does
------------
* Reads `countries-50m.json` (110m drops small states: Singapore, Bahrain, Malta, Andorra).
  Natural Earth 1:50m admin-0 boundaries, public domain, as TopoJSON (ISC licence).
* Decodes the TopoJSON by hand: delta-encoded quantised arcs, then the transform.
* Projects with Equal Earth (Šavrič, Patterson, Jenny 2018). Natural Earth cuts every polygon
  at the antimeridian (Russia, Fiji), so a ring never crosses it; the script checks that.
* Simplifies each arc once (Visvalingam-Whyatt, in projected units), so neighbours keep one
  shared border, drops islands below `MIN_RING_AREA` (but never a state's largest ring), and
  rounds to integers in a `WIDTH`-wide frame. Antarctica is left out.
* Writes per alpha-3 code: the SVG path (`d`, relative commands), the box of its largest
  polygon (`box`, for cropping a region without French Guiana or Alaska stretching it), and for
  states too small to see a centre (`dot`) where the map draws a marker. Land without an ISO
  code (Kosovo, Somaliland, Northern Cyprus, ...) goes under `other`, drawn unlinked.

Output is deterministic (sorted keys, fixed rounding); re-running it gives the same bytes.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "builder" / "site" / "data" / "world.json"
LICENCE = ROOT / "builder" / "site" / "data" / "LICENSE-world-atlas.txt"
VERSION = "2.0.2"
SOURCE = "countries-50m.json"

WIDTH = 2000  # projected frame width in output units (the whole map's viewBox width)
SIMPLIFY_AREA = 0.8  # Visvalingam threshold: triangle area, in output units squared
MIN_RING_AREA = 6.0  # islands smaller than this (units squared) are dropped
DOT_BELOW = 60.0  # a state whose drawn area is under this gets a dot marker
ANTARCTICA = "010"

# Equal Earth constants.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute (lon, lat) points of every arc: undo the delta encoding, then the quantisation."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def cut_at_antimeridian(arc: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The arc as pieces that each stay on one side of the antimeridian, longitudes in [-180, 180].

    world-atlas keeps polygons whole across 180° (d3 projects on the sphere): Russia's
    mainland runs on into Chukotka, and some of Fiji's islands straddle the line. A flat
    projection needs them cut: the longitudes are unwrapped (continuous), the arc is broken
    where it meets 180° + k·360° (an interpolated point ends one piece and starts the next,
    a point exactly on the line does both), and each piece is shifted back into range."""
    lon0 = arc[0][0]
    if abs(lon0) == 180:  # on the line: take the side of the first point off it
        off = next((lon for lon, _ in arc if abs(lon) != 180), lon0)
        lon0 = math.copysign(180.0, off)
    unwrapped = [(lon0, arc[0][1])]
    for (lon_a, _), (lon_b, lat_b) in zip(arc, arc[1:]):
        unwrapped.append((unwrapped[-1][0] + ((lon_b - lon_a + 180) % 360 - 180), lat_b))

    def band(lon: float) -> int | None:  # which copy of the map a longitude is on; None: on a cut line
        return None if (lon - 180) % 360 == 0 else math.floor((lon - 180) / 360)

    pieces: list[list[tuple[float, float]]] = [[unwrapped[0]]]
    bands: list[int | None] = [band(unwrapped[0][0])]
    for previous, point in zip(unwrapped, unwrapped[1:]):
        here = band(point[0])
        if here is None or bands[-1] is None or here == bands[-1]:
            if bands[-1] is None:
                bands[-1] = here
            pieces[-1].append(point)
            continue
        if band(previous[0]) is None:  # the previous point is on the line: it ends one piece, starts the next
            pieces.append([previous, point])
        else:
            line = 180 + 360 * max(here, bands[-1])
            t = (line - previous[0]) / (point[0] - previous[0])
            crossing = (float(line), previous[1] + t * (point[1] - previous[1]))
            pieces[-1].append(crossing)
            pieces.append([crossing, point])
        bands.append(here)
    out = []
    for piece, piece_band in zip(pieces, bands):
        shift = 360 * ((piece_band if piece_band is not None else -1) + 1)
        out.append([(lon - shift, lat) for lon, lat in piece])
    return out


def triangle_area(a, b, c) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2


def simplify(points: list[tuple[float, float]], threshold: float) -> list[tuple[float, float]]:
    """Visvalingam-Whyatt: drop the point of least effective area while it is under `threshold`.
    Keeps the endpoints, and 3 inner points of a closed arc so an island stays a polygon.
    (A heap of (area, index); stale entries are skipped. Ties go to the lower index.)"""
    keep_at_least = 5 if points[0] == points[-1] else 2
    count = len(points)
    previous = list(range(-1, count - 1))
    following = list(range(1, count + 1))
    area = [math.inf] * count
    heap = []
    for i in range(1, count - 1):
        area[i] = triangle_area(points[i - 1], points[i], points[i + 1])
        heap.append((area[i], i))
    heapq.heapify(heap)
    alive = count
    while heap and alive > keep_at_least:
        value, i = heapq.heappop(heap)
        if value != area[i]:
            continue  # stale
        if value >= threshold:
            break
        area[i] = -1.0  # removed
        alive -= 1
        before, after = previous[i], following[i]
        following[before], previous[after] = after, before
        for j in (before, after):
            if 0 < j < count - 1:
                # Effective area never falls below the removed point's (VW's monotonic rule).
                area[j] = max(value, triangle_area(points[previous[j]], points[j], points[following[j]]))
                heapq.heappush(heap, (area[j], j))
    return [point for point, a in zip(points, area) if a != -1.0]


def ring_area(ring: list[tuple[int, int]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def encode_ring(ring: list[tuple[int, int]]) -> str:
    """"M x y l dx dy ... z" with the shortest separators (a minus sign separates by itself)."""
    out = [f"M{ring[0][0]} {ring[0][1]}l"]
    previous = ring[0]
    numbers = []
    for point in ring[1:]:
        numbers += [point[0] - previous[0], point[1] - previous[1]]
        previous = point
    text = ""
    for number in numbers:
        text += str(number) if (number < 0 or not text) else f" {number}"
    return out[0] + text + "z"


def build(package: Path) -> dict:
    topology = json.loads((package / SOURCE).read_text(encoding="utf-8"))
    lonlat_arcs = decode_arcs(topology)
    geometries = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") != ANTARCTICA and g["type"] != "null"]
    used = sorted({i if i >= 0 else ~i for g in geometries for polygon in _polygons(g) for ring in polygon for i in ring})
    lonlat_pieces = {i: cut_at_antimeridian(lonlat_arcs[i]) for i in used}
    projected = {i: [[equal_earth(lon, lat) for lon, lat in piece] for piece in pieces] for i, pieces in lonlat_pieces.items()}
    xs = [x for pieces in projected.values() for piece in pieces for x, _ in piece]
    ys = [y for pieces in projected.values() for piece in pieces for _, y in piece]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    k = WIDTH / (x1 - x0)
    height = math.ceil((y1 - y0) * k)

    def to_frame(point):
        return ((point[0] - x0) * k, (y1 - point[1]) * k)

    # Each piece of each arc simplified once: a border two states share stays one line.
    arcs = {
        i: [[(round(x), round(y)) for x, y in simplify([to_frame(p) for p in piece], SIMPLIFY_AREA)] for piece in pieces]
        for i, pieces in projected.items()
    }

    def ring_runs(arc_indexes: list[int]) -> list[list[tuple[int, int]]]:
        """A ring's points, as one run, or as two when it crosses the antimeridian (each then
        closed on its own side)."""
        runs: list[list[tuple[int, int]]] = []
        for index in arc_indexes:
            pieces = arcs[index] if index >= 0 else [piece[::-1] for piece in arcs[~index][::-1]]
            for number, piece in enumerate(pieces):
                if number == 0 and runs and runs[-1][-1] == piece[0]:  # else the arc starts on the other side
                    runs[-1].extend(piece[1:])
                else:
                    runs.append(list(piece))
        if len(runs) > 1 and runs[-1][-1] == runs[0][0]:
            runs[0] = runs.pop() + runs[0][1:]
        if len(runs) > 2:
            sys.exit(f"a ring crosses the antimeridian {len(runs)} times: only 0 or 2 are handled")
        cleaned = []
        for run in runs:
            points = [p for n, p in enumerate(run) if n == 0 or p != run[n - 1]]
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            cleaned.append(points)
        return cleaned

    def flat_polygons(geometry: dict) -> list[list[list[tuple[int, int]]]]:
        """[outer ring, holes...] per polygon, a polygon cut by the antimeridian giving two."""
        out = []
        for polygon in _polygons(geometry):
            outers = ring_runs(polygon[0])
            holes = [ring_runs(ring) for ring in polygon[1:]]
            if len(outers) > 1 and holes:
                sys.exit("a polygon with holes crosses the antimeridian: not handled")
            out.extend([outer, *(run for hole in holes for run in hole)] for outer in outers)
        return out

    # Keyed by alpha-3 (land without an ISO code by its Natural Earth name); a code may have
    # several geometries (Australia and the Ashmore and Cartier Islands are both 036).
    polygons_by_key: dict[tuple[str, str], list] = {}
    for geometry in geometries:
        if geometry.get("id"):
            country = pycountry.countries.get(numeric=geometry["id"])
            if country is None:
                sys.exit(f"ISO 3166-1 numeric {geometry['id']} ({geometry['properties']['name']}) unknown to pycountry")
            key = ("states", country.alpha_3)
        else:
            key = ("other", geometry["properties"]["name"])
        polygons_by_key.setdefault(key, []).extend(flat_polygons(geometry))
    out: dict[str, dict[str, dict]] = {"states": {}, "other": {}}
    for (group, key), polygons in sorted(polygons_by_key.items()):
        out[group][key] = map_entry(polygons)
    return {
        "source": f"world-atlas {VERSION} {SOURCE} (Natural Earth 1:50m admin-0, public domain)",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": height,
        **out,
    }


def map_entry(polygons: list[list[list[tuple[int, int]]]]) -> dict:
    """One state's path (small islands left out), the box of its largest polygon, and a dot
    if what is drawn is too small to see or to point at."""
    largest = max(polygons, key=lambda p: ring_area(p[0]))
    kept = []
    for polygon in polygons:
        outer = polygon[0]
        if polygon is not largest and (len(outer) < 3 or ring_area(outer) < MIN_RING_AREA):
            continue
        if len(outer) >= 3:  # a tiny state's own ring may collapse to a point: it gets a dot
            kept.append([outer, *(r for r in polygon[1:] if len(r) >= 3 and ring_area(r) >= MIN_RING_AREA)])
    xs = [x for x, _ in largest[0]]
    ys = [y for _, y in largest[0]]
    entry = {"d": "".join(encode_ring(ring) for polygon in kept for ring in polygon), "box": [min(xs), min(ys), max(xs), max(ys)]}
    if sum(ring_area(p[0]) for p in kept) < DOT_BELOW:
        entry["dot"] = [round(sum(xs) / len(xs)), round(sum(ys) / len(ys))]
    return entry


def _polygons(geometry: dict) -> list[list[list[int]]]:
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]


LICENCE_NOTE = """\
builder/site/data/world.json is derived from the npm package world-atlas {version}
(https://github.com/topojson/world-atlas), file {source}, by scripts/vendor_worldmap.py
(projected with Equal Earth, simplified, Antarctica left out).

The boundaries are Natural Earth's 1:50m admin-0 countries (https://www.naturalearthdata.com/),
which are in the public domain. The world-atlas package is under the ISC licence:

"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the installed world-atlas package folder")
    args = parser.parse_args(argv)
    version = json.loads((args.package / "package.json").read_text(encoding="utf-8"))["version"]
    if version != VERSION:
        sys.exit(f"world-atlas {version}: this script vendors {VERSION}")
    data = build(args.package)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    licence = (args.package / "LICENSE").read_text(encoding="utf-8")
    LICENCE.write_text(LICENCE_NOTE.format(version=VERSION, source=SOURCE) + licence, encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(data['states'])} states, {len(data['other'])} other, {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
