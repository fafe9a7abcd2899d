"""Material's navigation, rendered once per set of relative links for pages outside the nav.

Briefings, actor, region and archive pages are `not_in_nav`: on them no nav item is active,
so the primary navigation's HTML depends only on where its links point relative to the
page. Rendering Material's nav partial was ~1.3 ms of every page (a fifth of a page's
template time); at 10,000 briefings that is 13 s of the build for the same few strings.

`site_overrides/partials/nav.html` asks for `briefings_nav_key` (set here per page in
`on_page_context`; None for pages in the nav, which are rendered as Material does) and
keeps each rendered navigation in `briefings_nav_cache`, reset for every build. Material's
own partial stays the source of the HTML, reached as `material/partials/nav.html`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import material
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

MATERIAL_TEMPLATES = Path(material.__file__).resolve().parent / "templates"
PREFIX = "material"  # templates/partials/nav.html of the theme as "material/partials/nav.html"


def install(env: jinja2.Environment) -> None:
    """Give the environment (a new one per build: MkDocs' theme makes it) Material's templates
    under PREFIX and an empty nav cache."""
    material_loader = jinja2.PrefixLoader({PREFIX: jinja2.FileSystemLoader(str(MATERIAL_TEMPLATES))})
    env.loader = jinja2.ChoiceLoader([env.loader, material_loader]) if env.loader else material_loader
    env.globals["briefings_nav_cache"] = {}


def nav_targets(nav: Navigation, homepage: str | None = None) -> list[str]:
    """Site URLs of every page and link of the navigation, in order, and the home page
    (`homepage`: the theme's `extra.homepage` setting, which the logo links to when set)."""
    targets: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, Section):
                walk(item.children)
            elif isinstance(item, (Page, Link)):
                targets.append(item.url)

    walk(nav.items)
    targets.append(nav.homepage.url if nav.homepage is not None else "")
    targets.append(str(homepage or ""))
    return targets


def key(page: Page, targets: list[str], in_nav: set[str]) -> tuple[str, ...] | None:
    """What the navigation's HTML depends on for `page`: every link as the page sees it.

    None for a page in the nav (its item is active, its table of contents is in the nav).
    """
    if page.file.src_uri in in_nav:
        return None
    return tuple(normalize_url(target, page) for target in targets)
