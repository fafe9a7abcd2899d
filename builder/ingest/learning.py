"""Learning boilerplate: the lines that recur across several raw articles of one source, learned
from the corpus under raw/, with its cache (`.cache/boilerplate.json`) and the sharing out of
sources among forked workers.

Separate from building one briefing, which only applies the learned lines, and from the batch
run, which learns once before it builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator
from urllib.parse import urlsplit

import yaml

from builder import forkpool
from builder.archive.rawfiles import decode_bytes, kind_for, read_sidecar
from builder.errors import BuildError
from builder.fsutil import read_bytes, write_atomic
from builder.ingest.rawpaths import RawFile, find_raw
from builder.ingest.readers import MAX_RAW_BYTES, file_sha256

if TYPE_CHECKING:
    from builder.ingest.clean import BoilerplateModel

# Below this many files, starting workers costs more than it saves (here and in the batch run's builds).
PARALLEL_MIN_FILES = 40


def sidecar_source_key(sidecar) -> str:
    """Which articles share boilerplate: the sidecar's source, else the URL's host, else none."""
    if sidecar.get("source"):
        return "source:" + str(sidecar["source"]).casefold()
    if sidecar.get("url"):
        return "host:" + (urlsplit(sidecar["url"]).hostname or "")
    return ""


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
    import builder.ingest.rawpaths
    import builder.ingest.readers
    import builder.archive.schema

    modules = (builder.ingest.clean.boilerplate, builder.archive.rawfiles, builder.ingest.rawpaths, builder.ingest.readers,
               builder.archive.schema, sys.modules[__name__])
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
