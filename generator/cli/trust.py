"""The commands that change who may speak for a structure: its keys (keygen,
mark-compromised), the coordinators' approvals (approve), the coordinators themselves
(init-trust, rotate-coordinators, coordinator-key) and CODEOWNERS (codeowners)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime


def keygen(args: argparse.Namespace) -> int:
    from generator.issuer.keys import keygen

    made = keygen(args.source, args.issuer, args.key_file, args.current_key_file)
    history = made.history
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


def approve(args: argparse.Namespace) -> int:
    from generator.issuer.approving import approve

    if bool(args.issuer) == bool(args.coordinators):
        print("error: give a structure's slug, or --coordinators", file=sys.stderr)
        return 2
    done = approve(args.source, None if args.coordinators else args.issuer, args.key_file)
    print(f"approved version {done.version} of {done.what}")
    print(f"still needed: {done.still}" if done.still else "it is complete; commit it")
    return 0


def mark_compromised(args: argparse.Namespace) -> int:
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


def init_trust(args: argparse.Namespace) -> int:
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


def rotate_coordinators(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import parse_coordinator, rotate_coordinators

    coordinators = [parse_coordinator(text) for text in args.coordinator]
    done = rotate_coordinators(args.source, coordinators, args.threshold, args.key_file)
    print(f"wrote version {done.version} of content/trust/coordinators.jsonl")
    print(f"still needed: {done.still}" if done.still else "it is complete; commit it")
    return 0


def coordinator_key(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import coordinator_key

    public = coordinator_key(args.source, args.key_file)
    print(
        f"created a coordinator's key: private key in {args.key_file} (keep it secret, back it up)"
    )
    print(f"public key: {public} (the coordinators name you with --coordinator ACCOUNT={public})")
    return 0


def codeowners(args: argparse.Namespace) -> int:
    from generator.issuer.trust_setup import write_codeowners

    path = write_codeowners(args.source)
    print(f"wrote {path.relative_to(args.source).as_posix()}; commit it")
    return 0
