"""The locks in requirements/ agree with pyproject.toml (README, "Development").

requirements/build.txt (what both workflows install) and requirements/test.txt (what
.ci/run installs) are compiled by pip-compile, with hashes, for Python 3.11 on Linux x86_64.
pyproject.toml keeps ranges, for people who install the package; the locks pin every one of
its requirements within its range, by hash, the test lock at the build lock's versions, and
nothing that no requirement needs (each pin's `# via` names what needs it). .ci/run's check
that nothing came in beside the lock is tested here too. Everything is read from the files:
no network.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]["name"]
# What the locks are compiled for: GitHub's ubuntu-latest runner, with Python 3.11 (markers
# are evaluated with these values over this machine's).
TARGET = {
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "extra": "",
}


@dataclass(frozen=True)
class Pin:
    """One distribution a lock pins: its version, the hashes of its files, and what needs it."""

    version: str
    hashes: frozenset[str]
    via: tuple[str, ...]


PIN_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")
VIA = re.compile(r"^\s+# via(?: (.+))?$")
VIA_MORE = re.compile(r"^\s+#   (.+)$")


def read_lock(text: str) -> dict[str, Pin]:
    """A pip-compile lock's pins, by canonical name."""
    found: dict[str, tuple[str, set[str], list[str]]] = {}
    current: tuple[str, set[str], list[str]] | None = None
    for line in text.splitlines():
        if pin := PIN_LINE.match(line):
            current = found[canonicalize_name(pin[1])] = (pin[2], set(), [])
        elif not line.startswith(" "):
            current = None
        if current is None:
            continue
        current[1].update(HASH.findall(line))
        if via := VIA.match(line) or VIA_MORE.match(line):
            current[2].extend([via[1]] if via[1] else [])
    return {
        name: Pin(version, frozenset(hashes), tuple(via))
        for name, (version, hashes, via) in found.items()
    }


LOCK_TEXTS = {
    name: (LOCKS / f"{name}.txt").read_text(encoding="utf-8") for name in ("build", "test")
}
PINS = {name: read_lock(text) for name, text in LOCK_TEXTS.items()}


def requirements(lock: str) -> list[Requirement]:
    """What pyproject.toml asks of a lock, for the locks' platform: the dependencies and the
    build backend, and for the test lock the `test` extra too."""
    texts = PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
    if lock == "test":
        texts = texts + PYPROJECT["project"]["optional-dependencies"]["test"]
    parsed = [Requirement(text) for text in texts]
    return [req for req in parsed if req.marker is None or req.marker.evaluate(TARGET)]


@pytest.mark.parametrize("lock", sorted(PINS))
def test_every_requirement_is_pinned_within_its_range_by_hash(lock: str) -> None:
    pins = PINS[lock]
    outside = []
    for req in requirements(lock):
        pin = pins.get(canonicalize_name(req.name))
        if pin is None or not req.specifier.contains(Version(pin.version), prereleases=True):
            outside.append(f"{req}: {pin.version if pin else 'not pinned'}")
    assert outside == [], f"compile requirements/{lock}.txt again (README, Development)"
    assert [name for name, pin in pins.items() if not pin.hashes] == []


def unneeded(pins: Mapping[str, Pin], direct: AbstractSet[str]) -> list[str]:
    """Pins that neither pyproject.toml nor another pin needs, by their `# via`."""
    problems = []
    needed: set[str] = set()
    parents: dict[str, set[str]] = {}
    for name, pin in pins.items():
        claims_root = any(via.startswith(f"{PROJECT} (") for via in pin.via)
        if claims_root and name in direct:
            needed.add(name)
        elif claims_root:
            problems.append(
                f"{name}: pinned for {PROJECT}, whose pyproject.toml does not ask for it"
            )
        parents[name] = {
            canonicalize_name(via)
            for via in pin.via
            if not via.startswith(f"{PROJECT} (") and not via.startswith("-c ")
        }
        problems.extend(
            f"{name}: needed by {parent}, which is not pinned"
            for parent in parents[name] - pins.keys()
        )
    while grown := {name for name in pins.keys() - needed if parents[name] & needed}:
        needed |= grown
    problems.extend(f"{name}: nothing needs it" for name in sorted(pins.keys() - needed))
    return problems


@pytest.mark.parametrize("lock", sorted(PINS))
def test_nothing_is_pinned_that_no_requirement_needs(lock: str) -> None:
    direct = {canonicalize_name(req.name) for req in requirements(lock)}
    assert unneeded(PINS[lock], direct) == []


def test_the_unneeded_check_sees_a_stray_pin_and_a_dropped_requirement() -> None:
    pins = {
        "jinja2": Pin("3.1.6", frozenset({"sha256:" + "0" * 64}), (f"{PROJECT} (pyproject.toml)",)),
        "markupsafe": Pin("3.0.4", frozenset({"sha256:" + "1" * 64}), ("jinja2",)),
        "stray": Pin("1.0", frozenset({"sha256:" + "2" * 64}), ()),
    }
    assert unneeded(pins, {"jinja2"}) == ["stray: nothing needs it"]
    assert unneeded(pins, set()) == [
        f"jinja2: pinned for {PROJECT}, whose pyproject.toml does not ask for it",
        "jinja2: nothing needs it",
        "markupsafe: nothing needs it",
        "stray: nothing needs it",
    ]


def test_the_tests_run_the_versions_the_deployment_runs() -> None:
    """The test lock is compiled with the build lock as constraints: same versions, same files."""
    build, test = PINS["build"], PINS["test"]
    differing = [
        f"{name}: build {pin.version}, test {test[name].version if name in test else 'not pinned'}"
        for name, pin in build.items()
        if name not in test or (test[name].version, test[name].hashes) != (pin.version, pin.hashes)
    ]
    assert differing == []
    assert "--constraint=requirements/build.txt" in header(LOCK_TEXTS["test"])


def header(lock_text: str) -> str:
    """The comment a lock starts with: the command that compiled it."""
    return "".join(line for line in lock_text.splitlines(keepends=True)[:8] if line.startswith("#"))


def test_the_locks_are_compiled_for_python_3_11_as_the_readme_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in LOCK_TEXTS.values():
        assert "autogenerated by pip-compile with Python 3.11\n" in header(text)
        (command,) = re.findall(r"^#    (pip-compile .*)$", header(text), re.MULTILINE)
        assert "--generate-hashes" in command and "--allow-unsafe" in command
        assert f"\n      {command}\n" in readme


# .ci/run's check that the environment holds the test lock and nothing else ------------------


def ci_check() -> ModuleType:
    """.ci/installed_matches_lock.py, imported from its file (.ci/ is no package)."""
    spec = importlib.util.spec_from_file_location(
        "installed_matches_lock", ROOT / ".ci" / "installed_matches_lock.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_ci_check_reads_the_lock_as_the_tests_do() -> None:
    check = ci_check()
    assert check.read_lock(LOCK_TEXTS["test"]) == {
        name: pin.version for name, pin in PINS["test"].items()
    }
    assert PROJECT in check.NOT_LOCKED


def test_the_ci_check_names_what_the_lock_does_not_vouch_for() -> None:
    check = ci_check()
    lock = {"jinja2": "3.1.6", "markupsafe": "3.0.4"}
    assert (
        check.mismatches(
            lock, {"jinja2": "3.1.6", "markupsafe": "3.0.4", "pip": "23.2.1", PROJECT: "0.1.0"}
        )
        == []
    )
    assert check.mismatches(lock, {"jinja2": "3.1.5", "left-pad": "1.0", "pip": "23.2.1"}) == [
        "jinja2 3.1.5 is installed, but the lock pins 3.1.6",
        "left-pad 1.0 is installed, but the lock does not pin it",
        "markupsafe 3.0.4 is pinned by the lock, but not installed",
    ]


def test_the_ci_check_fails_on_this_environment_unless_the_lock_pins_it_all(tmp_path: Path) -> None:
    installed: dict[str, str] = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    pinned = {name: version for name, version in installed.items() if name not in ("pip", PROJECT)}
    lock = tmp_path / "lock.txt"

    def run(pins: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
        lock.write_text(
            "".join(
                f"{name}=={version} \\\n    --hash=sha256:{'0' * 64}\n"
                for name, version in pins.items()
            )
        )
        script = ROOT / ".ci" / "installed_matches_lock.py"
        return subprocess.run(
            [sys.executable, str(script), str(lock)], capture_output=True, text=True, check=False
        )

    assert run(pinned).returncode == 0
    one = sorted(pinned)[0]
    failed = run({name: version for name, version in pinned.items() if name != one})
    assert failed.returncode == 1
    assert f"error: {one} {pinned[one]} is installed, but the lock does not pin it" in failed.stderr
