"""The house's shape, as imports: no cycle, the leaves import nothing of the generator, and
every module imports only what sits below it, its rank read from where it sits:

- leaves (rank 0): the standards, the drawing code, the cache store, the schemas, the clock,
  the workers and the progress callback: `generator/<leaf>` (LEAVES);
- the build's stages, in order (STAGES): `generator/site/<stage>/`, the model first;
- the orchestrator: every module at the root of `generator/site/`;
- the tools built on it (`generator/issuer/`, `generator/importing/`), then the command line.

A new module is ranked by the folder it is put in: no table to edit. Read from the source with
`ast` (every import, also those inside functions), so a wrong arrow fails here before anyone
has to find it in a review.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Set
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "generator"

# Packages and modules that import nothing of the generator outside themselves.
LEAVES = (
    "generator.openbadges",
    "generator.drawing",
    "generator.cache",
    "generator.cache_secret",
    "generator.process_memory",
    "generator.code_version",
    "generator.schemas",
    "generator.clock",
    "generator.parallel",
    "generator.progress",
)
# The build's stages, each a package of generator/site/, in the order a build runs them.
STAGES = ("model", "load", "check", "draw", "render", "write")
SITE = "generator.site"
ORCHESTRATOR = len(STAGES) + 1  # the modules at the root of generator/site/
TOOLS = ("generator.issuer", "generator.importing")  # built on the orchestrator
COMMAND_LINE = "generator.cli"


def rank(name: str) -> int:
    """Where a module sits: the higher, the more it may import."""
    within = lambda prefix: name == prefix or name.startswith(prefix + ".")  # noqa: E731
    if any(within(leaf) for leaf in LEAVES):
        return 0
    if within(SITE):
        parts = name.split(".")
        if len(parts) > 3 and parts[2] in STAGES:  # generator.site.<stage>.<module>
            return 1 + STAGES.index(parts[2])
        if len(parts) == 3 and parts[2] in STAGES:  # the stage's package itself
            return 1 + STAGES.index(parts[2])
        return ORCHESTRATOR
    if any(within(tool) for tool in TOOLS):
        return ORCHESTRATOR + 1
    if within(COMMAND_LINE):
        return ORCHESTRATOR + 2
    raise AssertionError(f"{name} sits in no room: put it in a stage, a leaf or a tool's package")


def upward_imports(graph: Mapping[str, Set[str]]) -> list[str]:
    """Every import of a module ranked higher than the importer, described."""
    return sorted(
        f"{name} (rank {rank(name)}) imports {target} (rank {rank(target)})"
        for name, targets in graph.items()
        if name != "generator"
        for target in targets
        if rank(target) > rank(name)
    )


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


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_has_a_rank(name: str) -> None:
    if name != "generator":
        rank(name)


def test_no_import_goes_up_a_stage() -> None:
    assert upward_imports(GRAPH) == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("generator.site.load.network", "generator.site.render.outputs"),  # a stage, later one
        ("generator.site.model.urls", "generator.site.load.repository"),  # the model, a stage
        ("generator.site.check.images", "generator.site.build"),  # a stage, the orchestrator
        ("generator.cache", "generator.site.model.network"),  # a leaf, anything
        ("generator.site.write.writer", "generator.issuer.keys"),  # the build, a tool
        ("generator.issuer.keys", "generator.cli.commands"),  # a tool, the command line
        ("generator.site.render.newcomer", "generator.site.write.newcomer"),  # new modules too
    ],
)
def test_a_planted_backwards_import_is_found(importer: str, imported: str) -> None:
    """The rule holds for any module, by where it sits (new modules included)."""
    graph = {**GRAPH, importer: {*GRAPH.get(importer, set()), imported}}
    assert upward_imports(graph) == [
        f"{importer} (rank {rank(importer)}) imports {imported} (rank {rank(imported)})"
    ]


def test_the_stages_are_the_folders_of_the_site() -> None:
    """Every package of generator/site/ is a stage (a new one must be placed in STAGES)."""
    folders = {path.parent.name for path in (PACKAGE / "site").glob("*/__init__.py")}
    assert folders == set(STAGES)


def test_the_root_of_the_site_only_orchestrates() -> None:
    """generator/site/ holds, at its root, the orchestrator and what only it uses."""
    root = sorted(path.stem for path in (PACKAGE / "site").glob("*.py"))
    assert root == ["__init__", "build", "built", "last_build", "update"]


def test_the_leaves_import_only_leaves() -> None:
    """The standards, the drawing code and the other leaves import nothing of the site, the
    tools or the command line (a leaf may use another: the cache store, the code's version)."""
    outside = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name != "generator" and rank(name) == 0
        for target in targets
        if rank(target) != 0
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
    assert "generator.site.write.writer" in GRAPH["generator.site.build"]
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


README = ROOT / "README.md"


def test_the_readme_names_every_module_in_its_room() -> None:
    """README's table of rooms (Development) lists every module, in the row of its folder."""
    text = README.read_text("utf-8")
    rows = {
        line.split("|")[1].strip(): line
        for line in text[text.index("## Development") :].splitlines()
        if line.startswith("| `") or line.startswith("| the leaves")
    }
    missing = []
    for name, path in MODULES.items():
        if path.name == "__init__.py" or name.count(".") < 1:
            continue
        folder = path.parent.relative_to(PACKAGE).as_posix()
        room = "the leaves" if folder == "." else f"`{folder}/`"
        if f"`{path.name}`" not in rows.get(room, ""):
            missing.append(f"{path.relative_to(PACKAGE)} (room {room})")
    assert missing == []
