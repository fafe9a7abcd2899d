"""Mentions over time as a small static SVG bar chart (no JavaScript, deterministic).

The chart is inline SVG so it follows the page's colours (light and dark) through
`currentColor` and CSS classes; every bar carries a `<title>` tooltip, and the whole
chart has a text description for screen readers.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
HEIGHT = 160
MARGIN_LEFT = 32
MARGIN_RIGHT = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 28
# Above this many months the chart counts per year, so bars stay at least a few pixels wide.
MAX_MONTHS = 48


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def periods(dates: Iterable[str]) -> list[tuple[str, int]]:
    """(period, count) for every month (or year, for long spans) from first to last date."""
    dated = sorted(d for d in dates if d)
    if not dated:
        return []
    months = _months_between(dated[0][:7], dated[-1][:7])
    if len(months) <= MAX_MONTHS:
        counts = Counter(d[:7] for d in dated)
        return [(m, counts.get(m, 0)) for m in months]
    counts = Counter(d[:4] for d in dated)
    return [(str(y), counts.get(str(y), 0)) for y in range(int(dated[0][:4]), int(dated[-1][:4]) + 1)]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def mentions_chart(dates: Iterable[str], *, label: str) -> str:
    """An SVG bar chart of how many of `dates` fall in each period; "" when there is no date."""
    series = periods(dates)
    if not series:
        return ""
    total = sum(count for _, count in series)
    peak = max(count for _, count in series)
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_width / len(series)
    bar_width = max(step * 0.8, 1.0)
    unit = "month" if len(series[0][0]) == 7 else "year"
    description = (
        f"{label}: {total} dated briefing{'s' if total != 1 else ''} by {unit}, "
        f"{series[0][0]} to {series[-1][0]}, at most {peak} in one {unit}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ba-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(description)}>',
        f"<title>{escape(description)}</title>",
        '<g class="ba-chart__axis" fill="currentColor" font-size="11" font-family="sans-serif">',
        f'<text x="{MARGIN_LEFT - 4}" y="{MARGIN_TOP + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{MARGIN_LEFT - 4}" y="{MARGIN_TOP + plot_height}" text-anchor="end">0</text>',
        f'<text x="{MARGIN_LEFT}" y="{HEIGHT - 8}">{escape(series[0][0])}</text>',
        f'<text x="{WIDTH - MARGIN_RIGHT}" y="{HEIGHT - 8}" text-anchor="end">{escape(series[-1][0])}</text>',
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP + plot_height}" x2="{WIDTH - MARGIN_RIGHT}" '
        f'y2="{MARGIN_TOP + plot_height}" stroke="currentColor" stroke-width="1"/>',
        "</g>",
        '<g class="ba-chart__bars" fill="#4051b5">',
    ]
    for index, (period, count) in enumerate(series):
        if count == 0:
            continue
        height = plot_height * count / peak
        x = MARGIN_LEFT + index * step + (step - bar_width) / 2
        y = MARGIN_TOP + plot_height - height
        parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_width)}" height="{_fmt(height)}">'
            f"<title>{escape(period)}: {count}</title></rect>"
        )
    parts.append("</g></svg>")
    return "".join(parts)
