"""A deterministic synthetic network of N awards, signed with the project's own issuing code.

Shape: the example network's content, badges and theme (without its assertions and people),
8 structures (the 4 examples and 4 generated ones), the 14 approved network badges and
BIK'LAB's own badge; about 1% of the awards revoked, 5% expired, 10% linked to person files
with various consents. Everything comes from one seed: keys, award ids, salts, dates.
Credentials are written with `generator.issuer.issuing` internals (one process, no `build.py issue`
per award), so they are shaped exactly as the tool shapes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.issuer import issuing, key_logs  # noqa: E402
from generator.issuer.consent import update_person  # noqa: E402
from generator.issuer.keys import read_private_key  # noqa: E402
from generator.issuer.recipients import Recipient  # noqa: E402
from generator.issuer.revoking import write_status_list  # noqa: E402
from generator.issuer.tools import load_checked_network  # noqa: E402
from generator.issuer.trust_setup import write_codeowners  # noqa: E402
from generator.openbadges.credential import Evidence, revocation_record  # noqa: E402
from generator.openbadges.dataintegrity import sign  # noqa: E402
from generator.openbadges.multikey import public_key_multibase  # noqa: E402
from generator.site.load.assertions import REVOCATIONS  # noqa: E402
from generator.site.load.repository import ASSERTIONS  # noqa: E402
from generator.site.model.authority import (  # noqa: E402
    COORDINATORS_LOG,
    KEY_HISTORY_ENTRY,
    KEY_HISTORY_SUFFIX,
)
from generator.site.model.network import Badge, Network  # noqa: E402
from generator.site.model.output import json_bytes  # noqa: E402
from generator.site.model.problems import Location  # noqa: E402
from generator.site.model.urls import Urls  # noqa: E402

# 2026-01-01T00:00:00Z, as in the tests: builds of the network are reproducible, and which
# awards are expired does not depend on the day the benchmark runs.
EPOCH = 1767225600
# The languages of the network measured (see _copy_example).
LANGUAGES = ("fr", "en")
NOW = datetime.fromtimestamp(EPOCH, UTC)
FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2025, 12, 31)
KEY_VALID_FROM = "2022-12-01T09:00:00Z"
# The example network's test-only coordinators, two of whom approve each structure's key.
COORDINATORS = ("coordinator-anne.test-only.pem", "coordinator-bruno.test-only.pem")
MARKER = ".bench-complete"

# What shapes the credentials: a change to any of these makes a new cached network.
CREDENTIAL_SOURCES = [
    "generator/issuer",
    "generator/site/model/urls.py",
    "generator/site/render/documents.py",  # the achievement and issuer profile in each credential
    "generator/site/draw/badge_images.py",  # the image URL in each achievement
    "generator/openbadges",
    "content",
    "badges",
    "benchmarks/synthetic_network.py",
    "tests/keys",  # the coordinators who approve the structures' keys
]

# Share of the awards made by each structure.
STRUCTURE_WEIGHTS = {
    "biklab": 18,
    "fablab-exemple-port": 15,
    "atelier-kerexemple": 10,
    "mediatheque-exemple": 9,
    "fablab-exemple-rive": 12,
    "tiers-lieu-exemple-nord": 12,
    "lycee-exemple-iroise": 12,
    "makerspace-exemple-gare": 12,
}
# Most awards are first steps; few people become maintainers.
LEVEL_WEIGHTS = {
    "premiers-pas": 45,
    "utilisateur-autonome": 30,
    "animateur": 12,
    "formateur-mentor": 8,
    "mainteneur": 5,
}
LOCAL_BADGE_WEIGHT = 10
CONSENTS = [
    (),
    ("name",),
    ("name", "portfolio"),
    ("name", "map"),
    ("name", "map", "resource"),
    ("name", "map", "resource", "portfolio"),
    ("portfolio",),
    ("map",),
]
FIRST_NAMES = ["Alice", "Bastien", "Chloé", "Denez", "Élise", "Gwen", "Loïc", "Maëlle", "Yann"]
LAST_NAMES = ["Le Bihan", "Guivarc'h", "Kerouredan", "Le Gall", "Morvan", "Quéré", "Riou"]

LASER = ["decoupe-laser-" + level for level in LEVEL_WEIGHTS if level != "animateur"]
VINYL = ["decoupe-vinyle-" + level for level in LEVEL_WEIGHTS]
PRINT3D = ["impression-3d-fdm-" + level for level in LEVEL_WEIGHTS]


def _machine(name: str, domain: str, model: str, level: str) -> dict[str, str]:
    return {"name": name, "domain": domain, "model": model, "level": level}


# Four more structures, shaped like content/issuers/fablab-exemple-port.yaml.
EXTRA_STRUCTURES: dict[str, dict[str, Any]] = {
    "fablab-exemple-rive": {
        "name": "Fablab de la Rive droite (exemple)",
        "place": ("3 rue de l'Exemple, 29200 Brest", 48.3850, -4.5080),
        "awards": LASER + PRINT3D,
        "machines": {
            "laser-rive": _machine(
                "Découpeuse laser", "decoupe-laser", "Trotec (exemple)", "utilisateur-autonome"
            ),
            "imprimante-rive": _machine(
                "Imprimante 3D", "impression-3d-fdm", "Prusa (exemple)", "premiers-pas"
            ),
        },
    },
    "tiers-lieu-exemple-nord": {
        "name": "Tiers-lieu Exemple Nord (exemple)",
        "place": ("8 allée de l'Exemple, 29200 Brest", 48.4120, -4.4850),
        "awards": VINYL + LASER[:2],
        "machines": {
            "plotter-nord": _machine(
                "Plotter vinyle", "decoupe-vinyle", "Graphtec (exemple)", "utilisateur-autonome"
            ),
            "laser-nord": _machine(
                "Petite découpeuse laser", "decoupe-laser", "xTool (exemple)", "premiers-pas"
            ),
        },
    },
    "lycee-exemple-iroise": {
        "name": "FabLab du lycée Exemple de l'Iroise (exemple)",
        "place": ("20 route de l'Exemple, 29280 Plouzané", 48.3830, -4.6180),
        "awards": PRINT3D[:3] + LASER[:1],
        "machines": {
            "imprimante-lycee": _machine(
                "Imprimantes 3D", "impression-3d-fdm", "Bambu (exemple)", "utilisateur-autonome"
            ),
        },
    },
    "makerspace-exemple-gare": {
        "name": "Makerspace Exemple de la gare (exemple)",
        "place": ("2 place de l'Exemple, 29200 Brest", 48.3880, -4.4790),
        "awards": LASER + VINYL + PRINT3D,
        "machines": {
            "laser-gare": _machine(
                "Découpeuse laser", "decoupe-laser", "Epilog (exemple)", "utilisateur-autonome"
            ),
            "vinyle-gare": _machine(
                "Plotter", "decoupe-vinyle", "Roland (exemple)", "premiers-pas"
            ),
            "fdm-gare": _machine(
                "Imprimante 3D", "impression-3d-fdm", "Prusa (exemple)", "utilisateur-autonome"
            ),
        },
    },
}


@dataclass
class PlannedAward:
    """One award to sign, everything decided in advance from the seed."""

    issuer: str
    badge: str
    slug: str
    issued_on: date
    signed_at: datetime
    email: str
    expires: date | None = None
    evidence: Evidence = field(default_factory=Evidence)
    index: int = 0
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class NetworkStats:
    """What was generated."""

    awards: int
    revoked: int
    expired: int
    linked: int
    people: int

    def __str__(self) -> str:
        return (
            f"{self.awards:,} awards by {len(STRUCTURE_WEIGHTS)} structures: {self.revoked:,} "
            f"revoked, {self.expired:,} expired, {self.linked:,} linked to {self.people:,} people"
        )


def network_dir(cache_dir: Path, awards: int, seed: int) -> Path:
    """Where the network of this size and seed is cached, keyed by the sources that shape it."""
    digest = hashlib.sha256()
    for name in CREDENTIAL_SOURCES:
        path = ROOT / name
        if not path.exists():
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            relative = file.relative_to(ROOT).as_posix()
            if "__pycache__" in relative or relative.startswith("content/people/"):
                continue
            digest.update(relative.encode() + b"\0" + file.read_bytes() + b"\0")
    return cache_dir / f"{awards}-{seed}-{digest.hexdigest()[:12]}"


def ensure_network(cache_dir: Path, awards: int, seed: int) -> tuple[Path, bool]:
    """The cached network (theme refreshed), generating and checking it if needed; (dir, made)."""
    target = network_dir(cache_dir, awards, seed)
    if (target / MARKER).is_file():
        shutil.rmtree(target / "theme")
        shutil.copytree(ROOT / "theme", target / "theme")
        return target, False
    if target.exists():
        shutil.rmtree(target)  # an interrupted generation
    staging = target.with_name(target.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    stats = generate(staging, awards, seed)
    check(staging)
    (staging / MARKER).write_text(f"{stats}\n", "utf-8")
    staging.rename(target)
    return target, True


def check(source: Path) -> None:
    """Assert that `build.py check` accepts the network (with no cache store: the staging
    folder is renamed next, and a store kept under its name would never be used again)."""
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--no-cache", "--source", str(source)],
        cwd=ROOT,
        env=build_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"the generated network in {source} fails 'build.py check':\n"
            + result.stdout
            + result.stderr[-5000:]
        )


def build_env() -> dict[str, str]:
    """The environment of every build the benchmark runs: a fixed SOURCE_DATE_EPOCH."""
    return {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}


# Generation ------------------------------------------------------------------------------


def generate(source: Path, awards: int, seed: int) -> NetworkStats:
    """Write a network of `awards` signed credentials into source."""
    rng = random.Random(seed)
    _copy_example(source)
    keys = {slug: _key(seed, slug) for slug in STRUCTURE_WEIGHTS}
    _write_structures(source, keys)
    network = load_checked_network(source)
    urls = Urls(network.site.base_url, network.site.language)
    plan = _plan(network, awards, rng)
    with _issuing_patched(rng):
        for award in plan:
            _write_credential(source, network, urls, award, keys[award.issuer])
    for slug in sorted({award.issuer for award in plan}):
        mine = [award for award in plan if award.issuer == slug]
        _write_revocations_and_status(source, network, urls, mine, keys[slug])
    people, linked = _write_people(source, plan, rng)
    today = NOW.date()
    return NetworkStats(
        awards=len(plan),
        revoked=sum(1 for award in plan if award.revoked_at),
        expired=sum(1 for award in plan if award.expires and award.expires <= today),
        linked=linked,
        people=people,
    )


def _copy_example(source: Path) -> None:
    source.mkdir(parents=True)
    shutil.copytree(ROOT / "content", source / "content", ignore=shutil.ignore_patterns("people"))
    # The benchmark's network speaks the languages of the budgets' measures (README), whatever
    # the example enables: a network that adds one pays for its pages, measured apart.
    settings = source / "content" / "site.yaml"
    text, count = re.subn(
        r"^languages: .*$", f"languages: [{', '.join(LANGUAGES)}]", settings.read_text("utf-8"),
        flags=re.MULTILINE,
    )
    assert count == 1, "content/site.yaml has no languages: line"
    settings.write_text(text, "utf-8")
    shutil.copytree(ROOT / "badges", source / "badges")
    shutil.copytree(ROOT / "theme", source / "theme")


def _key(seed: int, slug: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"{seed}:{slug}".encode()).digest())


def _write_structures(source: Path, keys: dict[str, Ed25519PrivateKey]) -> None:
    """The 4 generated structures' files, every structure's key history (replacing the
    examples'), approved by the example's test-only coordinators, and CODEOWNERS."""
    issuers = source / "content" / "issuers"
    for slug, spec in EXTRA_STRUCTURES.items():
        address, lat, lon = spec["place"]
        document = {
            "name": spec["name"],
            "url": f"https://{slug}.example.org",
            "email": f"contact@{slug}.example.org",
            "description": {
                "fr": f"Structure fictive générée pour le banc d'essai : {spec['name']}.",
                "en": f"Fictional structure generated for the benchmark: {spec['name']}.",
            },
            "address": address,
            "coordinates": {"lat": lat, "lon": lon},
            "opening": {
                "fr": "Mercredi et samedi 14h à 18h.",
                "en": "Wednesday and Saturday 2 to 6 pm.",
            },
            "awards": spec["awards"],
            "machines": spec["machines"],
            "maintainers": [f"fababrest/{slug}"],
        }
        text = "# yaml-language-server: $schema=../../generator/schemas/issuer.schema.json\n"
        text += "# FICTIONAL structure generated by benchmarks/synthetic_network.py.\n"
        text += yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
        (issuers / f"{slug}.yaml").write_text(text, "utf-8")
    coordinators = [read_private_key(ROOT / "tests" / "keys" / name) for name in COORDINATORS]
    root = json.loads((source / COORDINATORS_LOG).read_text("utf-8").splitlines()[0])["date"]
    for slug, key in keys.items():
        entry = {
            "type": KEY_HISTORY_ENTRY,
            "issuer": slug,
            "version": 1,
            "date": root,  # approved with the network's first coordinators
            "keys": [
                {
                    "id": "key-1",
                    "publicKeyMultibase": public_key_multibase(key),
                    "validFrom": KEY_VALID_FROM,
                }
            ],
        }
        history = issuers / f"{slug}{KEY_HISTORY_SUFFIX}"
        history.write_bytes(key_logs.line_bytes(key_logs.signed(entry, [*coordinators, key])))
    write_codeowners(source)


def _plan(network: Network, count: int, rng: random.Random) -> list[PlannedAward]:
    """Who awards what to whom, when; status indexes in signing order per structure."""
    slugs = list(STRUCTURE_WEIGHTS)
    weights = list(STRUCTURE_WEIGHTS.values())
    awardable = {
        slug: sorted(
            (b for b in network.awarded_by(network.issuers[slug]) if b.status == "approved"),
            key=lambda b: b.slug,
        )
        for slug in slugs
    }
    plan: list[PlannedAward] = []
    taken: set[tuple[str, str]] = set()
    for number in range(count):
        issuer = rng.choices(slugs, weights)[0]
        badges = awardable[issuer]
        badge = rng.choices(badges, [_weight(b) for b in badges])[0]
        first = max(FIRST_DAY, badge.approved_on or FIRST_DAY)
        issued_on = first + timedelta(days=rng.randrange((LAST_DAY - first).days + 1))
        signed_at = datetime.combine(issued_on, time(9), UTC) + timedelta(
            minutes=rng.randrange(600)
        )
        slug = f"{issued_on:%Y%m%d}-{rng.getrandbits(32):08x}"
        while (issuer, slug) in taken:
            slug = f"{issued_on:%Y%m%d}-{rng.getrandbits(32):08x}"
        taken.add((issuer, slug))
        award = PlannedAward(
            issuer, badge.slug, slug, issued_on, signed_at, f"earner-{number}@example.org"
        )
        award.evidence = _evidence(rng, number)
        if rng.random() < 0.05 and issued_on < LAST_DAY - timedelta(days=30):
            days = rng.randrange(30, (LAST_DAY - issued_on).days + 1)
            award.expires = issued_on + timedelta(days=days)
        if rng.random() < 0.01:
            delay = timedelta(days=rng.randrange(1, 60), hours=rng.randrange(8))
            award.revoked_at = min(signed_at + delay, NOW - timedelta(hours=1))
        plan.append(award)
    for issuer in slugs:
        mine = sorted((a for a in plan if a.issuer == issuer), key=lambda a: (a.signed_at, a.slug))
        for index, award in enumerate(mine):
            award.index = index
    return plan


def _weight(badge: Badge) -> int:
    return LEVEL_WEIGHTS.get(badge.level or "", 0) if badge.is_network_badge else LOCAL_BADGE_WEIGHT


def _evidence(rng: random.Random, number: int) -> Evidence:
    roll = rng.random()
    if roll < 0.2:
        return Evidence(url=f"https://example.org/projets/{number}")
    if roll < 0.4:
        return Evidence(narrative=f"A réalisé la pièce n° {number} lors d'un atelier.")
    return Evidence()


@contextmanager
def _issuing_patched(rng: random.Random) -> Iterator[None]:
    """issuing._credential as it is, with its salts drawn from the seed instead of `secrets`."""

    class SeededSecrets:
        @staticmethod
        def token_hex(nbytes: int) -> str:
            return rng.getrandbits(8 * nbytes).to_bytes(nbytes, "big").hex()

    with mock.patch.object(issuing, "secrets", SeededSecrets):
        yield


def _write_credential(
    source: Path, network: Network, urls: Urls, award: PlannedAward, key: Ed25519PrivateKey
) -> None:
    issuer = network.issuers[award.issuer]
    item = Recipient(
        email=award.email,
        evidence=award.evidence,
        issued_on=award.issued_on,
        expires=award.expires,
        where=Location("benchmark"),
    )
    badge = network.badges[award.badge]
    document = issuing._credential(
        network, urls, issuer, badge, item, award.slug, award.index, award.signed_at
    )
    signed = sign(document, key, f"{urls.did(issuer.slug)}#key-1", _iso(award.signed_at))
    path = source / ASSERTIONS / issuer.slug / f"{award.slug}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_bytes(signed))


def _write_revocations_and_status(
    source: Path, network: Network, urls: Urls, awards: list[PlannedAward], key: Ed25519PrivateKey
) -> None:
    """Signed revocation records, as revoking.revoke writes them, then the status list."""
    issuer = network.issuers[awards[0].issuer]
    did = urls.did(issuer.slug)
    revoked = [award for award in awards if award.revoked_at]
    for award in revoked:
        assert award.revoked_at is not None
        record = revocation_record(
            credential_id=urls.absolute(urls.credential(issuer.slug, award.slug)),
            issuer_did=did,
            revoked_on=_iso(award.revoked_at),
            reason="Délivré par erreur (banc d'essai).",
        )
        path = source / ASSERTIONS / issuer.slug / REVOCATIONS / f"{award.slug}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(json_bytes(sign(record, key, f"{did}#key-1", _iso(award.revoked_at))))
    last = max(
        [award.signed_at for award in awards] + [a.revoked_at for a in revoked if a.revoked_at]
    )
    write_status_list(source, urls, issuer, key, "key-1", {award.index for award in revoked}, last)


def _write_people(source: Path, plan: list[PlannedAward], rng: random.Random) -> tuple[int, int]:
    """About 10% of the awards linked to person files (1 to 4 awards each); (people, links)."""
    chosen = rng.sample(plan, round(len(plan) * 0.10))
    people, linked, number = 0, 0, 0
    while chosen:
        size = rng.randint(1, 4)
        held, chosen = chosen[:size], chosen[size:]
        number += 1
        slug = f"personne-{number}"
        consent = CONSENTS[number % len(CONSENTS)]
        if "resource" in consent:  # a contact link of the person's choosing
            path = source / "content" / "people" / f"{slug}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"contact: https://example.org/contact/{slug}\nawards: []\n", "utf-8")
        update_person(
            source,
            slug,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            grant=consent,
            awards=[(award.issuer, award.slug) for award in held],
        )
        people += 1
        linked += len(held)
    return people, linked


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
