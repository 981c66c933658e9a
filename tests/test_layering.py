"""The house's shape, as imports: no cycle, standards and drawing are leaves, and the build's
stages only import downwards (load < check < render < write < the orchestrator).

Read from the source with `ast` (every import, also those inside functions), so a wrong
arrow fails here before anyone has to find it in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "generator"

# Each module's rank: a module may import modules of its own rank or lower, never higher.
# The first matching prefix decides (longest prefixes first).
RANKS = {
    "generator.openbadges": 0,  # the standards: plain data in and out
    "generator.drawing": 0,  # the default badge images
    "generator.cache": 0,  # what is kept between builds
    "generator.site.model": 1,
    "generator.site.awards": 1,
    "generator.site.problems": 1,
    "generator.site.urls": 1,
    "generator.site.outputs": 1,
    "generator.site.parallel": 1,
    "generator.site.progress": 1,
    "generator.site.exchange": 1,
    "generator.site.imported": 1,
    "generator.site.authority": 1,  # key histories, the coordinators' log, CODEOWNERS
    "generator.site.documents": 2,  # the model as Open Badges documents
    "generator.site.load": 3,
    "generator.site.check": 4,
    "generator.site.badge_images": 4,
    "generator.site.share_images": 4,  # drawn like the badge images, before rendering
    "generator.site.render": 5,
    "generator.site.output_folder": 6,
    "generator.site.write": 6,
    "generator.site": 7,  # the orchestrator (build.py) and what only it uses
    "generator.issuer": 8,
    "generator.importing": 8,  # build.py import: other platforms' exports into the repository
    "generator.cli": 9,
    "generator.schemas": 0,  # data: the JSON Schemas of the content files
}
# Packages that import nothing of the generator outside themselves.
LEAVES = ("generator.openbadges", "generator.drawing", "generator.cache", "generator.schemas")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


MODULES = modules()


def imports_of(name: str) -> set[str]:
    """The generator modules a module imports, anywhere in it."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            # `from package import module` imports the module; `from module import name` the module.
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t for t in submodules if t in MODULES] or [base]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("generator.") and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def rank(name: str) -> int:
    for prefix in sorted(RANKS, key=len, reverse=True):
        if name == prefix or name.startswith(prefix + "."):
            return RANKS[prefix]
    raise AssertionError(f"{name} has no rank: add its room to RANKS in {__file__}")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_has_a_rank(name: str) -> None:
    if name != "generator":
        rank(name)


def test_no_import_goes_up_a_stage() -> None:
    upwards = sorted(
        f"{name} (rank {rank(name)}) imports {target} (rank {rank(target)})"
        for name, targets in GRAPH.items()
        if name != "generator"
        for target in targets
        if rank(target) > rank(name)
    )
    assert upwards == []


def test_standards_and_drawing_are_leaves() -> None:
    outside = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        for leaf in LEAVES
        if name == leaf or name.startswith(leaf + ".")
        for target in targets
        if not (target == leaf or target.startswith(leaf + "."))
    )
    assert outside == []


def test_no_import_cycle() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)
    assert [" -> ".join(cycle) for cycle in cycles] == []


def test_the_reader_sees_every_kind_of_import() -> None:
    """Imports at the top, `from package import module`, and imports inside a function."""
    assert "generator.site.write" in GRAPH["generator.site.build"]
    assert "generator.site.load.schema" in GRAPH["generator.site.load.repository"]
    assert "generator.cli.serve" in GRAPH["generator.cli.commands"]  # inside _serve()


def test_no_module_is_over_400_lines() -> None:
    long = sorted(
        f"{name}: {lines} lines"
        for name, path in MODULES.items()
        if (lines := len(path.read_text("utf-8").splitlines())) > 400
    )
    assert long == []


def test_only_the_command_line_prints() -> None:
    """Printing is the command line's job: outside generator/cli/, no module calls print()
    or writes to sys.stdout or sys.stderr (a long run takes a progress callback; the rest
    logs)."""
    printing = []
    for name, path in MODULES.items():
        if name == "generator.cli" or name.startswith("generator.cli."):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "print"
            ):
                printing.append(f"{name}:{node.lineno}: print()")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in ("stdout", "stderr")
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                printing.append(f"{name}:{node.lineno}: sys.{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module == "sys":
                names = {alias.name for alias in node.names} & {"stdout", "stderr"}
                printing.extend(f"{name}:{node.lineno}: from sys import {n}" for n in names)
    assert sorted(printing) == []
