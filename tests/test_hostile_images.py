"""Images are inert: every hostile SVG and PNG of a generated corpus (tests/hostile_images.py)
is refused as a badge image, as the site logo and as a structure's logo, by the real `check`
and `build`, with a located error and no traceback; nothing it points at is ever fetched or
read; realistic SVGs, as Inkscape and Illustrator write them, pass and are published as
they are."""

from __future__ import annotations

import contextlib
import http.server
import io
import re
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from generator.cli.commands import main
from generator.issuer.tools import load_checked_network
from generator.site.check.svg_hazards import MAX_FINDINGS
from generator.site.model.problems import BuildFailed

from .agreement import same_verdict
from .hostile_images import (
    Case,
    benign_svgs,
    declared_png,
    hostile_pngs,
    hostile_svgs,
    png,
    svg,
)

CANARY_TEXT = "CANARY-7f3a-never-read"
TIMES = "\N{MULTIPLICATION SIGN}"
# The categories of the corpus, with the fewest cases each must hold (a shrinking corpus
# would weaken the suite silently).
CATEGORIES = {
    "script": 15, "event-handler": 40, "foreignObject": 8, "embedding": 12, "links": 128,
    "doctype-entities": 12, "processing-instruction": 4, "css": 40, "animation": 14,
    "namespace-tricks": 20, "case-variants": 12, "cdata": 6, "embedded-raster": 6,
    "malformed": 7, "png": 18,
}  # fmt: skip
ERROR = re.compile(r"^(?P<path>[^\s:]+)(?::(?P<line>\d+))?: error: (?P<message>.*)$", re.M)


@dataclass
class Outside:
    """What the code under test tried to reach: a local server's requests, and every socket
    connection or name look-up made through Python."""

    origin: str
    canary: Path
    requests: list[str] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Outside]:
    canary = tmp_path / "canary.txt"
    canary.write_text(CANARY_TEXT, "utf-8")
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(CANARY_TEXT.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found = Outside(f"http://127.0.0.1:{server.server_address[1]}", canary, requests)

    def refuse(what: str) -> Callable[..., object]:
        def attempt(*args: object, **kwargs: object) -> object:
            found.attempts.append(f"{what} {args[1:] or args}")
            raise OSError(f"no network in this test ({what})")

        return attempt

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield found
    server.shutdown()
    server.server_close()
    assert found.requests == [] and found.attempts == [], "something was fetched"


def run(*arguments: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(list(arguments))
    return code, err.getvalue() + out.getvalue()


def errors(output: str) -> list[tuple[str, str]]:
    """(path, message) of each error printed."""
    return [(match["path"], match["message"]) for match in ERROR.finditer(output)]


def corpus(outside: Outside) -> list[Case]:
    return hostile_svgs(outside.origin, outside.canary) + hostile_pngs()


def assert_refused(case: Case, output: str, paths: set[str], code: int) -> None:
    """The case is refused, at its image or where it is named, for the expected reason,
    and nothing else is."""
    assert code == 1, case.id
    assert "Traceback" not in output and CANARY_TEXT not in output, case.id
    found = errors(output)
    assert found and {path for path, _ in found} <= paths, (case.id, found)
    assert any(case.expected in message for _, message in found), (case.id, found)


def test_the_corpus_covers_every_category(outside: Outside) -> None:
    counts = Counter(case.category for case in corpus(outside))
    assert {name: counts[name] >= least for name, least in CATEGORIES.items()} == dict.fromkeys(
        CATEGORIES, True
    )
    assert set(counts) == set(CATEGORIES)
    assert len({case.id for case in corpus(outside)}) == sum(counts.values())


BADGE_YAML = "name: Cas {n}\ndescription: Un cas.\ncriteria: Être là.\ntags: [essai]\nscope: network\nstatus: proposed\n"  # fmt: skip
ISSUER_YAML = "name: Cas {n}\nurl: https://cas.example.org\nemail: cas@example.org\ndescription: Un cas.\nlogo: {logo}\n"  # fmt: skip


def as_badges(source: Path, cases: list[Case]) -> dict[str, set[str]]:
    """Each case as the image of a badge of its own; the paths it may be reported at."""
    paths = {}
    for number, case in enumerate(cases):
        slug = f"cas-{number:03d}"
        (source / "badges" / f"{slug}.yaml").write_text(BADGE_YAML.format(n=number), "utf-8")
        (source / "badges" / f"{slug}.{case.extension}").write_bytes(case.data)
        paths[case.id] = {f"badges/{slug}.{case.extension}"}
    return paths


def as_issuer_logos(source: Path, cases: list[Case]) -> dict[str, set[str]]:
    """Each case as the logo of a structure of its own; the paths it may be reported at."""
    paths = {}
    for number, case in enumerate(cases):
        slug, logo = f"cas-{number:03d}", f"cas-{number:03d}.{case.extension}"
        issuers = source / "content" / "issuers"
        (issuers / f"{slug}.yaml").write_text(ISSUER_YAML.format(n=number, logo=logo), "utf-8")
        (issuers / logo).write_bytes(case.data)
        paths[case.id] = {f"content/issuers/{logo}", f"content/issuers/{slug}.yaml"}
    return paths


@pytest.mark.parametrize("place", [as_badges, as_issuer_logos], ids=["badge", "issuer-logo"])
def test_every_hostile_image_is_refused_by_check_and_build(
    outside: Outside,
    minimal_site: Callable[..., Path],
    tmp_path: Path,
    place: Callable[[Path, list[Case]], dict[str, set[str]]],
) -> None:
    source = minimal_site()
    cases = corpus(outside)
    paths = place(source, cases)
    same_verdict(source, tmp_path / "out")
    for command in (["check"], ["build", "--out", str(tmp_path / "out")]):
        code, output = run(*command, "--source", str(source))
        assert code == 1 and "Traceback" not in output and CANARY_TEXT not in output
        for case in cases:
            mine = "\n".join(
                line for line in output.splitlines() if line.split(":")[0] in paths[case.id]
            )
            assert_refused(case, mine, paths[case.id], code)
        reported = {path for path, _ in errors(output)}
        assert reported <= set().union(*paths.values())
    assert not (tmp_path / "out").exists()


def test_every_hostile_image_is_refused_as_the_site_logo(
    outside: Outside, minimal_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = minimal_site()
    site_yaml = (source / "content" / "site.yaml").read_text("utf-8")
    first_of_category: set[str] = set()
    for case in corpus(outside):
        (source / "content" / f"logo.{case.extension}").write_bytes(case.data)
        (source / "content" / "site.yaml").write_text(
            f"{site_yaml}logo: logo.{case.extension}\n", "utf-8"
        )
        paths = {f"content/logo.{case.extension}", "content/site.yaml"}
        code, output = run("check", "--source", str(source))
        assert_refused(case, output, paths, code)
        if case.category not in first_of_category:
            first_of_category.add(case.category)
            out = tmp_path / "out"
            code, output = run("build", "--source", str(source), "--out", str(out))
            assert_refused(case, output, paths, code)
            assert not out.exists()
            same_verdict(source, out)
        (source / "content" / f"logo.{case.extension}").unlink()


def test_the_issuer_tools_refuse_a_hostile_logo(
    outside: Outside, minimal_site: Callable[..., Path]
) -> None:
    source = minimal_site()
    issuers = source / "content" / "issuers"
    (issuers / "atelier.svg").write_bytes(svg('<a href="javascript:alert(1)"><text>x</text></a>'))
    with (issuers / "atelier.yaml").open("a", encoding="utf-8") as file:
        file.write("logo: atelier.svg\n")
    with pytest.raises(BuildFailed) as failed:
        load_checked_network(source)  # what keygen, issue and revoke start from
    assert [str(problem) for problem in failed.value.problems] == [
        "content/issuers/atelier.svg:3: error: logo of content/issuers/atelier.yaml: <a> has"
        " href=\"javascript:alert(1)\": a 'javascript:' link runs a script; remove it"
    ]


def test_verify_reads_a_hostile_baked_svg_with_the_hardened_parser(
    outside: Outside, tmp_path: Path
) -> None:
    bomb = "".join(
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10 if n else "l"}">' for n in range(10)
    )
    for name, head in (
        ("bomb.svg", f"<!DOCTYPE svg [{bomb}]>"),
        ("external.svg", f'<!DOCTYPE svg [<!ENTITY x SYSTEM "{outside.canary.as_uri()}">]>'),
        ("dtd.svg", f'<!DOCTYPE svg SYSTEM "{outside.origin}/x.dtd">'),
    ):
        image = tmp_path / name
        image.write_bytes(svg("<text>&l9;</text>" if "bomb" in name else "", head=head))
        code, output = run("verify", str(image))
        assert code != 0 and "Traceback" not in output and CANARY_TEXT not in output
        assert "SVG has a <!DOCTYPE> declaration" in output


def test_one_line_per_finding_at_its_line_at_most_a_few(minimal_site: Callable[..., Path]) -> None:
    body = "\n".join(f'<rect width="1" height="1" onclick="alert({n})"/>' for n in range(30))
    source = minimal_site({"badges/atelier-accueil.svg": svg(f"<g>\n{body}\n</g>")})
    code, output = run("check", "--source", str(source))
    found = errors(output)
    assert code == 1
    assert [line for line in output.splitlines() if "error" in line][:2] == [
        'badges/atelier-accueil.svg:4: error: <rect> has an event handler, onclick="alert(0)",'
        " which runs a script; remove it, or export the image as plain SVG",
        'badges/atelier-accueil.svg:5: error: <rect> has an event handler, onclick="alert(1)",'
        " which runs a script; remove it, or export the image as plain SVG",
    ]
    assert len(found) == MAX_FINDINGS + 1
    assert found[-1][1] == f"and {30 - MAX_FINDINGS} more like these; remove them all"


def test_an_image_named_in_yaml_is_reported_at_its_own_line(
    minimal_site: Callable[..., Path],
) -> None:
    yaml = (Path(__file__).parent / "sites/minimal/badges/atelier-accueil.yaml").read_text("utf-8")
    source = minimal_site(
        {
            "badges/atelier-accueil.svg": None,
            "badges/images/accueil.svg": svg("<script>alert(1)</script>"),
            "badges/atelier-accueil.yaml": yaml + "image: images/accueil.svg\n",
        }
    )
    code, output = run("check", "--source", str(source))
    assert code == 1
    assert errors(output) == [
        (
            "badges/images/accueil.svg",
            "badge image of badges/atelier-accueil.yaml: <script> runs code when the image is"
            " opened; remove the script, or export the image as plain SVG",
        )
    ]


def test_realistic_svgs_pass_and_are_published_as_they_are(
    outside: Outside, minimal_site: Callable[..., Path], tmp_path: Path
) -> None:
    source = minimal_site()
    benign = benign_svgs()
    cases = [Case("benign", name, data, "svg", "") for name, data in benign.items()]
    as_badges(source, cases)
    as_issuer_logos(source, cases)
    (source / "content" / "logo.svg").write_bytes(benign["inkscape"])
    with (source / "content" / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("logo: logo.svg\n")
    assert run("check", "--source", str(source)) == (0, "content is valid\n")
    out = tmp_path / "out"
    code, output = run("build", "--source", str(source), "--out", str(out))
    assert code == 0, output
    for number, case in enumerate(cases):
        assert (out / f"badges/cas-{number:03d}/image.svg").read_bytes() == case.data
        assert (out / f"issuers/cas-{number:03d}/logo.svg").read_bytes() == case.data
    assert (out / "static/logo.svg").read_bytes() == benign["inkscape"]


def test_raster_images_within_the_limits_pass(minimal_site: Callable[..., Path]) -> None:
    """The limit is not so low that it refuses real images: 4096 x 4096 is a badge, and a
    logo need not be square, nor large, nor a PNG."""

    def saved(image_format: str, size: tuple[int, int]) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", size, (32, 64, 96)).save(buffer, format=image_format)
        return buffer.getvalue()

    source = minimal_site(
        {
            "badges/laser-debutant.png": png(4096, 4096, mode="1"),
            "content/logo.png": png(120, 40),
            "content/issuers/atelier.jpg": saved("JPEG", (200, 100)),
            "content/issuers/reseau.webp": saved("WEBP", (64, 64)),
        }
    )
    for name, logo in (("site", "logo.png"), ("issuers/atelier", "atelier.jpg")):
        with (source / "content" / f"{name}.yaml").open("a", encoding="utf-8") as file:
            file.write(f"logo: {logo}\n")
    with (source / "content" / "issuers/reseau.yaml").open("a", encoding="utf-8") as file:
        file.write("logo: reseau.webp\n")
    assert run("check", "--source", str(source)) == (0, "content is valid\n")
    # One pixel more than the limit, in a header: refused before anything is decoded.
    (source / "badges" / "laser-debutant.png").write_bytes(declared_png(4097, 4096))
    code, output = run("check", "--source", str(source))
    assert code == 1
    assert errors(output) == [
        (
            "badges/laser-debutant.png",
            f"image is 4097{TIMES}4096 px (16,781,312 pixels); images may have at most"
            f" 16,777,216 pixels (4096{TIMES}4096), as a browser would need too much memory to"
            f" show it: export it at 600{TIMES}600 px",
        )
    ]
