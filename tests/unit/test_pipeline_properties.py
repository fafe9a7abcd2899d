"""Property: any bytes as a raw `.txt`, `.html` or `.md` file, with or without a sidecar, give
either a briefing that passes `briefings check` or one `path: message` error naming the raw
file or its sidecar; never another exception, never a hang (issue 16).

Bounded for CI: a fixed number of examples per format, derandomised (the same examples on
every run), and a generous per-example deadline that only a hang would overrun.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher
from builder.archive.check import check_archive
from builder.errors import BuilderBug, BuildError
from builder.fsutil import write_atomic
from builder.ingest.briefing import RunContext, _build_job

REPO = Path(__file__).resolve().parents[2]
REGISTRY = REPO / "registry"

pytestmark = pytest.mark.property

SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    deadline=datetime.timedelta(seconds=30),  # a hang detector, not a speed target
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# Text that looks like what arrives: prose, page furniture, frontmatter and markup pieces.
PIECES = st.sampled_from([
    "---\n", "title: ", "date: 2021-10-06\n", "actors: [mali]\n", "&a ", "*a ", "[", "]", "{", "}", ": ", "- ",
    "<p>", "</p>", "<script>alert(1)</script>", "<a href=\"javascript:alert(1)\">x</a>", "<html>", "<body>",
    "<article>", "Mali", "Wagner Group", "Subscribe to our newsletter", "[^1]", "i.", "\n", "\n\n", "\r\n", "\x00",
    "\ufeff", "é", "Ï", "\u202e", "    ", "# ", "> ", "| a | b |\n", "Bamako, Mali — ", "Photo: Reuters\n",
])
TEXTISH = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=60).map("".join)
WORDS = st.sampled_from("the junta in Bamako said on Tuesday that Russian instructors and Wagner Group fighters "
                        "had arrived near Kidal while JNIM attacked a convoy".split())
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
SENTENCE = st.lists(st.one_of(WORDS, WORDS, WORDS, WORDS, PIECES.filter(lambda p: p != "\x00"), PRINTABLE),
                    min_size=6, max_size=30).map(
    lambda words: " ".join(words) + ".")
# Several paragraphs of mostly prose, with pieces of page furniture and markup in between.
ARTICLE = st.lists(st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=8).map("\n\n".join)
RAW_BYTES = st.one_of(
    ARTICLE.map(lambda t: t.encode("utf-8", "surrogatepass")),
    ARTICLE.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=2048),
    TEXTISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
    TEXTISH.map(lambda t: t.encode("utf-16", "surrogatepass")),
    TEXTISH.map(lambda t: t.encode("latin-1", "replace")),
)
YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.dates().map(str)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=12,
)
SIDECAR_KEYS = st.sampled_from(["source", "url", "date", "authors", "region", "actors", "exclude_actors", "title",
                                "section", "summary", "tags", "image_credit", "cited_source", "other"])
SIDECARS = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.fixed_dictionaries({"source": st.text(min_size=1, max_size=20), "date": st.dates().map(str)}).map(
        lambda d: yaml.safe_dump(d).encode("utf-8")),
    st.binary(max_size=512),
    st.dictionaries(SIDECAR_KEYS, YAML_VALUES, max_size=6).map(lambda d: yaml.safe_dump(d).encode("utf-8")),
    TEXTISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
)


class Workspace:
    """One throwaway repository (registry, raw/, docs/) reused across examples."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="property-"))
        registry = self.root / REGISTRY.name
        shutil.copytree(REGISTRY, registry)
        self.registry_path = registry
        loaded = load_registry(registry)
        self.ctx = RunContext(registry=loaded, matcher=ActorMatcher(loaded), root=self.root)

    def reset(self) -> None:
        for name in ("raw", "docs"):
            shutil.rmtree(self.root / name, ignore_errors=True)
            (self.root / name).mkdir()


@pytest.fixture(scope="module")
def workspace():
    space = Workspace()
    cwd = os.getcwd()
    os.chdir(space.root)
    try:
        yield space
    finally:
        os.chdir(cwd)
        shutil.rmtree(space.root, ignore_errors=True)


def build_and_check(space: Workspace, suffix: str, data: bytes, sidecar: bytes | None) -> None:
    space.reset()
    raw = Path("raw") / f"input{suffix}"
    raw.write_bytes(data)
    if sidecar is not None:
        (Path("raw") / "input.yml").write_bytes(sidecar)
    _, _, result = _build_job(space.ctx, (raw, raw.as_posix(), None))
    if isinstance(result, BuildError):
        assert not isinstance(result, BuilderBug), result.trace
        message = str(result)
        assert "\n" not in message
        assert message.startswith(("raw/input" + suffix + ":", "raw/input" + suffix + " ", "raw/input.yml:"))
        return
    _sha, _sidecar_sha, briefing_path, text = result
    write_atomic(Path("docs") / briefing_path, text)
    problems = check_archive(space.root, docs_dir=Path("docs"), registry_path=Path(space.registry_path.name),
                             raw_dir=Path("raw"))
    assert problems == [], "\n".join(map(str, problems))


@SETTINGS
@given(data=RAW_BYTES, sidecar=SIDECARS)
def test_any_text_dump_gives_a_checked_briefing_or_one_error(workspace, data, sidecar):
    build_and_check(workspace, ".txt", data, sidecar)


@SETTINGS
@given(data=ARTICLE.map(lambda t: "<html><head><title>T</title></head><body><article>"
                       + "".join(f"<p>{p}</p>" for p in t.split("\n\n")) + "</article></body></html>").map(
    lambda t: t.encode("utf-8", "surrogatepass")) | RAW_BYTES,
       sidecar=SIDECARS)
def test_any_html_page_gives_a_checked_briefing_or_one_error(workspace, data, sidecar):
    build_and_check(workspace, ".html", data, sidecar)


@SETTINGS
@given(data=st.one_of(
    st.tuples(ARTICLE, ARTICLE).map(lambda t: f"---\ntitle: A draft\ndate: 2024-02-03\n---\n{t[1]}\n".encode("utf-8", "surrogatepass")),
    st.tuples(TEXTISH, ARTICLE).map(lambda t: f"---\ntitle: A draft\n{t[0]}\n---\n{t[1]}".encode("utf-8", "surrogatepass")),
    RAW_BYTES), sidecar=SIDECARS)
def test_any_markdown_draft_gives_a_checked_briefing_or_one_error(workspace, data, sidecar):
    build_and_check(workspace, ".md", data, sidecar)
