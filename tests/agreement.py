"""`check` refuses exactly what `build` refuses: the pull-request check passes only what the
deploy will publish. Every corpus of broken or hostile sites in tests/ runs both commands
through `same_verdict`."""

from __future__ import annotations

from pathlib import Path

from .credential_fixtures import BUILD_AT, Run, run


def problems_of(result: Run) -> list[str]:
    """The problems a command printed, with their count line, in order."""
    return [
        line
        for line in result.err.splitlines()
        if ": error: " in line or ": warning: " in line or line.endswith(" warnings")
    ]


def same_verdict(source: Path, out: Path, *options: str | Path, at: str = BUILD_AT) -> Run:
    """Run check, then build into out, over the same source; assert that they exit alike and
    print the same problems; the check's run."""
    check = run("check", "--source", source, *options, at=at)
    build = run("build", "--source", source, "--out", out, *options, at=at)
    assert "Traceback" not in check.err + build.err
    assert (check.code, problems_of(check)) == (build.code, problems_of(build))
    return check
