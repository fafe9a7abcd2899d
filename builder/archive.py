"""The published archive on disk: every briefing under docs/briefings/, parsed and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from builder.errors import BuildError
from builder.fsutil import tree_entries
from builder.model import Briefing
from builder.schema import parse_briefing

BRIEFINGS_DIR = "briefings"


def briefing_files(docs_dir: Path) -> Iterator[Path]:
    """Briefing Markdown files in a stable order (the archive's order does not depend on the disk)."""
    root = docs_dir / BRIEFINGS_DIR
    if not root.is_dir():
        return iter(())
    entries = tree_entries(root)  # sorted as sorted(root.rglob("*")), without 10,000 Path comparisons
    return (Path(e.path) for e in entries if e.name.endswith(".md") and e.name != "index.md" and e.is_file())


def load_archive(
    docs_dir: Path,
    *,
    known_actors: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
) -> tuple[list[Briefing], list[BuildError]]:
    """All briefings that parse, and every problem found, each naming its file (docs-relative path)."""
    known = frozenset(known_actors) if known_actors is not None else None
    allowed = tuple(regions) if regions is not None else None
    briefings: list[Briefing] = []
    problems: list[BuildError] = []
    for path in briefing_files(docs_dir):
        rel = path.relative_to(docs_dir).as_posix()
        shown = (docs_dir / rel).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(BuildError(shown, f"cannot be read as UTF-8 text ({exc.__class__.__name__})"))
            continue
        briefing, found = parse_briefing(shown, text, known_actors=known, regions=allowed)
        problems.extend(found)
        if briefing is not None:
            briefings.append(Briefing(meta=briefing.meta, body=briefing.body, path=rel))
    return briefings, problems
