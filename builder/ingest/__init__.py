"""Ingest wing: raw articles in, briefings out (readers, cleaning, metadata, footnotes, composing, the batch run)."""
