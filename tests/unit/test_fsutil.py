import os

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
