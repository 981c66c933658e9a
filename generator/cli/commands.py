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
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator.cli import trust
from generator.cli.arguments import parser
from generator.cli.progress import progress_bar
from generator.cli.report import report
from generator.cli.source import NoRepository, find_repository, repository
from generator.site.build import build, check
from generator.site.model.problems import BuildFailed, Problems
from generator.site.write.output_folder import OutputFolderBusy, OutputFolderRefused, SiteNotWritten

if TYPE_CHECKING:
    from generator.issuer.recipients import RecipientsTable


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
    except _raised_by_loaded(_REFUSALS) as refusal:
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
    except _raised_by_loaded(_USAGE_ERRORS) as usage:
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


# The refusals of the commands' tools, by module and name: one line for a person to read
# (exit 1), or a usage error (exit 2). A command imports only the tools it runs (a build that
# finds nothing changed starts in a fifth of the time), and an exception can only come from a
# module that was imported: each is caught once its module is loaded.
_REFUSALS = (
    ("generator.issuer.tools", "ToolError"),
    ("generator.issuer.keys", "KeyFileError"),
    ("generator.issuer.yaml_edit", "YamlEditError"),
    ("generator.issuer.consent", "PersonError"),
    ("generator.site.load.revision", "RevisionUnavailable"),
)
_USAGE_ERRORS = (("generator.issuer.targets", "NothingToVerify"),)


def _raised_by_loaded(names: Sequence[tuple[str, str]]) -> tuple[type[Exception], ...]:
    """The exception classes named whose modules are loaded."""
    return tuple(
        getattr(sys.modules[module], name) for module, name in names if module in sys.modules
    )


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
    result = build(
        args.source,
        out,
        strict=args.strict,
        use_cache=not args.no_cache,
        since=args.since,
        progress=progress_bar,
    ).report
    report(result.warnings, args.format)
    if result.up_to_date:
        print(
            f"nothing changed since the last build: the {result.files} files in {out} are up to date"
        )
    else:
        print(f"built {result.files} files into {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    checked = check(args.source, strict=args.strict, use_cache=not args.no_cache, since=args.since)
    report(checked.problems.sorted(), args.format)
    print("content is valid")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.cli.serve import serve

    return serve(args.source, args.port, args.out)


def _issue(args: argparse.Namespace) -> int:
    from generator.issuer.earner_links import links_csv, write_links
    from generator.issuer.issuing import issue

    if args.from_earlier or not (args.issuer and args.badge):
        return _issue_from_earlier(args)
    if args.links_csv and not args.csv:
        print("error: --links-csv goes with --csv (the list it completes)", file=sys.stderr)
        return 2
    problems = Problems()
    table = _recipients_table(args, problems)
    links = _links_path(args, problems)
    problems.raise_if_errors()
    awards = issue(
        args.source,
        args.issuer,
        args.badge,
        args.key_file,
        table.recipients,
        progress=progress_bar,
        same_person=args.same_person,
    )
    for award in awards:
        if award.path is None:
            print(
                f"{award.recipient.where}: skipped: {args.badge} was already issued to this "
                f"recipient: {award.page}",
                file=sys.stderr,
            )
        else:
            print(f"issued {award.path}\n  page: {award.page}\n  credential: {award.credential}")
    if links is not None:
        write_links(links, links_csv(table, awards))
        print(
            f"{links}: each row of {args.csv} with its award's page_url and credential_url, for "
            "a mail merge; it holds the recipients' addresses: keep it out of the repository"
        )
    new = sum(award.path is not None for award in awards)
    print(f"{new} credential(s) issued, {len(awards) - new} skipped")
    return 0


def _recipients_table(args: argparse.Namespace, problems: Problems) -> RecipientsTable:
    """The recipients given: each row of --csv, or --recipient with its options."""
    from generator.issuer.private_files import check_private_location, recipients_list
    from generator.issuer.recipients import (
        RecipientsTable,
        recipient,
        recipients_from_csv,
        with_person,
    )
    from generator.site.model.problems import Location

    if args.csv:
        if args.csv.is_file():  # where it is matters if it is there (reading it says if not)
            check_private_location(args.source, args.csv, recipients_list(args.csv), problems)
        table = recipients_from_csv(args.csv, problems)
        if table.separator:
            print(f"{args.csv}: read with {table.separator_name()} as separator")
        return table
    item = recipient(
        args.recipient,
        args.evidence,
        args.narrative,
        args.issued_on,
        args.expires,
        Location("--recipient"),
        problems,
    )
    return RecipientsTable(
        [with_person(item, args.person, args.name, args.consent, problems)], None
    )


def _links_path(args: argparse.Namespace, problems: Problems) -> Path | None:
    """Where the links of a CSV's awards go (never over the CSV, never where git takes it)."""
    from generator.issuer.earner_links import default_links_path, links_list
    from generator.issuer.private_files import check_private_location
    from generator.site.model.problems import Location

    if not args.csv:
        return None
    links: Path = args.links_csv or default_links_path(args.csv)
    if args.links_csv is None and problems.has_errors:
        return links  # beside a CSV already refused: its place is said once, for the CSV
    if links.resolve() == args.csv.resolve():
        problems.error(
            Location(str(links)), "--links-csv is the recipients' CSV itself; give another file"
        )
    else:
        check_private_location(args.source, links, links_list(links), problems)
    return links


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


def _endorse(args: argparse.Namespace) -> int:
    from generator.issuer.endorsing import endorse
    from generator.site.load.network import load_network
    from generator.site.model.problems import Problems

    issuer = load_network(args.source, Problems()).site.network if args.network else args.issuer
    made = endorse(
        args.source,
        args.endorser,
        args.key_file,
        badge=args.badge,
        issuer=issuer,
        comment=args.comment,
        issued_on=args.issued_on,
        expires=args.expires,
    )
    print(f"endorsed: {made.path} (commit it, with the status list)\n  published at {made.url}")
    return 0


def _revoke_endorsement(args: argparse.Namespace) -> int:
    from generator.issuer.endorsing import revoke_endorsement

    record = revoke_endorsement(args.source, args.endorsement, args.reason, args.key_file)
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
    award = issue_from_earlier(args.source, args.from_earlier, args.recipient, args.key_file)
    if award.path is None:
        print(
            f"skipped: this badge was already issued to this recipient: {award.page}",
            file=sys.stderr,
        )
    else:
        print(
            f"issued {award.path}, linking the original award in its evidence\n"
            f"  page: {award.page}\n  credential: {award.credential}"
        )
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "check": _check,
    "serve": _serve,
    "keygen": trust.keygen,
    "approve": trust.approve,
    "mark-compromised": trust.mark_compromised,
    "init-trust": trust.init_trust,
    "rotate-coordinators": trust.rotate_coordinators,
    "coordinator-key": trust.coordinator_key,
    "codeowners": trust.codeowners,
    "issue": _issue,
    "consent": _consent,
    "revoke": _revoke,
    "endorse": _endorse,
    "revoke-endorsement": _revoke_endorsement,
    "verify": _verify,
    "import": _import,
}
