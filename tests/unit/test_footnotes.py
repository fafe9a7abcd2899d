from builder.ingest.footnotes import link_markers, parse_note


def test_roman_numeral_notes_become_numbered_footnotes():
    notes = [parse_note("[i] For instance, a UN group."), parse_note("[ii] For more, see CTC Sentinel.")]
    paragraphs, definitions = link_markers(["in Mali,[i] with analysts suggesting,[ii] leadership"], notes)
    assert paragraphs == ["in Mali,[^1] with analysts suggesting,[^2] leadership"]
    assert definitions == [(1, "For instance, a UN group."), (2, "For more, see CTC Sentinel.")]


def test_digit_and_superscript_markers():
    notes = [parse_note("1. First note."), parse_note("² Second note.")]
    paragraphs, _ = link_markers(["One[1] and two.² End"], notes)
    assert paragraphs == ["One[^1] and two.[^2] End"]


def test_bracketed_words_and_markers_without_notes_stay_text():
    paragraphs, definitions = link_markers(["how [Mali and Russia] work [v] together"], [parse_note("[i] a")])
    assert paragraphs == ["how [Mali and Russia] work [v] together"]
    assert definitions == [(1, "a")]


def test_lines_that_are_not_notes():
    assert parse_note("[Mali and Russia] work together") is None
    assert parse_note("Image Information:") is None
    assert parse_note("[iv] For more on Mali’s claims").label == "iv"


def test_paragraphs_without_marker_characters_are_returned_unchanged():
    import random

    from builder.ingest.footnotes import MARKER, Note, link_markers

    rng = random.Random(3)
    pieces = ["Mali", " ", "[i]", "[ii]", "[2]", "(iii)", "¹", "²³", "word.", "”", "[", "]", "x", "1"]
    paragraphs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 10))) for _ in range(2000)]
    for notes in ([], [Note("i", "First.")], [Note("2", "Two."), Note("1", "One."), Note("ii", "Roman.")]):
        linked, _ = link_markers(paragraphs, notes)
        numbers = {n.label: i for i, n in enumerate(notes, 1)}

        def every(match):
            label = (match.group("label") or match.group("sup")).translate({ord(c): str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}).lower()
            return f"[^{numbers[label]}]" if label in numbers else match.group(0)

        assert linked == [MARKER.sub(every, p) for p in paragraphs]
