"""Raw files as the archive keeps them under raw/: which suffixes are articles, how their
bytes decode to text, and their optional YAML sidecar (fields an editor sets by hand).

Ingest reads articles through these (builder.ingest.readers); check, refresh and the site
read sidecars through them too (excluded actors). Every problem raises `BuildError` naming
the file, line and field.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import charset_normalizer
import yaml

from builder.errors import BuildError
from builder.archive.schema import CITED_SOURCE_FIELDS, SafeTextDateLoader, iso_date, load_untrusted_yaml, safe_url

KIND_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "md",
    ".markdown": "md",
}
KIND_BY_FORMAT = {"text": "text", "html": "html", "md": "md"}
SIDECAR_SUFFIXES = (".yml", ".yaml")

# Fields a sidecar may supply; actors/exclude_actors adjust detection instead of replacing it.
SIDECAR_TEXT_FIELDS = ("title", "source", "url", "region", "section", "summary", "image_credit")
SIDECAR_LIST_FIELDS = ("authors", "tags", "actors", "exclude_actors")
SIDECAR_FIELDS = SIDECAR_TEXT_FIELDS + SIDECAR_LIST_FIELDS + ("date", "cited_source")

# C0 controls other than tab/newline, DEL and C1 controls: never meaningful in an article.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOT_C0_BYTES = bytes(b for b in range(256) if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F or b == 0x7F))


def kind_for(path: Path, forced_format: str | None = None) -> str | None:
    if forced_format:
        return KIND_BY_FORMAT[forced_format]
    return KIND_BY_SUFFIX.get(path.suffix.lower())


def is_raw_candidate(path: Path) -> bool:
    """A file under raw/ that a reader handles (sidecars and hidden files are not articles)."""
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() in KIND_BY_SUFFIX


def decode_bytes(path: Path, data: bytes) -> str:
    """Bytes -> NFC text with '\\n' newlines: UTF-8 (with or without BOM), UTF-16 with BOM, else detected."""
    if not data:
        raise BuildError(path, "empty file: nothing to ingest")
    plain_utf8 = False
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict") if _is_utf8(data[3:]) else None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        if b"\x00" in data[:8192]:
            raise BuildError(path, "binary file (NUL bytes): expected a text, HTML or Markdown article")
        try:
            text, plain_utf8 = data.decode("utf-8"), True
        except UnicodeDecodeError:
            text = None
    if text is None:
        text = _detected_text(path, data)
    if text.strip() == "":
        raise BuildError(path, "empty file: only white space")
    # The regex scan costs ~65 µs a page; UTF-8 bytes tell at C speed that there is nothing to find
    # (C0 controls and DEL are bytes of their own; a C1 control is \xc2\x80-\x9f).
    if not (plain_utf8 and b"\xc2" not in data and not data.translate(None, _NOT_C0_BYTES)):
        controls = len(_CONTROL_CHARS.findall(text))
        if controls > max(8, len(text) // 100):
            raise BuildError(path, f"looks binary ({controls} control characters): expected a text article")
        text = _CONTROL_CHARS.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return unicodedata.normalize("NFC", text)


# Single-byte Latin code pages that detection confuses with each other on short texts.
_LATIN_SINGLE_BYTE = {"cp1250", "cp1252", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "mac_roman", "mac_latin2", "cp850"}


def _detected_text(path: Path, data: bytes) -> str:
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise BuildError(path, "cannot detect the text encoding; save the file as UTF-8")
    if best.encoding in _LATIN_SINGLE_BYTE:
        # Web pages saved on Windows are overwhelmingly cp1252 (a superset of latin-1); detection
        # on a short text often picks a sibling code page (Goïta -> Goďta), so prefer cp1252.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sidecar_path(path: Path) -> Path | None:
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict[str, Any]:
    """A sidecar's fields, validated; BuildError names the sidecar, line and field."""
    try:
        text = decode_bytes(path, path.read_bytes())
    except OSError as exc:
        raise BuildError(path, f"cannot read sidecar ({exc.strerror})") from None
    try:
        data = load_untrusted_yaml(path, text, first_line=1, field="sidecar")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "syntax error"
        raise BuildError(path, f"broken YAML ({problem})", line=mark.line + 1 if mark else None) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildError(path, "a sidecar must be a mapping of field: value", line=1)

    def fail(field: str, message: str):
        # Line numbers are looked up only for an error: composing every sidecar costs 2 ms each.
        node = yaml.compose(text, Loader=SafeTextDateLoader)
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
        raise BuildError(path, message, line=lines.get(field), field=field)

    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SIDECAR_FIELDS:
            fail(str(key), f"unknown sidecar field; allowed: {', '.join(SIDECAR_FIELDS)}")
        if value is None:
            continue
        if key in SIDECAR_TEXT_FIELDS:
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                fail(key, "must be a single line of text")
            out[key] = " ".join(str(value).split())
        elif key in SIDECAR_LIST_FIELDS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
                fail(key, "must be a list of text items")
            out[key] = tuple(" ".join(str(v).split()) for v in value)
        elif key == "date":
            date = iso_date(value)
            if date is None:
                fail(key, f"{value!r} is not a date; write it as YYYY-MM-DD")
            out[key] = date
        elif key == "cited_source":
            if not isinstance(value, dict) or set(map(str, value)) - set(CITED_SOURCE_FIELDS):
                fail(key, f"must be a mapping with keys among {', '.join(CITED_SOURCE_FIELDS)}")
            cited = {k: " ".join(str(v).split()) for k, v in value.items() if v is not None}
            if "date" in value and value["date"] is not None:
                cited["date"] = iso_date(value["date"])
                if cited["date"] is None:
                    fail(key, f"date {value['date']!r} is not a date; write it as YYYY-MM-DD")
            out[key] = cited
    if "url" in out and not safe_url(out["url"]):
        fail("url", "must be an absolute http:// or https:// URL")
    return out


def excluded_actors(raw_path: Path) -> frozenset[str]:
    """The actors an editor excluded in a raw file's sidecar (none when it has no usable sidecar).

    A broken sidecar is reported by `ingest` and `check`; readers of this set assume it excludes nothing.
    """
    sidecar = sidecar_path(raw_path)
    if sidecar is None:
        return frozenset()
    try:
        text = decode_bytes(sidecar, sidecar.read_bytes())
    except (OSError, BuildError):
        return frozenset()
    if "exclude_actors" not in text:  # most sidecars: no field, no YAML parse (a build reads every one)
        return frozenset()
    try:
        return frozenset(read_sidecar(sidecar).get("exclude_actors", ()))
    except BuildError:
        return frozenset()
