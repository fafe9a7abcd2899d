"""The whole run, in order: read -> clean -> metadata -> actors -> footnotes -> render -> write.

Pure Python, no MkDocs import. `build_briefing` turns one raw article into a `Briefing` in
memory; `ingest` does that for many files and writes them into the archive, never
overwriting a hand-edited briefing unless forced.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import json
import os
import sys
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator
from urllib.parse import urlsplit

import yaml
from slugify import slugify

from builder import forkpool
from builder.archive.actors import Registry
from builder.archive.matching import ActorMatcher
from builder.archive.files import BRIEFINGS_DIR, ArchiveEntry, read_entry, scan_archive
from builder.errors import BuilderBug, BuildError
from builder.ingest.footnotes import MARKER, link_markers, parse_note
from builder.fsutil import outside, read_bytes, tree_entries, write_atomic
from builder.ingest.metadata import article_end, page_facts
from builder.archive.model import BODY_ROLES, Block, Briefing, BriefingMeta, CitedSource, CleanedArticle, RawArticle, Role
from builder.archive.rawfiles import KIND_BY_SUFFIX, SIDECAR_SUFFIXES, decode_bytes, kind_for, read_sidecar, sidecar_path
from builder.ingest.readers import MAX_RAW_BYTES, file_sha256, read_raw
from builder.ingest.compose import body_markdown
from builder.archive.schema import briefing_text, is_hand_edited, parse_briefing, split_frontmatter, validate_frontmatter

if TYPE_CHECKING:
    from builder.ingest.clean import BoilerplateModel

SLUG_MAX_LENGTH = 80
# "Washington's" -> "washingtons", not "washington-s".
SLUG_REPLACEMENTS = [["'", ""], ["’", ""], ["ʼ", ""]]


@dataclass
class RunContext:
    """What one run builds once and uses for every article."""

    registry: Registry
    matcher: ActorMatcher
    root: Path  # the repository root: raw paths in frontmatter are relative to it
    boilerplate: BoilerplateModel | None = None


# ---------------------------------------------------------------- one article


def source_key(raw: RawArticle) -> str:
    return sidecar_source_key(raw.sidecar)


def sidecar_source_key(sidecar) -> str:
    """Which articles share boilerplate: the sidecar's source, else the URL's host, else none."""
    if sidecar.get("source"):
        return "source:" + str(sidecar["source"]).casefold()
    if sidecar.get("url"):
        return "host:" + (urlsplit(sidecar["url"]).hostname or "")
    return ""


def clean_raw(raw: RawArticle, boilerplate: BoilerplateModel | None) -> CleanedArticle:
    # Imported here: the cleaner (trafilatura, compiled patterns) is ~0.1 s a no-op run never needs.
    from builder.ingest.clean import clean_html, clean_text_dump

    key = source_key(raw)
    known = boilerplate.lines_for(key) if (boilerplate is not None and key) else frozenset()
    if raw.kind == "html":
        return clean_html(raw.text, url=raw.sidecar.get("url"), boilerplate=known)
    return clean_text_dump(raw.text, boilerplate=known)


def repo_relative(path: Path, root: Path) -> str | None:
    """`path` relative to the repository root, or None when it lies outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _article_blocks(article: CleanedArticle) -> tuple[list[Block], list[Block]]:
    """(body blocks, footnote blocks) of the article proper: nothing after its end counts."""
    blocks = article.blocks[: article_end(article.blocks)]
    body = [b for b in blocks if b.role in BODY_ROLES]
    notes = [b for b in blocks if b.role is Role.FOOTNOTE]
    return body, notes


def _region(sidecar_region, section_region, actor_ids, registry: Registry) -> str | None:
    regions = set(registry.regions)
    if sidecar_region:
        return sidecar_region
    if section_region in regions:
        return section_region
    # The region most of the article's states belong to, first-mentioned wins a tie.
    counts = Counter()
    for actor_id in actor_ids:
        actor = registry.get(actor_id)
        if actor is not None and actor.type == "state" and actor.region in regions:
            counts[actor.region] += 1
    if not counts:
        return None
    best = max(counts.values())
    return next(r for r in (registry.get(a).region for a in actor_ids if registry.get(a)) if counts.get(r) == best)


def _actors(text: str, sidecar: dict, matcher: ActorMatcher, registry: Registry) -> tuple[str, ...]:
    found = list(matcher.actor_ids(text))
    for extra in sidecar.get("actors", ()):
        if registry.get(extra) is None:
            raise BuildError("sidecar", f"unknown actor id {extra!r} in actors", field="actors")
        if extra not in found:
            found.append(extra)
    excluded = set(sidecar.get("exclude_actors", ()))
    return tuple(a for a in found if a not in excluded)


def build_briefing(raw: RawArticle, ctx: RunContext, *, rel: str | None = None) -> Briefing:
    """One raw article -> a Briefing in memory (nothing is written).

    `rel`: the raw file's repository-relative path when the caller already resolved it.
    """
    rel = rel if rel is not None else repo_relative(raw.path, ctx.root)
    if raw.kind == "md":
        return _build_from_draft(raw, ctx, rel)
    sidecar = dict(raw.sidecar)
    article = clean_raw(raw, ctx.boilerplate)
    facts = page_facts(article)
    body_blocks, note_blocks = _article_blocks(article)
    if not body_blocks:
        raise BuildError(raw.path, "no article text found after cleaning (is this an article page?)")
    notes = [n for n in (parse_note(b.text) for b in note_blocks) if n is not None]
    paragraphs, definitions = link_markers([b.text for b in body_blocks], notes)
    body_blocks = [dataclasses.replace(b, text=t) for b, t in zip(body_blocks, paragraphs)]

    title = sidecar.get("title") or facts.title
    review: list[str] = []
    if not title:
        title = raw.path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
        review.append("title missing: taken from the file name")
    matched_text = "\n\n".join([title] + [b.text for b in body_blocks] + [n.text for n in notes])
    actors = _actors(matched_text, sidecar, ctx.matcher, ctx.registry)
    cited = CitedSource(**sidecar["cited_source"]) if sidecar.get("cited_source") else facts.cited_source
    summary = sidecar.get("summary") or facts.summary
    meta = BriefingMeta(
        title=" ".join(title.split()),
        date=sidecar.get("date") or facts.date,
        source=sidecar.get("source") or facts.source,
        url=sidecar.get("url") or facts.url,
        authors=tuple(sidecar.get("authors") or facts.authors),
        region=_region(sidecar.get("region"), facts.section_region, actors, ctx.registry),
        section=sidecar.get("section") or facts.section,
        summary=" ".join(MARKER.sub("", summary).split()) if summary else None,
        tags=tuple(sorted(set(sidecar.get("tags", ())))),
        actors=actors,
        cited_source=cited,
        image_credit=sidecar.get("image_credit") or facts.image_credit,
        raw=rel,
        raw_sha256=raw.sha256,
        sidecar_sha256=raw.sidecar_sha256,
    )
    meta = dataclasses.replace(meta, review=tuple(review) + missing_fields(meta))
    body = body_markdown(body_blocks, definitions)
    return Briefing(meta=meta, body=body, path=briefing_path(meta))


def missing_fields(meta: BriefingMeta) -> tuple[str, ...]:
    """Review items for what a briefing should have but the page did not say."""
    wanted = (("date", meta.date), ("source", meta.source), ("region", meta.region), ("summary", meta.summary))
    return tuple(f"{name} missing" for name, value in wanted if not value)


def _build_from_draft(raw: RawArticle, ctx: RunContext, rel: str | None) -> Briefing:
    """A Markdown draft with frontmatter: validate, normalise, fill provenance and actors."""
    path = str(raw.path)
    data, body, key_lines = split_frontmatter(path, raw.text)
    data = {**data, **{k: v for k, v in raw.sidecar.items() if k not in ("exclude_actors", "cited_source")}}
    if raw.sidecar.get("cited_source"):
        data["cited_source"] = dict(raw.sidecar["cited_source"])
    data.pop("exclude_actors", None)
    if "actors" not in data:
        data["actors"] = [a for a in ctx.matcher.actor_ids(f"{data.get('title', '')}\n\n{body}")
                          if a not in set(raw.sidecar.get("exclude_actors", ()))]
    data["raw"] = rel
    data["raw_sha256"] = raw.sha256
    data["sidecar_sha256"] = raw.sidecar_sha256
    data.pop("generated_sha256", None)
    meta, problems = validate_frontmatter(
        path, data, key_lines, known_actors=ctx.registry.by_id.keys(), regions=ctx.registry.regions
    )
    if problems:
        raise problems[0]
    # A draft's body is published as it is: raw HTML and script links are refused here, with
    # their line, as `briefings check` would refuse them later.
    from builder.archive.check import Parsed, check_body

    body_line = raw.text.count("\n", 0, len(raw.text) - len(body)) + 1
    unsafe = check_body(Parsed(rel or path, path, meta, key_lines, body, body_line), frozenset(), ctx.registry, links=False)
    if unsafe:
        raise unsafe[0]
    meta = dataclasses.replace(meta, review=tuple(dict.fromkeys(meta.review + missing_fields(meta))))
    return Briefing(meta=meta, body=body.strip("\n") + "\n", path=briefing_path(meta))


def briefing_path(meta: BriefingMeta) -> str:
    """docs-relative path: briefings/<YYYY>/<YYYY-MM-DD>-<slug>.md (undated/ when no date)."""
    slug = slugify(meta.title, max_length=SLUG_MAX_LENGTH, word_boundary=True, replacements=SLUG_REPLACEMENTS) or "briefing"
    if meta.date:
        return f"{BRIEFINGS_DIR}/{meta.date[:4]}/{meta.date}-{slug}.md"
    return f"{BRIEFINGS_DIR}/undated/{slug}.md"


# ---------------------------------------------------------------- many articles


@dataclass(frozen=True)
class RawFile:
    """A raw article found for a run, with what deciding whether it changed needs.

    Plain strings: a no-op re-run looks at 10,000 of them and needs a `Path` for none.
    """

    name: str  # its path as `str(Path)` gives it (relative to the working folder when the argument was)
    rel: str | None  # its real path relative to the repository root; None when outside it
    sidecar: str | None

    @property
    def path(self) -> Path:
        return Path(self.name)


def raw_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Raw article files named directly or found under the given folders, in a stable order."""
    return (item.path for item in find_raw(paths, root=None))


def find_raw(paths: Iterable[Path], root: Path | None) -> Iterator[RawFile]:
    """`raw_files` with each file's repository-relative path and sidecar (`rel` is None without a root).

    Symlinks are resolved as `Path.resolve()` would, but only where there can be one: each
    named path once, and a found file only when it is itself a symlink (the walk never enters
    symlinked folders), so a symlink out of the repository is still refused.
    """
    root_real = os.path.realpath(root) if root is not None else None
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            found = _raw_in_folder(path, root_real)
        else:
            rel = _relative(os.path.realpath(path), root_real) if root_real is not None else None
            sidecar = sidecar_path(path)
            found = [RawFile(str(path), rel, str(sidecar) if sidecar else None)]
        for item in found:
            if item.name not in seen:
                seen.add(item.name)
                yield item


def _raw_in_folder(folder: Path, root_real: str | None) -> list[RawFile]:
    """Raw articles under a folder (as `is_raw_candidate` picks them), each with its sidecar."""
    top = os.fspath(folder)
    skip = 2 if top == "." else 0  # "./a.txt" is Path("a.txt")
    top_real = os.path.realpath(top) if root_real is not None else ""
    entries = tree_entries(top)
    files = {entry.path for entry in entries if entry.is_file()}
    found = []
    for entry in entries:
        name = entry.name
        stem, suffix = os.path.splitext(entry.path)
        if name.startswith(".") or suffix.lower() not in KIND_BY_SUFFIX or entry.path not in files:
            continue
        rel = None
        if root_real is not None:
            # Folders on the way are real (the walk does not enter symlinked ones): only the file can be a link.
            real = os.path.realpath(entry.path) if entry.is_symlink() else top_real + entry.path[len(top):]
            rel = _relative(real, root_real)
        sidecar = next((stem + s for s in SIDECAR_SUFFIXES if stem + s in files), None)
        found.append(RawFile(entry.path[skip:], rel, sidecar[skip:] if sidecar else None))
    return found


def _relative(real: str, root_real: str) -> str | None:
    """A resolved path relative to the resolved root, or None when it lies outside it."""
    if outside(real, root_real):
        return None
    return "." if real == root_real else real[len(root_real.rstrip("/")) + 1:]


def learn_boilerplate(
    raw_root: Path, *, cache_dir: Path | None = None, jobs: int | None = 1, write_cache: bool = True
) -> BoilerplateModel:
    """Lines that recur across several raw articles of one source (the corpus under raw/).

    Streamed: one text in memory at a time; files without a source key are not even read.
    Sources are learned independently (the model counts lines per source), in parallel with
    several jobs. With `cache_dir`, `<cache_dir>/boilerplate.json` keeps the lines of every
    source with the hash of what they were learned from: an unchanged corpus is not read
    again (~1.5 ms a file), and after a change only the sources whose files changed are learned.
    `write_cache=False` reads the cache but never writes it (`briefings clean` writes nothing
    but its output).
    """
    from builder.ingest.clean import BoilerplateModel

    files = [item for item in find_raw([raw_root], None) if kind_for(item.path) != "md"] if raw_root.is_dir() else []
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    pool = jobs if jobs > 1 and len(files) >= PARALLEL_MIN_FILES and forkpool.available() else 0
    if cache_dir is None:
        return BoilerplateModel(_learn_sources(_files_by_source(files, pool), pool))
    cache = cache_dir / BOILERPLATE_CACHE
    code = _code_fingerprint()
    hashes = {item.name: _content_hashes(item) for item in files if item.sidecar is not None}
    corpus_key = _digest(code, *(f"{name}\0{value}" for name, value in hashes.items()))
    record = _read_cache(cache)
    if record.get("key") == corpus_key:
        return BoilerplateModel({source: frozenset(e["lines"]) for source, e in record["sources"].items() if e["lines"]})
    by_source = _files_by_source(files, pool)
    source_keys = {source: _digest(code, source, *(f"{n}\0{hashes[n]}" for n in names))
                   for source, names in by_source.items()}
    known = record.get("sources", {})
    lines = {source: frozenset(known[source]["lines"]) for source, key in source_keys.items()
             if known.get(source, {}).get("key") == key}
    lines.update(_learn_sources({s: names for s, names in by_source.items() if s not in lines}, pool))
    sources = {source: {"key": source_keys[source], "lines": sorted(lines.get(source, ()))} for source in sorted(by_source)}
    if write_cache:
        try:
            write_atomic(cache, json.dumps({"key": corpus_key, "sources": sources}, sort_keys=True, indent=0) + "\n")
        except OSError:
            pass  # a read-only checkout: the next run learns again, nothing else changes
    return BoilerplateModel({source: kept for source, kept in lines.items() if kept})


BOILERPLATE_CACHE = "boilerplate.json"


def _code_fingerprint() -> str:
    """The code and data the learned lines depend on besides the corpus: a change relearns."""
    import builder.ingest.clean.boilerplate
    import builder.archive.rawfiles
    import builder.ingest.readers
    import builder.archive.schema

    modules = (builder.ingest.clean.boilerplate, builder.archive.rawfiles, builder.ingest.readers, builder.archive.schema, sys.modules[__name__])
    return _digest(sys.version, unicodedata.unidata_version, yaml.__version__,
                   *(hashlib.sha256(Path(m.__file__).read_bytes()).hexdigest() for m in modules))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _content_hashes(item: RawFile) -> str:
    try:
        return f"{item.sidecar}\0{file_sha256(item.name)}\0{file_sha256(item.sidecar)}"
    except OSError:
        return "unreadable"


def _read_cache(cache: Path) -> dict:
    """The cache record, or {} when missing or damaged (then everything is learned again)."""
    try:
        record = json.loads(cache.read_text(encoding="utf-8"))
        sources = record["sources"]
        if not isinstance(record["key"], str) or not all(
            isinstance(e["key"], str) and all(isinstance(x, str) for x in e["lines"]) for e in sources.values()
        ):
            return {}
        return record
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _files_by_source(files: list[RawFile], workers: int) -> dict[str, list[str]]:
    """source key -> the names of its files, in file order (sidecars parsed on `workers` forks)."""
    keys = forkpool.fork_imap(_source_key, files, workers=workers, chunksize=64) if workers else map(_source_key, files)
    by_source: dict[str, list[str]] = {}
    for item, key in zip(files, keys):
        if key:
            by_source.setdefault(key, []).append(item.name)
    return by_source


def _learn_sources(by_source: dict[str, list[str]], workers: int) -> dict[str, frozenset[str]]:
    """source key -> its boilerplate lines; with workers, whole sources are shared out among
    them (biggest first, to the lightest) and the results merged."""
    if not workers or len(by_source) < 2:
        return _learn_shard(list(by_source.items()))
    shards: list[list[tuple[str, list[str]]]] = [[] for _ in range(workers)]
    sizes = [0] * workers
    for key in sorted(by_source, key=lambda k: (-len(by_source[k]), k)):
        lightest = sizes.index(min(sizes))
        shards[lightest].append((key, by_source[key]))
        sizes[lightest] += len(by_source[key])
    merged: dict[str, frozenset[str]] = {}
    for part in forkpool.fork_imap(_learn_shard, [shard for shard in shards if shard], workers=workers, chunksize=1):
        merged.update(part)
    return merged


def _learn_shard(shard: list[tuple[str, list[str]]]) -> dict[str, frozenset[str]]:
    from builder.ingest.clean import BoilerplateModel

    return _model_lines(BoilerplateModel.learn(_corpus_docs((key, name) for key, names in shard for name in names)))


def _model_lines(model: BoilerplateModel) -> dict[str, frozenset[str]]:
    return {source: model.lines_for(source) for source in model.sources()}


def _source_key(item: RawFile) -> str:
    """The file's boilerplate source key, "" when it has none or will not be learned from."""
    try:
        if item.sidecar is None or os.stat(item.name).st_size > MAX_RAW_BYTES:
            return ""
        return sidecar_source_key(read_sidecar(Path(item.sidecar)))
    except (BuildError, OSError):
        return ""  # reported when that file itself is ingested


def _corpus_docs(keyed_names: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(source key, text), one text in memory at a time."""
    for key, name in keyed_names:
        if not key:
            continue
        try:
            text = decode_bytes(Path(name), read_bytes(name))
        except (BuildError, OSError):
            continue  # reported when that file itself is ingested
        yield key, text


@dataclass
class IngestReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already ingested
    kept_hand_edits: list[str] = field(default_factory=list)
    errors: list[BuildError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.unchanged)} unchanged, {len(self.skipped)} already ingested, "
            f"{len(self.kept_hand_edits)} hand-edited kept, {len(self.errors)} failed"
        )


def ingest(
    paths: Iterable[Path],
    ctx: RunContext,
    *,
    docs_dir: Path,
    force: bool = False,
    forced_format: str | None = None,
    jobs: int | None = None,
    learn_from: Path | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[Iterable, int], Iterable] = lambda items, total: items,
) -> IngestReport:
    """Build and write the briefing of each raw file; one bad file never stops the others.

    Three passes: decide what changed (content hashes, main process), build briefings (pure,
    in parallel when there are many), then write them in input order (main process), so the
    output does not depend on the number of workers.
    """
    report = IngestReport()
    entries = scan_archive(docs_dir)
    by_sha = {e.raw_sha256: e for e in entries if e.raw_sha256}
    by_raw = {e.raw: e for e in entries if e.raw}
    to_build: list[tuple[Path, str]] = []
    for item in find_raw(paths, ctx.root):
        if item.rel is None:
            report.errors.append(BuildError(item.path, "raw file is outside the repository: copy it into raw/ first"))
        elif force or not _unchanged(item, by_raw.get(item.rel)):
            to_build.append((item.path, item.rel))
        else:
            report.skipped.append(item.rel)
    if to_build and ctx.boilerplate is None and learn_from is not None:
        # Only when something is to be built; from the cache when raw/ has not changed since.
        ctx.boilerplate = learn_boilerplate(learn_from, cache_dir=cache_dir, jobs=jobs)
    for path, rel, built in progress(build_many(to_build, ctx, forced_format, jobs), len(to_build)):
        if isinstance(built, BuildError):
            report.errors.append(built)
            continue
        raw_sha, sidecar_sha, briefing_path, text = built
        if not force and raw_sha in by_sha and by_sha[raw_sha].raw != rel:
            report.skipped.append(f"{rel} (same content as {by_sha[raw_sha].raw})")
            continue
        target = _write_briefing(briefing_path, text, rel, raw_sha, by_raw.get(rel), docs_dir, force, report)
        if target is not None:
            # Later files of the same run see this one (two raw copies of one article -> one briefing).
            by_sha[raw_sha] = by_raw[rel] = ArchiveEntry(target, rel, raw_sha, sidecar_sha)
    return report


def _unchanged(item: RawFile, previous: ArchiveEntry | None) -> bool:
    """Content hashes of the raw file and its sidecar decide, not timestamps (a fresh clone has
    new mtimes): a no-op re-run reads each file once and parses nothing."""
    if previous is None or previous.raw_sha256 is None:
        return False
    try:
        return file_sha256(item.name) == previous.raw_sha256 and (
            (file_sha256(item.sidecar) if item.sidecar else None) == previous.sidecar_sha256
        )
    except OSError:
        return False


PARALLEL_MIN_FILES = 40  # below this, starting workers costs more than it saves


# A forked worker may allocate this much beyond what it inherits: one hostile input then
# fails with MemoryError (its own error) long before the machine runs short.
WORKER_MEMORY_LIMIT = 2 * 1024**3
# A file that keeps its worker busy this long is given up (a parser stuck on a hostile input).
FILE_TIMEOUT_SECONDS = 300.0


def _build_job(ctx: RunContext, job: tuple[Path, str, str | None]):
    path, rel, forced_format = job
    try:
        raw = read_raw(path, forced_format=forced_format)
        briefing = build_briefing(raw, ctx, rel=rel)
        # Rendered here, in parallel: the main process only writes, and a string pickles faster.
        return path, rel, (raw.sha256, raw.sidecar_sha256, briefing.path, briefing_text(briefing))
    except BuildError as exc:
        if exc.path == "sidecar":
            exc.path = str(sidecar_path(path) or path.with_suffix(".yml"))
        return path, rel, exc
    except MemoryError:
        # One input that needs too much memory costs that input only.
        return path, rel, BuildError(path, "building this file ran out of memory (MemoryError); nothing written for it")
    except RecursionError:
        return path, rel, BuildError(path, "this file is nested too deeply to be built (RecursionError); nothing written for it")
    except ImportError:
        raise  # a missing dependency fails every file: the run stops, once, with the cause
    except Exception as exc:  # noqa: BLE001 - a bug costs its file, named as a bug, not as bad input
        return path, rel, BuilderBug(path, exc, trace=traceback.format_exc())


def _died(job: tuple[Path, str, str | None], death: forkpool.WorkerDied):
    path, rel, _ = job
    return path, rel, BuildError(path, f"building this file failed: {death.how}; nothing written for it")


def build_many(to_build, ctx: RunContext, forced_format: str | None = None, jobs: int | None = None):
    """(path, rel, (raw_sha, sidecar_sha, briefing path, briefing text) or BuildError), in input order.

    `to_build`: (raw path, repository-relative path or None). Large batches run on forked
    workers; a file whose worker dies (killed, out of memory, stuck) is that file's error.
    """
    work = [(path, rel, forced_format) for path, rel in to_build]
    task = functools.partial(_build_job, ctx)  # the forked workers inherit the run context, never pickled
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs <= 1 or len(work) < PARALLEL_MIN_FILES or not forkpool.available():
        yield from map(task, work)
        return
    # No clean.html.warm_up() here: it builds all of dateparser's locales (~4 s), while a
    # worker builds only those its pages' dates need, usually none or a few (measured: 100
    # HTML pages took 5.4 s with it, 3.6 s without).
    gc.collect()  # then fork_imap freezes what is left: the workers share it instead of copying it on gc
    yield from forkpool.fork_imap(task, work, workers=jobs, chunksize=16, on_death=_died,
                                  memory_limit=WORKER_MEMORY_LIMIT, timeout=FILE_TIMEOUT_SECONDS)


def _write_briefing(briefing_path, text, rel, raw_sha, previous, docs_dir, force, report) -> Path | None:
    """Write one briefing unless that would overwrite a hand edit; the path it now lives at."""
    target = _free_target(docs_dir / briefing_path, rel, raw_sha)
    old_files = {previous.path} if previous is not None else set()
    if target.exists():
        old_files.add(target)
    for old in sorted(old_files):
        if not force and _hand_edited(old):
            report.kept_hand_edits.append(old.as_posix())
            report.notices.append(f"{old.as_posix()}: edited by hand, not overwritten (use --force to rebuild it from {rel})")
            return None
    if write_atomic(target, text):
        report.written.append(target.as_posix())
    else:
        report.unchanged.append(target.as_posix())
    for old in sorted(old_files - {target}):
        old.unlink(missing_ok=True)  # the title or date changed: the briefing moved
    return target


def _free_target(target: Path, rel: str, sha: str) -> Path:
    """The target path, or a variant when another raw article already owns that name."""
    if not target.exists():
        return target
    entry = read_entry(target)
    owner = entry.raw if entry is not None else None
    if owner in (None, rel):
        return target
    return target.with_name(f"{target.stem}-{sha[:8]}.md")


def _hand_edited(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # cannot prove it is ours: keep it
    briefing, _ = parse_briefing(str(path), text)
    return briefing is None or is_hand_edited(briefing)
