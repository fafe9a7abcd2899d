"""Archive wing: the briefing file format and its reader, the actor registry and matching, check, refresh, suggest, duplicates."""
