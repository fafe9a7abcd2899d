"""Scale tests: the synthetic archive generator and the Pagefind search plugin."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scalesite import SMALL_SITE_BRIEFINGS, build_generated_site  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built site in Chromium (Playwright)")
    config.addinivalue_line("markers", "scale: builds a generated archive (seconds, not minutes)")


@pytest.fixture(scope="session")
def small_pagefind_site(tmp_path_factory) -> Path:
    """A generated 60-briefing archive built with the Pagefind plugin: its site folder."""
    return build_generated_site(tmp_path_factory.mktemp("pagefind-site") / "project", SMALL_SITE_BRIEFINGS)
