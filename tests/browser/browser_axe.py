"""axe-core in a Playwright page: the helpers of the accessibility tests, shared by the sample
archive's (test_accessibility.py) and the generated archive's (test_generated_browser.py).

axe-core is vendored (tests/browser/vendor/, scripts/vendor_axe.sh) and injected into the page.
A violation of impact "serious" or "critical" fails `check`; the others are printed (shown
with `pytest -rP`) and every page's full list is written to test-artifacts/axe/.

Test modules `import browser_axe as axe`: pytest puts this folder on sys.path, and the name is
unique across the test folders (a bare `conftest` or `axe` could name another folder's file).
"""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's data-md-color-scheme

# Only animations that end: Material's transitions (search results fade in, the header's search
# field widens) make axe read half-faded colours.
SETTLE = """() => Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""

RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}"""


def axe_violations(page) -> list[dict]:
    page.evaluate(SETTLE)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}")
        lines += [f"    {n['target']}: {' '.join(n['summary'].split())}" for n in v["nodes"][:5]]
    return "\n".join(lines)


def check(page, name: str, artifacts: Path) -> None:
    violations = axe_violations(page)
    (artifacts / "axe").mkdir(exist_ok=True)
    (artifacts / "axe" / f"{name}.json").write_text(json.dumps(violations, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    rest = [v for v in violations if v["impact"] not in BLOCKING]
    if rest:
        print(f"axe, {name}, not blocking:\n{describe(rest)}")
    assert not blocking, f"axe, {name}:\n{describe(blocking)}"


def wait_for_network(page) -> None:
    """The network page drawn (sigma's first render): what axe should read."""
    page.locator(".ba-network[data-ready=true]").wait_for(timeout=30_000)


def scheme_page(browser, scheme: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.emulate_media(color_scheme=scheme)  # the palette in mkdocs.yml follows prefers-color-scheme
    return context, page
