"""Site tests: the fixture archive and the repository's samples, each built once per session."""

from __future__ import annotations

import pytest

from sitebuild import FIXTURES, REPO, BuiltSite, make_site_project, run_mkdocs_build


def pytest_configure(config):
    config.addinivalue_line("markers", "site: builds the archive site with MkDocs")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> BuiltSite:
    """The fixture archive (tests/site/fixtures) built once with `mkdocs build --strict`."""
    root = make_site_project(tmp_path_factory.mktemp("fixture-site") / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    result = run_mkdocs_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(root, root / "site", result)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> BuiltSite:
    """The repository's own archive (docs/ and registry/) built once with `mkdocs build --strict`."""
    root = make_site_project(tmp_path_factory.mktemp("sample-site") / "project", docs=REPO / "docs", registry=REPO / "registry")
    result = run_mkdocs_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(root, root / "site", result)
