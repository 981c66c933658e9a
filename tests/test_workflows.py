"""The workflows that deploy the site are part of its trust (README, "Deploying to GitHub Pages").

They publish the DID documents every credential verifies against, so: zizmor, GitHub
Actions' static analyser, finds nothing in them (offline); they are what GitHub's schema
(SchemaStore's, vendored in tests/standards/github/) accepts, and so is Dependabot's
configuration; every action is pinned by commit with its version beside it; each job
holds only the permissions it uses; and pip installs only from the locks, by hash.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
STANDARDS = Path(__file__).resolve().parent / "standards" / "github"


class _GitHubYamlLoader(yaml.SafeLoader):
    """YAML as GitHub reads it: only true and false are booleans (PyYAML's YAML 1.1 reads
    the workflow's `on:` key as True)."""


_GitHubYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_GitHubYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(text: str) -> Any:
    """A workflow or Dependabot file, read as GitHub reads it."""
    return yaml.load(text, Loader=_GitHubYamlLoader)


def zizmor_command() -> str:
    """zizmor from this environment's scripts (the test extra installs it)."""
    found = shutil.which("zizmor", path=sysconfig.get_path("scripts")) or shutil.which("zizmor")
    assert found, 'zizmor is not installed: run pip install -e ".[test]"'
    return found


def described(finding: dict[str, Any]) -> str:
    """A zizmor finding as `path:line: audit: what (where)`."""
    where = finding["locations"][0]
    path = where["symbolic"]["key"]["Local"]["verbatim_path"]
    line = where["concrete"]["location"]["start_point"]["row"] + 1
    return (
        f"{path}:{line}: {finding['ident']}: {finding['desc']} ({where['symbolic']['annotation']})"
    )


def test_zizmor_finds_nothing_in_the_workflows_and_dependabot() -> None:
    result = subprocess.run(
        [zizmor_command(), "--offline", "--strict-collection", "--format", "json", ".github/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    findings = json.loads(result.stdout or "[]")
    # A finding may be suppressed only in the file, with `# zizmor: ignore[audit]` and the reason.
    unsuppressed = [described(finding) for finding in findings if not finding["ignored"]]
    assert unsuppressed == [], "\n".join(unsuppressed)
    assert result.returncode == 0, result.stderr


SCHEMAS = {
    **{path: "github-workflow.json" for path in WORKFLOWS},
    GITHUB / "dependabot.yml": "dependabot-2.0.json",
}


def schema_errors(document: Any, schema_name: str) -> list[str]:
    """What SchemaStore's schema says of a document, as 'path: message'."""
    schema = json.loads((STANDARDS / schema_name).read_text(encoding="utf-8"))
    return [
        f"/{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in Draft7Validator(schema).iter_errors(document)
    ]


@pytest.mark.parametrize("path", sorted(SCHEMAS), ids=lambda path: path.name)
def test_github_accepts_the_file(path: Path) -> None:
    assert schema_errors(load(path.read_text(encoding="utf-8")), SCHEMAS[path]) == []


def test_the_schema_check_refuses_what_github_refuses() -> None:
    """The loader and the vendored schema do see a mistake: a misspelt key, `on:` left out."""
    workflow = "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permision: {}\n"
    assert schema_errors(load(workflow), "github-workflow.json")
    assert schema_errors(load(workflow.replace("on: push\n", "")), "github-workflow.json")


def steps() -> list[tuple[str, str, dict[str, Any]]]:
    """Every step of every workflow: (workflow file, job, step)."""
    return [
        (path.name, job_name, step)
        for path in WORKFLOWS
        for job_name, job in load(path.read_text(encoding="utf-8"))["jobs"].items()
        for step in job["steps"]
    ]


USES = re.compile(r"^\s*(?:- )?(?:uses: )(\S+)(.*)$", re.MULTILINE)
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def test_every_action_is_pinned_by_commit_with_its_version_beside_it() -> None:
    lines = [
        (path.name, action, comment)
        for path in WORKFLOWS
        for action, comment in USES.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(lines) == sum("uses" in step for _, _, step in steps()) > 0
    badly_pinned = [
        f"{name}: {action}{comment}"
        for name, action, comment in lines
        if not PINNED.match(action) or not re.fullmatch(r" # v\d+\.\d+\.\d+", comment)
    ]
    assert badly_pinned == []


# What each job may do with the workflow's token: the deploy job alone deploys.
PERMISSIONS = {
    ("check.yml", "check"): {"contents": "read"},
    ("check.yml", "workflows"): {"contents": "read"},
    ("deploy.yml", "build"): {"contents": "read", "deployments": "read"},
    ("deploy.yml", "deploy"): {"pages": "write", "id-token": "write"},
}


def test_each_job_holds_only_the_permissions_it_uses() -> None:
    granted = {}
    for path in WORKFLOWS:
        workflow = load(path.read_text(encoding="utf-8"))
        assert workflow["permissions"] == {}, f"{path.name}: permissions belong to each job"
        for job_name, job in workflow["jobs"].items():
            granted[path.name, job_name] = job.get("permissions")
    assert granted == PERMISSIONS


def test_pip_installs_only_the_locks_by_hash() -> None:
    """The build's dependencies come from requirements/build.txt (the tests' from
    requirements/test.txt), and the project itself is installed with nothing fetched."""
    allowed = {
        "python -m pip install --require-hashes -r requirements/build.txt",
        "python -m pip install --require-hashes -r requirements/test.txt",
        "python -m pip install --no-deps --no-index --no-build-isolation -e .",
    }
    installs = [
        line.strip()
        for _, _, step in steps()
        for line in step.get("run", "").splitlines()
        if "pip" in line
    ]
    assert installs and set(installs) <= allowed, installs
    assert "python -m pip install --require-hashes -r requirements/build.txt" in installs


def test_ci_installs_the_test_lock_then_runs_the_readme_test_command_as_written() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = next(
        line.strip()
        for line in readme.splitlines()
        if line.startswith('    pip install -e ".[test]"')
    )
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    lock_install = next(i for i, line in enumerate(ci) if "-r requirements/test.txt" in line)
    assert "--require-hashes" in ci[lock_install]
    readme_command = next(i for i, line in enumerate(ci) if line.startswith(test_command))
    assert lock_install < readme_command
    assert any(
        line.startswith("python .ci/installed_matches_lock.py requirements/test.txt")
        for line in ci[readme_command:]
    )


def test_the_pages_artifact_keeps_the_sites_dot_files() -> None:
    """A structure's DID document on a custom domain is .well-known/did.json."""
    (upload,) = [
        step
        for _, _, step in steps()
        if step.get("uses", "").startswith("actions/upload-pages-artifact@")
    ]
    assert upload["with"]["include-hidden-files"] is True
