"""The command line: `briefings <command>` or `python -m builder <command>`.

  ingest PATH...          raw articles -> docs/briefings/ (skips what is already ingested)
  clean PATH... [--out]   print or write cleaned briefings; never touches docs/
  actors suggest          names that recur across briefings but are not in the registry,
                          as registry entries to paste
  eval-actors DIR         actor matching over excerpts with gold actors: recall, false links
  export --out DIR        the whole site as a plain docs tree (for Zensical, ProperDocs);
    [--format json]       with --format json, the open data files only (DIR/api/*.json, .csv)
  pagefind --site DIR     index a site that any generator built (e.g. Zensical) with Pagefind
  eval DIR                extraction benchmark (F1/P/R, pages/s, worst pages)
  check [PATH...]         validate the whole archive; every problem as `path:line: field: message`
  actors refresh          update the `actors` list of briefings the registry has outgrown

Errors are printed one per line as `path:line: field: message`; the exit code is 1 when any
input failed, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.errors import BuildError

DEFAULT_DOCS = Path("docs")
DEFAULT_REGISTRY = Path("registry")  # a folder of files (builder.archive.registry_load.registry_files), or one file
DEFAULT_RAW = Path("raw")
CACHE_DIR = Path(".cache")  # derived data only (git-ignored): deleting it just makes the next run slower


def _context(args):
    from builder.archive.actors import RegistryError
    from builder.archive.registry_load import load_registry
    from builder.archive.matching import ActorMatcher
    from builder.ingest.briefing import RunContext

    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        raise BuildError(exc.path, exc.message, line=exc.line, field=exc.field) from None
    return RunContext(registry=registry, matcher=ActorMatcher(registry), root=Path.cwd())


def _progress(label: str):
    # A bar on long interactive runs only; CI logs and pipes get the summary line alone.
    def wrap(items, total: int):
        from tqdm import tqdm  # 50 ms to import: only where a bar may show

        return tqdm(items, desc=label, total=total, unit="file", disable=None if total > 20 else True, file=sys.stderr)

    return wrap


def _print_errors(errors, github: bool) -> None:
    for error in errors:
        trace = getattr(error, "trace", "")  # a BuilderBug: the traceback a bug report needs
        if trace:
            print(trace.rstrip(), file=sys.stderr)
        print(error.github_annotation() if github else str(error), file=sys.stderr)


INGEST_LOCK = "ingest.lock"  # under CACHE_DIR: held while an ingest writes into docs/


def _ingest_lock_path(root: Path) -> Path:
    """.cache/ingest.lock; where .cache cannot be made (a read-only checkout), a file in the
    system's temporary folder named after the repository's real path."""
    import hashlib
    import os
    import tempfile

    try:
        (root / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        return root / CACHE_DIR / INGEST_LOCK
    except OSError:
        digest = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"briefings-ingest-{digest}.lock"


def cmd_ingest(args) -> int:
    from filelock import FileLock, Timeout

    from builder.ingest.batch import ingest

    ctx = _context(args)
    lock_path = _ingest_lock_path(ctx.root)
    # An OS lock (flock): released by the kernel when the holder ends, even by SIGKILL.
    lock = FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        print(f"ingest: another `briefings ingest` is running in this repository (it holds {lock_path.as_posix()}); "
              "run again when it has finished", file=sys.stderr)
        return 1
    try:
        from builder.fsutil import remove_stale_temporaries

        remove_stale_temporaries(args.docs)  # left by an ingest that was killed mid-write
        report = ingest(
            args.paths or [args.raw_root], ctx, docs_dir=args.docs, force=args.force,
            forced_format=args.format, jobs=args.jobs, learn_from=args.raw_root, cache_dir=ctx.root / CACHE_DIR,
            progress=_progress("ingest"),
        )
    finally:
        lock.release()
    for path in report.written:
        print(f"wrote {path}")
    for notice in report.notices:
        print(notice, file=sys.stderr)
    _print_errors(report.errors, args.github)
    print(f"ingest: {report.summary()}", file=sys.stderr)
    return 1 if report.errors else 0


def cmd_clean(args) -> int:
    from builder.fsutil import write_atomic
    from builder.ingest.batch import build_many
    from builder.ingest.learning import learn_boilerplate
    from builder.ingest.rawpaths import repo_relative

    ctx = _context(args)
    # Read-only use of the boilerplate cache: `clean` writes its output and nothing else.
    ctx.boilerplate = learn_boilerplate(args.raw_root, cache_dir=ctx.root / CACHE_DIR, jobs=None, write_cache=False)
    files, errors = clean_inputs(args.paths)
    done = 0
    built = build_many([(path, repo_relative(path, ctx.root)) for path in files], ctx, args.format)
    for path, _rel, result in _progress("clean")(built, len(files)):
        if isinstance(result, BuildError):
            errors.append(result)
            continue
        text = result[3]
        done += 1
        if args.out is None:
            sys.stdout.write(text if len(files) == 1 else f"<!-- {path} -->\n{text}\n")
        else:
            write_atomic(args.out / f"{path.stem}.md", text)
    _print_errors(errors, args.github)
    print(f"clean: {done} cleaned, {len(errors)} failed", file=sys.stderr)
    return 1 if errors else 0


def clean_inputs(paths: list[Path]) -> tuple[list[Path], list[BuildError]]:
    """The raw files `clean` is given, and an error for each symbolic link among them that
    leads out of the folder it was found in (a file named directly: its own folder): a link
    in a pull request must not print a secret it points to."""
    import os

    from builder.fsutil import inside
    from builder.ingest.rawpaths import raw_files

    files: list[Path] = []
    errors: list[BuildError] = []
    for given in paths:
        folder = given if given.is_dir() and not given.is_symlink() else given.parent
        folder_real = os.path.realpath(folder)
        for path in raw_files([given]):
            if os.path.islink(path) and not inside(os.path.realpath(path), folder_real):
                errors.append(BuildError(path, f"a symbolic link to a file outside {folder.as_posix() or '.'}: refused "
                                               "(copy the file in instead)"))
            elif path not in files:
                files.append(path)
    return files, errors


def cmd_actors_suggest(args) -> int:
    from builder.archive.files import load_archive
    from builder.archive.suggest import briefing_line, registry_entry, suggest

    ctx = _context(args)
    briefings, problems = load_archive(args.docs)
    _print_errors(problems, args.github)
    suggestions = suggest((f"{b.meta.title}\n\n{b.body}" for b in briefings), ctx.registry, limit=args.limit)
    if not suggestions:
        print("no recurring names outside the registry")
    for item in suggestions:
        if args.brief:
            print(f"{item.count:5d}  {len(item.documents):4d} briefing(s)  {item.name}")
            continue
        seen = []
        for position, text_line in item.places:
            briefing = briefings[position]
            path = args.docs / briefing.path
            try:
                line = briefing_line(path.read_text(encoding="utf-8"), briefing.meta.title, briefing.body, text_line)
            except (OSError, UnicodeDecodeError):
                line = 1
            seen.append(f"{path.as_posix()}:{line}")
        print(registry_entry(item, seen))
    return 0


def cmd_check(args) -> int:
    import os

    from builder.archive.check import check_archive

    problems = check_archive(
        Path.cwd(), docs_dir=args.docs, registry_path=args.registry, raw_dir=args.raw_root,
        only=args.paths or None,
    )
    github = args.github or os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem.github_annotation() if github else str(problem))
    files = len({problem.path for problem in problems})
    print(f"check: {len(problems)} problems in {files} files")
    return 1 if problems else 0


def cmd_actors_refresh(args) -> int:
    from builder.archive.refresh import refresh_actors

    ctx = _context(args)
    changed = refresh_actors(
        args.docs, ctx.registry, root=ctx.root, matcher=ctx.matcher, only=args.paths or None, dry_run=args.dry_run,
    )
    for path in changed:
        print(f"{'would refresh' if args.dry_run else 'refreshed'} {path}")
    print(f"actors refresh: {len(changed)} briefings {'to update' if args.dry_run else 'updated'}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from builder.site.export import export
    from builder.site.load import SiteError

    assets = Path("site_overrides/assets")
    try:
        count = export(args.out, docs_dir=args.docs, registry_path=args.registry, assets_dir=assets if assets.is_dir() else None,
                       format=args.format)
    except SiteError as error:  # bad input: every problem on its own line, nothing written
        _print_errors(error.problems, args.github)
        return 1
    what = "open data files" if args.format == "json" else "files (generated pages, briefings, docs pages, open data)"
    print(f"export: {count} {what} written to {args.out}", file=sys.stderr)
    return 0


def cmd_pagefind(args) -> int:
    from builder import urls
    from builder.site.briefing_page import actors_of, header_of
    from builder.site.load import SiteError, load_site
    from builder.site.search_index import PagefindError, index_site

    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here (no index.html); build it first", file=sys.stderr)
        return 1
    try:
        site = load_site(args.docs, args.registry)
    except SiteError as error:
        _print_errors(error.problems, args.github)
        return 1
    briefings = {urls.page_url(b.path): header_of(site, b, actors_of(site, b.path)) for b in site.briefings}
    try:
        count = index_site(args.site, briefings)
    except PagefindError as error:
        print(f"{args.site}: {error}", file=sys.stderr)
        return 1
    print(f"pagefind: {count} briefings indexed into {args.site / 'pagefind'}", file=sys.stderr)
    return 0


def cmd_eval_actors(args) -> int:
    from builder.archive.eval_actors import evaluate, report_json, report_text

    ctx = _context(args)
    report = evaluate(args.folder, ctx.registry, ctx.matcher)
    _print_errors(report.problems, args.github)
    sys.stdout.write(report_json(report) if args.json else report_text(report))
    return 0  # a report, not a gate


def cmd_eval(args) -> int:
    from builder.ingest.evaluate import main as eval_main

    return eval_main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="the MkDocs docs folder (default: docs)")
    common.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY, help="actor registry: a folder or one file (default: registry)")
    common.add_argument("--raw-root", type=Path, default=DEFAULT_RAW, help="raw articles, to learn boilerplate (default: raw)")
    common.add_argument("--github", action="store_true", help="print errors as GitHub Actions annotations")

    parser = argparse.ArgumentParser(prog="briefings", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", parents=[common], help="raw articles -> briefings in docs/briefings/")
    ingest.add_argument("paths", nargs="*", type=Path, help="raw files or folders (default: raw/)")
    ingest.add_argument("--force", action="store_true", help="re-ingest, even over hand-edited briefings")
    ingest.add_argument("--format", choices=("text", "html", "md"), help="read every input as this format")
    ingest.add_argument("--jobs", type=int, help="worker processes for large runs (default: one per core)")
    ingest.set_defaults(run=cmd_ingest)

    clean = commands.add_parser("clean", parents=[common], help="print cleaned briefings (writes nothing in docs/)")
    clean.add_argument("paths", nargs="+", type=Path)
    clean.add_argument("--out", type=Path, help="write <stem>.md files into this folder instead of printing")
    clean.add_argument("--format", choices=("text", "html", "md"), help="read every input as this format")
    clean.set_defaults(run=cmd_clean)

    actors = commands.add_parser("actors", help="actor registry tools")
    actor_commands = actors.add_subparsers(dest="actors_command", required=True)
    suggest = actor_commands.add_parser("suggest", parents=[common], help="recurring names missing from the registry")
    suggest.add_argument("--limit", type=int, default=30)
    suggest.add_argument("--brief", action="store_true", help="one line per name (count, briefings, name) instead of registry entries")
    suggest.set_defaults(run=cmd_actors_suggest)
    refresh = actor_commands.add_parser(
        "refresh", parents=[common], help="update stale `actors` lists (frontmatter only, bodies untouched)"
    )
    refresh.add_argument("paths", nargs="*", type=Path, help="briefings to refresh (default: all)")
    refresh.add_argument("--dry-run", action="store_true", help="list the briefings that would change, write nothing")
    refresh.set_defaults(run=cmd_actors_refresh)

    export = commands.add_parser(
        "export", parents=[common], help="write the whole site as a plain docs tree any MkDocs-family generator builds, or the open data files"
    )
    export.add_argument("--out", type=Path, required=True)
    export.add_argument(
        "--format", choices=("pages", "json"), default="pages",
        help="pages: the whole site as a docs tree, open data included (default); json: the open data "
             "files only (api/*.json, api/*.csv and their JSON Schemas) into OUT/api/",
    )
    export.set_defaults(run=cmd_export)

    pagefind = commands.add_parser(
        "pagefind", parents=[common], help="index a built site (any generator's) with Pagefind: search, with actor, region and year filters"
    )
    pagefind.add_argument("--site", type=Path, required=True, help="the built site's folder (e.g. site-zensical)")
    pagefind.set_defaults(run=cmd_pagefind)

    check = commands.add_parser(
        "check", parents=[common], help="validate the archive: every problem as path:line: field: message"
    )
    check.add_argument("paths", nargs="*", type=Path, help="report only problems in these files (default: all)")
    check.set_defaults(run=cmd_check)

    eval_actors = commands.add_parser(
        "eval-actors", parents=[common], help="actor matching over excerpts with gold actors: recall, false links"
    )
    eval_actors.add_argument("folder", type=Path, help="a folder of *.txt excerpts and their gold.yml")
    eval_actors.add_argument("--json", action="store_true", help="print the report as JSON")
    eval_actors.set_defaults(run=cmd_eval_actors)

    evaluate = commands.add_parser("eval", help="extraction benchmark over a folder of pages + gold bodies")
    evaluate.add_argument("rest", nargs=argparse.REMAINDER, help="DIR and options (see `eval -- --help`)")
    evaluate.set_defaults(run=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BuildError as exc:
        _print_errors([exc], getattr(args, "github", False))
        return 1
    except ImportError as exc:
        # A missing dependency is an install problem, not bad input: say so once, with the cause.
        print(f"briefings: a dependency is missing or broken: {exc.__class__.__name__}: {exc}\n"
              "  reinstall the project (./run test or pip install -e .) and run again", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
