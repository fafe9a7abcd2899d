"""`briefings check`: the whole archive validated in one pass, every problem reported.

The run, in order:

1. the registry (the folder `registry/`, `builder.archive.check_registry`): every problem of its
   files, not just the first `load_registry` stops at, because briefings are checked
   against it, and aliases that are common English words;
2. each briefing on its own (`check_one`, the checks in `builder.archive.check_briefing`):
   frontmatter (through `schema.validate_frontmatter`, the one definition of the format),
   file name, body (raw HTML, unsafe or broken links), a stale `actors` list;
3. the archive as a whole, which needs every briefing read first: duplicates (same raw
   file, same URL, near-identical body: `builder.archive.duplicates`), raw files never ingested.

Each problem is a `BuildError` naming the file (repository-relative, as GitHub annotations
want it), the line and the field. Pure: nothing is written, no MkDocs import.

Speed (10,000 briefings in a few seconds): each briefing is read once and its text folded
once, with byte-level C methods (`refresh.folded_bytes`), for both the stale-actor prefilter
and the duplicate fingerprints; the frontmatter the builder writes is read without a YAML
parser (`fast_read.fast_frontmatter_lines`; libyaml when it declines), key lines included; a
body is looked at line by line only when it has a `<`, `](` or `]:`; the actor matcher only
runs where a cheap prefilter sees an actor the briefing does not list; near-identical bodies
are found through content-defined fingerprints and an inverted index, never by comparing
every pair. A large archive is checked on forked workers that return small `Entry` tuples,
not bodies, and compare each briefing's sidecar with the hash it was ingested with.
"""


import hashlib
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from builder import forkpool
from builder.archive.actors import Registry
from builder.archive.check_briefing import Parsed, check_body, check_filename, check_stale_actors, parse_file
from builder.archive.check_registry import check_registry
from builder.archive.duplicates import DuplicateIndex, fingerprints
from builder.archive.files import briefing_paths
from builder.archive.matching import ActorMatcher
from builder.archive.model import BriefingMeta
from builder.archive.rawfiles import KIND_BY_SUFFIX, SIDECAR_SUFFIXES, read_sidecar
from builder.archive.refresh import ActorPrefilter, fold_words, folded_words, matched_text
from builder.errors import BuildError
from builder.fsutil import LINK_OUTSIDE, escapes, links_outside

# ------------------------------------------------------------------ rules as data

PARALLEL_FROM = 1000  # briefings; below that, starting processes costs more than it saves
MAX_WORKERS = 8
_TRACKING_PARAMS = re.compile(r"^(utm_|fbclid$|gclid$|mc_)")
_SIMPLE_URL = re.compile(r"(?i:https?)://([^/?#:@\[\]\x00-\x20\x7f]+)(/[^?#\x00-\x20\x7f]*)?")


# ------------------------------------------------------------------ data


class Entry(NamedTuple):
    """What the archive-wide checks need of one usable briefing: small, it crosses processes.

    A NamedTuple: unpickling 10,000 of them in the parent costs a third of what dataclasses do.
    """

    rel: str
    shown: str
    raw: str | None
    raw_sha256: str | None
    url: str | None  # normalised_url
    lines: tuple[int, int, int]  # of raw_sha256, of url, of the body's first text
    sidecar_sha256: str | None
    sidecar: str | None  # the raw file's sidecar (as shown) when its bytes are those ingested
    sample: frozenset[int]  # duplicates.fingerprints


@dataclass(frozen=True)
class Paths:
    root: Path
    docs: Path
    registry: Path
    raw: Path

    def shown(self, path: Path) -> str:
        """`path` relative to the repository root, as annotations and `raw:` fields name it."""
        try:
            return path.relative_to(self.root).as_posix()  # the usual case: no file system call
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path


# ------------------------------------------------------------------ the run


def check_archive(
    root: Path,
    *,
    docs_dir: Path,
    registry_path: Path,
    raw_dir: Path,
    only: list[Path] | None = None,
) -> list[BuildError]:
    """Every problem of the archive under `root`, sorted by path and line.

    `only` limits the report to problems in those files (or under those folders), as a
    pre-commit hook wants; the whole archive is still read, since a duplicate needs both
    files. A changed registry also brings in every briefing's `actors` problems.
    """
    paths = Paths(root, _under(root, docs_dir), _under(root, registry_path), _under(root, raw_dir))
    registry, problems = check_registry(paths.registry, paths.shown(paths.registry))
    # Links out of the repository are reported, and never read (briefing_paths skips them).
    escaping = links_outside(paths.docs, root) + links_outside(paths.raw, root)
    problems += [BuildError(paths.shown(Path(path)), LINK_OUTSIDE, line=1, field="file") for path in escaping]
    docs_files, briefings = _docs_files(paths.docs)
    context = _Context(paths, registry, ActorMatcher(registry), ActorPrefilter(registry), docs_files,
                       paths.shown(paths.docs), frozenset(registry.by_id))
    entries: list[Entry] = []
    duplicates = DuplicateIndex()
    reported = _reported(only, paths)
    # A briefing whose problems will not be reported is still read: duplicates and raw files need it.
    jobs = [(rel, reported(paths.docs / rel)) for rel in briefings] if only is not None else [(rel, True) for rel in briefings]
    for entry, found in _each_briefing(context, jobs):
        problems += [BuildError(path, message, line=line, field=field) for path, message, line, field in found]
        if entry is not None:
            entries.append(entry)
            duplicates.add_sample(entry.sample)
    problems += check_duplicates(entries, duplicates, context)
    problems += check_raw_files(paths, entries)
    if only is not None:
        problems = [p for p in problems if reported(_under(paths.root, Path(p.path)), p.field)]
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))


@dataclass(frozen=True)
class _Context:
    """What checking one briefing needs, built once per run."""

    paths: Paths
    registry: Registry
    matcher: ActorMatcher
    prefilter: ActorPrefilter
    docs_files: frozenset[str]
    docs_shown: str
    known_actors: frozenset[str]


def check_one(context: _Context, rel: str, full: bool = True) -> tuple[Entry | None, list[tuple]]:
    """Everything about one briefing (docs-relative path) that needs no other briefing.

    `full=False`: just read it for the archive-wide checks. Returns what those checks need
    (None when the frontmatter is unusable) and the problems as (path, message, line, field)
    tuples: they cross process boundaries, where BuildError does not pickle.
    """
    path = context.paths.docs / rel
    briefing, problems = parse_file(path, rel, f"{context.docs_shown}/{rel}", context.registry, context.known_actors)
    if briefing is not None and full:
        problems += check_body(briefing, context.docs_files, context.registry)
    entry = None
    if briefing is not None and briefing.meta is not None:
        meta = briefing.meta
        # One folding of the text serves both the stale-actor and the duplicate checks.
        text = matched_text(meta.title, briefing.body)
        words = folded_words(text)
        folded_utf8 = b" ".join(words)
        folded = folded_utf8.decode("utf-8")
        if full:
            problems += check_filename(briefing)
            problems += check_raw_link(briefing, context.paths)
            problems += check_stale_actors(briefing, context.matcher, context.registry, context.prefilter, context.paths.root,
                                           text=text, folded=folded, word_set=set(words))
        lines = briefing.key_lines
        entry = Entry(rel, briefing.shown, meta.raw, meta.raw_sha256, normalised_url(meta.url) if meta.url else None,
                      (lines.get("raw_sha256", 1), lines.get("url", 1), briefing.text_line),
                      meta.sidecar_sha256, _ingested_sidecar(meta, context.paths), fingerprints(folded_utf8))
    return entry, [(p.path, p.message, p.line, p.field) for p in problems]


def _ingested_sidecar(meta: BriefingMeta, paths: Paths) -> str | None:
    """The raw file's sidecar (as shown) when its bytes are those the briefing was ingested with.

    Such a sidecar passed `read_sidecar` then; `check_raw_files` reads only the others again.
    Checked here, on the workers, rather than there on one process.
    """
    if not meta.raw or not meta.sidecar_sha256:
        return None
    stem = posixpath.splitext(meta.raw)[0]
    for suffix in SIDECAR_SUFFIXES:
        try:
            with open(os.path.join(paths.root, f"{stem}{suffix}"), "rb") as file:
                data = file.read()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == meta.sidecar_sha256:
            return f"{stem}{suffix}"
    return None


def check_raw_link(briefing: Parsed, paths: Paths) -> list[BuildError]:
    """The raw file a briefing names must be in the repository (committed with it)."""
    raw = briefing.meta.raw
    if raw and not (paths.root / raw).is_file():
        return [BuildError(briefing.shown, f"raw file {raw} does not exist; commit it with the briefing",
                           line=briefing.key_lines.get("raw", 1), field="raw")]
    return []


def _each_briefing(context: _Context, jobs: list[tuple[str, bool]]):
    """check_one over every (file, full), in order; on several processes when the archive is large."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(jobs) < PARALLEL_FROM or workers < 2 or not forkpool.available():
        yield from (check_one(context, *job) for job in jobs)
        return
    # The workers share the registry and matcher already built; nothing is pickled but the
    # paths going out and the small results (no bodies) coming back.
    yield from forkpool.fork_imap(lambda job: check_one(context, *job), jobs, workers=workers, chunksize=64)


def _reported(only: list[Path] | None, paths: Paths):
    """reported(path, field=None): is a problem of this file (and field) to be reported?

    Everything without `only`; else problems in those files or under those folders. A sidecar
    stands for its raw article; a changed registry brings in every briefing's actors.
    """
    if only is None:
        return lambda path, field=None: True
    absolute = lambda path: Path(os.path.abspath(path))  # noqa: E731 - a string operation, unlike resolve()
    wanted = {absolute(_under(paths.root, p)) for p in only}
    wanted |= {w.with_suffix(s) for w in wanted if w.suffix in SIDECAR_SUFFIXES for s in KIND_BY_SUFFIX}
    registry = absolute(paths.registry)  # a folder of files, or one file
    registry_changed = any(w == registry or registry in w.parents for w in wanted)

    def reported(path: Path, field: str | None = None) -> bool:
        if registry_changed and field in (None, "actors"):
            return True
        path = absolute(path)
        return path in wanted or any(parent in wanted for parent in path.parents)

    return reported


def _docs_files(docs: Path) -> tuple[frozenset[str], list[str]]:
    """Every file under docs/ (docs-relative) and the briefings among them, as `briefing_files`
    lists them (`archive.briefing_paths`: the one definition of which files are briefings, in
    the order that decides which of two duplicates is reported)."""
    files = _files_under(str(docs)) if docs.is_dir() else []
    return frozenset(files), [rel for rel, _ in briefing_paths(docs)]
# ------------------------------------------------------------------ the archive as a whole


def check_duplicates(entries: list[Entry], duplicates: DuplicateIndex, context: _Context) -> list[BuildError]:
    """Same raw file, same URL or a near-identical body: reported on the later file (path order)."""
    problems: list[BuildError] = []
    reported: set[tuple[str, str]] = set()

    def same(key_of, field: str, line_of, what: str) -> None:
        first: dict[str, Entry] = {}
        for entry in entries:
            key = key_of(entry)
            if not key:
                continue
            if key in first:
                original = first[key]
                reported.add((original.rel, entry.rel))
                problems.append(BuildError(entry.shown, f"{what} as {original.shown}: a duplicate briefing?",
                                           line=line_of(entry), field=field))
            else:
                first[key] = entry

    same(lambda e: e.raw_sha256, "raw_sha256", lambda e: e.lines[0], "same raw article (raw_sha256)")
    same(lambda e: e.url, "url", lambda e: e.lines[1], "same URL")

    def words_of(i: int) -> list[str]:  # read again: bodies do not travel back from the workers
        briefing = parse_file(context.paths.docs / entries[i].rel, entries[i].rel, entries[i].shown, context.registry,
                              context.known_actors)[0]
        return fold_words(matched_text(briefing.meta.title, briefing.body))

    for i, j, similarity in duplicates.pairs(words_of):
        original, entry = entries[i], entries[j]
        if (original.rel, entry.rel) in reported:
            continue
        problems.append(BuildError(entry.shown, f"body is {similarity:.0%} identical to {original.shown}: a duplicate briefing?",
                                   line=entry.lines[2], field="body"))
    return problems


def normalised_url(url: str) -> str:
    """One spelling per page: case of scheme and host, www., trailing slash, fragment and tracking parameters ignored."""
    simple = _SIMPLE_URL.fullmatch(url.strip())
    if simple:  # no port, user, query or fragment: what urlsplit would make of it, without it
        host, path = simple.groups()
        return f"http://{host.lower().removeprefix('www.')}{(path or '').rstrip('/')}"
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)))
    return urlunsplit(("http", host, parts.path.rstrip("/"), query, ""))



def check_raw_files(paths: Paths, entries: list[Entry]) -> list[BuildError]:
    """Raw articles no briefing comes from, broken sidecars, sidecars without an article.

    A sidecar whose bytes are those a briefing was ingested with (`sidecar_sha256`) passed
    `read_sidecar` then; only the others are read again (thousands of sidecars through the
    pure-Python YAML parser would be most of a check's time). The workers already compared
    each briefing's own sidecar (`Entry.sidecar`), so most are not even read here.
    """
    if not paths.raw.is_dir():
        return []
    problems: list[BuildError] = []
    ingested_paths = {e.raw for e in entries if e.raw}
    ingested_hashes = {e.raw_sha256 for e in entries if e.raw_sha256}
    sidecar_hashes = {e.sidecar_sha256 for e in entries if e.sidecar_sha256}
    verified = {e.sidecar for e in entries if e.sidecar}
    raw_shown = paths.shown(paths.raw)
    files = [rel for rel in _files_under(str(paths.raw)) if not rel.rsplit("/", 1)[-1].startswith(".")]
    articles = {_stem(rel) for rel in files if _suffix(rel).lower() in KIND_BY_SUFFIX}
    repository = os.path.realpath(paths.root)
    for rel in files:
        shown, suffix = f"{raw_shown}/{rel}", _suffix(rel)
        if os.path.islink(paths.raw / rel) and escapes(str(paths.raw / rel), repository):
            continue  # reported by check_archive, never read
        if suffix.lower() in KIND_BY_SUFFIX:
            if shown in ingested_paths:
                continue
            try:
                sha = hashlib.sha256((paths.raw / rel).read_bytes()).hexdigest()
            except OSError:
                sha = None
            if sha not in ingested_hashes:
                problems.append(BuildError(shown, f"never ingested: run `briefings ingest {shown}` and commit the briefing",
                                           line=1, field="raw"))
        elif suffix in SIDECAR_SUFFIXES:
            if _stem(rel) not in articles:
                problems.append(BuildError(shown, "sidecar without a raw article of the same name (.txt, .html or .md)",
                                           line=1, field="sidecar"))
                continue
            if shown in verified:
                continue
            path = paths.raw / rel
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest() in sidecar_hashes:
                    continue
                read_sidecar(path)
            except OSError:
                problems.append(BuildError(shown, "cannot read the sidecar", line=1, field="sidecar"))
            except BuildError as exc:
                problems.append(BuildError(shown, exc.message, line=exc.line or 1, field=exc.field or "sidecar"))
    return problems


def _files_under(folder: str, prefix: str = "") -> list[str]:
    """Files under `folder`, relative to it, as `Path.rglob("*")` + `is_file` finds them (no links to folders followed)."""
    found: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        try:
            if entry.is_dir() and not entry.is_symlink():
                found += _files_under(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append(f"{prefix}{entry.name}")
        except OSError:
            continue
    return found


def _suffix(rel: str) -> str:
    """`PurePath.suffix` of a relative path."""
    name = rel.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _stem(rel: str) -> str:
    """The path without `PurePath.suffix`: an article and its sidecar share it."""
    suffix = _suffix(rel)
    return rel[: len(rel) - len(suffix)] if suffix else rel
