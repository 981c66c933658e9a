"""How problems reach a person: sorted, one a line (or as GitHub annotations), then a count."""

from __future__ import annotations

import sys

from generator.site.model.problems import Problem, summary


def report(problems: list[Problem], format: str = "text") -> None:
    """Print problems, sorted, then a count."""
    for problem in problems:
        print(problem.github_annotation() if format == "github" else problem, file=sys.stderr)
    if problems:
        print(summary(problems), file=sys.stderr)
