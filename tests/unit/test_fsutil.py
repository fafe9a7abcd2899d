import os
from pathlib import Path

import pytest

from builder.fsutil import write_atomic


def test_writes_and_reports_unchanged(tmp_path):
    target = tmp_path / "a" / "b.md"
    assert write_atomic(target, "Mali\n") is True
    assert target.read_text(encoding="utf-8") == "Mali\n"
    assert write_atomic(target, "Mali\n") is False
    assert sorted(p.name for p in target.parent.iterdir()) == ["b.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "b.md"
    target.write_text("old\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["b.md"]


def test_read_bytes_whole_or_up_to_a_mark(tmp_path):
    from builder.fsutil import read_bytes

    path = tmp_path / "big.md"
    data = b"---\nraw: a\n---\n" + b"x" * 200_000 + b"\n---\n" + b"y" * 200_000
    path.write_bytes(data)
    assert read_bytes(path) == data
    head = read_bytes(path, until=(b"\n---",))
    assert data.startswith(head) and b"\n---" in head and len(head) < len(data)
    (tmp_path / "empty").write_bytes(b"")
    assert read_bytes(str(tmp_path / "empty")) == b""


def test_tree_entries_sorts_like_sorted_rglob(tmp_path):
    from builder.fsutil import tree_entries

    for name in ["a-c/x", "a/b", "a/B", "a.b", ".h/i", "z"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "link").symlink_to(tmp_path / "a")  # listed, not entered
    assert [Path(e.path) for e in tree_entries(tmp_path)] == sorted(tmp_path.rglob("*"))
