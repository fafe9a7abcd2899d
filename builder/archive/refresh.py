"""Keep briefings' `actors` lists in step with the registry.

When the registry (`registry/`) gains an actor or an alias, briefings written earlier do not list it yet:
their `actors` list is *stale*. `stale_actors` says what is missing from one briefing (the
same question `check` asks); `refresh_actors` rewrites the `actors` list of every stale
briefing and nothing else.

What counts as stale is deliberately narrow, so that refreshing never undoes a person's work:
an actor the matcher now finds in the title + body and that the briefing's sidecar does not
exclude is *added*; an id the registry no longer has is *dropped*. An actor that the matcher
does not find (added by hand or by a sidecar) is kept. A briefing built from a Markdown draft
that listed its own `actors` is left alone: its list is the author's, not the matcher's.

The body is never touched. A briefing the builder wrote and nobody edited is rewritten as the
builder would write it (and re-stamped); a hand-edited one gets the canonical frontmatter with
its old `generated_sha256` kept, so it stays "edited by hand" for `ingest`.
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import ahocorasick
import frontmatter

from builder.archive.actors import Registry
from builder.archive.matching import ActorMatcher
from builder.archive.matching_keys import country_cues, match_keys
from builder.archive.textfold import _FOLD, normalise
from builder.archive.files import briefing_files
from builder.fsutil import write_atomic
from builder.archive.model import Briefing, BriefingMeta
from builder.archive.rawfiles import excluded_actors
from builder.archive.schema import briefing_text, dump_yaml, is_hand_edited, meta_mapping, parse_briefing

_FM_HANDLER = frontmatter.YAMLHandler()
# Markdown the renderer adds around the article's words; the matcher must not see it.
_FOOTNOTE_LABEL = re.compile(r"^\[\^\d+\]:[ \t]*", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^\d+\]")
_BACKSLASH_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|&])")
_TOKEN = re.compile(r"[^\W_]+")
# Link targets a hand edit may add ("../../actors/mali/index.md"): addresses, not article text.
_LINK_TARGET = re.compile(r"(?<!\\)\]\([^)\n]*\)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^>\s]*>")


def matched_text(title: str, body: str) -> str:
    """What the builder ran the matcher over: title + paragraphs + footnote texts, unescaped."""
    text = body
    # Each substitution only where its marker occurs: most bodies need few of them.
    if "[^" in text:
        text = _FOOTNOTE_REF.sub(" ", _FOOTNOTE_LABEL.sub("", text))
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if "]:" in text:
        text = _REFERENCE_DEF.sub("", text)
    if "<" in text:
        text = _AUTOLINK.sub(" ", text)
    if "\\" in text:
        text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    return f"{title}\n\n{html.unescape(text)}"


# ASCII characters that separate words (everything but letters and digits), as bytes -> b" ".
_ASCII_SEPARATORS = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalnum()), b" " * sum(1 for c in range(128) if not chr(c).isalnum())
)
_ASCII_BYTES = bytes(range(128))


def _without_marks(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    for char in [c for c in set(text) if c > "\x7f" and unicodedata.combining(c)]:
        text = text.replace(char, "")
    return text


def folded_text(text: str) -> str:
    """The text as the matcher compares it (`actors.normalise`), words joined by single spaces."""
    return folded_bytes(text).decode("utf-8")


def folded_bytes(text: str) -> bytes:
    """`folded_text(text)` in UTF-8."""
    return b" ".join(folded_words(text))


def folded_words(text: str) -> list[bytes]:
    """`fold_words(text)` in UTF-8, as they are made.

    Bytes all the way: ASCII is lower-cased and its separators turned into spaces by C-level
    byte methods, and each distinct non-ASCII character (typographic quotes and dashes,
    mostly) is folded once, as `normalise` folds it, and replaced everywhere: a tenth of the
    cost of walking the text character by character. Where a character folds into non-ASCII
    (a non-Latin script), `normalise` itself does the work.
    """
    data = text.encode("utf-8").lower()  # bytes.lower touches ASCII only, as str.lower does there
    if not data.isascii():
        chars = set(data.translate(None, _ASCII_BYTES).decode("utf-8"))
        folded = [(c.encode("utf-8"), _FOLD[c]) for c in chars]
        if not all(f.isascii() for _, f in folded):
            return normalise(text)[0].encode("utf-8").split()
        for char, replacement in folded:
            data = data.replace(char, replacement.encode("ascii"))
    return data.translate(_ASCII_SEPARATORS).split()  # only letters, digits and spaces are left


def fold_words(text: str) -> list[str]:
    """The words of `text` as the matcher compares them: `normalise(text)[0].split()`, faster."""
    return folded_text(text).split()


@dataclass(frozen=True)
class _Alias:
    actor_id: str | None  # None: a not-actor phrase, which only hides what it covers
    length: int  # of the folded key
    capitals: re.Pattern[str] | None  # an acronym as written: the text must have it in capitals
    lower_initial: re.Pattern[str] | None  # a capitalised key: finds it written with a lower-case initial
    ambiguous: bool  # ambiguous or a demonym: counts only with the text's other matches
    demonym: bool
    others: tuple[str, ...] = ()  # the other owners of a shared acronym


_ACTOR_ID, _SECOND = operator.attrgetter("actor_id"), operator.itemgetter(1)
_NEVER = re.compile(r"(?!)")  # a capitalised key the regexes cannot follow: it never hides another


def _acronym_pattern(key: str) -> re.Pattern[str]:
    """"u s" (U.S.) -> U, any separators, S, as whole words; starting with the literal keeps the search fast."""
    first, *rest = map(re.escape, key.upper().split())
    return re.compile(first + rf"(?<![^\W_]{first})" + "".join(rf"[\W_]*{word}" for word in rest) + r"(?![^\W_])")


def _lower_initial_pattern(key: str) -> re.Pattern[str]:
    """"south sudan" -> "south Sudan", "south-sudan", ... : the key with a lower-case initial, as whole words."""
    first, *rest = key.split()
    words = [re.escape(first[0]) + f"(?i:{re.escape(first[1:])})", *(f"(?i:{re.escape(w)})" for w in rest)]
    return re.compile(r"(?<![^\W_])" + r"[\W_]*".join(words) + r"(?![^\W_])")


class ActorPrefilter:
    """Which actors could `ActorMatcher` possibly find in a text: a cheap superset.

    The matcher's work (offset maps, context windows) is what makes a 10,000-briefing check
    slow, and on an up-to-date archive it finds nothing new. This runs the same whole-word,
    leftmost-longest search, over the same keys (`matching_keys.match_keys`), on the text's folded words (`fold_words`) and errs on the side of
    "possible": an acronym counts if its words occur in capitals anywhere and never hides
    another match; a capitalised key counts whatever its case and hides another only when
    the text never writes it with a lower-case initial; an ambiguous alias counts if the
    actor is named, a context word occurs anywhere or a country cue (`matching_keys.country_cues`)
    is named; a demonym only if the state is named; personal names always count. Only
    briefings where it sees an unlisted actor go through the real matcher.
    """

    def __init__(self, registry: Registry) -> None:
        self._context: dict[str, list[tuple[str, ...]]] = {
            actor.id: [tuple(normalise(w)[0].split()) for w in actor.context] for actor in registry.actors
        }
        self._cues = country_cues(registry)
        keys: dict[str, _Alias] = {}
        for key, meaning in match_keys(registry).items():
            ascii_key = key.isascii()
            # "U.S." -> U, then any separators, then S, as whole words (a superset of the matcher's test).
            capitals = (_acronym_pattern(key) if ascii_key else _NEVER) if meaning.acronym else None
            lower_initial = (_lower_initial_pattern(key) if ascii_key else None) if meaning.capital and not meaning.acronym else None
            keys[key] = _Alias(meaning.actor_id, len(key), capitals, lower_initial, meaning.judged, meaning.demonym,
                               meaning.shared_with)
        self._automaton = ahocorasick.Automaton()
        for key, alias in keys.items():
            self._automaton.add_word(f" {key} ", alias)
        self._automaton.make_automaton()
        # Each key's rarest word (in the fewest keys): a text without it cannot contain the key.
        keys_with: Counter[str] = Counter(word for key in keys for word in set(key.split()))
        self._actors_by_word: dict[bytes, set[str]] = defaultdict(set)
        for key, alias in keys.items():
            if alias.actor_id is None:
                continue
            word = min(key.split(), key=lambda w: (keys_with[w], -len(w), w))
            self._actors_by_word[word.encode("utf-8")].update((alias.actor_id, *alias.others))

    def possible(self, words: list[str], text: str, listed: frozenset[str] | set[str] = frozenset()) -> set[str]:
        """Actors that may be in `text` (`words` is `fold_words(text)`), or nothing beyond `listed`."""
        return self.possible_in(" ".join(words), text, listed)

    def possible_in(
        self, folded: str, text: str, listed: frozenset[str] | set[str] = frozenset(), words: set[bytes] | None = None
    ) -> set[str]:
        """`possible`, given `folded_text(text)` instead of the words (and `set(folded_words(text))` if at hand)."""
        if not len(self._automaton):
            return set()
        listed = listed if isinstance(listed, (set, frozenset)) else frozenset(listed)
        if words is not None and all(self._actors_by_word[w] <= listed for w in self._actors_by_word.keys() & words):
            return set()  # no unlisted actor's key can occur: the search below would find nothing new
        found = list(self._automaton.iter(f" {folded} "))
        found_ids = set(map(_ACTOR_ID, map(_SECOND, found)))
        found_ids.update(other for _, alias in found for other in alias.others)
        found_ids.discard(None)
        if found_ids <= listed:
            return set()  # whatever the matcher makes of these, nothing new can come of it
        hits = sorted(((end - alias.length, end, alias) for end, alias in found), key=lambda hit: (hit[0], -hit[1]))
        named: set[str] = set()
        ambiguous: dict[str, bool] = {}  # actor id -> only as a demonym so far
        in_text: dict[re.Pattern[str], bool] = {}
        plain: str | None = None  # the text without diacritics, case kept: "ÚN" is "UN" to the matcher

        def occurs(pattern: re.Pattern[str]) -> bool:
            nonlocal plain
            if pattern not in in_text:
                plain = plain if plain is not None else _without_marks(text)
                in_text[pattern] = pattern.search(plain) is not None
            return in_text[pattern]

        def add(alias: _Alias) -> None:
            if alias.actor_id is None:
                return
            if not alias.ambiguous:
                named.add(alias.actor_id)
                return
            for actor_id in (alias.actor_id, *alias.others):
                ambiguous[actor_id] = ambiguous.get(actor_id, True) and alias.demonym

        reach = 0
        for index, (start, end, alias) in enumerate(hits):
            if alias.capitals is not None:
                if occurs(alias.capitals):
                    add(alias)
                continue  # an acronym the matcher may reject must not hide another match
            if start >= reach:
                add(alias)
                overlapped = index + 1 < len(hits) and hits[index + 1][0] < end
                if not overlapped or alias.lower_initial is None or not occurs(alias.lower_initial):
                    reach = end  # a capitalised key the matcher may reject must not hide another match
        for actor_id, demonym_only in ambiguous.items():
            if actor_id in named or demonym_only:
                continue
            present = None
            for context in self._context[actor_id]:
                present = present if present is not None else set(folded.split())
                if context and all(w in present for w in context):
                    named.add(actor_id)
                    break
            else:
                if not self._cues.get(actor_id, frozenset()).isdisjoint(named):
                    named.add(actor_id)
        return named


@dataclass(frozen=True)
class ActorSource:
    """What, besides the matcher, decides a briefing's actors: its sidecar or its draft."""

    exclude: frozenset[str] = frozenset()
    hand_picked: bool = False  # a Markdown draft listed its own actors: never second-guess it


def actor_source(meta: BriefingMeta, root: Path) -> ActorSource:
    """Read the raw file's sidecar (exclude_actors) and, for a draft, whether it chose its actors."""
    if not meta.raw:
        return ActorSource()
    raw_path = root / meta.raw
    exclude = excluded_actors(raw_path)
    hand_picked = False
    if raw_path.suffix.lower() in (".md", ".markdown") and raw_path.is_file():
        try:
            text = raw_path.read_text(encoding="utf-8")
            if _FM_HANDLER.detect(text):
                hand_picked = re.search(r"^actors\s*:", _FM_HANDLER.split(text)[0], re.MULTILINE) is not None
        except (OSError, UnicodeDecodeError, ValueError):
            pass
    return ActorSource(exclude=exclude, hand_picked=hand_picked)


@dataclass(frozen=True)
class Staleness:
    added: tuple[str, ...]  # matched now, missing from the list
    dropped: tuple[str, ...]  # listed, but no longer in the registry

    def __bool__(self) -> bool:
        return bool(self.added or self.dropped)

    def refreshed(self, actors: Iterable[str]) -> tuple[str, ...]:
        """The list with unknown ids dropped and new actors appended (the rest keeps its order)."""
        return tuple(a for a in actors if a not in self.dropped) + self.added


def stale_actors(
    meta: BriefingMeta,
    body: str,
    matcher: ActorMatcher,
    registry: Registry,
    source_of=lambda meta: ActorSource(),
    *,
    prefilter: ActorPrefilter | None = None,
    words: list[str] | None = None,
    folded: str | None = None,
    text: str | None = None,
    word_set: set[bytes] | None = None,
) -> Staleness:
    """How `meta.actors` differs from what the registry says now (see the module docstring).

    With a `prefilter` the matcher only runs when an unlisted actor's words occur at all.
    `text` (`matched_text(meta.title, body)`) and its `folded_text` (or its `words`) are
    computed here when not given; `word_set`, `set(folded_words(text))`, is a faster exit. `source_of(meta)` is only called when the matcher finds
    something new, so that reading sidecars costs nothing on an up-to-date archive.
    """
    listed = set(meta.actors)
    dropped = tuple(a for a in meta.actors if registry.get(a) is None)
    if text is None:
        text = matched_text(meta.title, body)
    if prefilter is not None:
        if folded is None:
            folded = " ".join(words) if words is not None else folded_text(text)
        if not prefilter.possible_in(folded, text, listed, word_set) - listed:
            return Staleness(added=(), dropped=dropped)
    added = [a for a in matcher.actor_ids(text) if a not in listed]
    if added:
        source = source_of(meta)
        added = [] if source.hand_picked else [a for a in added if a not in source.exclude]
    return Staleness(added=tuple(added), dropped=dropped)


def refreshed_text(path: str, text: str, briefing: Briefing, actors: tuple[str, ...]) -> str:
    """The file's new text: only `actors` changes; the body's bytes are kept as they are."""
    meta = dataclasses.replace(briefing.meta, actors=actors)
    if not is_hand_edited(briefing):
        # The builder's own output: write it as the builder would now, hash included.
        return briefing_text(dataclasses.replace(briefing, meta=meta))
    if text.startswith("\ufeff"):
        text = text[1:]
    # Everything from the closing '---' on is kept byte for byte.
    closing = list(itertools.islice(_FM_HANDLER.FM_BOUNDARY.finditer(text), 2))[-1]
    return "---\n" + dump_yaml(meta_mapping(meta)) + text[closing.start():]


def refresh_actors(
    docs_dir: Path,
    registry: Registry,
    *,
    root: Path | None = None,
    matcher: ActorMatcher | None = None,
    only: Iterable[Path] | None = None,
    dry_run: bool = False,
) -> list[str]:
    """Rewrite the `actors` list of every stale briefing; return the paths changed (or to change).

    Briefings whose frontmatter has other problems are left alone (`check` reports them): a
    canonical rewrite could lose what a person meant.
    """
    root = root if root is not None else Path.cwd()
    matcher = matcher or ActorMatcher(registry)
    prefilter = ActorPrefilter(registry)
    wanted = {p.resolve() for p in only} if only is not None else None
    known = registry.by_id.keys()
    changed: list[str] = []
    for path in briefing_files(docs_dir):
        if wanted is not None and path.resolve() not in wanted:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        briefing, problems = parse_briefing(str(path), text, known_actors=known, regions=registry.regions)
        if briefing is None or any(p.field != "actors" for p in problems):
            continue
        staleness = stale_actors(
            briefing.meta, briefing.body, matcher, registry, lambda m: actor_source(m, root), prefilter=prefilter
        )
        if not staleness:
            continue
        new_text = refreshed_text(str(path), text, briefing, staleness.refreshed(briefing.meta.actors))
        if dry_run or write_atomic(path, new_text):
            changed.append(path.as_posix())
    return changed
