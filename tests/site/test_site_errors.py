"""Bad input fails the build with one line per problem: file, line, field, what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.exceptions import PluginError

from sitebuild import FIXTURES, make_site_project, run_mkdocs_build

pytestmark = pytest.mark.site

JNIM = "docs/briefings/2023/2023-03-14-jnim-expands-south.md"


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    monkeypatch.chdir(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def plugin_error(root: Path) -> PluginError:
    """What the plugin raises at on_files (MkDocs turns it into a logged error and exit 1)."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    plugin = config.plugins["briefings"]
    plugin.on_config(config)
    with pytest.raises(PluginError) as failure:
        plugin.on_files(get_files(config), config=config)
    return failure.value


def build_problems(root: Path) -> list[str]:
    """The problem lines (one per problem) of the error."""
    return str(plugin_error(root)).splitlines()[1:]


def test_broken_yaml(project):
    edit(project / JNIM, "date: 2023-03-14", "date: [2023-03-14")
    [problem] = build_problems(project)
    assert problem.startswith(f"{JNIM}:") and ": frontmatter: broken YAML (" in problem and problem.endswith("; fix the syntax")


def test_date_that_is_not_a_date(project):
    edit(project / JNIM, "date: 2023-03-14", "date: 2023-02-30")
    assert build_problems(project) == [f"{JNIM}:3: date: '2023-02-30' is not a date; write it as YYYY-MM-DD"]


def test_unknown_actor_id(project):
    edit(project / JNIM, "- wagner-group", "- wagner")
    assert build_problems(project) == [
        f"{JNIM}:13: actors: unknown actor id 'wagner'; add it to the registry or remove it"
    ]


def test_every_problem_is_listed_and_the_cli_exits_non_zero(project):
    edit(project / JNIM, "date: 2023-03-14", "date: someday")
    edit(project / JNIM, "region: Africa", "region: Atlantis")
    result = run_mkdocs_build(project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "2 problems in the archive" in output
    assert f"{JNIM}:3: date: 'someday' is not a date; write it as YYYY-MM-DD" in output
    assert f"{JNIM}:9: region: 'Atlantis' is not a region; use one of: Africa, Eurasia, Europe, Americas" in output
    assert not (project / "site" / "index.html").exists()


def test_registry_problem(project):
    edit(project / "actors.yml", "type: mission", "type: peacekeepers")
    [problem] = build_problems(project)
    assert problem.startswith("actors.yml:85: type: actor 'minusma': 'peacekeepers' is not one of state, ")


def test_related_briefings_escape_titles_and_keep_their_own_anchor(project):
    # A title is text: in another briefing's related list it is escaped (builder/site/briefing_html.py)
    # (the list is the theme's, outside the sanitised page content).
    edit(project / JNIM, "title: JNIM pushes south toward Bamako and coastal states",
         "title: 'JNIM <script>alert(1)</script> & <a href=\"javascript:x\">co</a>'")
    # The body's own "Related briefings" heading keeps its id; ours takes the next free one.
    defends = project / "docs/briefings/2023/2023-02-08-mali-defends-russia.md"
    defends.write_text(defends.read_text(encoding="utf-8") + "\n## Related briefings\n\nThe body's own section.\n", encoding="utf-8")
    result = run_mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "site/briefings/2023/2023-02-08-mali-defends-russia/index.html").read_text(encoding="utf-8")
    related = html.split('<section class="ba-related" data-pagefind-ignore="all">', 1)[1].split("</section>", 1)[0]
    assert "JNIM &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=&quot;javascript:x&quot;&gt;co&lt;/a&gt;" in related
    assert "<script" not in related and 'href="javascript' not in related
    assert '<h2 id="related-briefings_1">' in related
    assert '<h2 id="related-briefings">Related briefings' in html.split('<section class="ba-related"', 1)[0]
