"""One import, from the sources to the files: read every source, plan against the network
as it is, and write only when no source had an error (all of them reported at once)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.importing.read import read_sources
from generator.importing.write import PlannedFile, changes, plan_import, write_plan
from generator.issuer.tools import load_checked_network
from generator.site.model.problems import Problem, Problems


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote (or would write), what it left alone and why, and its warnings."""

    files: list[tuple[PlannedFile, str]]
    notes: list[str]
    warnings: list[Problem]


def import_sources(
    root: Path, sources: list[Path], issuer: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import the sources into the content repository at root; raise BuildFailed (nothing
    written) when any source is invalid. With dry_run, write nothing and say what would be."""
    network = load_checked_network(root)
    problems = Problems()
    imported = read_sources(sources, problems)
    plan = plan_import(network, imported, issuer, problems)
    problems.raise_if_errors()
    files = changes(root, plan) if dry_run else write_plan(root, plan)
    return ImportReport(files, plan.notes, problems.sorted())
