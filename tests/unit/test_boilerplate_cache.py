"""The learned boilerplate: cached under .cache/ keyed by the corpus, learned per source in parallel.

Neither may change a byte of the output: a run that reads the model back from the cache, and a
run that learns it with several workers, write exactly what a fresh single-process run writes.
"""

import shutil
import sys
from pathlib import Path

import pytest

from builder.cli import main
from builder.ingest.learning import BOILERPLATE_CACHE, learn_boilerplate
from tests.conftest import REPO
from tests.unit.test_pipeline import tree_digest

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

CACHE = Path(".cache") / BOILERPLATE_CACHE


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """40 generated articles of six sources (their menus, newsletter boxes and footers recur)."""
    root = tmp_path / "project"
    generate(root, 40, seed=0)
    monkeypatch.chdir(root)
    return root


def _fresh_digest(root: Path) -> dict[str, str]:
    """docs/ as a run without any cache writes it."""
    shutil.rmtree(root / "docs")
    (root / "docs").mkdir()
    shutil.rmtree(root / ".cache", ignore_errors=True)
    assert main(["ingest", "raw", "--jobs", "1"]) == 0
    return tree_digest(root / "docs")


def _forbid_learning(monkeypatch):
    from builder.ingest.clean import BoilerplateModel

    def fail(*args, **kwargs):
        raise AssertionError("learned again: the cache was not used")

    monkeypatch.setattr(BoilerplateModel, "learn", fail)


def test_cached_model_gives_byte_identical_output(generated, monkeypatch):
    fresh = _fresh_digest(generated)
    assert CACHE.is_file()
    shutil.rmtree("docs")
    Path("docs").mkdir()
    with monkeypatch.context() as patch:
        _forbid_learning(patch)
        assert main(["ingest", "raw"]) == 0
    assert tree_digest(generated / "docs") == fresh


@pytest.mark.parametrize("change", ["raw text", "sidecar source", "new article", "sidecar added", "removed"])
def test_a_changed_corpus_is_learned_again(generated, monkeypatch, change):
    assert main(["ingest", "raw", "--jobs", "1"]) == 0  # writes the cache
    texts = sorted(Path("raw").glob("*.txt"))
    with_sidecar = [p for p in texts if p.with_suffix(".yml").exists()]
    without = [p for p in texts if not p.with_suffix(".yml").exists()]
    victim = with_sidecar[0]
    if change == "raw text":  # the victim's furniture lines now occur in one article fewer
        victim.write_text("A new headline\n\n" + "An entirely new paragraph about the region. " * 8 + "\n", encoding="utf-8")
    elif change == "sidecar source":
        victim.with_suffix(".yml").write_text("source: A Newcomer\ndate: 2020-01-01\n", encoding="utf-8")
    elif change == "new article":
        shutil.copy(with_sidecar[1], "raw/zz-copy.txt")
        Path("raw/zz-copy.yml").write_text(with_sidecar[1].with_suffix(".yml").read_text(encoding="utf-8").replace(
            "date:", "title: Copy\ndate:"), encoding="utf-8")
    elif change == "sidecar added":
        assert without, "the generator leaves some articles without a sidecar"
        shutil.copy(with_sidecar[1].with_suffix(".yml"), without[0].with_suffix(".yml"))
    else:
        victim.unlink()
        victim.with_suffix(".yml").unlink()
    stale = CACHE.read_text(encoding="utf-8")
    shutil.rmtree("docs")
    Path("docs").mkdir()
    assert main(["ingest", "raw", "--jobs", "1"]) in (0, 1)
    cached_run = tree_digest(generated / "docs")
    assert CACHE.read_text(encoding="utf-8") != stale  # learned again and stored under the new key
    assert cached_run == _fresh_digest(generated)


def test_a_damaged_cache_is_ignored(generated):
    fresh = _fresh_digest(generated)
    damaged = ("{not json", '{"key": 1}', "[]", '{"key": "x", "sources": {"a": 3}}',
               '{"key": "x", "sources": {"source:a": {"key": "k", "lines": [1]}}}')
    for damage in damaged:
        CACHE.write_text(damage, encoding="utf-8")
        shutil.rmtree("docs")
        Path("docs").mkdir()
        assert main(["ingest", "raw"]) == 0
        assert tree_digest(generated / "docs") == fresh


def test_learning_in_parallel_by_source_gives_the_same_model(generated):
    serial = learn_boilerplate(Path("raw"), jobs=1)
    parallel = learn_boilerplate(Path("raw"), jobs=2)
    assert len(serial.sources()) >= 2 and all(serial.lines_for(s) for s in serial.sources())
    assert parallel.sources() == serial.sources()
    assert all(parallel.lines_for(s) == serial.lines_for(s) for s in serial.sources())
    assert main(["ingest", "raw", "--jobs", "2"]) == 0
    assert tree_digest(generated / "docs") == _fresh_digest(generated)


def test_only_the_sources_whose_files_changed_are_learned_again(generated, monkeypatch):
    from builder.ingest.clean import BoilerplateModel

    assert main(["ingest", "raw", "--jobs", "1"]) == 0  # writes the cache
    victim = next(p for p in sorted(Path("raw").glob("*.txt")) if p.with_suffix(".yml").exists())
    victim.write_text(victim.read_text(encoding="utf-8") + "\nOne more closing line.\n", encoding="utf-8")
    learned_from: list[str] = []
    original = BoilerplateModel.learn.__func__

    def spy(cls, docs, **kwargs):
        docs = list(docs)
        learned_from.extend(key for key, _ in docs)
        return original(cls, docs, **kwargs)

    shutil.rmtree("docs")
    Path("docs").mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(BoilerplateModel, "learn", classmethod(spy))
        assert main(["ingest", "raw", "--jobs", "1"]) == 0
    assert len(set(learned_from)) == 1  # the victim's source alone
    assert tree_digest(generated / "docs") == _fresh_digest(generated)


def test_an_unwritable_cache_folder_only_costs_time(generated):
    Path(".cache").write_text("a file where the folder should be", encoding="utf-8")
    assert main(["ingest", "raw", "--jobs", "1"]) == 0
    assert tree_digest(generated / "docs") == _fresh_digest(generated)
