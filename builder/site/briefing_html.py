"""A briefing page's header, related-briefings list and citation block as HTML, for any generator.

The MkDocs theme prints these strings (site_overrides/partials/briefing-header.html,
related-briefings.html and citation.html); `briefings export` writes them into each exported briefing's
Markdown as raw HTML blocks, so that a plain generator (Zensical, ProperDocs) shows the same
header. Every value is frontmatter or registry text: each one is escaped here.
"""

from __future__ import annotations

from html import escape
from typing import Any, Mapping, Sequence

from builder import urls


def _href(from_src: str, site_url: str) -> str:
    """A site-relative URL ("actors/mali/") as a link from the page of `from_src`."""
    return escape(urls.relative_url(from_src, site_url))


def _chips(actors: Sequence[Mapping[str, str]], from_src: str) -> str:
    return "".join(
        f'<a class="md-tag ba-actor ba-actor--{escape(a["type"])}" href="{_href(from_src, a["url"])}">{escape(a["name"])}</a>'
        for a in actors
    )


def header(title: str, fields: Mapping[str, Any], from_src: str) -> str:
    """The header (`fields`: builder.site.briefing_page.header) of the briefing at `from_src`."""
    facts = []
    date = fields.get("date")
    facts.append(f'<dt>Date</dt><dd><time datetime="{escape(date)}">{escape(date)}</time></dd>' if date else "<dt>Date</dt><dd>unknown</dd>")
    source, url, section = fields.get("source"), fields.get("url"), fields.get("section")
    if source or url:
        text = f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(source or url)}</a>' if url else escape(source)
        facts.append(f"<dt>Source</dt><dd>{text}{' · ' + escape(section) if section else ''}</dd>")
    authors = fields.get("authors") or []
    if authors:
        facts.append(f"<dt>{'Authors' if len(authors) > 1 else 'Author'}</dt><dd>{escape(', '.join(authors))}</dd>")
    region = fields.get("region")
    if region:
        facts.append(f'<dt>Region</dt><dd><a href="{_href(from_src, region["url"])}">{escape(region["name"])}</a></dd>')
    cited = fields.get("cited_source")
    if cited:
        parts = [escape(cited["author"]) + ", " if cited.get("author") else "",
                 f"“{escape(cited['title'])}”" if cited.get("title") else "",
                 f", <cite>{escape(cited['outlet'])}</cite>" if cited.get("outlet") else "",
                 f", {escape(cited['date'])}" if cited.get("date") else ""]
        facts.append(f'<dt>Cited source</dt><dd class="ba-cited">{"".join(parts)}</dd>')
    out = [f'<header class="ba-briefing-header">\n<h1>{escape(title)}</h1>\n<dl class="ba-facts">{"".join(facts)}</dl>']
    if fields.get("actors"):
        more = fields.get("more_actors") or []
        rest = (f'<details class="ba-actors__more"><summary class="md-tag">{len(more)} more</summary>'
                f'<span class="ba-actors__rest">{_chips(more, from_src)}</span></details>') if more else ""
        out.append(f'<nav class="md-tags ba-actors" aria-label="Actors in this briefing">{_chips(fields["actors"], from_src)}{rest}</nav>')
    out.append("</header>")
    return "\n".join(out)


def related(items: Sequence[Mapping[str, Any]], anchor: str) -> str:
    """The related-briefings section (`items`: builder.site.briefing_page.related; hrefs are final)."""
    rows = []
    for item in items:
        date = f"<strong>{escape(item['date'])}</strong> · " if item.get("date") else ""
        shared = item["shared"]
        rows.append(f'<li>{date}<a href="{escape(item["href"])}">{escape(item["title"])}</a> · '
                    f'{shared} actor{"" if shared == 1 else "s"} in common</li>')
    return (f'<section class="ba-related" data-pagefind-ignore="all">\n'
            f'<h2 id="{escape(anchor)}">Related briefings<a class="headerlink" href="#{escape(anchor)}" title="Permanent link">&para;</a></h2>\n'
            f'<ul>{"".join(rows)}</ul>\n</section>')


def citation(fields: Mapping[str, str]) -> str:
    """The "Cite this briefing" section (`fields`: builder.site.briefing_page.citation). Each
    entry is a `<pre><code>` block: Material's `content.code.copy` gives it a copy button, and
    the ids make the button's target unique (Material names a block after its closest id). No
    blank line inside: a Markdown raw HTML block in the exported pages."""
    return (f'<section class="ba-citation" data-pagefind-ignore="all">\n<h2>Cite this briefing</h2>\n'
            f'<p>Chicago (bibliography):</p>\n'
            f'<pre id="cite-chicago" class="ba-citation__chicago"><code>{escape(fields["chicago"])}</code></pre>\n'
            f'<p>BibTeX:</p>\n'
            f'<pre id="cite-bibtex" class="ba-citation__bibtex"><code>{escape(fields["bibtex"])}</code></pre>\n'
            f'</section>')
