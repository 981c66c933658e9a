"""The command line: python build.py build|check|serve (and the issuer tools)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from generator.cli.report import report
from generator.issuer.consent import PersonError
from generator.issuer.keys import KeyFileError
from generator.issuer.tools import ToolError
from generator.issuer.yaml_edit import YamlEditError
from generator.site.build import build_site, check_site
from generator.site.load.revision import RevisionUnavailable
from generator.site.output_folder import OutputFolderBusy, OutputFolderRefused, SiteNotWritten
from generator.site.problems import BuildFailed, Problems


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
    except (ToolError, KeyFileError, YamlEditError, PersonError, RevisionUnavailable) as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    except (SiteNotWritten, OutputFolderBusy) as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was left half-written", file=sys.stderr)
        return 130
    except OutputFolderRefused as refusal:
        print(
            f"error: cannot write the site there: {refusal}; nothing was changed", file=sys.stderr
        )
        return 1


SINCE_HELP = (
    "git revision (commit, branch, tag) whose published addresses must all still be "
    "published: a removed or renamed credential, badge, structure, page or portfolio is an error"
)


def run() -> NoReturn:
    """The command line's entry point: main(), and its code as the exit status."""
    sys.exit(main())


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
    build.add_argument("--no-cache", action="store_true", help="verify every signature again")
    build.add_argument("--since", metavar="REV", help=SINCE_HELP)
    build.set_defaults(run=_build)

    check = command("check", "validate the content; write nothing")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--no-cache", action="store_true", help="verify every signature again")
    check.add_argument("--since", metavar="REV", help=SINCE_HELP)
    check.set_defaults(run=_check)

    serve = command("serve", "build, serve on localhost and rebuild on every change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--out", type=Path, default=None, help="output folder (default: a temporary one)"
    )
    serve.set_defaults(run=_serve)

    keygen = command("keygen", "create a signing key for a structure (or rotate its key)")
    keygen.add_argument("issuer", metavar="ISSUER", help="the structure's slug")
    keygen.add_argument(
        "--key-file", type=Path, required=True, help="where to write the private key"
    )
    keygen.set_defaults(run=_keygen)

    issue = command("issue", "sign credentials for one badge, for one recipient or a CSV file")
    issue.add_argument("--issuer", help="the awarding structure's slug (required)")
    issue.add_argument("--badge", help="the badge's slug (required)")
    issue.add_argument("--key-file", type=Path, required=True, help="the structure's private key")
    who = issue.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--recipient", metavar="EMAIL", help="the earner's email (only its salted hash is kept)"
    )
    who.add_argument(
        "--csv", type=Path, metavar="FILE", help="one recipient per row; header: email,..."
    )
    issue.add_argument("--evidence", metavar="URL", help="a link to what the earner made")
    issue.add_argument("--narrative", metavar="TEXT", help="how the badge was earned")
    issue.add_argument("--issued-on", metavar="DATE", help="award date, YYYY-MM-DD (default: now)")
    issue.add_argument(
        "--expires", metavar="DATE", help="expiry date, YYYY-MM-DD (default: the badge's rule)"
    )
    issue.add_argument(
        "--person", metavar="SLUG", help="link the award to a person (a pseudonym, never the email)"
    )
    issue.add_argument("--name", help="the person's display name (shown only with 'name' consent)")
    issue.add_argument(
        "--consent", metavar="SCOPES", help="consent given: name,map,resource,portfolio"
    )
    issue.add_argument(
        "--from-earlier",
        type=Path,
        metavar="RECORD",
        help="re-issue an earlier award (assertions/<structure>/earlier/<id>.yaml) to its "
        "earner, whose --recipient address is checked against the original's salted hash",
    )
    issue.set_defaults(run=_issue)

    consent = command(
        "consent", "grant or withdraw a person's consent (takes effect at the next build)"
    )
    consent.add_argument(
        "person", metavar="SLUG", help="the person's slug (content/people/SLUG.yaml)"
    )
    consent.add_argument(
        "--grant", metavar="SCOPES", help="scopes to grant: name,map,resource,portfolio"
    )
    consent.add_argument("--withdraw", metavar="SCOPES", help="scopes to withdraw")
    consent.set_defaults(run=_consent)

    revoke = command("revoke", "revoke a credential, with a reason shown to anyone who checks it")
    revoke.add_argument(
        "credential", metavar="CREDENTIAL", help="the credential's file path or id URL"
    )
    revoke.add_argument("--reason", required=True)
    revoke.add_argument("--key-file", type=Path, required=True, help="the structure's private key")
    revoke.set_defaults(run=_revoke)

    imports = command(
        "import",
        "bring badges, structures and earlier awards from Badgr, Open "
        "Badge Factory or any Open Badges 2.0 export, for review",
    )
    imports.add_argument(
        "sources",
        nargs="+",
        type=Path,
        metavar="SOURCE",
        help="an export file (.json, .jsonl), a folder, or a baked PNG/SVG",
    )
    imports.add_argument("--issuer", metavar="SLUG", help="the structure these sources are of")
    imports.add_argument("--dry-run", action="store_true", help="say what would be written")
    imports.set_defaults(run=_import)

    verify = commands.add_parser(
        "verify", help="check a credential, a hosted badge URL or a baked image"
    )
    verify.add_argument(
        "target", metavar="TARGET", help="a credential file, a URL, or a baked PNG/SVG"
    )
    verify.add_argument("--site", type=Path, help="a built site to resolve URLs and keys in")
    verify.add_argument(
        "--source", type=Path, default=Path("."), help="content repository (default: .)"
    )
    verify.add_argument(
        "--format", choices=["text", "github"], default="text", help=argparse.SUPPRESS
    )
    verify.set_defaults(run=_verify)
    return parser


def _build(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.source / "_site"
    result = build_site(
        args.source, out, strict=args.strict, use_cache=not args.no_cache, since=args.since
    )
    report(result.warnings, args.format)
    if result.up_to_date:
        print(
            f"nothing changed since the last build: the {result.files} files in {out} are up to date"
        )
    else:
        print(f"built {result.files} files into {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    checked = check_site(
        args.source, strict=args.strict, use_cache=not args.no_cache, since=args.since
    )
    report(checked.problems.sorted(), args.format)
    print("content is valid")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.cli.serve import serve

    serve(args.source, args.port, args.out)
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from generator.issuer.keys import keygen

    key_id = keygen(args.source, args.issuer, args.key_file)
    print(
        f"created key '{key_id}' for {args.issuer}: private key in {args.key_file} (keep it secret, "
        f"back it up), public key added to content/issuers/{args.issuer}.yaml"
    )
    return 0


def _issue(args: argparse.Namespace) -> int:
    from generator.issuer.issuing import issue
    from generator.issuer.recipients import recipient, recipients_from_csv, with_person
    from generator.site.problems import Location

    if args.from_earlier or not (args.issuer and args.badge):
        return _issue_from_earlier(args)
    problems = Problems()
    if args.csv:
        table = recipients_from_csv(args.csv, problems)
        if table.separator:
            print(f"{args.csv}: read with {table.separator_name()} as separator")
        recipients = table.recipients
    else:
        recipients = [
            with_person(
                recipient(
                    args.recipient,
                    args.evidence,
                    args.narrative,
                    args.issued_on,
                    args.expires,
                    Location("--recipient"),
                    problems,
                ),
                args.person,
                args.name,
                args.consent,
                problems,
            )
        ]
    problems.raise_if_errors()
    written, skipped = issue(args.source, args.issuer, args.badge, args.key_file, recipients)
    for item in skipped:
        print(
            f"{item.where}: skipped: {args.badge} was already issued to this recipient",
            file=sys.stderr,
        )
    for path in written:
        print(f"issued {path}")
    print(f"{len(written)} credential(s) issued, {len(skipped)} skipped")
    return 0


def _consent(args: argparse.Namespace) -> int:
    from generator.issuer.consent import parse_scopes, update_person

    grant, withdraw = parse_scopes(args.grant), parse_scopes(args.withdraw)
    if not grant and not withdraw:
        print("error: give --grant and/or --withdraw", file=sys.stderr)
        return 2
    if grant & withdraw:
        print(
            f"error: {', '.join(sorted(grant & withdraw))} both granted and withdrawn",
            file=sys.stderr,
        )
        return 2
    path = update_person(args.source, args.person, grant=grant, withdraw=withdraw, must_exist=True)
    print(f"updated {path}; the change takes effect at the next build (commit it)")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from generator.issuer.revoking import revoke

    record = revoke(args.source, args.credential, args.reason, args.key_file)
    print(f"revoked: record {record}; the status list is updated (commit both)")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from generator.issuer.verdict import verify_target

    verdict = verify_target(args.target, site=args.site, source=args.source)
    print(verdict.describe())
    return 0 if verdict.status == "valid" else 1


def _import(args: argparse.Namespace) -> int:
    from generator.importing.importer import import_sources

    result = import_sources(args.source, args.sources, args.issuer, args.dry_run)
    report(result.warnings, args.format)
    for note in result.notes:
        print(note)
    for planned, state in result.files:
        print(f"{planned.path}: {state}: {planned.what}")
    changed = sum(state != "unchanged" for _, state in result.files)
    verb = "would write" if args.dry_run else "wrote"
    print(
        f"{verb} {changed} file(s), {len(result.files) - changed} unchanged"
        + (
            "; nothing written (--dry-run)"
            if args.dry_run
            else "; review them, run 'build.py check', and open a pull request"
        )
    )
    return 0


def _issue_from_earlier(args: argparse.Namespace) -> int:
    from generator.issuer.reissuing import issue_from_earlier

    if not args.from_earlier or args.csv or args.issuer or args.badge:
        print(
            "error: give --issuer and --badge, or --from-earlier RECORD with --recipient alone",
            file=sys.stderr,
        )
        return 2
    written, _ = issue_from_earlier(args.source, args.from_earlier, args.recipient, args.key_file)
    for path in written:
        print(f"issued {path}, linking the original award in its evidence")
    if not written:
        print("skipped: this badge was already issued to this recipient", file=sys.stderr)
    return 0
