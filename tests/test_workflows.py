"""CI configuration: the workflows pass a real linter, do what CONTRIBUTING.md promises; the pre-commit hook works."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
PR, DEPLOY = WORKFLOWS / "pr.yml", WORKFLOWS / "deploy.yml"
BIN = Path(sys.executable).parent


def tool(name: str) -> list[str] | None:
    """A command-line tool installed next to this Python (the test extra), or None."""
    found = BIN / name
    if found.exists():
        return [str(found)]
    path = shutil.which(name)
    return [path] if path else None


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); keep it as text.
    return {("on" if key is True else key): value for key, value in yaml.safe_load(path.read_text()).items()}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def test_workflows_match_the_github_workflow_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (test extra) is not installed")
    command = tool("check-jsonschema") or [sys.executable, "-m", "check_jsonschema"]
    result = subprocess.run(
        [*command, "--builtin-schema", "vendor.github-workflows", str(PR), str(DEPLOY)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (test extra) is not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text(PR.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    command = tool("check-jsonschema") or [sys.executable, "-m", "check_jsonschema"]
    result = subprocess.run([*command, "--builtin-schema", "vendor.github-workflows", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_workflows_pass_zizmor_security_audit():
    command = tool("zizmor")
    if command is None:
        pytest.skip("zizmor (test extra) is not installed")
    result = subprocess.run([*command, "--offline", "--no-progress", str(WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_workflow_checks_builds_uploads_and_tests():
    workflow = load(PR)
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    commands = runs(workflow)
    assert re.search(r"pip install -e '\.\[test\]'", commands)
    assert "briefings check --github" in commands
    assert "mkdocs build --strict" in commands
    assert "bash .ci/run" in commands  # the tests, exactly as README and CI promise
    uses = [step.get("uses", "") for step in steps(workflow)]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    upload = next(step for step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    # check comes before the build, so its annotations appear even when the build fails.
    assert commands.index("briefings check") < commands.index("mkdocs build --strict")


def test_deploy_workflow_publishes_main_to_pages_with_least_privilege():
    workflow = load(DEPLOY)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "mkdocs build --strict" in runs({"jobs": {"build": build}})
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_every_action_is_pinned_to_a_commit():
    for path in (PR, DEPLOY):
        for step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{path.name}: {step['uses']}"


HOOK_FILES = ["docs/briefings/2024/2024-01-01-x.md", "raw/a.txt", "raw/a.yml", "raw/b.html", "registry/states.yml", "registry/not-actors.yml"]
NOT_HOOK_FILES = ["README.md", "docs/about.md", "builder/archive/check.py", "raw/.gitkeep", "actors.yml"]


@pytest.mark.parametrize("config", [".pre-commit-config.yaml", ".pre-commit-hooks.yaml"])
def test_pre_commit_hook_runs_check_on_changed_archive_files(config):
    data = yaml.safe_load((REPO / config).read_text())
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    hook = next(h for h in hooks if h["id"] == "briefings-check")
    assert hook["entry"].endswith("check") and hook.get("pass_filenames", True)
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in HOOK_FILES)
    assert not any(files.search(name) for name in NOT_HOOK_FILES)


def test_pre_commit_entry_reports_only_the_changed_file(tmp_path):
    hook = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    entry = shlex.split(hook["entry"])
    assert entry[:1] == [".venv/bin/python"]
    root = tmp_path / "repo"
    shutil.copytree(REPO / "tests" / "cases" / "check", root)
    changed = "docs/briefings/2022/2022-06-01-raw-html.md"
    result = subprocess.run([sys.executable, *entry[1:], changed], cwd=root, capture_output=True, text=True)
    assert result.returncode == 1
    problems = result.stdout.splitlines()[:-1]
    assert problems and all(line.startswith(changed + ":") for line in problems)
    assert result.stdout.splitlines()[-1] == f"check: {len(problems)} problems in 1 files"
