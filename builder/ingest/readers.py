"""Readers: one raw file (+ its optional sidecar) -> a decoded `RawArticle`.

A reader is picked by suffix (`.txt` text dump, `.html` saved page, `.md` draft) unless the
caller forces a format. Every way a file can be unusable (empty, binary, oversized,
undecodable, a broken sidecar) raises `BuildError` naming the file, so that one bad file
never stops the others. What a raw file and its sidecar are is `builder.archive.rawfiles`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from builder.errors import BuildError
from builder.fsutil import read_bytes
from builder.archive.model import RawArticle
from builder.archive.rawfiles import decode_bytes, kind_for, read_sidecar, sidecar_path

MAX_RAW_BYTES = 5 * 1024 * 1024  # a briefing's source page is never this big; larger is a mistake


def read_raw(path: Path, *, forced_format: str | None = None) -> RawArticle:
    """Read, check and decode one raw article and its sidecar."""
    kind = kind_for(path, forced_format)
    if kind is None:
        raise BuildError(path, f"unsupported file type {path.suffix or '(none)'!r}; use .txt, .html or .md, or --format")
    try:
        size = path.stat().st_size
        if size > MAX_RAW_BYTES:
            raise BuildError(path, f"oversized: {size:,} bytes, the limit is {MAX_RAW_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(path, f"cannot read ({exc.strerror})") from None
    text = decode_bytes(path, data)
    sidecar_file = sidecar_path(path)
    sidecar = read_sidecar(sidecar_file) if sidecar_file else {}
    return RawArticle(
        path=path, kind=kind, text=text, sha256=hashlib.sha256(data).hexdigest(), sidecar=sidecar,
        sidecar_sha256=file_sha256(sidecar_file) if sidecar_file else None,
    )


def file_sha256(path: str | Path) -> str:
    # Whole: raw files are small (hashlib.file_digest's 256 KB buffer costs more than the read).
    return hashlib.sha256(read_bytes(path)).hexdigest()
