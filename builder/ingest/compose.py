"""Compose: cleaned blocks -> a briefing's plain Markdown body.

Raw text is untrusted: whatever it contains (`<script>`, `[x](javascript:...)`, a line that
starts with `#`) is escaped so that it shows as the text it was, never as markup. The only
markup in the output is what we add: headings, quotes, list items and footnotes.
"""

from __future__ import annotations

import re

from builder.archive.model import Block, Role

# Characters Markdown would read as inline markup.
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]])")
# "<" that could open an HTML tag, comment or autolink; "&" that could open an entity.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# A line start that Markdown would read as a heading, quote, list, rule or table.
_BLOCK_START = re.compile(r"^(\s*)([#>+-])")
_ORDERED_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
# Underscores that open or close emphasis (not inside words such as file_names).
_UNDERSCORE_EDGE = re.compile(r"(?<![\w\\])_|_(?![\w])")
_FOOTNOTE_REF = re.compile(r"\\\[\^(\d+)\\\]")


def escape_markdown(text: str) -> str:
    """Text -> Markdown that displays exactly that text (footnote refs `[^n]` stay refs)."""
    # Each step runs only when its trigger character is there: `in` is a C scan, a regex pass
    # over a paragraph is ~10x slower, and most paragraphs need none of them.
    if "[" in text or "]" in text or "*" in text or "`" in text or "\\" in text:
        text = _INLINE_SPECIAL.sub(r"\\\1", text)
        if "\\[^" in text:
            text = _FOOTNOTE_REF.sub(r"[^\1]", text)  # our own footnote references survive escaping
    if "_" in text:
        text = _UNDERSCORE_EDGE.sub(r"\\_", text)
    if "&" in text:
        text = _ENTITY.sub("&amp;", text)
    if "<" in text:
        text = _TAG_OPEN.sub("&lt;", text)
    start = text.lstrip()[:1]  # both patterns below only match at the very start
    if start.isdecimal():
        text = _ORDERED_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        start = text.lstrip()[:1]
    if start and start in "#>+-":
        text = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def body_markdown(blocks: list[Block], footnotes: list[tuple[int, str]]) -> str:
    """Markdown for the body blocks (in order) and the footnote definitions."""
    parts: list[str] = []
    previous: Role | None = None
    for block in blocks:
        text = escape_markdown(_one_line(block.text))
        if block.role is Role.HEADING:
            chunk = f"## {text}"
        elif block.role is Role.QUOTE:
            chunk = f"> {text}"
        elif block.role is Role.LIST_ITEM:
            chunk = f"- {text}"
        else:
            chunk = text
        if block.role is Role.LIST_ITEM and previous is Role.LIST_ITEM:
            parts[-1] = f"{parts[-1]}\n{chunk}"  # one list, not one list per item
        else:
            parts.append(chunk)
        previous = block.role
    for number, note in footnotes:
        parts.append(f"[^{number}]: {escape_markdown(_one_line(note))}")
    return "\n\n".join(parts) + "\n"
