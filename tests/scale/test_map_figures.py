"""benchmarks/network_bench.py's map figures on a generated site: the state map's figure is
found on the home page and the region pages (the generator's states have ISO codes)."""

from __future__ import annotations

import re
import sys

import pytest

from scalesite import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from network_bench import map_figure_bytes, map_sizes  # noqa: E402

pytestmark = pytest.mark.scale


def test_map_sizes_measure_the_home_and_region_maps(small_pagefind_site):
    home = map_figure_bytes(small_pagefind_site / "index.html")
    assert home.startswith(b'<figure class="ba-map-figure">') and home.endswith(b"</figure>")
    assert map_figure_bytes(small_pagefind_site / "about" / "index.html") == b""
    line = map_sizes(small_pagefind_site)
    match = re.search(r"home page figure (\d+) KB, \d+ KB gzipped \((\d+) states linked\); largest region map \((.+)\) (\d+) KB", line)
    assert match, line
    assert int(match[1]) == round(len(home) / 1024) and int(match[2]) >= 1  # 12 actors, one of them a state
    assert (small_pagefind_site / "regions" / match[3] / "index.html").exists()
