"""Building one briefing: one raw article -> a `Briefing` in memory (clean, metadata, actors,
footnotes, compose), and the per-file job a batch runs on its workers, which turns every
failure into that file's error.

Pure: nothing is written here. Separate from the batch run, which decides what to build and
writes the results.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slugify import slugify

from builder.archive.actors import Registry
from builder.archive.files import BRIEFINGS_DIR
from builder.archive.matching import ActorMatcher
from builder.archive.model import BODY_ROLES, Block, Briefing, BriefingMeta, CitedSource, CleanedArticle, RawArticle, Role
from builder.archive.rawfiles import sidecar_path
from builder.archive.schema import briefing_text, split_frontmatter, validate_frontmatter
from builder.errors import BuilderBug, BuildError
from builder.ingest.compose import body_markdown
from builder.ingest.footnotes import MARKER, link_markers, parse_note
from builder.ingest.learning import sidecar_source_key
from builder.ingest.metadata import article_end, page_facts
from builder.ingest.rawpaths import repo_relative
from builder.ingest.readers import read_raw

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


def source_key(raw: RawArticle) -> str:
    return sidecar_source_key(raw.sidecar)


def clean_raw(raw: RawArticle, boilerplate: BoilerplateModel | None) -> CleanedArticle:
    # Imported here: the cleaner (trafilatura, compiled patterns) is ~0.1 s a no-op run never needs.
    from builder.ingest.clean import clean_html, clean_text_dump

    key = source_key(raw)
    known = boilerplate.lines_for(key) if (boilerplate is not None and key) else frozenset()
    if raw.kind == "html":
        return clean_html(raw.text, url=raw.sidecar.get("url"), boilerplate=known)
    return clean_text_dump(raw.text, boilerplate=known)


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
    from builder.archive.check_briefing import Parsed, check_body

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


