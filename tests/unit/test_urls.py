"""The URL scheme, pinned.

These URLs are forever: earners put them on CVs, verifiers fetch them, and every signed
credential carries one. This test must never be edited to move a URL, only to add one.
If it fails after a change to generator/site/model/urls.py, the change is wrong, not the test.
"""

from __future__ import annotations

import pytest

from generator.site.model.urls import Urls, framework_entry

BASE = "https://org.github.io/repo/"
URLS = Urls(BASE, "fr")

# (what, path in French, path in English): per-language pages.
PAGES: list[tuple[str, str, str]] = [
    ("home", "", "en/"),
    ("catalogue", "badges/", "en/badges/"),
    ("badge_page", "badges/laser-1/", "en/badges/laser-1/"),
    ("issuers_page", "issuers/", "en/issuers/"),
    ("issuer_page", "issuers/fablab-du-port/", "en/issuers/fablab-du-port/"),
    ("page", "pages/a-propos/", "en/pages/a-propos/"),
    ("feed", "feed.xml", "en/feed.xml"),
    ("aligned_page", "map/frameworks/rome/g1202/", "en/map/frameworks/rome/g1202/"),
]

# (path made by Urls, expected path): language-neutral files.
FILES: list[tuple[str, str]] = [
    (Urls.badge_image("laser-1", "png"), "badges/laser-1/image.png"),
    (Urls.badge_image("laser-1", "svg"), "badges/laser-1/image.svg"),
    (Urls.achievement("laser-1"), "badges/laser-1/achievement.json"),
    (Urls.badge_class("fablab-du-port", "laser-1"), "issuers/fablab-du-port/badges/laser-1.json"),
    (Urls.issuer_profile_ob2("fablab-du-port"), "issuers/fablab-du-port/issuer.json"),
    (Urls.issuer_profile_ob3("fablab-du-port"), "issuers/fablab-du-port/profile.json"),
    (Urls.issuer_logo("fablab-du-port", "png"), "issuers/fablab-du-port/logo.png"),
    (Urls.site_logo("svg"), "static/logo.svg"),
    (Urls.catalogue_export(), "data/badges.json"),
    (Urls.alignments_export("json"), "data/alignments.json"),
    (Urls.alignments_export("csv"), "data/alignments.csv"),
    (Urls.schema("badge"), "schemas/badge.schema.json"),
    (Urls.static("style.css"), "static/style.css"),
    (
        Urls.credential("biklab", "20260312-a1b2c3d4"),
        "awards/biklab/20260312-a1b2c3d4/credential.json",
    ),
    (
        Urls.assertion("biklab", "20260312-a1b2c3d4"),
        "awards/biklab/20260312-a1b2c3d4/assertion.json",
    ),
    (Urls.baked_png("biklab", "20260312-a1b2c3d4"), "awards/biklab/20260312-a1b2c3d4/badge.png"),
    (Urls.baked_svg("biklab", "20260312-a1b2c3d4"), "awards/biklab/20260312-a1b2c3d4/badge.svg"),
    (
        Urls.baked_svg_ob2("biklab", "20260312-a1b2c3d4"),
        "awards/biklab/20260312-a1b2c3d4/badge-ob2.svg",
    ),
    (Urls.did_document("biklab"), "issuers/biklab/did.json"),
    (Urls.key_history("biklab"), "issuers/biklab/key-history.jsonl"),
    (Urls.coordinators_log(), "trust/coordinators.jsonl"),
    (Urls.status_list("biklab"), "issuers/biklab/status/revocation.json"),
    (Urls.revocation_list("biklab"), "issuers/biklab/status/revocation-list.json"),
]


def _page(urls: Urls, what: str, language: str) -> str:
    arguments = {
        "badge_page": ("laser-1",),
        "issuer_page": ("fablab-du-port",),
        "page": ("a-propos",),
        "aligned_page": ("rome", "g1202"),
    }.get(what, ())
    path: str = getattr(urls, what)(*arguments, language)
    return path


@pytest.mark.parametrize(("what", "french", "english"), PAGES)
def test_page_paths_french_at_root_english_under_en(what: str, french: str, english: str) -> None:
    assert _page(URLS, what, "fr") == french
    assert _page(URLS, what, "en") == english


@pytest.mark.parametrize(("what", "french", "english"), PAGES)
def test_page_paths_breton_under_br(what: str, french: str, english: str) -> None:
    # a language a network adds (issue 28) lives under its code, as English does
    assert _page(URLS, what, "br") == "br/" + english.removeprefix("en/")
    assert URLS.absolute(_page(URLS, what, "br")) == BASE + "br/" + french


@pytest.mark.parametrize(("what", "french", "english"), PAGES)
def test_page_absolute_urls(what: str, french: str, english: str) -> None:
    assert URLS.absolute(_page(URLS, what, "fr")) == BASE + french
    assert URLS.absolute(_page(URLS, what, "en")) == BASE + english


def test_absolute_urls_spelled_out() -> None:
    assert URLS.absolute(URLS.home("fr")) == "https://org.github.io/repo/"
    assert URLS.absolute(URLS.home("en")) == "https://org.github.io/repo/en/"
    assert (
        URLS.absolute(URLS.badge_page("laser-1", "en"))
        == "https://org.github.io/repo/en/badges/laser-1/"
    )
    assert (
        URLS.absolute(URLS.achievement("laser-1"))
        == "https://org.github.io/repo/badges/laser-1/achievement.json"
    )
    assert (
        URLS.absolute(URLS.badge_class("atelier", "laser-1"))
        == "https://org.github.io/repo/issuers/atelier/badges/laser-1.json"
    )
    assert (
        URLS.absolute(URLS.issuer_profile_ob2("atelier"))
        == "https://org.github.io/repo/issuers/atelier/issuer.json"
    )
    assert (
        URLS.absolute(URLS.issuer_profile_ob3("atelier"))
        == "https://org.github.io/repo/issuers/atelier/profile.json"
    )
    assert URLS.absolute(URLS.feed("en")) == "https://org.github.io/repo/en/feed.xml"
    assert URLS.absolute(URLS.catalogue_export()) == "https://org.github.io/repo/data/badges.json"
    assert (
        URLS.absolute(URLS.schema("issuer"))
        == "https://org.github.io/repo/schemas/issuer.schema.json"
    )


@pytest.mark.parametrize(("made", "expected"), FILES)
def test_file_paths(made: str, expected: str) -> None:
    assert made == expected


@pytest.mark.parametrize(("made", "expected"), FILES)
def test_file_absolute_urls_and_links(made: str, expected: str) -> None:
    assert URLS.absolute(made) == BASE + expected
    assert URLS.link(made) == "/repo/" + expected


def test_file_paths_are_the_same_from_an_instance() -> None:
    assert URLS.achievement("laser-1") == "badges/laser-1/achievement.json"
    assert URLS.badge_image("laser-1", "png") == "badges/laser-1/image.png"


@pytest.mark.parametrize(
    ("page", "served_by"),
    [
        ("", "index.html"),
        ("en/", "en/index.html"),
        ("badges/", "badges/index.html"),
        ("en/badges/laser-1/", "en/badges/laser-1/index.html"),
        ("pages/a-propos/", "pages/a-propos/index.html"),
        ("feed.xml", "feed.xml"),
        ("404.html", "404.html"),
    ],
)
def test_html_file_serving_a_page(page: str, served_by: str) -> None:
    assert Urls.html(page) == served_by


def test_links_are_root_relative_under_the_sub_path() -> None:
    assert URLS.base_path == "/repo/"
    assert URLS.link(URLS.home("fr")) == "/repo/"
    assert URLS.link(URLS.home("en")) == "/repo/en/"
    assert URLS.link(URLS.catalogue("fr")) == "/repo/badges/"
    assert URLS.link(URLS.badge_page("laser-1", "en")) == "/repo/en/badges/laser-1/"
    assert URLS.link(URLS.issuer_page("atelier", "fr")) == "/repo/issuers/atelier/"
    assert URLS.link(URLS.page("a-propos", "en")) == "/repo/en/pages/a-propos/"
    assert URLS.link(URLS.feed("fr")) == "/repo/feed.xml"
    assert URLS.link(URLS.static("style.css")) == "/repo/static/style.css"


def test_root_domain() -> None:
    urls = Urls("https://badges.example.org/", "fr")
    assert urls.base_path == "/"
    assert urls.absolute(urls.home("fr")) == "https://badges.example.org/"
    assert urls.absolute(urls.home("en")) == "https://badges.example.org/en/"
    assert (
        urls.absolute(urls.achievement("laser-1"))
        == "https://badges.example.org/badges/laser-1/achievement.json"
    )
    assert (
        urls.absolute(urls.issuer_profile_ob2("atelier"))
        == "https://badges.example.org/issuers/atelier/issuer.json"
    )
    assert urls.link(urls.home("fr")) == "/"
    assert urls.link(urls.catalogue("en")) == "/en/badges/"
    assert urls.link(urls.badge_image("laser-1", "png")) == "/badges/laser-1/image.png"


def test_default_language_is_french_at_the_root() -> None:
    urls = Urls(BASE)
    assert urls.default_language == "fr"
    assert urls.home("fr") == ""
    assert urls.catalogue("en") == "en/badges/"


def test_another_default_language_moves_french_under_its_code() -> None:
    urls = Urls(BASE, "en")
    assert urls.catalogue("en") == "badges/"
    assert urls.catalogue("fr") == "fr/badges/"


def test_award_pages_french_at_root_english_under_en() -> None:
    assert (
        URLS.award_page("biklab", "20260312-a1b2c3d4", "fr") == "awards/biklab/20260312-a1b2c3d4/"
    )
    assert (
        URLS.award_page("biklab", "20260312-a1b2c3d4", "en")
        == "en/awards/biklab/20260312-a1b2c3d4/"
    )


@pytest.mark.parametrize(
    ("base", "did"),
    [
        ("https://org.github.io/repo/", "did:web:org.github.io:repo:issuers:biklab"),
        ("https://badges.example.org/", "did:web:badges.example.org:issuers:biklab"),
        ("https://example.org:8443/a/b/", "did:web:example.org%3A8443:a:b:issuers:biklab"),
    ],
)
def test_did_web_identifiers_resolve_to_the_did_document(base: str, did: str) -> None:
    urls = Urls(base, "fr")
    assert urls.did("biklab") == did
    # did:web resolution: segments after the host become the path of did.json.
    assert urls.absolute(urls.did_document("biklab")) == base + "issuers/biklab/did.json"


def test_portfolio_pages_french_at_root_english_under_en() -> None:
    assert URLS.portfolio("alice-m", "fr") == "people/alice-m/"
    assert URLS.portfolio("alice-m", "en") == "en/people/alice-m/"


# From URLs back to what they name: the verify command maps URLs onto a built site with these.


@pytest.mark.parametrize(("made", "expected"), FILES)
def test_the_path_of_a_file_url_is_the_file_path(made: str, expected: str) -> None:
    assert URLS.path_of(URLS.absolute(made)) == expected


@pytest.mark.parametrize(
    ("url", "path"),
    [
        (BASE, ""),
        (BASE + "en/badges/laser-1/", "en/badges/laser-1/"),
        (BASE + "issuers/biklab/did.json#key-1", "issuers/biklab/did.json"),
        ("https://org.github.io/other-repo/data/badges.json", None),
        ("https://elsewhere.example/repo/data/badges.json", None),
        ("http://org.github.io/repo/data/badges.json", None),
        (BASE + "../other-repo/data/badges.json", None),
        (BASE + "awards/../../../etc/passwd", None),
        (BASE + "awards/biklab/..", None),
        (BASE + "./data/badges.json", None),
        (BASE + "/etc/passwd", None),
        (BASE + "awards//credential.json", None),
        (BASE + "awards\\..\\..\\secret", None),
    ],
)
def test_the_path_of_a_url_never_leaves_the_site(url: str, path: str | None) -> None:
    assert URLS.path_of(url) == path


def test_award_pages_and_files_name_their_award() -> None:
    award = ("biklab", "20260312-a1b2c3d4")
    for language in ("fr", "en"):
        assert URLS.award_of_page(URLS.award_page(*award, language)) == award
    files = (Urls.credential, Urls.assertion, Urls.baked_png, Urls.baked_svg, Urls.baked_svg_ob2)
    for file in files:
        assert URLS.award_of_file(file(*award)) == award


@pytest.mark.parametrize(
    "path",
    [
        "",
        "awards/",
        "awards/biklab/",
        "fr/awards/biklab/20260312-a1b2c3d4/",
        "en/en/awards/biklab/20260312-a1b2c3d4/",
        "badges/biklab/20260312-a1b2c3d4/",
        "awards/biklab/20260312-a1b2c3d4/credential.json",
        "en/badges/laser-1/",
    ],
)
def test_other_paths_are_not_award_pages(path: str) -> None:
    assert URLS.award_of_page(path) is None


@pytest.mark.parametrize(
    "path",
    [
        "awards/biklab/20260312-a1b2c3d4/",
        "awards/biklab/20260312-a1b2c3d4/index.html",
        "en/awards/biklab/20260312-a1b2c3d4/credential.json",
        "issuers/biklab/status/revocation.json",
        "badges/laser-1/image.png",
    ],
)
def test_other_paths_are_not_award_files(path: str) -> None:
    assert URLS.award_of_file(path) is None


@pytest.mark.parametrize(
    "base",
    ["https://org.github.io/repo/", "https://badges.example.org/", "https://example.org:8443/a/b/"],
)
def test_a_did_web_identifier_resolves_back_to_its_did_document(base: str) -> None:
    urls = Urls(base, "fr")
    assert urls.did_document_url(urls.did("biklab")) == urls.absolute(urls.did_document("biklab"))


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.org", "https://example.org/.well-known/did.json"),
        ("did:web:example.org%3A8443:a", "https://example.org:8443/a/did.json"),
        ("did:key:z6Mk", None),
        ("did:web:", None),
        ("https://example.org/issuers/biklab/did.json", None),
    ],
)
def test_did_document_urls_follow_did_web(did: str, url: str | None) -> None:
    assert Urls.did_document_url(did) == url


def test_endorsement_urls_spelled_out() -> None:
    """Endorsements (issue 25): each at a stable URL without its endorser in it, an
    endorser's status list, and the DID the site hosts for an outside endorser."""
    assert URLS.endorsement("20251218-7d02131a") == "endorsements/20251218-7d02131a.json"
    assert URLS.endorsement_status_list("partenaire") == "endorsements/status/partenaire.json"
    assert URLS.endorser_did("partenaire") == "did:web:org.github.io:repo:endorsers:partenaire"
    assert URLS.endorser_did_document("partenaire") == "endorsers/partenaire/did.json"
    assert URLS.did_document_url(URLS.endorser_did("partenaire")) == URLS.absolute(
        URLS.endorser_did_document("partenaire")
    )
    assert URLS.endorser_key_history("partenaire") == "endorsers/partenaire/key-history.jsonl"
    assert URLS.endorser_logo("partenaire", "svg") == "endorsers/partenaire/logo.svg"


def test_known_frameworks_entries_pages() -> None:
    """The official pages an alignment links when its badge gives none (frameworks.py)."""
    assert framework_entry("esco", "skill", "45bef06d-dba9-4192-9805-2f7d27523638") == (
        "http://data.europa.eu/esco/skill/45bef06d-dba9-4192-9805-2f7d27523638"
    )
    assert framework_entry("rome", "", "G1202") == (
        "https://candidat.francetravail.fr/metierscope/fiche-metier/G1202"
    )
    assert (
        framework_entry("rncp", "", "123") == "https://www.francecompetences.fr/recherche/rncp/123/"
    )
    assert framework_entry("rs", "", "45") == "https://www.francecompetences.fr/recherche/rs/45/"
