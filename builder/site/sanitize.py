"""Sanitise the HTML of a rendered briefing: briefings are untrusted input.

Python-Markdown passes raw HTML through, so a briefing could carry `<script>`, event
handlers or `javascript:` links. What is allowed here is what Markdown and our
extensions produce (footnotes, admonitions, tables, heading permalinks), with the ids
and classes Material's styles and footnote navigation rely on.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br caption cite code dd del details div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary
    sup table tbody td tfoot th thead tr u ul""".split()
)
_GLOBAL_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
ALLOWED_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Images load by themselves: only those shipped with the site, so that no page requests
# anything from outside it (offline, intranet, and no tracking pixels in briefings).
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)


def _drop_external_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and _EXTERNAL.match(value):
        return None
    return value


def sanitize_html(html: str) -> str:
    """`html` with everything but the allowed tags, attributes and URL schemes removed."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,  # footnote and actor links are internal; nh3 would add rel to all
        filter_style_properties={"text-align"},  # table column alignment only
        strip_comments=True,
        attribute_filter=_drop_external_images,
    )
