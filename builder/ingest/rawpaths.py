"""Finding raw articles: the files named or found under folders, each with its sidecar and its
path relative to the repository root.

Separate from the batch run because both the run and the boilerplate learning (which reads
the whole corpus under raw/) walk raw/ the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from builder.archive.rawfiles import KIND_BY_SUFFIX, SIDECAR_SUFFIXES, sidecar_path
from builder.fsutil import outside, tree_entries


def repo_relative(path: Path, root: Path) -> str | None:
    """`path` relative to the repository root, or None when it lies outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


@dataclass(frozen=True)
class RawFile:
    """A raw article found for a run, with what deciding whether it changed needs.

    Plain strings: a no-op re-run looks at 10,000 of them and needs a `Path` for none.
    """

    name: str  # its path as `str(Path)` gives it (relative to the working folder when the argument was)
    rel: str | None  # its real path relative to the repository root; None when outside it
    sidecar: str | None

    @property
    def path(self) -> Path:
        return Path(self.name)


def raw_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Raw article files named directly or found under the given folders, in a stable order."""
    return (item.path for item in find_raw(paths, root=None))


def find_raw(paths: Iterable[Path], root: Path | None) -> Iterator[RawFile]:
    """`raw_files` with each file's repository-relative path and sidecar (`rel` is None without a root).

    Symlinks are resolved as `Path.resolve()` would, but only where there can be one: each
    named path once, and a found file only when it is itself a symlink (the walk never enters
    symlinked folders), so a symlink out of the repository is still refused.
    """
    root_real = os.path.realpath(root) if root is not None else None
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            found = _raw_in_folder(path, root_real)
        else:
            rel = _relative(os.path.realpath(path), root_real) if root_real is not None else None
            sidecar = sidecar_path(path)
            found = [RawFile(str(path), rel, str(sidecar) if sidecar else None)]
        for item in found:
            if item.name not in seen:
                seen.add(item.name)
                yield item


def _raw_in_folder(folder: Path, root_real: str | None) -> list[RawFile]:
    """Raw articles under a folder (as `is_raw_candidate` picks them), each with its sidecar."""
    top = os.fspath(folder)
    skip = 2 if top == "." else 0  # "./a.txt" is Path("a.txt")
    top_real = os.path.realpath(top) if root_real is not None else ""
    entries = tree_entries(top)
    files = {entry.path for entry in entries if entry.is_file()}
    found = []
    for entry in entries:
        name = entry.name
        stem, suffix = os.path.splitext(entry.path)
        if name.startswith(".") or suffix.lower() not in KIND_BY_SUFFIX or entry.path not in files:
            continue
        rel = None
        if root_real is not None:
            # Folders on the way are real (the walk does not enter symlinked ones): only the file can be a link.
            real = os.path.realpath(entry.path) if entry.is_symlink() else top_real + entry.path[len(top):]
            rel = _relative(real, root_real)
        sidecar = next((stem + s for s in SIDECAR_SUFFIXES if stem + s in files), None)
        found.append(RawFile(entry.path[skip:], rel, sidecar[skip:] if sidecar else None))
    return found


def _relative(real: str, root_real: str) -> str | None:
    """A resolved path relative to the resolved root, or None when it lies outside it."""
    if outside(real, root_real):
        return None
    return "." if real == root_real else real[len(root_real.rstrip("/")) + 1:]
