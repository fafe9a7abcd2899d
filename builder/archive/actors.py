"""The actor registry's data types: `Actor`, `NotActor`, `Registry`, and `RegistryError`.

The registry is curated data: the folder ``registry/`` (``regions.yml``, one file of actors
per type, ``not-actors.yml``), or one file with the same top-level keys. Every actor has an
id, a name, a type, aliases and a one-line description. Loading and validating it is
`builder.archive.registry_load` (`load_registry`, naming file, line and key on error); the
matching rules are `builder.archive.matching`'s, the text folding `builder.archive.textfold`'s.

Suggestions (`builder.archive.suggest`) list capitalised multi-word names and acronyms
that recur in texts but that the registry does not match, for
``briefings actors suggest``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ACTOR_TYPES = (
    "state",
    "armed-group",
    "person",
    "organisation",
    "operation",
    "place",
    "mission",
)

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str | None = None
    country: str | None = None  # id of a `state` actor
    region: str | None = None  # one of Registry.regions
    # Aliases that count only with context (see the module docstring).
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    not_context: tuple[str, ...] = ()
    # States: adjectives and people's names ("Malian"), also in `aliases` (see the module docstring).
    demonyms: tuple[str, ...] = ()
    # Names that are also people's given names or surnames ("Chad", "Jordan").
    personal_names: tuple[str, ...] = ()
    official_name: str | None = None  # matched like an alias ("Republic of Mali")
    iso_alpha2: str | None = None
    iso_alpha3: str | None = None
    # An organ of its `country` (armed forces, ministries, services): a name of it that
    # contains the state's name ("Myanmar's military", "US forces") names the state too.
    state_body: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every key the actor claims: the name, every alias, then the official name."""
        if self.official_name is None:
            return (self.name, *self.aliases)
        return (self.name, *self.aliases, self.official_name)


@dataclass(frozen=True)
class NotActor:
    """A phrase that contains an actor's name but never names an actor ("Sudan Tribune")."""

    phrase: str
    why: str


@dataclass(frozen=True)
class Registry:
    actors: tuple[Actor, ...]
    regions: tuple[str, ...]
    not_actors: tuple[NotActor, ...] = ()
    by_id: dict[str, Actor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {actor.id: actor for actor in self.actors})

    def get(self, actor_id: str) -> Actor | None:
        return self.by_id.get(actor_id)

    def __len__(self) -> int:
        return len(self.actors)



class RegistryError(Exception):
    """A registry that cannot be used; str() is "path:line: field: message"."""

    def __init__(self, path: str | Path, line: int, field: str, message: str) -> None:
        self.path = str(path)
        self.line = line  # 1-based; 0 when no line applies (unreadable file)
        self.field = field
        self.message = message
        super().__init__(f"{self.path}:{line}: {field}: {message}")

    def __reduce__(self):
        # By its fields: the default pickling calls cls(*args), which this __init__ cannot take.
        return type(self), (self.path, self.line, self.field, self.message)

