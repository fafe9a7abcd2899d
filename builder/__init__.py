"""Briefing archive builder: raw articles -> clean, actor-linked Markdown briefings."""

__version__ = "0.1.0"
