"""`briefings eval-actors DIR`: recall per theatre and in total, false links, unknown gold ids."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from builder.archive.registry_load import load_registry
from builder.cli import main
from builder.archive.eval_actors import evaluate, report_text

REPO = Path(__file__).resolve().parents[2]
EXCERPTS = {
    # The sample articles' own sentences (raw/).
    "mali-russia.txt": "Mali signed defense cooperation agreements with Russia in 1994 and 2019.",
    "wagner.txt": "The executions were believed to have been carried out by the Malian military, "
                  "which was operating alongside Wagner mercenaries.",
    "aes.txt": "The Alliance of Sahel States, formed with Mali and Niger in September 2023, is meant to pool forces.",
}
GOLD = """\
mali-russia.txt:
  url: https://responsiblestatecraft.org/2021/10/06/is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention/
  theatre: Sahel
  actors: [mali, russia]
wagner.txt:
  url: https://fmso.tradoc.army.mil/2023/mali-defends-reliance-on-russian-counterterrorism-assistance/
  theatre: Sahel
  actors: [wagner-group, malian-armed-forces, no-such-actor]
aes.txt:
  url: https://example.org/2024/03/12/burkina-faso-jnim-djibo/
  theatre: Sahel alliances
  actors: [alliance-of-sahel-states, mali]
  not: [niger]
"""


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for name, text in EXCERPTS.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    (tmp_path / "gold.yml").write_text(GOLD, encoding="utf-8")
    return tmp_path


def test_recall_false_links_and_unknown_ids(folder: Path) -> None:
    report = evaluate(folder, load_registry(REPO / "registry"))
    assert report.problems == ()
    by_file = {r.file: r for r in report.results}
    assert by_file["wagner.txt"].unknown == ("no-such-actor",)
    assert by_file["aes.txt"].false == ("niger",) and by_file["aes.txt"].forbidden == ("niger",)
    scores = {s.theatre: s for s in report.scores()}
    assert list(scores) == ["Sahel", "Sahel alliances", "total"]
    total = scores["total"]
    assert (total.excerpts, total.gold) == (3, 7)  # the unknown id counts as a gold actor, missed
    assert total.found == sum(r.found for r in report.results) == 7 - 1 - len(by_file["mali-russia.txt"].missed) - len(
        by_file["wagner.txt"].missed) - len(by_file["aes.txt"].missed)
    assert total.recall == total.found / 7
    assert scores["Sahel alliances"].recall == 1.0
    text = report_text(report)
    assert "  aes.txt: niger (not)" in text
    assert "unknown to the registry (counted as misses):\n  wagner.txt: no-such-actor" in text


def test_the_command_reports_and_exits_0_text_or_json(folder: Path, repo_copy, capsys) -> None:
    (folder / "stray.txt").write_text("An excerpt without gold.\n", encoding="utf-8")
    assert main(["eval-actors", str(folder)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].split() == ["theatre", "excerpts", "gold", "linked", "recall", "false", "links"]
    assert f"{folder / 'stray.txt'}:1: gold: no entry in gold.yml" in captured.err
    assert main(["eval-actors", str(folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["theatre"] for s in data["scores"]] == ["Sahel", "Sahel alliances", "total"]
    assert data["scores"][-1]["gold"] == 7
    assert {e["file"] for e in data["excerpts"]} == set(EXCERPTS)


def test_a_broken_gold_entry_is_a_problem_with_its_line_the_rest_is_evaluated(folder: Path) -> None:
    (folder / "gold.yml").write_text(GOLD + textwrap.dedent("""\
        extra.txt:
          theatre: Sahel
          actor: [mali]
        """), encoding="utf-8")
    report = evaluate(folder, load_registry(REPO / "registry"))
    assert [str(p) for p in report.problems] == [f"{folder / 'gold.yml'}:16: actor: extra.txt: unknown field"]
    assert len(report.results) == 3


def test_no_gold_file_is_an_error(tmp_path: Path, repo_copy, capsys) -> None:
    assert main(["eval-actors", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith(f"{tmp_path / 'gold.yml'}:1: file: cannot read the gold file")
