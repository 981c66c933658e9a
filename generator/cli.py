"""The command line: python build.py build|check|serve (and the issuer tools)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import build_site, check_site
from .problems import BuildFailed, Problem, summary


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return the process exit code (0 ok, 1 content problems, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    try:
        code: int = args.run(args)
        return code
    except BuildFailed as failed:
        report(failed.problems, args.format)
        return 1


def report(problems: list[Problem], format: str = "text") -> None:
    """Print problems, sorted, then a count."""
    for problem in problems:
        print(problem.github_annotation() if format == "github" else problem, file=sys.stderr)
    if problems:
        print(summary(problems), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the Fab@brest Open Badges site."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="say more about what is done")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument(
            "--source", type=Path, default=Path("."), help="content repository (default: .)"
        )
        sub.add_argument(
            "--format", choices=["text", "github"], default="text", help="how problems are printed"
        )
        return sub

    build = command("build", "build the site into the output folder")
    build.add_argument(
        "--out", type=Path, default=None, help="output folder (default: SOURCE/_site)"
    )
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.set_defaults(run=_build)

    check = command("check", "validate the content; write nothing")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=_check)

    serve = command("serve", "build, serve on localhost and rebuild on every change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--out", type=Path, default=None, help="output folder (default: a temporary one)"
    )
    serve.set_defaults(run=_serve)
    return parser


def _build(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.source / "_site"
    result = build_site(args.source, out, strict=args.strict)
    report(result.warnings, args.format)
    print(f"built {result.files} files into {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    _, problems = check_site(args.source, strict=args.strict)
    report(problems.sorted(), args.format)
    print("content is valid")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(args.source, args.port, args.out)
    return 0
