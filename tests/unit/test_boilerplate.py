"""BoilerplateModel: per-source recurring lines, normalisation, determinism."""

from __future__ import annotations

from builder.ingest.clean import BoilerplateModel, clean_text_dump
from builder.ingest.clean.boilerplate import normalise_line
from builder.archive.model import Role

PROSE = (
    "The minister said on Monday that the government would review the policy in the coming "
    "weeks, after a long debate in parliament about its cost and its effects on the regions."
)


TOPICS = ("rivers", "bridges", "schools", "taxes", "farms", "ports", "trains", "banks", "parks", "roads")


def page(n: int, *extra: str) -> str:
    return "\n\n".join(["Home", "Subscribe to our weekly newsletter", f"Story about {TOPICS[n % len(TOPICS)]}",
                        f"{PROSE} Case {n}.", *extra, "© 2024 Example Media. All rights reserved."])


def test_normalise_line():
    assert normalise_line("  Share   THIS  ") == "share this"
    assert normalise_line("Comments (12)") == normalise_line("comments (3)")
    assert normalise_line("— Read more »") == "read more"
    assert normalise_line("") == ""


def test_learns_recurring_lines_per_source():
    docs = [("site-a", page(i)) for i in range(3)] + [("site-b", "Home\n\nSomething else")]
    model = BoilerplateModel.learn(docs)
    lines = model.lines_for("site-a")
    assert "subscribe to our weekly newsletter" in lines
    assert "home" in lines
    assert normalise_line("© 2024 Example Media. All rights reserved.") in lines
    assert not any(line.startswith("story about") for line in lines)
    assert model.lines_for("site-b") == frozenset()  # one document only
    assert model.lines_for("unknown") == frozenset()


def test_min_docs():
    docs = [("s", page(1)), ("s", page(2))]
    assert "home" in BoilerplateModel.learn(docs, min_docs=2).lines_for("s")
    assert BoilerplateModel.learn(docs, min_docs=3).lines_for("s") == frozenset()


def test_long_prose_quoted_twice_is_not_boilerplate():
    quote = ("“We have never seen anything like this storm in the fifty years that this town has "
             "existed,” the mayor told reporters at the scene on Friday evening.")
    docs = [("s", page(1, quote)), ("s", page(2, quote))] + [("s", page(i)) for i in range(3, 20)]
    lines = BoilerplateModel.learn(docs).lines_for("s")
    assert normalise_line(quote) not in lines
    assert "subscribe to our weekly newsletter" in lines


def test_line_repeated_within_one_doc_counts_once():
    docs = [("s", "Only here\n\nOnly here\n\nOnly here"), ("s", "Different page")]
    assert BoilerplateModel.learn(docs).lines_for("s") == frozenset()


def test_deterministic_and_accepts_generators():
    docs = [("s", page(i)) for i in range(5)]
    first = BoilerplateModel.learn(iter(docs)).lines_for("s")
    second = BoilerplateModel.learn(d for d in docs).lines_for("s")
    assert first == second and first


def test_cleaner_uses_learned_lines():
    docs = [("s", page(i, "Promo: our shop is open")) for i in range(4)]
    lines = BoilerplateModel.learn(docs).lines_for("s")
    article = clean_text_dump(page(9, "Promo: our shop is open"), boilerplate=lines)
    roles = {b.text: b.role for b in article.blocks}
    assert roles["Promo: our shop is open"] is Role.BOILERPLATE
    assert "Promo" not in article.body_text()
