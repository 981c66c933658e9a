"""The privacy guard sees what a reader sees (check/privacy.py, check/decoded_text.py): a
recipient's address planted in the places a pull request can write, in the encodings a reader
or a tool decodes, and private key material in published files, are all refused.

One site holds every case. Each address case shows the address of its own recipient (a
credential is issued to it), so each refusal is its own error, at that credential; each key
is a key of its own, so each is its own error, at the file that holds it. The same site with
addresses that belong to no recipient, and without the keys, builds: what is refused is what
was planted.
"""

from __future__ import annotations

import base64
import csv
import gzip
import json
import re
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from generator.openbadges.multikey import BASE58BTC_PREFIX
from generator.site.build import build
from generator.site.model.problems import BuildFailed

from .agreement import problems_of
from .conftest import ROOT
from .credential_fixtures import (
    BUILD_AT,
    Run,
    SignedNetwork,
    copy_network,
    issue,
    ok,
    run,
    simulated_time,
    snapshot,
)

ISSUED_AT = "2024-06-01T10:00:00Z"
PNG = (ROOT / "tests" / "sites" / "minimal" / "badges" / "laser-debutant.png").read_bytes()


@dataclass
class Planting:
    """The site a case writes into, and the address it plants (a recipient's, or not)."""

    site: Path
    number: int
    address: str
    carriers: list[dict[str, str]] = field(default_factory=list)
    """Credentials to issue for the case (CSV rows), to carry evidence, narratives, people."""
    after_issue: list[Callable[[dict[str, Path]], None]] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return f"case-{self.number}"

    @property
    def local(self) -> str:
        return self.address.split("@")[0]

    @property
    def domain(self) -> str:
        return self.address.split("@")[1]

    def write(self, path: str, content: str | bytes) -> None:
        target = self.site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, "utf-8")


@dataclass(frozen=True)
class Case:
    """One thing planted in one place, and where the error about it must point."""

    category: str
    place: str
    encoding: str
    plant: Callable[[Planting], None]
    shown_in: str = ""
    """A pattern an output path named in the error must match ('{slug}' is the case's)."""
    key_at: str = ""
    """For key material: the location the error must start with ('{slug}' is the case's)."""

    @property
    def id(self) -> str:
        return f"{self.category}:{self.place}:{self.encoding}"


def yaml_text(text: str) -> str:
    """A single-quoted YAML scalar: no escape is interpreted, as written is as read."""
    return "'" + text.replace("'", "''") + "'"


# Encodings -----------------------------------------------------------------------------------


def in_text(address: str) -> dict[str, str]:
    """An address as a page's or a field's text can hide it from a plain search."""
    local, domain = address.split("@")
    name, top = domain.rsplit(".", 1)
    return {
        "plain": address,
        "entity-decimal": f"{local}&#64;{domain}",
        "entity-decimal-zeros": f"{local}&#00064;{domain}",
        "entity-hex": f"{local}&#x40;{domain}",
        "entity-named": f"{local}&commat;{domain}",
        "entity-every-character": "".join(f"&#{ord(c)};" for c in address),
        "entity-dot": f"{local}&#64;{name}&period;{top}",
        "markup-before-at": f"{local}<b></b>@{domain}",
        "markup-in-domain": f"{local}@{name}<em></em>.{top}",
        "comment": f"{local}<!-- -->@{domain}",
        "percent-40": f"{local}%40{domain}",
        "percent-2540": f"{local}%2540{domain}",
        "json-escape": f"{local}\\u0040{domain}",
        "fullwidth-at": f"{local}\uff20{domain}",
    }


def in_url(address: str) -> dict[str, str]:
    """An address inside a link, as browsers and mail programs decode it."""
    escaped = "".join(f"%{byte:02X}" for byte in address.encode())
    return {
        "percent-40-query": "https://example.org/contact?to=" + address.replace("@", "%40"),
        "percent-2540-double": "https://example.org/contact?to=" + address.replace("@", "%2540"),
        "percent-252540-triple": "https://example.org/c?to=" + address.replace("@", "%252540"),
        "percent-every-character": "https://example.org/contact?to=" + escaped,
        "percent-40-path": "https://example.org/people/" + address.replace("@", "%40") + "/",
    }


def in_svg(address: str) -> dict[str, str]:
    """An address in an SVG's text, as a browser draws it."""
    local, domain = address.split("@")
    every = "".join(f"<tspan>{c}</tspan>" for c in address)
    return {
        "tspan-split": f"<text><tspan>{local}</tspan><tspan>@{domain}</tspan></text>",
        "tspan-positioned": f'<text><tspan x="2" y="40">{local}</tspan>'
        f'<tspan x="2" y="60">@{domain}</tspan></text>',
        "tspan-every-character": f"<text>{every}</text>",
        "entity-hex": f"<text>{local}&#x40;{domain}</text>",
        "entity-in-title": f"<title>{local}&#64;{domain}</title>",
        "cdata": f"<text>{local}<![CDATA[@]]>{domain}</text>",
        "comment": f"<text>{local}<!-- -->@{domain}</text>",
    }


def svg(body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="300" '
        f'height="300"><circle cx="50" cy="50" r="48" fill="#2e7d32"/>{body}</svg>'
    )


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I4s", len(data), kind) + data + struct.pack(">I", zlib.crc32(kind + data))


def with_chunks(*chunks: bytes) -> bytes:
    """The test badge PNG with chunks added before its end."""
    end = PNG.rindex(b"IEND") - 4
    return PNG[:end] + b"".join(chunks) + PNG[end:]


def text_before_crc(address: str) -> bytes:
    """A tEXt chunk ending with the address, whose CRC starts with a letter: the guard's old
    regex read that letter as the end of the domain."""
    for number in range(10_000):
        chunk = png_chunk(b"tEXt", f"Comment{number}".encode() + b"\x00" + address.encode())
        if chr(chunk[-4]).isascii() and chr(chunk[-4]).isalpha():
            return chunk
    raise AssertionError("no keyword gives a CRC starting with a letter")


def in_png(address: str) -> dict[str, bytes]:
    """An address in a PNG's text chunks, as image viewers and metadata tools show them."""
    local, domain = address.split("@")
    text = address.encode()
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description><dc:creator>'
        f"<rdf:Seq><rdf:li>{local}&#64;{domain}</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    return {
        "tEXt": with_chunks(png_chunk(b"tEXt", b"Author\x00" + text + b"\n")),
        "tEXt-before-crc": with_chunks(text_before_crc(address)),
        "zTXt": with_chunks(png_chunk(b"zTXt", b"Author\x00\x00" + zlib.compress(text))),
        "iTXt": with_chunks(png_chunk(b"iTXt", b"Author\x00\x00\x00fr\x00Auteur\x00" + text)),
        "iTXt-compressed": with_chunks(
            png_chunk(b"iTXt", b"Author\x00\x01\x00fr\x00Auteur\x00" + zlib.compress(text))
        ),
        "iTXt-translated-keyword": with_chunks(
            png_chunk(b"iTXt", b"Author\x00\x00\x00fr\x00" + text + b"\x00x")
        ),
        "xmp": with_chunks(png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp)),
    }


def in_static_file(address: str) -> dict[str, tuple[str, bytes]]:
    """An address in a theme's static file, as browsers and mail programs decode it:
    (file extension, bytes)."""
    local, domain = address.split("@")
    drawing = base64.b64encode(svg(f"<text>{address}</text>").encode()).decode()
    mime = f"Subject: contact\nContent-Transfer-Encoding: quoted-printable\n\n{local}=40{domain}\n"
    return {
        "css-escape": ("css", f'a::after {{ content: "{local}\\40 {domain}"; }}\n'.encode()),
        "css-data-uri": (
            "css",
            f'.logo {{ background: url("data:image/svg+xml;base64,{drawing}"); }}\n'.encode(),
        ),
        "js-hex-escape": ("js", f'const contact = "{local}\\x40{domain}";\n'.encode()),
        "js-code-point-escape": ("js", f'const contact = "{local}\\u{{40}}{domain}";\n'.encode()),
        "json-escape": ("json", json.dumps({"contact": address}).replace("@", "\\u0040").encode()),
        "json-key-escape": ("json", json.dumps({address: 1}).replace("@", "\\u0040").encode()),
        "json-every-character": (
            "json",
            ('{"c": "' + "".join(f"\\u{ord(c):04x}" for c in address) + '"}').encode(),
        ),
        "html-attribute-entity": (
            "html",
            f'<a href="mailto:{local}&#64;{domain}">écrire</a>'.encode(),
        ),
        "html-data-uri": (
            "html",
            f'<a href="data:text/plain;base64,{base64.b64encode(address.encode()).decode()}">'
            "x</a>".encode(),
        ),
        "svgz": ("svgz", gzip.compress(svg(f"<text>{address}</text>").encode(), mtime=0)),
        "quoted-printable": ("eml", mime.encode()),
        "utf-16": ("txt", f"\ufeffContact : {address}\n".encode("utf-16-le")),
    }


# Places ----------------------------------------------------------------------------------------


def page(body: Callable[[Planting], str]) -> Callable[[Planting], None]:
    def plant(p: Planting) -> None:
        p.write(f"content/pages/{p.slug}.md", f"---\ntitle: Cas {p.number}\n---\n{body(p)}\n")

    return plant


def badge(
    description: Callable[[Planting], str] = lambda p: "Un badge de test.",
    criteria: Callable[[Planting], str] = lambda p: "Avoir participé.",
    image: tuple[str, Callable[[Planting], str | bytes]] | None = None,
    more: Callable[[Planting], str] = lambda p: "",
) -> Callable[[Planting], None]:
    """A badge of atelier's own, with its description, criteria, image or more planted."""

    def plant(p: Planting) -> None:
        p.write(
            f"badges/{p.slug}.yaml",
            f"name: Cas {p.number}\ndescription: {yaml_text(description(p))}\ntags: [test]\n"
            f"scope: atelier\nstatus: approved\napproved_on: 2024-03-01\n{more(p)}",
        )
        p.write(f"badges/{p.slug}.md", criteria(p) + "\n")
        # An image of its own, so that none is drawn (drawing one costs a second).
        extension, content = image or ("svg", lambda p: svg(""))
        p.write(f"badges/{p.slug}.{extension}", content(p))

    return plant


def structure(**fields: Callable[[Planting], str]) -> Callable[[Planting], None]:
    """A structure of the network, with fields planted (each a YAML value, or block)."""

    def plant(p: Planting) -> None:
        values = {
            "name": yaml_text(f"Structure {p.number}"),
            "url": f"https://{p.slug}.example.org",
            "email": f"contact@{p.slug}.example.org",
            "description": yaml_text("Une structure de test."),
            "awards": "[]",
            **{name: make(p) for name, make in fields.items()},
        }
        p.write(
            f"content/issuers/{p.slug}.yaml",
            "".join(f"{name}: {value}\n" for name, value in values.items()),
        )

    return plant


def logo(extension: str, content: Callable[[Planting], str | bytes]) -> Callable[[Planting], None]:
    def plant(p: Planting) -> None:
        p.write(f"content/issuers/logos/{p.slug}.{extension}", content(p))
        structure(logo=lambda p: f"logos/{p.slug}.{extension}")(p)

    return plant


def static(
    extension: str, content: Callable[[Planting], str | bytes]
) -> Callable[[Planting], None]:
    def plant(p: Planting) -> None:
        p.write(f"theme/static/{p.slug}.{extension}", content(p))

    return plant


def carrier(**row: Callable[[Planting], str]) -> Callable[[Planting], None]:
    """A credential issued for the case, its CSV row's columns made from the planting."""

    def plant(p: Planting) -> None:
        p.carriers.append(
            {"email": f"carrier-{p.number}@example.net", **{k: f(p) for k, f in row.items()}}
        )

    return plant


def person_contact(url: Callable[[Planting], str]) -> Callable[[Planting], None]:
    """A resource person whose contact link is planted (shown with the 'resource' consent)."""

    def plant(p: Planting) -> None:
        carrier(
            person=lambda p: f"person-{p.number}",
            name=lambda p: f"Personne {p.number}",
            consent=lambda p: "resource",
        )(p)

        def add_contact(people: dict[str, Path]) -> None:
            file = people[f"person-{p.number}"]
            file.write_text(file.read_text("utf-8") + f"contact: {yaml_text(url(p))}\n", "utf-8")

        p.after_issue.append(add_contact)

    return plant


def text_cases() -> Iterator[Case]:
    places: dict[str, Callable[[Callable[[Planting], str]], Callable[[Planting], None]]] = {
        "page": lambda text: page(text),
        "badge criteria": lambda text: badge(criteria=text),
        "badge description": lambda text: badge(description=text),
        "structure description": lambda text: structure(description=lambda p: yaml_text(text(p))),
        "structure opening": lambda text: structure(opening=lambda p: yaml_text(text(p))),
        "person name": lambda text: carrier(
            person=lambda p: f"person-{p.number}", name=text, consent=lambda p: "name"
        ),
        "narrative": lambda text: carrier(narrative=text),
    }
    shown = {
        "page": r"pages/{slug}/",
        "badge criteria": r"badges/{slug}/",
        "badge description": r"badges/{slug}/",
        "structure description": r"issuers/{slug}/",
        "structure opening": r"issuers/{slug}/",
    }
    for place, make in places.items():
        for encoding in in_text("a@b.org"):
            if place == "person name" and "@" in in_text("a@b.org")[encoding]:
                continue  # refused before any page is made: content/people holds no address
            text = (lambda e: lambda p: in_text(p.address)[e])(encoding)
            yield Case("address in text", place, encoding, make(text), shown.get(place, ""))


def url_cases() -> Iterator[Case]:
    places: dict[str, Callable[[Callable[[Planting], str]], Callable[[Planting], None]]] = {
        "evidence": lambda url: carrier(evidence=url),
        "page link": lambda url: page(lambda p: f"[Écrire]({url(p)})"),
        "structure url": lambda url: structure(url=lambda p: yaml_text(url(p))),
        "structure opening_url": lambda url: structure(
            opening=lambda p: "Le mardi.", opening_url=lambda p: yaml_text(url(p))
        ),
        "machine booking_url": lambda url: structure(
            machines=lambda p: (
                "\n  laser-9:\n    name: Laser\n    domain: laser\n"
                f"    level: debutant\n    booking_url: {yaml_text(url(p))}"
            )
        ),
        "badge alignment": lambda url: badge(
            more=lambda p: f"alignment:\n  - name: Référentiel\n    url: {yaml_text(url(p))}\n"
        ),
        "person contact": person_contact,
    }
    shown = {
        "page link": r"pages/{slug}/",
        "structure url": r"issuers/{slug}/",
        "structure opening_url": r"issuers/{slug}/",
        "machine booking_url": r"issuers/{slug}/",
        "badge alignment": r"badges/{slug}/",
    }
    for place, make in places.items():
        for encoding in in_url("a@b.org"):
            url = (lambda e: lambda p: in_url(p.address)[e])(encoding)
            yield Case("address in a link", place, encoding, make(url), shown.get(place, ""))
    mailto = page(lambda p: f"[Écrire](mailto:{p.address.replace('@', '%40')})")
    yield Case("address in a link", "page link", "mailto-percent-40", mailto, r"pages/{slug}/")
    entity = page(lambda p: f"[Écrire](https://example.org/?to={in_text(p.address)['entity-hex']})")
    yield Case("address in a link", "page link", "entity-in-url", entity, r"pages/{slug}/")


def image_cases() -> Iterator[Case]:
    for encoding in in_svg("a@b.org"):
        drawing = (lambda e: lambda p: svg(in_svg(p.address)[e]))(encoding)
        yield Case("svg", "theme static", encoding, static("svg", drawing), r"static/{slug}\.svg")
        yield Case("svg", "badge image", encoding, badge(image=("svg", drawing)), r"badges/{slug}/")
        yield Case("svg", "structure logo", encoding, logo("svg", drawing), r"issuers/{slug}/")
    for encoding in in_png("a@b.org"):
        image = (lambda e: lambda p: in_png(p.address)[e])(encoding)
        yield Case("png", "theme static", encoding, static("png", image), r"static/{slug}\.png")
        yield Case("png", "badge image", encoding, badge(image=("png", image)), r"badges/{slug}/")
        yield Case("png", "structure logo", encoding, logo("png", image), r"issuers/{slug}/")


def static_cases() -> Iterator[Case]:
    for encoding, (extension, _) in in_static_file("a@b.org").items():
        content = (lambda e: lambda p: in_static_file(p.address)[e][1])(encoding)
        category = "json" if extension == "json" else "static file"
        yield Case(
            category, "theme static", encoding, static(extension, content), r"static/{slug}\."
        )
    yield Case(
        "json",
        "credential narrative",
        "json-escape",
        carrier(narrative=lambda p: f"Contact : {p.address}"),
    )


# Keys ------------------------------------------------------------------------------------------


PrivateKey = ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def pem(key: PrivateKey, private_format: serialization.PrivateFormat, password: bytes = b"") -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, private_format, encryption).decode()


def secret_multikey() -> str:
    import base58

    secret = ed25519.Ed25519PrivateKey.generate().private_bytes_raw()
    return BASE58BTC_PREFIX + base58.b58encode(b"\x80\x26" + secret).decode()


def jwk() -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    key = ed25519.Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    return json.dumps(
        {"kty": "OKP", "crv": "Ed25519", "x": b64(public), "d": b64(key.private_bytes_raw())}
    )


def fresh(make: Callable[[], str | bytes]) -> Callable[[Planting], str | bytes]:
    """A file made anew for each planting (a key of its own)."""
    return lambda p: make()


PKCS8 = serialization.PrivateFormat.PKCS8
TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL


def key_cases() -> Iterator[Case]:
    ed = ed25519.Ed25519PrivateKey.generate
    files: dict[str, tuple[str, Callable[[], str | bytes], str]] = {
        "keygen-pkcs8": ("pem", lambda: pem(ed(), PKCS8), ":2"),
        "openssh": ("key", lambda: pem(ed(), serialization.PrivateFormat.OpenSSH), ":"),
        "rsa": ("key", lambda: pem(rsa.generate_private_key(65537, 2048), TRADITIONAL), ":"),
        "ec-encrypted": (
            "pem",
            lambda: pem(ec.generate_private_key(ec.SECP256R1()), TRADITIONAL, b"pw"),
            ":",
        ),
        "pkcs8-encrypted": ("pem", lambda: pem(ed(), PKCS8, b"pw"), ":"),
        "pem-in-json-string": ("json", lambda: json.dumps({"key": pem(ed(), PKCS8)}), ":1"),
        "secretKeyMultibase": (
            "json",
            lambda: json.dumps({"type": "Multikey", "secretKeyMultibase": secret_multikey()}),
            ":1",
        ),
        "jwk": ("jwk", jwk, ":1"),
        "pem-in-png-text": (
            "png",
            lambda: with_chunks(png_chunk(b"tEXt", b"Comment\x00" + pem(ed(), PKCS8).encode())),
            "",
        ),
    }
    for encoding, (extension, make, line) in files.items():
        yield Case(
            "private key", "theme static", encoding, static(extension, fresh(make)),
            key_at=f"theme/static/{{slug}}.{extension}{line}",
        )  # fmt: skip
    pasted = {
        "page": (page, "content/pages/{slug}.md"),
        "badge criteria": (lambda text: badge(criteria=text), "badges/{slug}.md"),
    }
    for place, (make_place, path) in pasted.items():
        blocks = {
            "pem": lambda: "```\n" + pem(ed25519.Ed25519PrivateKey.generate(), PKCS8) + "```",
            "jwk": lambda: "```json\n" + jwk() + "\n```",
            "secretKeyMultibase": lambda: f"secretKeyMultibase: {secret_multikey()}",
            "multikey-alone": lambda: f"Ma clé : {secret_multikey()}",
        }
        for encoding, block in blocks.items():
            plant = make_place(lambda p, b=block: f"Voici la clé.\n\n{b()}")
            yield Case("private key", place, encoding, plant, key_at=path + ":")
    described = structure(description=lambda p: yaml_text("Clé " + secret_multikey()))
    yield Case(
        "private key", "structure description", "multikey-alone", described,
        key_at="content/issuers/{slug}.yaml:",
    )  # fmt: skip


CASES = [*text_cases(), *url_cases(), *image_cases(), *static_cases(), *key_cases()]
NUMBERS = {case.id: number for number, case in enumerate(CASES, start=1)}
ADDRESS_CASES = [case for case in CASES if case.category != "private key"]
KEY_CASES = [case for case in CASES if case.category == "private key"]


# The site ---------------------------------------------------------------------------------------


def victim(number: int) -> str:
    return f"victim.{number}-{number * 7919 % 10007}@example.net"


def bystander(number: int) -> str:
    return f"nobody.{number}-{number * 7919 % 10007}@example.net"


@dataclass(frozen=True)
class Planted:
    """A built site with every case planted: what the build printed, each case's credential."""

    result: str
    code: int
    checked: Run
    """What `check` said of the same site."""
    credentials: dict[int, str]
    """Each address case's recipient's credential file, as diagnostics print it."""


def issue_csv(network: SignedNetwork, rows: list[dict[str, str]], badge: str) -> list[Path]:
    """Credentials issued from CSV rows, in order."""
    if not rows:
        return []
    table = network.site.parent / f"{badge}-{len(rows)}.csv"
    columns = sorted({column for row in rows for column in row}, key=lambda c: c != "email")
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    result = ok(
        "issue", "--source", network.site, "--issuer", "atelier", "--badge", badge,
        "--key-file", network.key_file, "--csv", table, at=ISSUED_AT,
    )  # fmt: skip
    assert len(result.issued) == len(rows), result.out
    return result.issued


def plant_all(network: SignedNetwork, cases: list[Case], address: Callable[[int], str]) -> None:
    """Write every case into the network's site, and issue the credentials they need."""
    shutil.copytree(ROOT / "theme", network.site / "theme")
    skills = network.site / "content" / "skills.yaml"
    skills.write_text(
        skills.read_text("utf-8").replace("  debutant:\n", "  debutant:\n    resource: true\n", 1),
        "utf-8",
    )
    plantings = [
        Planting(network.site, NUMBERS[case.id], address(NUMBERS[case.id])) for case in cases
    ]
    for case, planting in zip(cases, plantings, strict=True):
        case.plant(planting)
    rows = [row for planting in plantings for row in planting.carriers]
    issued = issue_csv(network, rows, "laser-debutant")
    json_case = [c for c in cases if c.category == "json" and c.place == "credential narrative"]
    for case, planting in zip(cases, plantings, strict=True):
        if case in json_case:  # the credential's file escapes '@': the same signed value
            [credential] = [
                path for path, row in zip(issued, rows, strict=True) if row in planting.carriers
            ]
            text = credential.read_text("utf-8")
            credential.write_text(
                text.replace(planting.address, planting.address.replace("@", "\\u0040")), "utf-8"
            )
    people = {path.stem: path for path in (network.site / "content" / "people").glob("*.yaml")}
    for planting in plantings:
        for step in planting.after_issue:
            step(people)


@pytest.fixture(scope="module")
def planted(signed: SignedNetwork, tmp_path_factory: pytest.TempPathFactory) -> Planted:
    network = copy_network(signed, tmp_path_factory.mktemp("planted"))
    numbers = [NUMBERS[case.id] for case in ADDRESS_CASES]
    victims = issue_csv(network, [{"email": victim(n)} for n in numbers], "atelier-accueil")
    plant_all(network, CASES, victim)
    result = run("build", "--source", network.site, "--out", network.out)
    checked = run("check", "--source", network.site)
    credentials = {n: network.relative(path) for n, path in zip(numbers, victims, strict=True)}
    return Planted(result.err, result.code, checked, credentials)


def test_the_same_site_without_recipients_addresses_and_keys_builds(
    signed: SignedNetwork, tmp_path: Path
) -> None:
    """Every planted file is valid: with addresses no recipient has, and no key, the site
    builds (a page naming the PEM format, a public JWK and a Multikey context's term
    definition included); so what the guard refuses below is what was planted."""
    network = copy_network(signed, tmp_path)
    issue_csv(network, [{"email": victim(NUMBERS[c.id])} for c in ADDRESS_CASES], "atelier-accueil")
    plant_all(network, ADDRESS_CASES, bystander)
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    public = base64.urlsafe_b64encode(key.public_bytes_raw()).rstrip(b"=").decode()
    innocent = {
        "content/pages/cles.md": "---\ntitle: Clés\n---\nUn fichier qui commence par "
        "`-----BEGIN PRIVATE KEY-----` ne doit jamais être publié : il reste chez vous.\n",
        "theme/static/public.jwk": json.dumps({"kty": "OKP", "crv": "Ed25519", "x": public}),
        "theme/static/multikey-context.json": json.dumps(
            {
                "@context": {
                    "secretKeyMultibase": {"@id": "https://w3id.org/security#secretKeyMultibase"}
                }
            }
        ),
    }
    for path, text in innocent.items():
        (network.site / path).write_text(text, "utf-8")
    result = run("build", "--source", network.site, "--out", network.out)
    assert result.code == 0, result.err
    assert (network.out / "static" / "public.jwk").is_file()


@pytest.mark.parametrize("case", ADDRESS_CASES, ids=lambda case: case.id)
def test_a_planted_address_is_refused_at_its_recipients_credential(
    planted: Planted, case: Case
) -> None:
    number = NUMBERS[case.id]
    assert planted.code == 1
    assert "Traceback" not in planted.result
    prefix = f"{planted.credentials[number]}: error: the recipient's email address would be published in "
    [line] = [line for line in planted.result.splitlines() if line.startswith(prefix)]
    if case.shown_in:
        paths = line[len(prefix) :].split(";")[0].split(", ")
        pattern = case.shown_in.replace("{slug}", f"case-{number}")
        assert any(re.search(pattern, path) for path in paths), line


@pytest.mark.parametrize("case", KEY_CASES, ids=lambda case: case.id)
def test_planted_key_material_is_refused_at_the_file_holding_it(
    planted: Planted, case: Case
) -> None:
    where = case.key_at.replace("{slug}", f"case-{NUMBERS[case.id]}")
    found = [
        line
        for line in planted.result.splitlines()
        if line.startswith(where) and ": error: private key material (" in line
    ]
    assert len(found) == 1, planted.result
    assert "must never be published" in found[0] and "compromised" in found[0]
    assert "build.py keygen" in found[0]


def test_check_refuses_what_the_build_refuses(planted: Planted) -> None:
    """The pull-request check says what the deploy will say: the same errors, every one."""
    built = Run(planted.code, "", planted.result)
    assert (planted.checked.code, problems_of(planted.checked)) == (1, problems_of(built))


def test_every_case_is_one_error(planted: Planted) -> None:
    """Nothing else is reported: one error per planted case, and the count that says so."""
    assert f"\n{len(CASES)} errors, 0 warnings" in planted.result, planted.result


# serve ------------------------------------------------------------------------------------------


def test_serve_refuses_an_address_or_a_key_in_a_credential_it_publishes(
    network: SignedNetwork, tmp_path: Path
) -> None:
    """The incremental build (what `serve` runs at every edit) inspects what it writes."""
    out = tmp_path / "live"
    with simulated_time(BUILD_AT):
        last = build(network.site, out)
    before = snapshot(out)
    alice = "Alice.Kerbrat-7341@Example.NET".lower()
    for evidence, narrative, says in (
        (f"https://example.org/?c={alice.replace('@', '%2540')}", None, "email address"),
        (None, "```\n" + jwk() + "\n```", "private key material"),
    ):
        args = ["--recipient", "dave.moal-4410@example.net"]
        args += ["--evidence", evidence] if evidence else ["--narrative", str(narrative)]
        new = issue(network.site, "laser-debutant", network.key_file, "2025-06-01T10:00:00Z", *args)
        with pytest.raises(BuildFailed) as failed, simulated_time(BUILD_AT):
            build(network.site, out, last=last)
        assert any(says in str(problem) for problem in failed.value.problems)
        if says == "private key material":
            assert str(failed.value.problems[0]).startswith(network.relative(new) + ":")
        assert snapshot(out) == before
        new.unlink()


def test_a_compressed_text_too_large_to_read_is_refused(
    network: SignedNetwork, tmp_path: Path
) -> None:
    """A "zip bomb" in a PNG text chunk or a gzip file is read up to 16 MB, not further (it
    could exhaust memory, and hide an address behind what it inflates to): refused."""
    static = network.site / "theme" / "static"
    shutil.copytree(ROOT / "theme", network.site / "theme")
    bomb = zlib.compress(b" " * 20_000_000, 9)
    (static / "bomb.png").write_bytes(with_chunks(png_chunk(b"zTXt", b"Comment\x00\x00" + bomb)))
    (static / "bomb.svgz").write_bytes(gzip.compress(b" " * 20_000_000, mtime=0))
    result = run("build", "--source", network.site, "--out", tmp_path / "out")
    assert result.code == 1
    for path, what in (("static/bomb.png", "its zTXt chunk 'Comment'"), ("static/bomb.svgz", "it")):
        assert (
            f"theme/{path}: error: this file of the site cannot be read whole: {what} inflates past "
            "16,777,216 bytes" in result.err
        ), result.err
