"""A deterministic, realistic synthetic archive for the scale benchmarks and tests.

    python benchmarks/generate.py OUT_DIR --n 10000 [--seed 0] [--html-share 0.1]

writes, under OUT_DIR,

- `raw/<source>-<00001>.txt` text dumps (what a browser's "select all, copy" gives: site
  navigation, a section line, title, dateline, byline, ~1,000 words of article, a newsletter
  box, "Read more" teasers, a footer) and every tenth-or-so `raw/<...>.html` saved page,
  from several sources, each with its own furniture;
- `raw/<name>.yml` sidecars with date, source and url for most of them (the others say
  their date in the text only);
- `registry/`: N/10 actors in the repository's registry format, as one registry folder
  (`regions.yml`, and one file of actors, `registry/actors.yml`: states,
  armed groups, people, organisations, places, operations, missions; acronyms, spelling
  variants and ambiguous demonyms), which the articles mention by name or alias;
- an empty `docs/` and a `mkdocs.yml`-free layout, like a fresh clone before `ingest`.

Everything comes from one `random.Random(seed)`: the same N and seed give a byte-identical
tree. Names are made of syllables, so they never collide with English words of the text; the
states are real ones (`REAL_STATES`, up to 18 per region) with their ISO 3166-1 alpha-3 codes,
so the site's map links them.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

REGIONS = (
    "Africa", "Middle East and North Africa", "Europe", "Eurasia", "Asia-Pacific", "Americas", "Global",
)
# Share of each actor type in the registry (the rest is persons).
TYPE_SHARES = (("state", 0.10), ("armed-group", 0.18), ("organisation", 0.17), ("place", 0.12),
               ("operation", 0.04), ("mission", 0.04))

# Real states for the state actors, by region, with their ISO 3166-1 alpha-3 codes (so the site's
# map links them) and demonyms: one-word-distinct names (no Niger beside Nigeria, no Sudan beside
# South Sudan) that no other name contains. A region's states beyond its list get invented names
# and no code.
REAL_STATES = {
    "Africa": (
        ("Mali", "MLI", "Malian"), ("Niger", "NER", "Nigerien"), ("Chad", "TCD", "Chadian"),
        ("Senegal", "SEN", "Senegalese"), ("Ghana", "GHA", "Ghanaian"), ("Kenya", "KEN", "Kenyan"),
        ("Ethiopia", "ETH", "Ethiopian"), ("Somalia", "SOM", "Somali"), ("Cameroon", "CMR", "Cameroonian"),
        ("Uganda", "UGA", "Ugandan"), ("Rwanda", "RWA", "Rwandan"), ("Mozambique", "MOZ", "Mozambican"),
        ("Angola", "AGO", "Angolan"), ("Zambia", "ZMB", "Zambian"), ("Tanzania", "TZA", "Tanzanian"),
        ("Gabon", "GAB", "Gabonese"), ("Togo", "TGO", "Togolese"), ("Benin", "BEN", "Beninese"),
    ),
    "Middle East and North Africa": (
        ("Egypt", "EGY", "Egyptian"), ("Libya", "LBY", "Libyan"), ("Tunisia", "TUN", "Tunisian"),
        ("Algeria", "DZA", "Algerian"), ("Morocco", "MAR", "Moroccan"), ("Israel", "ISR", "Israeli"),
        ("Jordan", "JOR", "Jordanian"), ("Lebanon", "LBN", "Lebanese"), ("Syria", "SYR", "Syrian"),
        ("Iraq", "IRQ", "Iraqi"), ("Iran", "IRN", "Iranian"), ("Yemen", "YEM", "Yemeni"),
        ("Oman", "OMN", "Omani"), ("Qatar", "QAT", "Qatari"), ("Kuwait", "KWT", "Kuwaiti"),
        ("Bahrain", "BHR", "Bahraini"), ("Mauritania", "MRT", "Mauritanian"), ("Sudan", "SDN", "Sudanese"),
    ),
    "Europe": (
        ("France", "FRA", "French"), ("Germany", "DEU", "German"), ("Italy", "ITA", "Italian"),
        ("Spain", "ESP", "Spanish"), ("Portugal", "PRT", "Portuguese"), ("Poland", "POL", "Polish"),
        ("Sweden", "SWE", "Swedish"), ("Norway", "NOR", "Norwegian"), ("Finland", "FIN", "Finnish"),
        ("Denmark", "DNK", "Danish"), ("Austria", "AUT", "Austrian"), ("Hungary", "HUN", "Hungarian"),
        ("Greece", "GRC", "Greek"), ("Romania", "ROU", "Romanian"), ("Belgium", "BEL", "Belgian"),
        ("Netherlands", "NLD", "Dutch"), ("Ireland", "IRL", "Irish"), ("Czechia", "CZE", "Czech"),
    ),
    "Eurasia": (
        ("Russia", "RUS", "Russian"), ("Ukraine", "UKR", "Ukrainian"), ("Belarus", "BLR", "Belarusian"),
        ("Moldova", "MDA", "Moldovan"), ("Georgia", "GEO", "Georgian"), ("Armenia", "ARM", "Armenian"),
        ("Azerbaijan", "AZE", "Azerbaijani"), ("Kazakhstan", "KAZ", "Kazakh"), ("Uzbekistan", "UZB", "Uzbek"),
        ("Turkmenistan", "TKM", "Turkmen"), ("Kyrgyzstan", "KGZ", "Kyrgyz"), ("Tajikistan", "TJK", "Tajik"),
        ("Afghanistan", "AFG", "Afghan"), ("Serbia", "SRB", "Serbian"), ("Estonia", "EST", "Estonian"),
        ("Latvia", "LVA", "Latvian"), ("Lithuania", "LTU", "Lithuanian"), ("Mongolia", "MNG", "Mongolian"),
    ),
    "Asia-Pacific": (
        ("China", "CHN", "Chinese"), ("Japan", "JPN", "Japanese"), ("India", "IND", "Indian"),
        ("Pakistan", "PAK", "Pakistani"), ("Bangladesh", "BGD", "Bangladeshi"), ("Myanmar", "MMR", "Burmese"),
        ("Thailand", "THA", "Thai"), ("Vietnam", "VNM", "Vietnamese"), ("Cambodia", "KHM", "Cambodian"),
        ("Laos", "LAO", "Laotian"), ("Malaysia", "MYS", "Malaysian"), ("Indonesia", "IDN", "Indonesian"),
        ("Philippines", "PHL", "Filipino"), ("Australia", "AUS", "Australian"), ("Nepal", "NPL", "Nepalese"),
        ("Taiwan", "TWN", "Taiwanese"), ("Sri Lanka", "LKA", "Sri Lankan"), ("Bhutan", "BTN", "Bhutanese"),
    ),
    "Americas": (
        ("Mexico", "MEX", "Mexican"), ("Brazil", "BRA", "Brazilian"), ("Argentina", "ARG", "Argentine"),
        ("Chile", "CHL", "Chilean"), ("Peru", "PER", "Peruvian"), ("Colombia", "COL", "Colombian"),
        ("Venezuela", "VEN", "Venezuelan"), ("Bolivia", "BOL", "Bolivian"), ("Ecuador", "ECU", "Ecuadorian"),
        ("Paraguay", "PRY", "Paraguayan"), ("Uruguay", "URY", "Uruguayan"), ("Cuba", "CUB", "Cuban"),
        ("Haiti", "HTI", "Haitian"), ("Canada", "CAN", "Canadian"), ("Guatemala", "GTM", "Guatemalan"),
        ("Honduras", "HND", "Honduran"), ("Nicaragua", "NIC", "Nicaraguan"), ("Panama", "PAN", "Panamanian"),
    ),
}

_ONSETS = ("b", "d", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "sh", "kh", "dr", "br", "tr", "y", "h", "f")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "ia")
_CODAS = ("", "", "", "n", "r", "l", "m", "k", "sh", "t")

WORDS_PER_ARTICLE = 1000

# ---------------------------------------------------------------- text material

SUBJECTS = (
    "the government", "the ruling council", "the defence ministry", "regional diplomats", "the opposition",
    "local officials", "humanitarian agencies", "the armed forces", "analysts", "the interim authorities",
    "observers", "the foreign ministry", "community leaders", "the security services", "western partners",
)
VERBS = (
    "announced", "rejected", "welcomed", "criticised", "postponed", "negotiated", "extended", "suspended",
    "confirmed", "denied", "questioned", "endorsed", "expanded", "reviewed", "restricted",
)
OBJECTS = (
    "a new security agreement", "the ceasefire talks", "the withdrawal timetable", "the transition charter",
    "a package of sanctions", "the deployment of additional troops", "the electoral calendar",
    "a framework for border cooperation", "the mandate of the mission", "an amnesty for former fighters",
    "the disarmament programme", "talks on mining concessions", "a counterterrorism partnership",
    "the reopening of the trade corridor", "a report on civilian casualties",
)
CONTEXTS = (
    "after weeks of fighting along the border", "despite pressure from neighbouring states",
    "amid growing concern over displacement", "following a series of attacks on military posts",
    "while fuel shortages spread through the capital", "as the rainy season cut supply routes",
    "in a statement read on state television", "during a closed session of parliament",
    "without consulting regional partners", "two days before the summit", "under a cloud of disinformation",
    "as food prices reached a record high", "after the expulsion of foreign journalists",
)
OPINIONS = (
    "The decision reflects a broader shift in alliances across the region.",
    "Few expect the arrangement to survive the next rainy season.",
    "Critics argue that the move trades long-term stability for short-term leverage.",
    "The timing suggests a calculated signal to foreign partners.",
    "Such announcements have rarely translated into change on the ground.",
    "Officials insisted that sovereignty, not outside pressure, drove the choice.",
    "The humanitarian consequences are likely to outlast the political ones.",
    "Rival factions read the same events in opposite ways.",
    "Independent verification of the figures remains impossible.",
    "The episode exposed the limits of the existing mediation framework.",
)
QUOTES = (
    "“We will not accept lessons from anyone,” a spokesperson said.",
    "“The situation remains extremely fragile,” one diplomat told reporters.",
    "“Our partners must respect our strategic choices,” the minister declared.",
    "“Civilians are paying the highest price,” an aid worker said.",
)
HEADINGS = ("Background", "A shifting balance", "Regional reactions", "What comes next", "The economic angle",
            "Security on the ground", "Diplomatic fallout")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
TITLE_PATTERNS = (
    "{a} and {b}: {topic}",
    "Why {a} is betting on {b}",
    "{a} {verb} {object}",
    "Inside the talks between {a} and {b}",
    "{a} after {topic}",
    "What {a}'s move means for {b}",
)
TOPICS = ("the ceasefire", "the sanctions", "the coup", "the withdrawal", "the summit", "the elections",
          "the border crisis", "the mining deal", "the drone strikes", "the blockade", "the referendum")


@dataclass(frozen=True)
class Source:
    """A publication with its own page furniture."""

    key: str
    name: str
    host: str
    nav: tuple[str, ...]
    newsletter: tuple[str, ...]
    footer: tuple[str, ...]
    section: str  # "Analysis" -> "Analysis | Africa" section line


SOURCES = (
    Source("sahel-monitor", "Sahel Monitor", "sahelmonitor.example.org",
           ("Home", "Analysis", "Regions", "Podcasts", "About us", "Donate", "Search"),
           ("Subscribe to our weekly newsletter", "Get the Sahel Monitor briefing in your inbox every Friday.",
            "Sign up"),
           ("© 2024 Sahel Monitor. All rights reserved.", "Privacy policy", "Terms of use", "Contact"),
           "Analysis"),
    Source("global-affairs-review", "Global Affairs Review", "globalaffairsreview.example.com",
           ("Menu", "World", "Security", "Economy", "Opinion", "Newsletters", "Log in"),
           ("Newsletter", "The Morning Brief: the world's news, in five minutes.", "Enter your e-mail address",
            "Sign up"),
           ("Follow us on X", "Follow us on Facebook", "Copyright 2024 Global Affairs Review", "Cookie settings"),
           "Commentary"),
    Source("defence-watch", "Defence Watch", "defencewatch.example.net",
           ("Skip to content", "News", "Land", "Air", "Sea", "Cyber", "Subscribe"),
           ("Don't miss a story", "Subscribe to Defence Watch Daily", "Subscribe now"),
           ("Defence Watch is an independent publication.", "All rights reserved", "Advertise with us"),
           "News"),
    Source("frontier-dispatch", "Frontier Dispatch", "frontierdispatch.example.org",
           ("Frontier Dispatch", "Latest", "Conflicts", "Maps", "Data", "Support us"),
           ("Our newsletter", "One email a week, no spam.", "Sign up to the Dispatch"),
           ("© Frontier Dispatch", "Privacy policy", "Ethics policy"),
           "Report"),
    Source("policy-quarterly", "Policy Quarterly", "policyquarterly.example.com",
           ("Policy Quarterly", "Topics", "Issues", "Events", "Podcast", "Sign in"),
           ("Stay informed", "Sign up for our newsletter to receive new analysis.", "Subscribe"),
           ("Copyright Policy Quarterly 2024", "Terms of service", "Privacy policy"),
           "Analysis"),
    Source("open-briefs", "Open Briefs", "openbriefs.example.net",
           ("Open Briefs", "Africa", "Middle East", "Europe", "Asia", "Americas", "Newsletter"),
           ("Like what you read?", "Sign up for the Open Briefs newsletter", "Sign up"),
           ("Open Briefs © 2024", "Share this article", "Terms of use"),
           "Briefing"),
)


# ---------------------------------------------------------------- registry


@dataclass
class SynthActor:
    id: str
    name: str
    type: str
    region: str
    aliases: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    country: str | None = None
    description: str = ""
    iso_alpha3: str | None = None


def _key(name: str) -> str:
    """The matcher's notion of "the same name" (case, punctuation, spaces)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


class _Names:
    """Invented words, never reused, never an English word of the text."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        text_words = " ".join(SUBJECTS + VERBS + OBJECTS + CONTEXTS + OPINIONS + QUOTES + HEADINGS + TOPICS)
        self.used.update(re.findall(r"[a-z]+", text_words.casefold()))
        for states in REAL_STATES.values():  # no invented word is a real state's name or demonym
            self.used.update(word.casefold() for name, _, demonym in states for word in (*name.split(), demonym))

    def word(self, syllables: int | None = None) -> str:
        while True:
            count = syllables or self.rng.choice((2, 2, 3, 3, 3, 4))
            parts = [self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) for _ in range(count)]
            word = ("".join(parts) + self.rng.choice(_CODAS)).capitalize()
            if word.casefold() not in self.used and len(word) >= 4:
                self.used.add(word.casefold())
                return word


def make_registry(count: int, rng: random.Random) -> list[SynthActor]:
    """`count` actors with unique ids, names and aliases (after the matcher's normalisation)."""
    names = _Names(rng)
    keys: set[str] = set()
    actors: list[SynthActor] = []
    states: list[SynthActor] = []

    def claim(*candidates: str) -> list[str]:
        free = []
        for candidate in candidates:
            k = _key(candidate)
            if k and k not in keys:
                keys.add(k)
                free.append(candidate)
        return free

    kinds: list[str] = []
    for kind, share in TYPE_SHARES:
        kinds += [kind] * max(1, round(count * share))
    kinds = (kinds + ["person"] * count)[:count]
    kinds.sort(key=lambda k: k != "state")  # states first: others point at them
    for index, kind in enumerate(kinds):
        region = REGIONS[index % (len(REGIONS) - 1)] if kind != "mission" else rng.choice(REGIONS)
        home = rng.choice([s for s in states if s.region == region] or states or [None])
        base = names.word()
        if kind == "state":
            name = base + rng.choice(("ia", "a", "istan", "land", "ora"))  # drawn always: the same stream after
            demonym, code = name.rstrip("a") + "an", None
            real = REAL_STATES.get(region, ())
            taken = sum(1 for s in states if s.region == region)
            if taken < len(real):
                name, code, demonym = real[taken]
            actor = SynthActor(_slug(name), name, kind, region, description=f"A state in {region}.", iso_alpha3=code)
            actor.aliases = claim(demonym) if code else claim(f"Republic of {name}", demonym)  # no "Republic of China"
            actor.ambiguous = [a for a in actor.aliases if a == demonym]
            states.append(actor)
        elif kind == "armed-group":
            name = rng.choice(("Front for the Liberation of {w}", "{w} Brigades", "Movement of {w}",
                               "{w} Liberation Army", "Islamic Emirate of {w}")).format(w=base)
            acronym = "".join(w[0] for w in name.split() if w[0].isupper()) + base[1].upper()
            actor = SynthActor(_slug(name), name, kind, region, description=f"An armed group active in {region}.")
            actor.aliases = claim(acronym, f"{base} fighters")
        elif kind == "organisation":
            name = rng.choice(("{w} Defence Council", "Union of {w} States", "{w} Institute", "{w} Press Agency",
                               "Ministry of Security of {w}")).format(w=base)
            acronym = "".join(w[0] for w in name.split() if w[0].isupper()) + base[-1].upper()
            actor = SynthActor(_slug(name), name, kind, region, description=f"An organisation based in {region}.")
            actor.aliases = claim(acronym)
        elif kind == "place":
            name = base + rng.choice(("", " Valley", " River", " Province", "-Nord"))
            actor = SynthActor(_slug(name), name, kind, region, description=f"A place in {region}.")
        elif kind == "operation":
            name = f"Operation {base}"
            actor = SynthActor(_slug(name), name, kind, region, description=f"A military operation in {region}.")
            actor.aliases = claim(f"Opération {base}")
        elif kind == "mission":
            name = f"{base} Stabilisation Mission"
            actor = SynthActor(_slug(name), name, kind, region, description=f"A stabilisation mission in {region}.")
            actor.aliases = claim(f"{base.upper()[:3]}SM")
        else:
            first, last = names.word(2), names.word(rng.choice((2, 3)))
            name = f"{first} {last}"
            actor = SynthActor(_slug(name), name, kind, region, description=f"A public figure in {region}.")
            actor.aliases = claim(f"{first[0]}. {last}", f"{first} {last}ov" if rng.random() < 0.3 else "")
        if not claim(actor.name) or any(a.id == actor.id for a in actors[-1:]):
            continue  # a name clash: drop this one (rare); the count is topped up below
        if kind != "state" and home is not None and kind in ("person", "place", "organisation", "armed-group"):
            actor.country = home.id
        actors.append(actor)
    while len(actors) < count:  # top up after (rare) clashes, with persons
        first, last = names.word(2), names.word(3)
        name = f"{first} {last}"
        if claim(name):
            actors.append(SynthActor(_slug(name), name, "person", REGIONS[len(actors) % 6],
                                     description="A public figure."))
    seen_ids: set[str] = set()
    for actor in actors:  # ids: unique slugs
        while actor.id in seen_ids:
            actor.id += "-2"
        seen_ids.add(actor.id)
    return actors


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_registry(folder: Path, actors: list[SynthActor]) -> None:
    """The registry as a folder, like the repository's: regions.yml and actors.yml."""
    folder.mkdir(parents=True, exist_ok=True)
    regions, actor_list = registry_yaml(actors).split("\nactors:\n", 1)
    (folder / "regions.yml").write_text(regions + "\n", encoding="utf-8")
    (folder / "actors.yml").write_text("actors:\n" + actor_list, encoding="utf-8")


def registry_yaml(actors: list[SynthActor]) -> str:
    lines = [
        "# Synthetic actor registry for the scale benchmarks (benchmarks/generate.py).",
        "# The repository's registry format, in one file: regions, then actors with id, name, type,",
        "# aliases (acronyms in capitals), ambiguous demonyms, country, region, description.",
        "regions:",
        *[f"  - {region}" for region in REGIONS],
        "",
        "actors:",
    ]
    for actor in actors:
        lines.append(f"  - id: {actor.id}")
        lines.append(f"    name: {_yaml_str(actor.name)}")
        lines.append(f"    type: {actor.type}")
        if actor.aliases:
            lines.append("    aliases: [" + ", ".join(_yaml_str(a) for a in actor.aliases) + "]")
        if actor.ambiguous:
            lines.append("    ambiguous: [" + ", ".join(_yaml_str(a) for a in actor.ambiguous) + "]")
        lines.append(f"    description: {_yaml_str(actor.description)}")
        if actor.country:
            lines.append(f"    country: {actor.country}")
        if actor.iso_alpha3:
            lines.append(f"    iso_alpha3: {actor.iso_alpha3}")
        lines.append(f"    region: {actor.region}")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- articles


@dataclass
class Article:
    name: str  # file stem
    kind: str  # "text" | "html"
    source: Source
    title: str
    date: str
    url: str
    authors: tuple[str, ...]
    region: str
    paragraphs: list[str]  # "## heading" for headings
    teasers: list[str]
    sidecar: bool


def _mention(actor: SynthActor, rng: random.Random) -> str:
    plain = [a for a in actor.aliases if a not in actor.ambiguous]
    if plain and rng.random() < 0.3:
        return rng.choice(plain)
    return actor.name


def _sentence(rng: random.Random, cast: list[SynthActor]) -> str:
    roll = rng.random()
    if roll < 0.45:
        actor = rng.choice(cast)
        return (f"{_mention(actor, rng)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}, "
                f"according to {rng.choice(SUBJECTS)}.")
    if roll < 0.7:
        return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(CONTEXTS)}."
    if roll < 0.82:
        n = rng.randint(3, 900)
        return (f"At least {n} people were reported {rng.choice(('killed', 'displaced', 'detained', 'wounded'))} "
                f"in {rng.choice(MONTHS)}, {rng.choice(CONTEXTS)}.")
    if roll < 0.95:
        return rng.choice(OPINIONS)
    return rng.choice(QUOTES)


def make_article(index: int, rng: random.Random, actors: list[SynthActor], by_region: dict[str, list[SynthActor]],
                 html_share: float) -> Article:
    source = SOURCES[rng.randrange(len(SOURCES))]
    region = rng.choice(REGIONS[:6])
    local = by_region[region]
    cast = rng.sample(local, min(len(local), rng.randint(3, 7))) + rng.sample(actors, 1)
    year, month = rng.randint(2014, 2025), rng.randint(1, 12)
    date = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    a, b = cast[0], cast[1]
    title = rng.choice(TITLE_PATTERNS).format(a=a.name, b=b.name, topic=rng.choice(TOPICS), verb=rng.choice(VERBS),
                                              object=rng.choice(OBJECTS))
    title = title[0].upper() + title[1:]
    authors = tuple(f"{rng.choice(('Amina', 'Jean', 'Sara', 'Omar', 'Lena', 'Paul', 'Ines'))} "
                    f"{rng.choice(('Diallo', 'Martin', 'Okafor', 'Weber', 'Haddad', 'Novak', 'Silva'))}"
                    for _ in range(rng.choice((1, 1, 2))))
    paragraphs: list[str] = []
    words = 0
    while words < WORDS_PER_ARTICLE:
        if paragraphs and rng.random() < 0.08:
            paragraphs.append("## " + rng.choice(HEADINGS))
            continue
        paragraph = " ".join(_sentence(rng, cast) for _ in range(rng.randint(4, 8)))
        words += paragraph.count(" ") + 1
        paragraphs.append(paragraph)
    teasers = [f"{rng.choice(local).name} {rng.choice(VERBS)} {rng.choice(OBJECTS)}" for _ in range(3)]
    kind = "html" if rng.random() < html_share else "text"
    slug = _slug(title)[:40].strip("-")
    return Article(
        name=f"{source.key}-{index + 1:05d}-{slug}", kind=kind, source=source, title=title, date=date,
        url=f"https://{source.host}/{year}/{slug}-{index + 1}/", authors=authors, region=region,
        paragraphs=paragraphs, teasers=teasers, sidecar=rng.random() < 0.85,
    )


def _long_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def text_dump(article: Article) -> str:
    """What "select all, copy" of the page gives."""
    s = article.source
    lines = [*s.nav, "", f"{s.section} | {article.region}", "", article.title, "",
             f"By {' and '.join(article.authors)}", _long_date(article.date), "Share this article", ""]
    for paragraph in article.paragraphs:
        lines += [paragraph.removeprefix("## "), ""]
    lines += [*s.newsletter, "", "Read more", ""]
    for teaser in article.teasers:
        lines += [teaser, "Keep reading", ""]
    lines += [*s.footer, ""]
    return "\n".join(lines)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def html_page(article: Article) -> str:
    s = article.source
    body = []
    for paragraph in article.paragraphs:
        if paragraph.startswith("## "):
            body.append(f"<h2>{_esc(paragraph[3:])}</h2>")
        else:
            body.append(f"<p>{_esc(paragraph)}</p>")
    nav = "".join(f'<li><a href="/{_slug(item)}/">{_esc(item)}</a></li>' for item in s.nav)
    teasers = "".join(f'<li><a href="/t/{i}/">{_esc(t)}</a></li>' for i, t in enumerate(article.teasers))
    footer = "".join(f"<p>{_esc(item)}</p>" for item in s.footer)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{_esc(article.title)} | {_esc(s.name)}</title>"
        f'<meta property="og:title" content="{_esc(article.title)}">'
        f'<meta property="og:site_name" content="{_esc(s.name)}">'
        f'<meta property="article:published_time" content="{article.date}T08:00:00Z">'
        f'<meta name="author" content="{_esc(", ".join(article.authors))}">'
        f'<link rel="canonical" href="{article.url}"></head>\n<body>'
        f'<header><nav><ul>{nav}</ul></nav></header>\n<main><article>'
        f"<h1>{_esc(article.title)}</h1>"
        f'<p class="byline">By {_esc(" and ".join(article.authors))} · <time datetime="{article.date}">'
        f"{_long_date(article.date)}</time></p>\n" + "\n".join(body) +
        "</article>\n"
        f'<aside class="newsletter">{"".join(f"<p>{_esc(x)}</p>" for x in s.newsletter)}</aside>'
        f'<section class="related"><h2>Read more</h2><ul>{teasers}</ul></section></main>\n'
        f"<footer>{footer}</footer></body></html>\n"
    )


def sidecar_yaml(article: Article) -> str:
    return f"date: {article.date}\nsource: {_yaml_str(article.source.name)}\nurl: {article.url}\n"


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Generated:
    root: Path
    articles: int
    html: int
    actors: int
    raw_bytes: int


def generate(root: Path, n: int, *, seed: int = 0, html_share: float = 0.1, actors: int | None = None) -> Generated:
    """Write raw/, registry/ and an empty docs/ for `n` articles under `root`."""
    rng = random.Random(seed)
    registry = make_registry(max(12, actors if actors is not None else n // 10), rng)
    by_region = {region: [a for a in registry if a.region == region] or registry for region in REGIONS}
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    write_registry(root / "registry", registry)
    html = raw_bytes = 0
    for index in range(n):
        article = make_article(index, rng, registry, by_region, html_share)
        if article.kind == "html":
            html += 1
            data = html_page(article).encode("utf-8")
            (raw / f"{article.name}.html").write_bytes(data)
        else:
            data = text_dump(article).encode("utf-8")
            (raw / f"{article.name}.txt").write_bytes(data)
        raw_bytes += len(data)
        if article.sidecar:
            (raw / f"{article.name}.yml").write_text(sidecar_yaml(article), encoding="utf-8")
    return Generated(root=root, articles=n, html=html, actors=len(registry), raw_bytes=raw_bytes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--html-share", type=float, default=0.1)
    args = parser.parse_args(argv)
    made = generate(args.out, args.n, seed=args.seed, html_share=args.html_share)
    print(f"{made.articles} articles ({made.html} HTML), {made.actors} actors, {made.raw_bytes / 1e6:.1f} MB raw -> {made.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
