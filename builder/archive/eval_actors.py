"""`briefings eval-actors DIR`: how well the registry's matcher links the actors of real excerpts.

DIR holds excerpts (`*.txt`, as they appear in articles) and `gold.yml`, one entry per file:

    sudan-rsf-1.txt:
      url: https://example.org/...     # where the excerpt comes from
      theatre: Sudan                   # the figures are given per theatre and in total
      actors: [sudan, rapid-support-forces]   # what an analyst links in it
      not: [reporters-without-borders]        # what must not be linked (optional)

The current registry's `ActorMatcher` runs over each excerpt. Reported: recall per theatre
and in total (gold actors linked / gold actors), false links (linked ids that are not in the
excerpt's `actors`, listed with the file; those in `not` are marked), and gold ids the
registry does not know (listed apart, counted as misses). It reports; it never fails a run
(exit 0) unless the folder or its gold file cannot be read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.archive.actors import Registry
from builder.archive.matching import ActorMatcher
from builder.errors import BuildError

GOLD_FILE = "gold.yml"
GOLD_FIELDS = ("url", "theatre", "actors", "not")
NO_THEATRE = "(no theatre)"


@dataclass(frozen=True)
class ExcerptResult:
    file: str
    theatre: str
    gold: tuple[str, ...]  # the analyst's actors
    linked: tuple[str, ...]  # what the matcher found, in text order
    missed: tuple[str, ...]  # gold actors the registry knows but the matcher did not link
    unknown: tuple[str, ...]  # gold actors the registry does not know (misses too)
    false: tuple[str, ...]  # linked, not gold
    forbidden: tuple[str, ...]  # linked although listed under `not` (also in `false`)

    @property
    def found(self) -> int:
        return len(self.gold) - len(self.missed) - len(self.unknown)


@dataclass(frozen=True)
class Score:
    theatre: str
    excerpts: int
    gold: int
    found: int
    false: int

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None


@dataclass(frozen=True)
class Report:
    results: tuple[ExcerptResult, ...]
    problems: tuple[BuildError, ...]  # gold entries that could not be used

    def scores(self) -> list[Score]:
        """One per theatre (by name), then the total (theatre "total")."""
        theatres = sorted({r.theatre for r in self.results})
        scores = [self._score(t, [r for r in self.results if r.theatre == t]) for t in theatres]
        return scores + [self._score("total", list(self.results))]

    @staticmethod
    def _score(theatre: str, results: list[ExcerptResult]) -> Score:
        return Score(theatre, len(results), sum(len(r.gold) for r in results), sum(r.found for r in results),
                     sum(len(r.false) for r in results))


def evaluate(folder: Path, registry: Registry, matcher: ActorMatcher | None = None) -> Report:
    """Run the matcher over every excerpt `gold.yml` lists; raise BuildError when there is no gold file."""
    matcher = matcher or ActorMatcher(registry)
    gold_path = folder / GOLD_FILE
    entries, problems = read_gold(gold_path)
    listed = {file for file, _ in entries} | {p.message.split(":", 1)[0] for p in problems}
    for excerpt in sorted(folder.glob("*.txt")):
        if excerpt.name not in listed:
            problems.append(BuildError(str(excerpt), "no entry in gold.yml: not evaluated", line=1, field="gold"))
    results = []
    for file, entry in entries:
        try:
            text = (folder / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(BuildError(str(gold_path), f"{file}: cannot read the excerpt ({exc.__class__.__name__})",
                                       line=entry["line"], field="file"))
            continue
        linked = tuple(matcher.actor_ids(text))
        gold = tuple(dict.fromkeys(entry["actors"]))
        unknown = tuple(a for a in gold if registry.get(a) is None)
        false = tuple(a for a in linked if a not in gold)
        results.append(ExcerptResult(
            file=file, theatre=entry["theatre"], gold=gold, linked=linked,
            missed=tuple(a for a in gold if a not in linked and a not in unknown), unknown=unknown,
            false=false, forbidden=tuple(a for a in false if a in entry["not"]),
        ))
    return Report(results=tuple(results), problems=tuple(problems))


def read_gold(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[BuildError]]:
    """(file, entry with its line) of every usable gold entry, and a problem for each other one."""
    try:
        text = path.read_text(encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data, root = yaml.load(text, Loader=loader), yaml.compose(text, Loader=loader)  # plain data; lines
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(str(path), f"cannot read the gold file ({exc.__class__.__name__})", line=1, field="file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError(str(path), f"invalid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else 1,
                         field="yaml") from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise BuildError(str(path), "must map each excerpt file to {url, theatre, actors, not}", line=1, field="gold")
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in root.value}
    field_lines = {  # (file, field) -> the line of that field of its entry
        (str(key.value), str(field.value)): field.start_mark.line + 1
        for key, value in root.value if isinstance(value, yaml.MappingNode) for field, _ in value.value
    }
    entries: list[tuple[str, dict[str, Any]]] = []
    problems: list[BuildError] = []
    for file, entry in ((str(k), v) for k, v in data.items()):
        line = lines.get(file, 1)

        def problem(field: str, message: str) -> None:
            problems.append(BuildError(str(path), f"{file}: {message}", line=field_lines.get((file, field), line), field=field))

        if not isinstance(entry, dict):
            problem("gold", "must be a mapping with url, theatre, actors and not")
            continue
        unknown = [k for k in entry if k not in GOLD_FIELDS]
        if unknown:
            problem(str(unknown[0]), "unknown field")
            continue
        lists = {k: entry.get(k) or [] for k in ("actors", "not")}
        bad = [k for k, v in lists.items() if not isinstance(v, list) or not all(isinstance(a, str) for a in v)]
        if bad:
            problem(bad[0], "must be a list of actor ids")
            continue
        theatre = entry.get("theatre")
        entries.append((file, {"line": line, "theatre": theatre if isinstance(theatre, str) and theatre else NO_THEATRE,
                                         "actors": lists["actors"], "not": lists["not"]}))
    return sorted(entries, key=lambda item: item[0]), problems


def report_text(report: Report) -> str:
    """The report for a person: a table of recall per theatre, then every false link, miss and unknown id."""
    lines = [f"{'theatre':<28} {'excerpts':>8} {'gold':>6} {'linked':>6} {'recall':>7} {'false links':>11}"]
    for score in report.scores():
        recall = f"{score.recall:.1%}" if score.recall is not None else "-"
        lines.append(f"{score.theatre:<28} {score.excerpts:>8} {score.gold:>6} {score.found:>6} {recall:>7} {score.false:>11}")

    def section(title: str, rows: list[str]) -> None:
        if rows:
            lines.extend(["", title, *rows])

    section("false links (linked, not in the gold actors; 'not' = listed as must-not-link):", [
        f"  {r.file}: " + ", ".join(f"{a} (not)" if a in r.forbidden else a for a in r.false) for r in report.results if r.false
    ])
    section("missed (known to the registry, not linked):", [f"  {r.file}: {', '.join(r.missed)}" for r in report.results if r.missed])
    section("unknown to the registry (counted as misses):", [f"  {r.file}: {', '.join(r.unknown)}" for r in report.results if r.unknown])
    return "\n".join(lines) + "\n"


def report_json(report: Report) -> str:
    """The report for a program: scores (recall null without gold actors), every excerpt, the gold file's problems."""
    data = {
        "scores": [{**asdict(s), "recall": s.recall} for s in report.scores()],
        "excerpts": [{**asdict(r), "found": r.found} for r in report.results],
        "problems": [str(p) for p in report.problems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
