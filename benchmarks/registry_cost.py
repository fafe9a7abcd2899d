"""What the worldwide registry costs: ingest and site build with the full registry (registry/)
against the 190-actor registry the archive had on 2026-12-04 (benchmarks/registry-190.yml),
over the same raw articles, in the same run, alternated round by round.

    .venv/bin/python benchmarks/registry_cost.py [--ingest-n 10000] [--build-n 1000] [--rounds 3] [--keep DIR]

The articles are benchmarks/generate.py's synthetic ones, each with one real report excerpt
of the actor evaluation set (tests/cases/actors/devset) put in its middle, so that the text
names real actors of many theatres at a realistic density. Prints figures (medians of the
rounds, wall and CPU time, and the ratio full/190); it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402
from generate import generate  # noqa: E402

from builder.archive.registry_load import load_registry  # noqa: E402
from builder.archive.textfold import normalise  # noqa: E402
from measure import check, cpu, say, timed  # noqa: E402
from run import REPO  # noqa: E402

OLD_REGISTRY = Path(__file__).resolve().parent / "registry-190.yml"
DEVSET = REPO / "tests" / "cases" / "actors" / "devset"


def with_real_excerpts(raw: Path) -> None:
    """Put one real excerpt into the middle of each raw article (text dumps and HTML pages)."""
    excerpts = [" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(DEVSET.glob("*.txt"))]
    for index, path in enumerate(sorted(p for p in raw.iterdir() if p.suffix in (".txt", ".html"))):
        excerpt = excerpts[index % len(excerpts)]
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":
            paragraphs = text.split("\n\n")
            paragraphs.insert(len(paragraphs) // 2, excerpt)
            text = "\n\n".join(paragraphs)
        else:
            ends = [m.end() for m in re.finditer(r"</p>", text)]
            at = ends[len(ends) // 2] if ends else text.find("</body>")
            text = text[:at] + f"\n<p>{excerpt.replace('&', '&amp;').replace('<', '&lt;')}</p>" + text[at:]
        path.write_text(text, encoding="utf-8")


def project(root: Path, n: int, registry: Path, *, excerpts: bool) -> Path:
    """A project with `n` raw articles and a registry folder: the generator's synthetic actors
    (which the articles name) plus `registry` (a folder, or the one-file 190-actor registry).
    `excerpts`: a real report excerpt in each article, so that the text names real actors."""
    generate(root, n, seed=17)
    if excerpts:
        with_real_excerpts(root / "raw")
    folder = root / "registry"
    if registry.is_dir():
        for part in registry.glob("*.yml"):
            if part.name != "regions.yml":  # the same regions
                shutil.copy(part, folder / part.name)
    else:
        text = registry.read_text(encoding="utf-8")
        (folder / "actors-190.yml").write_text(text[text.index("\nactors:\n") + 1:], encoding="utf-8")
    synthetic = yaml.safe_load((folder / "actors.yml").read_text(encoding="utf-8"))
    (folder / "actors.yml").unlink()
    # An invented acronym may be a real one ("MKO"): the synthetic actor loses it (a name belongs
    # to one actor); the articles still name it by its other names.
    taken = {normalise(name)[0].strip() for actor in load_registry(registry).actors for name in actor.names}
    for actor in synthetic["actors"]:
        actor["aliases"] = [a for a in actor.get("aliases", []) if normalise(a)[0].strip() not in taken]
        if "ambiguous" in actor:
            actor["ambiguous"] = [a for a in actor["ambiguous"] if a in actor["aliases"]]
    (folder / "synthetic.yml").write_text(yaml.safe_dump(synthetic, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


def registry_arg(root: Path) -> str:
    return "registry"


def ingest_round(root: Path) -> tuple[float, float]:
    shutil.rmtree(root / "docs", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    (root / "docs").mkdir()
    wall, _rss, result = timed([sys.executable, "-m", "builder", "ingest", "raw", "--registry", registry_arg(root)], root)
    check(result, "ingest")
    return wall, cpu(result)


def build_round(root: Path) -> tuple[float, float]:
    shutil.rmtree(root / ".cache" / "render", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    wall, _rss, result = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], root)
    check(result, "mkdocs build")
    return wall, cpu(result)


def site_files(root: Path) -> None:
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    for page in (REPO / "docs").glob("*.md"):
        shutil.copy(page, root / "docs" / page.name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(\n\s+registry: )\S+", lambda m: m.group(1) + registry_arg(root), config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def compare(label: str, runs: dict[str, list[tuple[float, float]]]) -> None:
    walls = {name: statistics.median(w for w, _ in rows) for name, rows in runs.items()}
    cpus = {name: statistics.median(c for _, c in rows) for name, rows in runs.items()}
    for name in runs:
        say(f"  {label} with {name:<22}: {walls[name]:6.1f} s wall, {cpus[name]:6.1f} s CPU (median of {len(runs[name])})")
    say(f"  {label}: full / 190-actor registry = {walls['the full registry'] / walls['the 190-actor registry']:.3f} "
        f"by wall time, {cpus['the full registry'] / cpus['the 190-actor registry']:.3f} by CPU time (target <= 1.10)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ingest-n", type=int, default=10000)
    parser.add_argument("--build-n", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="registry-cost-"))
    registries = {"the 190-actor registry": OLD_REGISTRY, "the full registry": REPO / "registry"}
    say(f"registry_cost.py: the full registry has {len(load_registry(REPO / 'registry')):,} actors, "
        f"the old one {len(load_registry(OLD_REGISTRY)):,}")
    try:
        ingest_roots = {name: project(work / f"ingest-{i}", args.ingest_n, path, excerpts=True)
                        for i, (name, path) in enumerate(registries.items())}
        say(f"== ingest of {args.ingest_n:,} articles (each with a real excerpt) ==")
        runs: dict[str, list] = {name: [] for name in registries}
        for round_ in range(args.rounds):
            order = list(registries) if round_ % 2 == 0 else list(reversed(registries))
            for name in order:
                runs[name].append(ingest_round(ingest_roots[name]))
        compare("ingest", runs)

        for excerpts in (False, True):
            what = "each with a real excerpt: more actors named, more pages" if excerpts else "synthetic text: the same actor pages"
            build_roots = {name: project(work / f"build-{i}-{excerpts}", args.build_n, path, excerpts=excerpts)
                           for i, (name, path) in enumerate(registries.items())}
            for root in build_roots.values():
                site_files(root)
                ingest_round(root)
            say(f"== mkdocs build of {args.build_n:,} briefings ({what}; cold: no render cache) ==")
            runs = {name: [] for name in registries}
            for round_ in range(args.rounds):
                order = list(registries) if round_ % 2 == 0 else list(reversed(registries))
                for name in order:
                    runs[name].append(build_round(build_roots[name]))
            for name, root in build_roots.items():
                say(f"  {name}: {len(list((root / 'site').rglob('*.html'))):,} HTML pages")
            compare("build", runs)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
