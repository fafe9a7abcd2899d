"""Hand the raw HTML blocks of generated pages past Python-Markdown, and back.

Python-Markdown re-parses every raw HTML block with `html.parser` to find where it ends,
which cost more than the Markdown around it on pages with long listings. The plugin
swaps each block that `pages` writes (a `<ul>` listing, a chart, world map or ego network
`<figure>`, the actors index's groups, the network page's `<div>`) for a placeholder paragraph
before Markdown, and the placeholder for the block after it. The blocks were escaped when they were written (`pages.text_html`), so nothing is lost by
not parsing them; the Markdown files (`export`) keep the blocks in place.
"""

from __future__ import annotations

import re

# The blocks `markup.html_list`, `pages.actor_profile`, `pages.state_map` and `actor_lists.actors_index` write,
# each from the start of a line (the last one spans lines, up to its own closing line).
_BLOCK = re.compile(
    r'^(?:<ul>\n(?:<li>.*</li>\n)*</ul>|<figure class="ba-(?:chart|map|network)-figure">.*?</figure>'
    r'|<div class="ba-(?:actor-groups|network)"[^\n]*>\n(?:.*\n)*?</div>)$',
    re.MULTILINE,
)
_TOKEN = "BAHTMLBLOCK{}X"
_PLACEHOLDER = re.compile(r"<p>BAHTMLBLOCK(\d+)X</p>")


def stash(markdown: str) -> tuple[str, list[str]]:
    """`markdown` with each generated HTML block replaced by a placeholder paragraph, and the blocks."""
    if _TOKEN.format("")[:-1] in markdown:  # the text holds our token already: leave it all to Markdown
        return markdown, []
    blocks: list[str] = []

    def keep(match: re.Match) -> str:
        blocks.append(match.group(0))
        return _TOKEN.format(len(blocks) - 1)

    return _BLOCK.sub(keep, markdown), blocks


def unstash(html: str, blocks: list[str]) -> str:
    """The rendered page with each placeholder paragraph replaced by its block again."""
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)
