"""Problems found in the content: located, collected, reported all at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

Severity = Literal["error", "warning", "notice"]


@dataclass(frozen=True, order=True)
class Location:
    """Where a value came from: a path relative to the content root, and a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def at(self, line: int | None) -> Location:
        """The same file at another line."""
        return Location(self.path, line)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, with what to do about it."""

    location: Location
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"

    def github_annotation(self) -> str:
        """The problem as a GitHub Actions workflow command."""

        # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
        def data(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        line = f",line={self.location.line}" if self.location.line else ""
        return f"::{self.severity} file={prop(self.location.path)}{line}::{data(self.message)}"


class BuildFailed(Exception):
    """Raised when the content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} error(s)")
        self.problems = problems


@dataclass
class Problems:
    """A collector of problems: every stage adds to it, nothing stops at the first."""

    strict: bool = False
    items: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str) -> None:
        """Record an error at a location."""
        self.items.append(Problem(location, "error", message))

    def warning(self, location: Location, message: str, *, escalates: bool = True) -> None:
        """Record a warning (an error under --strict, unless it never `escalates`: something
        left to do that the site shows well enough meanwhile, such as a missing translation)."""
        severity: Severity = "error" if self.strict and escalates else "warning"
        self.items.append(Problem(location, severity, message))

    def notice(self, location: Location, message: str) -> None:
        """Record a notice: something a reviewer should see even though it is valid (a
        change of who may sign for a structure); never an error, even under --strict."""
        self.items.append(Problem(location, "notice", message))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems found elsewhere."""
        self.items.extend(problems)

    @property
    def has_errors(self) -> bool:
        """Whether any error (not only warnings) was recorded."""
        return any(p.severity == "error" for p in self.items)

    def sorted(self) -> list[Problem]:
        """Problems sorted by file, line, then message, without duplicates."""
        return sorted(set(self.items), key=_sort_key)

    def raise_if_errors(self) -> None:
        """Stop the build when an error was recorded."""
        if self.has_errors:
            raise BuildFailed(self.sorted())


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.location.path, problem.location.line or 0, problem.severity, problem.message)


def summary(problems: list[Problem]) -> str:
    """The closing line of a report, e.g. '2 errors, 1 warning' (', 3 notices' when any)."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    notices = len(problems) - errors - warnings
    line = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    return line + (f", {notices} notice{'s' * (notices != 1)}" if notices else "")


def suggest(name: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' hint when a close valid name exists, else ''."""
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """'use one of: a, b, c' for a sorted list of valid names."""
    return "use one of: " + ", ".join(sorted(choices))


def relative(path: PurePosixPath | str) -> str:
    """A path as printed in diagnostics (always forward slashes)."""
    return str(PurePosixPath(path))
