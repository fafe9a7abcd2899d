"""What makes YAML from outside dangerous to build, found before anything is built.

A "billion laughs" bomb is a few hundred bytes of anchors and aliases that expand to
gigabytes once the data is walked; flow collections nested thousands deep exhaust the
parser's recursion. Nothing the builder reads needs either: briefing frontmatter, sidecars
and registry files are flat data written by people. `first_expansion` finds the first anchor,
alias or over-deep nesting by scanning the parser's events (no document is composed).
"""

from __future__ import annotations

import yaml

MAX_DEPTH = 16  # a registry actor is 3 levels deep (actors: - actor: aliases: [...])

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def first_expansion(yaml_text: str, max_depth: int = MAX_DEPTH) -> tuple[int, str] | None:
    """(0-based line, problem) of the first anchor, alias or collection nested deeper than
    `max_depth`; None when there is none. Raises yaml.YAMLError for broken YAML found on the way."""
    # Anchors need "&", aliases "*", deep nesting many brackets (block nesting that deep makes a
    # text too long to matter): only then are the events scanned, so plain YAML costs a find.
    if "&" not in yaml_text and "*" not in yaml_text and yaml_text.count("[") + yaml_text.count("{") <= max_depth:
        return None
    loader = _SafeLoader(yaml_text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return event.start_mark.line, "YAML anchors and aliases (&name, *name) are not allowed; write the values out"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    return event.start_mark.line, f"YAML nested more than {max_depth} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return None
