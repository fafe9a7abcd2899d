"""Browser tests: the built site served on 127.0.0.1 and driven by Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))  # the shared site-build helpers

from sitebuild import FIXTURES, REPO, make_site_project, run_mkdocs_build  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
GENERATED_BRIEFINGS = int(os.environ.get("PAGEFIND_BROWSER_BRIEFINGS", "1000"))  # the generated archive's size


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built site in Chromium (Playwright)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server API
        pass


def _serve(root: Path):
    """Build the project at `root` with --strict and serve it from a http.server thread; yields its base URL."""
    result = run_mkdocs_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The fixture archive built with --strict and served by a http.server thread: its base URL."""
    root = make_site_project(tmp_path_factory.mktemp("browser-site") / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    yield from _serve(root)


@pytest.fixture(scope="session")
def served_sample_site(tmp_path_factory):
    """The repository's own archive (docs/, registry/), whose briefings name up to ~30 actors: its base URL."""
    root = make_site_project(tmp_path_factory.mktemp("browser-sample") / "project", docs=REPO / "docs", registry=REPO / "registry")
    yield from _serve(root)


@pytest.fixture(scope="session")
def generated_site(tmp_path_factory, browser):  # `browser` first: skip before building when Chromium is absent
    """A generated archive (GENERATED_BRIEFINGS briefings, 1,000 by default; benchmarks/generate.py)
    built with --strict and the Pagefind plugin, once per session for every module that uses it
    (about a minute on two cores): (site folder, base URL)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scale"))
    from scalesite import build_generated_site

    site = build_generated_site(tmp_path_factory.mktemp("generated-browser") / "project", GENERATED_BRIEFINGS)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def pagefind_site(generated_site):
    """The generated archive, for the Pagefind tests: (site folder, base URL)."""
    return generated_site


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, **options):
    context = browser.new_context(color_scheme="light", service_workers="block", **options)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser, served_site):
    """A fresh page (light scheme, desktop size) that records every request it makes."""
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A fresh page at a phone's size (390 x 844, touch), recording its requests."""
    context, page = _new_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def no_script_page(browser):
    """A fresh desktop-size page with JavaScript off."""
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
