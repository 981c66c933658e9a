"""The command line: python build.py build|check|serve (and the issuer tools).

Run from anywhere inside the content repository (see source.py); a person's mistake, and
any refusal of the system (a missing, unreadable or misplaced file), is one line saying
what to do, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from generator.cli.arguments import parser
from generator.cli.progress import progress_bar
from generator.cli.report import report
from generator.cli.source import NoRepository, find_repository, repository
from generator.issuer.consent import PersonError
from generator.issuer.keys import KeyFileError
from generator.issuer.targets import NothingToVerify
from generator.issuer.tools import ToolError
from generator.issuer.yaml_edit import YamlEditError
from generator.site.build import build_site, check_site
from generator.site.load.revision import RevisionUnavailable
from generator.site.output_folder import OutputFolderBusy, OutputFolderRefused, SiteNotWritten
from generator.site.problems import BuildFailed, Problems


def main(argv: Sequence[str] | None = None, prog: str = "build.py") -> int:
    """Run a command; return the process exit code (0 ok, 1 content problems, 2 usage)."""
    args = parser(prog).parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    try:
        if args.command != "verify":  # verify needs a repository only without --site
            args.source = repository(args.source)
        return _COMMANDS[args.command](args)
    except BuildFailed as failed:
        report(failed.problems, args.format)
        return 1
    except (ToolError, KeyFileError, YamlEditError, PersonError, RevisionUnavailable) as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    except (SiteNotWritten, OutputFolderBusy, OutputFolderRefused) as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was left half-written", file=sys.stderr)
        return 130
    except NoRepository as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    except NothingToVerify as usage:
        args.parser.print_usage(sys.stderr)
        print(f"{args.parser.prog}: error: {usage}", file=sys.stderr)
        return 2
    except OSError as refusal:
        # The last line: a file the system refuses where no command expected it (with
        # --verbose, where it was met too).
        if args.verbose:
            traceback.print_exc()
        print(f"error: {_system_refusal(refusal)}", file=sys.stderr)
        return 1


# What a person can do about the system's most common refusals.
_REMEDIES = {
    errno.EACCES: "check its permissions",
    errno.EPERM: "check its permissions",
    errno.ENOENT: "check the path",
    errno.EISDIR: "it is a folder: give a file",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOSPC: "free some space",
}


def _system_refusal(error: OSError) -> str:
    """`path: reason; what to do` for an error of the system."""
    where = f"{error.filename}: " if error.filename is not None else ""
    reason = error.strerror or str(error)
    remedy = _REMEDIES.get(error.errno or 0)
    return f"{where}{reason}" + (f"; {remedy}" if remedy else "")


def run() -> NoReturn:
    """The command line's entry point (build.py, or the `fababrest` script): main(), named
    as it was called, and its code as the exit status."""
    sys.exit(main(prog=Path(sys.argv[0]).name or "build.py"))


def _build(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.source / "_site"
    result = build_site(
        args.source,
        out,
        strict=args.strict,
        use_cache=not args.no_cache,
        since=args.since,
        progress=progress_bar,
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

    return serve(args.source, args.port, args.out)


def _keygen(args: argparse.Namespace) -> int:
    from generator.issuer.keys import keygen

    made = keygen(args.source, args.issuer, args.key_file, args.current_key_file)
    history = f"content/issuers/{args.issuer}.keys.jsonl"
    print(
        f"created key '{made.key_id}' for {args.issuer}: private key in {args.key_file} (keep "
        f"it secret, back it up), public key in {history} (version {made.version})"
    )
    if made.valid:
        print("signed with the current key, which it retires: valid at once; commit it")
    else:
        print(_awaiting(args.issuer, made.threshold, made.version))
    return 0


def _awaiting(issuer: str, threshold: int, version: int) -> str:
    who = f"{threshold} of the network's coordinators" if threshold else "the coordinators"
    kind = "a first key" if version == 1 else "a change not signed by a current key"
    return (
        f"{kind}: it is valid once {who} approve it; commit it, open a pull request, and ask "
        f"them to run 'python build.py approve {issuer} --key-file THEIR-KEY.pem'"
    )


def _approve(args: argparse.Namespace) -> int:
    from generator.issuer.approving import approve

    if bool(args.issuer) == bool(args.coordinators):
        print("error: give a structure's slug, or --coordinators", file=sys.stderr)
        return 2
    done = approve(args.source, None if args.coordinators else args.issuer, args.key_file)
    print(f"approved version {done.version} of {done.what}")
    print(f"still needed: {done.still}" if done.still else "it is complete; commit it")
    return 0


def _mark_compromised(args: argparse.Namespace) -> int:
    from generator.issuer.keys import mark_compromised
    from generator.issuer.tools import ToolError

    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        raise ToolError(
            f"--since '{args.since}' is not a date and time; write 2026-03-01T08:00:00Z or 2026-03-01"
        ) from None
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    made = mark_compromised(args.source, args.issuer, args.key_id, since, args.key_file)
    print(
        f"marked key '{args.key_id}' of {args.issuer} compromised since {since.isoformat()} "
        f"(version {made.version} of content/issuers/{args.issuer}.keys.jsonl)"
    )
    print(
        "signed by a key of the structure: valid at once; commit it"
        if made.valid
        else (_awaiting(args.issuer, made.threshold, made.version))
    )
    return 0


def _init_trust(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import init_trust, parse_coordinator

    coordinators = [parse_coordinator(text) for text in args.coordinator]
    done = init_trust(args.source, coordinators, args.threshold, args.key_file)
    print(f"wrote content/trust/coordinators.jsonl (version 1, threshold {args.threshold})")
    for slug in done.structures:
        print(f"moved the keys of content/issuers/{slug}.yaml to content/issuers/{slug}.keys.jsonl")
    if done.still:
        print(
            f"still needed: {done.still}; then each structure's history too ('python build.py "
            "approve SLUG --key-file THEIR-KEY.pem')"
        )
    print("run 'python build.py check', then commit the new files")
    return 0


def _rotate_coordinators(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import parse_coordinator, rotate_coordinators

    coordinators = [parse_coordinator(text) for text in args.coordinator]
    done = rotate_coordinators(args.source, coordinators, args.threshold, args.key_file)
    print(f"wrote version {done.version} of content/trust/coordinators.jsonl")
    print(f"still needed: {done.still}" if done.still else "it is complete; commit it")
    return 0


def _coordinator_key(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import coordinator_key

    public = coordinator_key(args.source, args.key_file)
    print(
        f"created a coordinator's key: private key in {args.key_file} (keep it secret, back it up)"
    )
    print(f"public key: {public} (the coordinators name you with --coordinator ACCOUNT={public})")
    return 0


def _codeowners(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import write_codeowners

    path = write_codeowners(args.source)
    print(f"wrote {path.relative_to(args.source).as_posix()}; commit it")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from generator.issuer.issuing import issue
    from generator.issuer.private_files import check_private_location, recipients_list
    from generator.issuer.recipients import recipient, recipients_from_csv, with_person
    from generator.site.problems import Location

    if args.from_earlier or not (args.issuer and args.badge):
        return _issue_from_earlier(args)
    problems = Problems()
    if args.csv:
        if args.csv.is_file():  # where it is matters if it is there (reading it says if not)
            check_private_location(args.source, args.csv, recipients_list(args.csv), problems)
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
    written, skipped = issue(
        args.source, args.issuer, args.badge, args.key_file, recipients, progress=progress_bar
    )
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

    source = args.source if args.source is not None else find_repository(Path("."))
    verdict = verify_target(args.target, site=args.site, source=source)
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


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "keygen": _keygen,
    "approve": _approve,
    "mark-compromised": _mark_compromised,
    "init-trust": _init_trust,
    "rotate-coordinators": _rotate_coordinators,
    "coordinator-key": _coordinator_key,
    "codeowners": _codeowners,
    "issue": _issue,
    "consent": _consent,
    "revoke": _revoke,
    "verify": _verify,
    "import": _import,
}
