"""Readers: encodings, limits and sidecars, on real sample text."""

from pathlib import Path

import pytest

from builder.errors import BuildError
from builder.archive.rawfiles import decode_bytes, read_sidecar
from builder.ingest.readers import MAX_RAW_BYTES, read_raw

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "raw" / "mali-wagner-leverage.txt"


def test_reads_real_sample_with_its_sidecar():
    raw = read_raw(SAMPLE)
    assert raw.kind == "text"
    assert raw.text.startswith("Follow us on social\n")
    assert len(raw.sha256) == 64
    assert raw.sidecar["date"] == "2021-10-06"
    assert raw.sidecar["authors"] == ("Alex Thurston",)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_decode_to_the_same_nfc_text(tmp_path, encoding):
    text = "Colonel Assimi Goïta, “président” de la transition – Bamako, été 2021.\r\n" * 20
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    decoded = read_raw(path).text
    assert "Goïta" in decoded and "“président”" in decoded and "–" in decoded
    assert "\r" not in decoded


def test_decomposed_unicode_is_normalised_to_nfc(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Goi\u0308ta arrived in Bamako.", encoding="utf-8")
    assert read_raw(path).text == "Go\u00efta arrived in Bamako."


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"   \n\n  ", "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_unusable_files_name_the_file(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(BuildError) as info:
        read_raw(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (MAX_RAW_BYTES + 1))
    with pytest.raises(BuildError, match="oversized"):
        read_raw(path)


def test_unknown_suffix_needs_a_format(tmp_path):
    path = tmp_path / "page.rtf"
    path.write_text("Some text about Mali.", encoding="utf-8")
    with pytest.raises(BuildError, match="unsupported file type"):
        read_raw(path)
    assert read_raw(path, forced_format="text").kind == "text"


def test_control_characters_are_dropped():
    assert decode_bytes(Path("x.txt"), "Mali\x07 and\x1b Russia".encode()) == "Mali and Russia"


@pytest.mark.parametrize(
    "yaml_text, line, field",
    [
        ("source: RS\ndate: [2021\n", 3, None),
        ("source: RS\ndate: 2021-13-45\n", 2, "date"),
        ("source: RS\ncolour: blue\n", 2, "colour"),
        ("url: javascript:alert(1)\n", 1, "url"),
        ("authors: {a: 1}\n", 1, "authors"),
    ],
)
def test_bad_sidecars_name_file_line_and_field(tmp_path, yaml_text, line, field):
    path = tmp_path / "a.yml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        read_sidecar(path)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert info.value.field == field


def test_sidecar_yaml_tags_are_not_executed(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("source: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(BuildError, match="broken YAML"):
        read_sidecar(path)


@pytest.mark.parametrize("text, expected", [
    ("plain\ttext\nwith newlines\n", "plain\ttext\nwith newlines\n"),  # nothing to drop: the fast path
    ("a\x07b\x1bc\x7fd\n", "abcd\n"),  # C0 and DEL
    ("a\u0085b\u009fc\u00a0d £\n", "abc\u00a0d £\n"),  # C1 dropped; no-break space and £ (also \xc2 in UTF-8) kept
    ("caf\u00e9 \u2019quoted\u2019\r\nline\rend\u2028x\u2029y", "café ’quoted’\nline\nend\nx\n\ny"),
])
def test_decoding_drops_controls_and_normalises_newlines_on_every_path(text, expected):
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        assert decode_bytes(Path("a.txt"), data) == expected


def test_excluded_actors_read_only_sidecars_that_name_the_field(tmp_path, monkeypatch):
    import builder.archive.rawfiles as readers

    raw = tmp_path / "a.txt"
    raw.write_text("text", encoding="utf-8")
    sidecar = tmp_path / "a.yml"
    parsed = []
    real_read = readers.read_sidecar
    monkeypatch.setattr(readers, "read_sidecar", lambda path: parsed.append(path) or real_read(path))

    sidecar.write_text('date: 2020-01-01\nsource: "Example Review"\n', encoding="utf-8")
    assert readers.excluded_actors(raw) == frozenset() and parsed == []  # no YAML parse
    sidecar.write_text("exclude_actors:\n- mali\n- wagner-group\n", encoding="utf-8")
    assert readers.excluded_actors(raw) == {"mali", "wagner-group"} and parsed == [sidecar]
    sidecar.write_text("exclude_actors: [mali\n", encoding="utf-8")  # broken: check and ingest report it
    assert readers.excluded_actors(raw) == frozenset()
