"""The matching rules of issue 17 (builder/archive/actors.py docstring), each on a small registry
folder laid out as the repository's `registry/` is: case, official names, demonyms,
ambiguous names, country cues, personal names and not-actor phrases."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.archive.actors import Registry, RegistryError
from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher

REGIONS = "regions: [Africa, Eurasia, Middle East and North Africa, Americas, Asia-Pacific]\n"
STATES = """\
actors:
  - id: georgia
    name: Georgia
    type: state
    aliases: [Sakartvelo, Georgian, Georgians]
    ambiguous: [Georgia]
    demonyms: [Georgian, Georgians]
    personal_names: [Georgia]
    description: South Caucasus state.
    region: Eurasia
  - id: turkey
    name: Türkiye
    type: state
    aliases: [Turkey]
    description: State between Europe and Asia.
    region: Middle East and North Africa
  - id: chad
    name: Chad
    type: state
    aliases: [Chadian]
    demonyms: [Chadian]
    personal_names: [Chad]
    description: Central African state.
    region: Africa
  - id: jordan
    name: Jordan
    type: state
    ambiguous: [Jordan]
    personal_names: [Jordan]
    official_name: Hashemite Kingdom of Jordan
    description: Levantine kingdom.
    region: Middle East and North Africa
  - id: russia
    name: Russia
    type: state
    aliases: [Russian, Russians]
    demonyms: [Russian, Russians]
    official_name: Russian Federation
    description: Eurasian state.
    region: Eurasia
  - id: sudan
    name: Sudan
    type: state
    aliases: [Sudanese]
    demonyms: [Sudanese]
    description: Northeast African state.
    region: Africa
  - id: india
    name: India
    type: state
    description: South Asian state.
    region: Asia-Pacific
"""
OTHERS = """\
actors:
  - id: tbilisi
    name: Tbilisi
    type: place
    country: georgia
    description: Capital of Georgia.
    region: Eurasia
  - id: amman
    name: Amman
    type: place
    country: jordan
    description: Capital of Jordan.
    region: Middle East and North Africa
  - id: lake-chad
    name: Lake Chad
    type: place
    description: Lake in the Sahel.
    region: Africa
  - id: tass
    name: Tass
    type: organisation
    aliases: [TASS]
    country: russia
    description: Russian state news agency.
    region: Eurasia
  - id: darfur
    name: Darfur
    type: place
    country: sudan
    description: Region of western Sudan.
    region: Africa
  - id: rapid-support-forces
    name: Rapid Support Forces
    type: armed-group
    aliases: [RSF]
    ambiguous: [RSF]
    context: [paramilitary, paramilitaries]
    not_context: [journalists, press]
    country: sudan
    description: Sudanese paramilitary force.
    region: Africa
"""
NOT_ACTORS = """\
not_actors:
  - phrase: Sudan Tribune
    why: a newspaper
  - phrase: Georgia Tech
    why: a university in the US state of Georgia
  - phrase: Times of India
    why: a newspaper
"""


def make_registry(folder: Path, **files: str) -> Path:
    """A registry folder: regions.yml and the given files (name with '_' for '-')."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"regions": REGIONS, "states": STATES, "others": OTHERS, "not-actors": NOT_ACTORS}
    contents.update({name.replace("_", "-"): text for name, text in files.items()})
    for name, text in contents.items():
        if text is not None:
            (folder / f"{name}.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Registry:
    return load_registry(make_registry(tmp_path_factory.mktemp("rules") / "registry"))


@pytest.fixture(scope="module")
def matcher(registry: Registry) -> ActorMatcher:
    return ActorMatcher(registry)


def mentions(matcher: ActorMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.actor_id, m.text) for m in matcher.find(text)]


# ------------------------------------------------------------------ a. case


def test_a_capitalised_alias_matches_only_capitalised_text(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("We ate turkey and stuffing.") == []
    assert matcher.actor_ids("Turkey closed the strait.") == ["turkey"]
    assert matcher.actor_ids("TURKEY CLOSES THE STRAITS") == ["turkey"]
    assert mentions(matcher, "a turkey dinner in Turkey") == [("turkey", "Turkey")]
    # A rejected lower-case match hides nothing: "lake chad" is not Lake Chad, but Chad is capitalised.
    assert mentions(matcher, "on the lake Chad shares") == [("chad", "Chad")]


def test_acronym_rule_is_unchanged(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("the tass of old") == []
    assert matcher.actor_ids("TASS reported") == ["tass"]


# ------------------------------------------------------------------ b. official name


def test_b_official_name_is_a_name(registry: Registry, matcher: ActorMatcher) -> None:
    assert "Russian Federation" in registry.get("russia").names
    assert matcher.actor_ids("The Russian Federation objected.") == ["russia"]
    # It names the actor unambiguously, so the actor's ambiguous name counts beside it.
    assert mentions(matcher, "The Hashemite Kingdom of Jordan, or Jordan, hosts refugees.") == [
        ("jordan", "Hashemite Kingdom of Jordan"), ("jordan", "Jordan"),
    ]


def test_b_official_name_claimed_twice_is_an_error(tmp_path: Path) -> None:
    others = OTHERS + "  - id: ru2\n    name: Ru\n    type: place\n    aliases: [Russian Federation]\n    description: x\n"
    with pytest.raises(RegistryError) as caught:
        load_registry(make_registry(tmp_path / "registry", others=others))
    error = caught.value
    # Files are read in name order: others.yml claims the name first, states.yml is reported.
    assert (Path(error.path).name, error.field) == ("states.yml", "official_name")
    assert "'Russian Federation' of 'russia' is already claimed by 'ru2' (others.yml:" in error.message


# ------------------------------------------------------------------ c. demonyms


def test_c_demonym_counts_only_where_the_state_is_named(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("The Russian agency Tass said so.") == ["tass"]  # Tass's country is no cue for a demonym
    assert mentions(matcher, "Russian troops entered; Russia denied it.") == [("russia", "Russian"), ("russia", "Russia")]
    assert matcher.actor_ids("Chadian herders crossed the border.") == []
    assert matcher.actor_ids("Chadian herders left Chad.") == ["chad"]


# ------------------------------------------------------------------ d. ambiguous name


def test_d_an_ambiguous_name_needs_an_unambiguous_alias_or_a_cue(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Georgia voted for the bill.") == []
    assert matcher.actor_ids("Sakartvelo, that is Georgia, voted.") == ["georgia"]


def test_d_the_loader_accepts_the_name_as_ambiguous(registry: Registry) -> None:
    assert registry.get("georgia").ambiguous == ("Georgia",)


# ------------------------------------------------------------------ e. country cue


def test_e_country_cue(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Protests filled Tbilisi; Georgia's parliament met.") == ["tbilisi", "georgia"]
    assert matcher.actor_ids("The RSF held the town.") == []
    assert matcher.actor_ids("In Sudan, the RSF held the town.") == ["sudan", "rapid-support-forces"]
    assert matcher.actor_ids("The RSF besieged towns in Darfur.") == ["rapid-support-forces", "darfur"]
    # not_context still vetoes; a demonym is no cue ("Sudanese" does not name Sudan).
    assert matcher.actor_ids("In Sudan, RSF said journalists were held.") == ["sudan"]
    assert matcher.actor_ids("Sudanese refugees and the RSF.") == []


# ------------------------------------------------------------------ f. personal names


def test_f_a_personal_name_beside_another_capitalised_word_is_a_person(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Chad Wolf was acting secretary.") == []
    assert matcher.actor_ids("The acting secretary, Chad Wolf, resigned.") == []
    assert matcher.actor_ids("Former player Michael Jordan visited Amman.") == ["amman"]  # no cue through a person
    assert matcher.actor_ids("Congressman Jim Jordan spoke in Amman.") == ["amman"]
    assert matcher.actor_ids("Mr. Chad spoke.") == []


def test_f_where_a_capitalised_word_before_a_state_is_no_name(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Troops left Chad yesterday.") == ["chad"]
    assert matcher.actor_ids("In Chad, troops left.") == ["chad"]
    assert matcher.actor_ids("Fighting in Northern Chad went on.") == ["chad"]
    assert matcher.actor_ids("Rains came. Yesterday Chad closed its border.") == ["chad"]
    assert matcher.actor_ids("Chad, Niger and Mali met.") == ["chad"]
    # Not a longest-match loser: Lake Chad is its own actor.
    assert matcher.actor_ids("Boats on Lake Chad") == ["lake-chad"]


def test_f_title_case_lines_are_exempt(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Why Chad Matters To The Sahel\n\nA body line.") == ["chad"]
    assert matcher.actor_ids("Headline: Chad Closes Its Border With Sudan") == ["chad", "sudan"]


def test_f_personal_spans_are_not_known_names(matcher: ActorMatcher) -> None:
    text = "Chad Wolf met officials in Chad."
    assert matcher.known_spans(text) == [(text.rindex("Chad"), len(text) - 1)]


# ------------------------------------------------------------------ g. not-actor phrases


def test_g_not_actor_phrases_win_their_span_and_name_nobody(registry: Registry, matcher: ActorMatcher) -> None:
    assert [n.phrase for n in registry.not_actors] == ["Sudan Tribune", "Georgia Tech", "Times of India"]
    assert matcher.actor_ids("The Sudan Tribune reported the clashes.") == []
    assert mentions(matcher, "The Sudan Tribune reported on Sudan.") == [("sudan", "Sudan")]
    assert matcher.actor_ids("A professor at Georgia Tech, writing in the Times of India.") == []
    assert matcher.actor_ids("India's Times of India") == ["india"]
    # The phrase is a known span, so `actors suggest` does not propose it.
    assert matcher.known_spans("the Sudan Tribune") == [(4, 17)]


@pytest.mark.parametrize(
    ("not_actors", "line", "field", "message"),
    [
        ("not_actors:\n  - phrase: Sudan Tribune\n", 2, "why", "missing required field"),
        ("not_actors:\n  - phrase: ''\n    why: x\n", 2, "phrase", "must be a non-empty string"),
        ("not_actors:\n  - phrase: Darfur\n    why: x\n", 2, "phrase", "is a name of 'darfur' (others.yml:"),
        ("not_actors:\n  - phrase: A B\n    why: x\n  - phrase: a-b\n    why: y\n", 4, "phrase", "listed twice"),
        ("not_actors:\n  - phrase: A B\n    why: x\n    note: y\n", 4, "note", "unknown field"),
        ("actors: []\n", 1, "not_actors", "missing top-level key"),
    ],
)
def test_g_the_not_actors_file_is_validated(tmp_path: Path, not_actors: str, line: int, field: str, message: str) -> None:
    with pytest.raises(RegistryError) as caught:
        load_registry(make_registry(tmp_path / "registry", not_actors=not_actors))
    error = caught.value
    assert (Path(error.path).name, error.line, error.field) == ("not-actors.yml", line, field)
    assert message in error.message


def test_g_a_single_file_registry_may_list_not_actors(tmp_path: Path) -> None:
    path = tmp_path / "registry.yml"
    path.write_text(REGIONS + STATES + textwrap.dedent(OTHERS).replace("actors:\n", "") + NOT_ACTORS, encoding="utf-8")
    registry = load_registry(path)
    assert len(registry.not_actors) == 3
    assert ActorMatcher(registry).actor_ids("The Sudan Tribune") == []


# ------------------------------------------------------------------ the check's prefilter


RULE_TEXTS = [
    "a turkey dinner in Turkey", "on the lake Chad shares", "The Russian agency Tass said so.",
    "Russian troops entered; Russia denied it.", "Protests filled Tbilisi; Georgia's parliament met.",
    "In Sudan, the RSF held the town.", "The RSF besieged towns in Darfur.", "Chad Wolf met officials in Chad.",
    "The Sudan Tribune reported on Sudan.", "India's Times of India", "Sakartvelo, that is Georgia, voted.",
    "lake chad, then Lake Chad", "the times of India", "Hashemite Kingdom of Jordan", "the Georgia Tech Darfur team",
]


@pytest.mark.parametrize("text", RULE_TEXTS)
def test_the_prefilter_never_misses_what_the_rules_let_through(registry: Registry, matcher: ActorMatcher, text: str) -> None:
    from builder.archive.refresh import ActorPrefilter, fold_words

    assert set(matcher.actor_ids(text)) <= ActorPrefilter(registry).possible(fold_words(text), text)


def test_the_prefilter_applies_demonym_and_cue_rules(registry: Registry) -> None:
    from builder.archive.refresh import ActorPrefilter, fold_words

    prefilter = ActorPrefilter(registry)
    possible = lambda text: prefilter.possible(fold_words(text), text)  # noqa: E731
    assert possible("The Russian agency Tass said so.") == {"tass"}  # no matcher run for Russia
    assert possible("In Sudan, the RSF held the town.") == {"sudan", "rapid-support-forces"}
    assert possible("The RSF held the town.") == set()
