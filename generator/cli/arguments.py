"""What each command of the command line accepts, each option with its help and default."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

SOURCE_HELP = (
    "the content repository (default: the current folder or the nearest one above it "
    "that holds content/site.yaml)"
)
SINCE_HELP = (
    "git revision (commit, branch, tag) whose published addresses must all still be "
    "published: a removed or renamed credential, badge, structure, page or portfolio is an "
    "error, and so is a key history rewritten; every change of keys or maintainers since is "
    "shown as a notice"
)


# Made once per process (a parser is only read when it parses): a process that runs commands
# again (the tests) does not make its hundred options again.
@cache
def parser(prog: str) -> argparse.ArgumentParser:
    """The command line's parser; each subcommand's own parser is its namespace's `parser`
    (for usage errors found after parsing)."""
    top = argparse.ArgumentParser(
        prog=prog,
        description="Build the Fab@brest Open Badges site, and sign, revoke and verify its badges.",
        formatter_class=_HelpFormatter,
    )
    top.add_argument("-v", "--verbose", action="store_true", help="say more about what is done")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help, formatter_class=_HelpFormatter)
        sub.set_defaults(parser=sub)
        sub.add_argument("--source", type=Path, metavar="DIR", help=SOURCE_HELP)
        sub.add_argument(
            "--format",
            choices=["text", "github"],
            default="text",
            help="how problems are printed: 'path:line: error: …', or as GitHub annotations",
        )
        return sub

    build = command("build", "build the site into the output folder")
    build.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: _site in the content repository)",
    )
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--no-cache", action="store_true", help="verify every signature again")
    build.add_argument("--since", metavar="REV", help=SINCE_HELP)

    check = command("check", "validate the content; write nothing")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--no-cache", action="store_true", help="verify every signature again")
    check.add_argument("--since", metavar="REV", help=SINCE_HELP)

    serve = command("serve", "build, serve on localhost and rebuild on every change")
    serve.add_argument(
        "--port", type=_port, default=8000, help="the port to serve on, at http://127.0.0.1:PORT/"
    )
    serve.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder, kept (default: a temporary one, removed when serve stops)",
    )

    keygen = command(
        "keygen",
        "create a signing key for a structure, as a new entry of its key history (a rotation "
        "with --current-key-file; otherwise a first key or a recovery, which the network's "
        "coordinators approve)",
    )
    keygen.add_argument("issuer", metavar="ISSUER", help="the structure's slug")
    keygen.add_argument(
        "--key-file",
        type=Path,
        required=True,
        metavar="FILE",
        help="where to write the private key: outside the repository, or a name git ignores",
    )
    keygen.add_argument(
        "--current-key-file",
        type=Path,
        metavar="OLD",
        help="the structure's current private key, which signs the change and is retired "
        "(default: none, the new key awaits the coordinators' approval)",
    )

    approve = command(
        "approve",
        "as a coordinator, approve the last entry of a structure's key history (its first key, "
        "a recovery) or of the coordinators' log",
    )
    approve.add_argument(
        "issuer", nargs="?", metavar="ISSUER", help="the structure's slug (not with --coordinators)"
    )
    approve.add_argument(
        "--coordinators", action="store_true", help="approve the coordinators' log's last version"
    )
    approve.add_argument(
        "--key-file", type=Path, required=True, metavar="FILE", help="your coordinator's key"
    )

    compromised = command(
        "mark-compromised",
        "mark a structure's key compromised (lost or stolen): what it signs from then on is "
        "refused",
    )
    compromised.add_argument("issuer", metavar="ISSUER", help="the structure's slug")
    compromised.add_argument("key_id", metavar="KEY_ID", help="the key's id, e.g. key-1")
    compromised.add_argument(
        "--since",
        required=True,
        metavar="WHEN",
        help="from when it can no longer be trusted: 2026-03-01T08:00:00Z, or a day (00:00 UTC)",
    )
    compromised.add_argument(
        "--key-file",
        type=Path,
        required=True,
        metavar="FILE",
        help="any key of the structure (even the one marked), or a coordinator's",
    )

    init = command(
        "init-trust",
        "once: write the network's coordinators' log, and move the keys of the structures' "
        "files (keys:) into their key histories, approved by the coordinators",
    )
    rotate = command(
        "rotate-coordinators",
        "write the next version of the coordinators' log: who they are, and how many approve",
    )
    for sub in (init, rotate):
        sub.add_argument(
            "--coordinator",
            action="append",
            required=True,
            metavar="ACCOUNT=KEY",
            help="a coordinator: their GitHub account and public key (z6Mk…, from "
            "'coordinator-key'); once per coordinator, every coordinator each time",
        )
        sub.add_argument(
            "--threshold",
            type=int,
            required=True,
            metavar="N",
            help="how many coordinators must approve a first key, a recovery or a new version",
        )
        sub.add_argument(
            "--key-file",
            type=Path,
            action="append",
            default=[],
            metavar="FILE",
            help="a coordinator's private key that signs now (repeat it; the others run "
            "'approve --coordinators')",
        )

    coordinator = command(
        "coordinator-key", "create a coordinator's key, and print the public key to name them with"
    )
    coordinator.add_argument(
        "--key-file",
        type=Path,
        required=True,
        metavar="FILE",
        help="where to write the private key: outside the repository, or a name git ignores",
    )

    command(
        "codeowners",
        "write .github/CODEOWNERS from the structures' maintainers, so that GitHub asks each "
        "structure to approve changes to its files",
    )

    issue = command("issue", "sign credentials for one badge, for one recipient or a CSV file")
    issue.add_argument(
        "--issuer", help="the awarding structure's slug (required, except with --from-earlier)"
    )
    issue.add_argument("--badge", help="the badge's slug (required, except with --from-earlier)")
    issue.add_argument(
        "--key-file", type=Path, required=True, metavar="FILE", help="the structure's private key"
    )
    who = issue.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--recipient", metavar="EMAIL", help="the earner's email (only its salted hash is kept)"
    )
    who.add_argument(
        "--csv", type=Path, metavar="FILE", help="one recipient per row; header: email,..."
    )
    issue.add_argument(
        "--links-csv",
        type=Path,
        metavar="FILE",
        help="with --csv: where to write the CSV's rows with each award's page_url and "
        "credential_url, for a mail merge; it lists addresses: outside the repository, or a "
        "name git ignores (default: CSV-links.csv beside the CSV)",
    )
    issue.add_argument("--evidence", metavar="URL", help="a link to what the earner made")
    issue.add_argument("--narrative", metavar="TEXT", help="how the badge was earned")
    issue.add_argument("--issued-on", metavar="DATE", help="award date, YYYY-MM-DD (default: now)")
    issue.add_argument(
        "--expires", metavar="DATE", help="expiry date, YYYY-MM-DD (default: the badge's rule)"
    )
    issue.add_argument(
        "--person",
        metavar="SLUG",
        help="link the award to a person (a pseudonym, never the email)",
    )
    issue.add_argument(
        "--name",
        help="the person's display name, shown only with 'name' consent",
    )
    issue.add_argument(
        "--consent",
        metavar="SCOPES",
        help="consent given: name,map,resource,portfolio (default: none, nothing is shown)",
    )
    issue.add_argument(
        "--same-person",
        action="store_true",
        help="the --person (or a CSV row's person) who already has a file is this same "
        "person under another name or address: rename them, or add the award to their "
        "portfolio (default: refuse, changing nothing)",
    )
    issue.add_argument(
        "--from-earlier",
        type=Path,
        metavar="RECORD",
        help="re-issue an earlier award (assertions/<structure>/earlier/<id>.yaml) to its "
        "earner, whose --recipient address is checked against the original's salted hash",
    )

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

    revoke = command("revoke", "revoke a credential, with a reason shown to anyone who checks it")
    revoke.add_argument(
        "credential", metavar="CREDENTIAL", help="the credential's file path or id URL"
    )
    revoke.add_argument(
        "--reason",
        required=True,
        metavar="TEXT",
        help='why it is revoked, published with the revocation (e.g. "Délivré par erreur")',
    )
    revoke.add_argument(
        "--key-file", type=Path, required=True, metavar="FILE", help="the structure's private key"
    )

    endorse = command(
        "endorse",
        "sign an endorsement (Open Badges 3.0 EndorsementCredential) of a badge, a structure "
        "or the network, as the network, a structure or an endorser of content/endorsers/",
    )
    endorse.add_argument(
        "--endorser",
        required=True,
        metavar="SLUG",
        help="who endorses: a structure's slug, "
        "the network's, or an endorser's (content/endorsers/SLUG.yaml)",
    )
    endorsed = endorse.add_mutually_exclusive_group(required=True)
    endorsed.add_argument("--badge", metavar="SLUG", help="endorse a badge")
    endorsed.add_argument("--issuer", metavar="SLUG", help="endorse a structure")
    endorsed.add_argument("--network", action="store_true", help="endorse the network")
    endorse.add_argument(
        "--comment", required=True, metavar="TEXT", help="what the endorser says (Markdown)"
    )
    endorse.add_argument("--issued-on", metavar="DATE", help="its date, YYYY-MM-DD (default: now)")
    endorse.add_argument(
        "--expires", metavar="DATE", help="expiry date, YYYY-MM-DD (default: none)"
    )
    endorse.add_argument(
        "--key-file", type=Path, required=True, metavar="FILE", help="the endorser's private key"
    )
    unendorse = command(
        "revoke-endorsement", "revoke an endorsement, with a reason shown where it is listed"
    )
    unendorse.add_argument(
        "endorsement", metavar="ENDORSEMENT", help="the endorsement's file path or URL"
    )
    unendorse.add_argument("--reason", required=True, metavar="TEXT", help="why it is revoked")
    unendorse.add_argument(
        "--key-file", type=Path, required=True, metavar="FILE", help="the endorser's private key"
    )

    imports = command(
        "import",
        "bring badges, structures and earlier awards from Badgr, Open Badge Factory or any "
        "Open Badges 2.0 export into the repository, for review in a pull request",
    )
    imports.add_argument(
        "sources",
        nargs="+",
        type=Path,
        metavar="SOURCE",
        help="an export file (.json, .jsonl, .csv), a folder of them, or a baked PNG/SVG",
    )
    imports.add_argument(
        "--issuer",
        metavar="SLUG",
        help="the structure the sources are of (default: read from the sources)",
    )
    imports.add_argument(
        "--dry-run", action="store_true", help="say what would be written, and write nothing"
    )

    verify = command("verify", "check a credential, a hosted badge URL or a baked image")
    verify.add_argument(
        "target",
        metavar="TARGET",
        help="a credential file, a baked PNG/SVG, or the URL of an award (its page, "
        "credential.json or assertion.json)",
    )
    verify.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="a site built by this tool: URLs are mapped onto it, keys and revocations read "
        "from it; nothing is fetched (default: none, the credential is checked against the "
        "content repository)",
    )
    return top


def _port(text: str) -> int:
    """A TCP port number, 1 to 65535 (argparse reports anything else as a usage error)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{text} is not a port; choose one from 1 to 65535")
    return port


class _HelpFormatter(argparse.HelpFormatter):
    """Each option's help ends with its default, when it has one worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        help = action.help or ""
        if (
            action.option_strings
            and action.default not in (None, False, argparse.SUPPRESS)
            and "default" not in help
        ):
            help += " (default: %(default)s)"
        return help
