"""Actor registry and matcher, on the real registry and the real sample articles."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.archive.actors import ACTOR_TYPES, Registry, RegistryError
from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher
from builder.archive.textfold import normalise
from builder.archive.suggest import suggest

ROOT = Path(__file__).resolve().parents[2]
REGISTRY_PATH = ROOT / "registry"
RAW = ROOT / "raw"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(REGISTRY_PATH)


@pytest.fixture(scope="module")
def matcher(registry: Registry) -> ActorMatcher:
    return ActorMatcher(registry)


def raw(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------ the registry


def test_real_registry_is_large_and_complete(registry: Registry) -> None:
    assert len(registry.actors) >= 100
    assert len(registry.by_id) == len(registry.actors)
    for actor in registry.actors:
        assert actor.description.strip(), actor.id
        assert actor.type in ACTOR_TYPES
        assert actor.region is None or actor.region in registry.regions
        if actor.country is not None:
            assert registry.get(actor.country).type == "state"


def test_real_registry_has_no_alias_on_two_actors_but_shared_ambiguous_acronyms(registry: Registry) -> None:
    owners: dict[str, str] = {}
    shared = set()
    for actor in registry.actors:
        ambiguous = {normalise(a)[0].strip() for a in actor.ambiguous}
        for name in actor.names:
            key = normalise(name)[0].strip()
            if owners.setdefault(key, actor.id) != actor.id:
                assert name.isupper() and key in ambiguous, f"{name!r}: {owners[key]} and {actor.id}"
                shared.add(name)
    assert {"RSF", "AA", "ASWJ"} <= shared


def test_registry_lookup(registry: Registry) -> None:
    jnim = registry.get("jnim")
    assert jnim is not None and jnim.type == "armed-group"
    assert "GSIM" in jnim.aliases
    assert registry.get("no-such-actor") is None


# ------------------------------------------------------------------ real articles


def test_finds_the_actors_of_the_wagner_leverage_article(matcher: ActorMatcher) -> None:
    found = matcher.actor_ids(raw("mali-wagner-leverage.txt"))
    expected = {
        "mali", "wagner-group", "france", "russia", "united-states", "operation-barkhane",
        "takuba-task-force", "coordination-of-azawad-movements", "assimi-goita", "emmanuel-macron",
        "libya", "central-african-republic", "sudan", "mozambique", "kidal", "bamako", "niamey",
        "ndjamena", "islamic-state", "al-qaeda", "sahel", "jnim", "alliance-of-sahel-states",
        "marco-rubio", "donald-trump", "nicolas-maduro", "venezuela", "un-general-assembly",
    }  # fmt: skip
    assert expected <= set(found), expected - set(found)
    assert found[0] == "mali"  # ordered by first mention: the headline names Mali first
    # "the Soviet era" alone does not make the Soviet Union an actor of this article;
    # "General Assembly meeting in New York" is the UNGA, not the UN itself.
    assert "soviet-union" not in found
    assert "united-nations" not in found


def test_finds_the_actors_of_the_mali_defends_russia_article(matcher: ActorMatcher) -> None:
    found = matcher.actor_ids(raw("mali-defends-russia.txt"))
    expected = {
        "mali", "russia", "wagner-group", "al-qaeda", "islamic-state", "bamako", "france",
        "united-states", "burkina-faso", "un-security-council", "abdoulaye-diop", "sergei-lavrov",
        "minusma", "ukraine", "moura", "jnim", "sahel", "malian-armed-forces",
    }  # fmt: skip
    assert expected <= set(found), expected - set(found)


def test_mention_offsets_point_into_the_original_text(registry: Registry, matcher: ActorMatcher) -> None:
    text = raw("mali-wagner-leverage.txt")
    mentions = matcher.find(text)
    assert len(mentions) > 50
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        names = {normalise(n)[0].strip() for n in registry.get(mention.actor_id).names}
        assert normalise(mention.text)[0].strip() in names
    # Sorted and non-overlapping.
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
    # The curly apostrophe and the diacritic are kept in the mention text.
    assert any(m.text == "N’Djamena" and m.actor_id == "ndjamena" for m in mentions)
    assert any(m.text == "Assimi Goïta" for m in mentions)


# ------------------------------------------------------------------ matching rules


def test_diacritics_and_case_do_not_matter(matcher: ActorMatcher) -> None:
    for text in ["Colonel Assimi Goïta", "Colonel Assimi Goita", "COLONEL ASSIMI GOITA", "Assimi Goi\u0308ta"]:
        assert matcher.actor_ids(text) == ["assimi-goita"], text


def test_al_qaeda_spellings_all_resolve(matcher: ActorMatcher) -> None:
    for spelling in ["al-Qaida", "al-Qaeda", "Al Qaeda", "Al-Qaida", "al Qa’ida", "Al-Qaïda", "AL-QAEDA"]:
        assert matcher.actor_ids(f"Militants linked to {spelling} attacked.") == ["al-qaeda"], spelling


def test_longest_match_wins(matcher: ActorMatcher) -> None:
    text = "The Islamic State Sahel Province is not the Islamic State in the Greater Sahara's parent, the Islamic State."
    mentions = matcher.find(text)
    assert [(m.actor_id, m.text) for m in mentions] == [
        ("islamic-state-sahel-province", "Islamic State Sahel Province"),
        ("islamic-state-sahel-province", "Islamic State in the Greater Sahara"),
        ("islamic-state", "Islamic State"),
    ]
    assert matcher.actor_ids("al-Qaeda in the Islamic Maghreb (AQIM)") == ["aqim"]
    assert matcher.actor_ids("boats on the Niger River") == ["niger-river"]
    assert matcher.actor_ids("Mahamat Idriss Déby succeeded Idriss Déby") == ["mahamat-idriss-deby", "idriss-deby"]
    # Places whose names contain a state's name are actors of their own.
    text = "Equatorial Guinea, the Gulf of Guinea, the Niger Delta and North America"
    assert matcher.actor_ids(text) == ["equatorial-guinea", "gulf-of-guinea", "niger-delta", "north-america"]


def test_whole_words_only(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Somalian? Malibu, Nigeriens, Chadwick, Gaol") == []
    assert matcher.actor_ids("Mali’s junta") == ["mali"]
    # "Nigerian" is a demonym of Nigeria, not a longer spelling of Niger.
    assert "niger" not in matcher.actor_ids("Nigerian troops in Nigeria")


def test_demonyms_count_only_where_the_state_is_named(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Malian cuisine and a French novel") == []
    assert matcher.actor_ids("the Russian agency Tass said") == ["tass"]
    # ... except where the next word names an organ of the state (STATE_BODY_WORDS).
    assert matcher.actor_ids("Malian authorities and French troops") == ["mali", "france"]
    assert matcher.actor_ids("South African and Burundian troops") == ["south-africa", "burundi"]
    mentions = matcher.find("Malian authorities met in Mali.")
    assert [(m.actor_id, m.text) for m in mentions] == [("mali", "Malian"), ("mali", "Mali")]


def test_bare_wagner_next_to_the_composer_is_not_the_group(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Richard Wagner wrote the Ring cycle.") == []
    assert matcher.actor_ids("An evening of Wagner: the composer at his most lyrical.") == []
    assert matcher.actor_ids("Wagner mercenaries arrived in Bamako.") == ["wagner-group", "bamako"]
    # Named unambiguously earlier: later bare mentions count ...
    text = "Mali hired the Wagner Group. Officials say Wagner will stay. Critics say Wagner is costly."
    assert [m.text for m in matcher.find(text) if m.actor_id == "wagner-group"] == ["Wagner Group", "Wagner", "Wagner"]
    # ... but never the composer, even then.
    text = "The Wagner Group arrived. Meanwhile the opera staged Richard Wagner's Parsifal."
    assert [m.text for m in matcher.find(text) if m.actor_id == "wagner-group"] == ["Wagner Group"]


def test_common_words_that_are_also_names(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Security concerns trump human rights.") == []
    assert matcher.actor_ids("President Trump spoke; Trump said more.") == ["donald-trump"]
    assert "international-criminal-court" not in matcher.actor_ids("India won the ICC Cricket World Cup.")
    assert matcher.actor_ids("The ICC issued an arrest warrant.") == ["international-criminal-court"]


def test_capital_acronyms_match_only_capitals(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Il y a un accord entre eux.") == []
    assert matcher.actor_ids("The UN condemned the coup.") == ["united-nations"]
    assert matcher.actor_ids("give us the aes") == []
    assert matcher.actor_ids("The U.S. and the US.") == ["united-states"]
    assert [m.text for m in matcher.find("the U.S. economy")] == ["U.S."]


def test_ambiguous_acronym_needs_context(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("The AES encryption standard uses a 256-bit key.") == []
    assert matcher.actor_ids("The AES juntas met in Niamey.") == ["alliance-of-sahel-states", "niamey"]
    assert matcher.actor_ids("the Alliance of Sahel States (AES) summit") == ["alliance-of-sahel-states"]
    assert matcher.actor_ids("RSF, Reporters Without Borders, said journalists were held") == ["reporters-without-borders"]
    assert matcher.actor_ids("RSF paramilitaries entered El Fasher") == ["rapid-support-forces", "el-fasher"]


def test_normalise_maps_back_to_original_offsets() -> None:
    text = "Straße — al-Qa’ida,  Goi\u0308ta"
    normalised, offsets = normalise(text)
    assert normalised == "strasse al qa ida goita"
    assert len(offsets) == len(normalised) + 1
    assert offsets[len(normalised)] == len(text)
    start = normalised.index("goita")
    assert text[offsets[start]] == "G"
    start = normalised.index("al qa")
    assert text[offsets[start] :].startswith("al-Qa’ida")
    assert [offsets[i] for i in range(4, 7)] == [4, 4, 5]  # "ß" became "ss"


# ------------------------------------------------------------------ registry errors


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "actors.yml"
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


MALI = """\
regions: [Africa, Europe]
actors:
  - id: mali
    name: Mali
    type: state
    description: A state.
"""


def load_error(tmp_path: Path, body: str) -> RegistryError:
    with pytest.raises(RegistryError) as caught:
        load_registry(write(tmp_path, body))
    return caught.value


def test_minimal_registry_loads(tmp_path: Path) -> None:
    registry = load_registry(write(tmp_path, MALI))
    assert registry.regions == ("Africa", "Europe")
    assert registry.get("mali").aliases == ()


def test_duplicate_id_names_its_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, MALI + "  - id: mali\n    name: Mali again\n    type: state\n    description: x\n")
    assert (error.path, error.line, error.field) == (str(tmp_path / "actors.yml"), 7, "id")
    assert str(error).startswith(f"{tmp_path / 'actors.yml'}:7: id: ")
    assert "duplicate id 'mali'" in error.message


def test_alias_on_two_actors_names_the_alias_line(tmp_path: Path) -> None:
    body = MALI + (
        "  - id: bamako\n"
        "    name: Bamako\n"
        "    type: place\n"
        "    aliases:\n"
        "      - Bko\n"
        "      - MALI\n"
        "    description: A city.\n"
    )
    error = load_error(tmp_path, body)
    assert (error.line, error.field) == (12, "aliases")
    assert "'mali'" in error.message


def test_bad_yaml_gives_the_yaml_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, MALI + "  - id: [unclosed\n    name: x\n")
    assert error.field == "yaml"
    assert error.line == 8


def test_missing_description_names_the_actor_line(tmp_path: Path) -> None:
    body = MALI + "  - id: niger\n    name: Niger\n    type: state\n"
    error = load_error(tmp_path, body)
    assert (error.line, error.field) == (7, "description")
    assert "'niger'" in error.message


def test_empty_description_bad_type_region_country_and_slug(tmp_path: Path) -> None:
    cases = [
        ("description: ''", 6, "description"),
        ("type: country", 5, "type"),
        ("region: Sahel", 7, "region"),
        ("country: france", 7, "country"),
        ("aliasses: [Mali]", 7, "aliasses"),
    ]
    for replacement, line, field in cases:
        key = replacement.split(":")[0]
        lines = MALI.splitlines()
        lines = [l for l in lines if not l.strip().startswith(f"{key}:")]
        lines.insert(line - 1, f"    {replacement}")
        error = load_error(tmp_path, "\n".join(lines) + "\n")
        assert (error.line, error.field) == (line, field), replacement
    error = load_error(tmp_path, MALI.replace("id: mali", "id: Mali_State"))
    assert (error.line, error.field) == (3, "id")


def test_field_given_twice_or_ambiguous_without_alias(tmp_path: Path) -> None:
    error = load_error(tmp_path, MALI + "    name: Mali again\n")
    assert (error.line, error.field) == (7, "name")
    error = load_error(tmp_path, MALI + "    aliases: [Malian]\n    ambiguous: [Malians]\n")
    assert (error.line, error.field) == (8, "ambiguous")


def test_unreadable_registry(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        load_registry(tmp_path / "missing.yml")
    assert caught.value.field == "file"


# ------------------------------------------------------------------ suggest


def test_suggest_ranks_recurring_unknown_names(registry: Registry) -> None:
    texts = [
        raw("mali-defends-russia.txt"),
        "The Malian activist Aminata Dicko spoke in Geneva. Later Aminata Dicko met Caleb Weiss.",
        "In Bamako, Aminata Dicko was questioned. The Long War Journal reported it, wrote Caleb Weiss.",
    ]
    suggestions = suggest(texts, registry)
    names = [s.name for s in suggestions]
    assert names[:2] == ["Aminata Dicko", "Caleb Weiss"]
    assert (suggestions[0].documents, suggestions[0].count) == ((0, 1, 2), 4)
    assert (suggestions[1].documents, suggestions[1].count) == ((0, 1, 2), 3)
    # Registry names and aliases are never suggested; nor is a sentence-initial "The".
    known = {"Bamako", "Mali", "Wagner Group", "Abdoulaye Diop", "Long War Journal", "FDD’s Long War Journal"}
    assert not any(n in known for n in names)
    assert not any(n.startswith(("The ", "In ")) for n in names)
    assert suggest(texts, registry) == suggestions  # deterministic
    assert all(s.count >= 2 for s in suggestions)
    assert len(suggest(texts, registry, limit=1)) == 1


def test_suggest_ranks_by_documents_before_count(registry: Registry) -> None:
    texts = [
        "Officials met Kofi Mensah. Kofi Mensah left. Kofi Mensah returned.",
        "Officials met Awa Sangare in the town.",
        "Reporters asked Awa Sangare about it.",
    ]
    assert [(s.name, s.count, s.documents) for s in suggest(texts, registry)] == [
        ("Awa Sangare", 2, (1, 2)),
        ("Kofi Mensah", 3, (0,)),
    ]
    assert suggest(texts, registry, min_count=3) == suggest(texts, registry)[1:]


def test_a_shared_acronym_counts_for_the_owner_the_text_supports(matcher: ActorMatcher) -> None:
    # "RSF": the Rapid Support Forces (Sudan) and the Rwanda Security Force (Mozambique), both ambiguous.
    assert matcher.actor_ids("RSF paramilitaries shelled El Fasher in Darfur.") == ["rapid-support-forces", "el-fasher", "darfur"]
    found = matcher.actor_ids("Rwandan troops of the RSF recaptured Palma in Cabo Delgado, Mozambique.")
    assert "rwanda-security-forces" in found and "rapid-support-forces" not in found
    assert {"rapid-support-forces", "rwanda-security-forces"}.isdisjoint(
        matcher.actor_ids("RSF, the press freedom group, said journalists were held."))


def test_an_acronym_is_shared_only_when_every_owner_marks_it_ambiguous(tmp_path: Path) -> None:
    shared = """\
        regions: [Africa]
        actors:
          - id: first
            name: First Front
            type: armed-group
            aliases: [FF]
            ambiguous: [FF]
            description: One.
          - id: second
            name: Second Force
            type: organisation
            aliases: [FF]
            {ambiguous}
            description: Two.
        """
    path = tmp_path / "registry.yml"
    path.write_text(textwrap.dedent(shared.format(ambiguous="ambiguous: [FF]")), encoding="utf-8")
    assert {a.id for a in load_registry(path).actors} == {"first", "second"}
    path.write_text(textwrap.dedent(shared.format(ambiguous="")), encoding="utf-8")
    with pytest.raises(RegistryError, match="'FF' of 'second' is already claimed by 'first'"):
        load_registry(path)


def test_a_personal_name_at_a_sentence_start_after_a_given_name_is_a_person(matcher: ActorMatcher) -> None:
    assert matcher.actor_ids("Denzel Washington starred in the film.") == []
    assert matcher.actor_ids("The film starred Denzel Washington.") == []
    # A function word or a time adverb before it is no given name.
    assert matcher.actor_ids("Meanwhile Chad closed its border.") == ["chad"]
    assert matcher.actor_ids("Yesterday Chad closed its border with Sudan.") == ["chad", "sudan"]
    assert matcher.actor_ids("Officials in Washington said the sanctions would stay.") == ["washington-dc"]
