from pathlib import Path

from builder.archive.files import load_archive

REPO = Path(__file__).resolve().parents[2]


def test_loads_the_committed_sample_archive():
    briefings, problems = load_archive(REPO / "docs")
    assert problems == []
    # Every briefing file of docs/briefings/ (whatever the archive holds today), each once.
    on_disk = sorted(p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs" / "briefings").rglob("*.md"))
    assert sorted(b.path for b in briefings) == on_disk and len(on_disk) >= 2
    assert "briefings/2021/2021-10-06-is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention.md" in on_disk


def test_problems_name_the_file_and_the_good_files_still_load(tmp_path):
    folder = tmp_path / "briefings" / "2023"
    folder.mkdir(parents=True)
    (folder / "2023-01-01-good.md").write_text("---\ntitle: Good\ndate: 2023-01-01\n---\n\nText.\n", encoding="utf-8")
    (folder / "2023-01-02-bad.md").write_text("---\ntitle: Bad\ndate: 2023-01-32\n---\n\nText.\n", encoding="utf-8")
    (folder / "2023-01-03-latin1.md").write_bytes("---\ntitle: Goïta\n---\n".encode("latin-1"))
    briefings, problems = load_archive(tmp_path)
    # A briefing with a bad field still loads (its problem is reported); an unreadable one does not.
    assert [b.meta.title for b in briefings] == ["Good", "Bad"]
    messages = sorted(str(p) for p in problems)
    assert messages[0].startswith(f"{tmp_path.as_posix()}/briefings/2023/2023-01-02-bad.md:3: date:")
    assert "2023-01-03-latin1.md: cannot be read as UTF-8" in messages[1]
