"""builder.ingest.evaluate on a tiny dataset: three dev pages copied into tmp_path."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from builder.ingest.evaluate import main, run_eval, title_matches

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "extraction"
PAGES = ("cbssports-nfl", "albawaba-assange", "sciencealert-europa")


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    for name in PAGES:
        for suffix in (".txt", ".html", ".gold.txt"):
            shutil.copy(CASES_DIR / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    shutil.copy(CASES_DIR / "score.py", tmp_path / "score.py")
    manifest = {"pages": [
        {"id": "cbssports-nfl", "title": "Browns player on Mason Rudolph's role in fight with Myles Garrett: He asked for it"},
        {"id": "albawaba-assange", "title": "Sweden Drops Its Investigation Into Rape Allegation Against Julian Assange | Al Bawaba"},
        {"id": "sciencealert-europa", "title": "Something else entirely"},
    ]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_main_prints_parsable_figures(dataset: Path, capsys) -> None:
    assert main([str(dataset)]) == 0
    out = capsys.readouterr().out
    scores = re.findall(r"^F1 ([0-9.]+) P ([0-9.]+) R ([0-9.]+) n=(\d+)$", out, re.M)
    assert len(scores) == 2  # txt and html
    for f1, p, r, n in scores:
        assert int(n) == 3
        assert 0.85 <= float(f1) <= 1.0 and 0 <= float(p) <= 1 and 0 <= float(r) <= 1
    assert re.search(r"^speed [0-9.]+ pages/s", out, re.M)
    assert re.search(r"^title accuracy 0\.667$", out, re.M)  # 2 of 3 manifest titles match
    assert len(re.findall(r"^  \S+  F1 [0-9.]+$", out, re.M)) == 6  # worst pages, 3 per kind


def test_run_eval_result(dataset: Path) -> None:
    (txt,) = run_eval(dataset, kinds=("txt",)).results
    assert txt.kind == "txt" and txt.pages == 3 and txt.f1 > 0.85
    assert [page_id for page_id, _ in txt.worst] and all(0 <= f1 <= 1 for _, f1 in txt.worst)


def test_missing_dir(tmp_path: Path) -> None:
    assert main([str(tmp_path / "nope")]) == 2


def test_title_matches() -> None:
    assert title_matches("Budget Talks Resume", "Budget talks resume | NYT")
    assert title_matches("Budget talks resume", "Budget talks resume - BBC News")
    assert title_matches("Republicans Are Following Trump", "Opinion | Republicans Are Following Trump")
    assert not title_matches("Budget talks", "Budget talks resume")
    assert not title_matches(None, "Anything")


def test_section_label_alone_is_not_the_title() -> None:
    assert not title_matches("Opinion", "Opinion | Republicans Are Following Trump")


def test_pool_returns_the_single_process_articles_in_order(dataset: Path) -> None:
    from builder.ingest.evaluate import article_record, clean_in_pool, clean_page, read_page

    inputs = {name: read_page(dataset / f"{name}.txt") for name in reversed(PAGES)}
    pool = clean_in_pool(inputs, "txt", 2)
    assert list(pool.records) == list(inputs) and pool.elapsed > 0 and pool.busiest_cpu > 0
    assert pool.records == {name: article_record(clean_page(text, "txt")) for name, text in inputs.items()}


def test_main_with_jobs_prints_both_speeds(dataset: Path, capsys) -> None:
    assert main([str(dataset), "--kinds", "txt", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^speed [0-9.]+ pages/s with a pool of 2 processes", out, re.M)
