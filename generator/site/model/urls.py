"""The site's URL scheme, in one place. Every published URL is built here and nowhere else,
and read back here too (the verify command maps URLs onto a built site).

URLs are forever: earners put them on CVs, and every credential id contains one. A test pins
this scheme; change it only by adding, never by moving.

Output paths are relative to the output folder, with '/' separators; a page is a folder
holding index.html. French (the default) pages live at the root, every other language's
under its code: English 'en/', Breton 'br/' (when the network enables it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SPACE_OR_CONTROL = re.compile("[\x00-\x20\x7f]")


def is_web_link(text: object) -> bool:
    """Whether a text is an absolute http(s) URL with a host and nothing a browser would run or
    strip (the one rule for every link the site publishes that a person or a credential gave:
    `javascript:`, `data:` and the like never become links)."""
    if not isinstance(text, str) or _SPACE_OR_CONTROL.search(text):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# The schemes a link on the site may have (a relative link has none): the one list for the
# templates' links (web_link), the Markdown sanitiser and the check of every built page.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def web_link(text: object) -> str:
    """The link a template writes for a URL that a person or a credential gave: the URL if
    it is a web link (is_web_link), else an inert 'about:blank' (the load and check stages
    already refuse such a URL: this is the last line, for every theme)."""
    return str(text) if is_web_link(text) else "about:blank"


def is_safe_link(href: str) -> bool:
    """Whether a link in a built page is relative or has one of LINK_SCHEMES (as a browser
    reads it: control characters and spaces dropped, scheme case-insensitive)."""
    cleaned = "".join(char for char in href if ord(char) > 0x20 and char != "\x7f")
    scheme, colon, _ = cleaned.partition(":")
    if not colon or any(char in scheme for char in "/?#"):
        return True  # no scheme: a path, a query or a fragment
    return scheme.lower() in LINK_SCHEMES | {"about"} and (
        scheme.lower() != "about" or cleaned.lower() == "about:blank"
    )


# The official pages of the known skill frameworks' entries (frameworks.py), an alignment's
# targetUrl when the badge gives none. An ESCO concept's URI is its page.
_FRAMEWORK_ENTRIES = {
    "esco": "http://data.europa.eu/esco/{kind}/{id}",
    "rome": "https://candidat.francetravail.fr/metierscope/fiche-metier/{id}",
    "rncp": "https://www.francecompetences.fr/recherche/rncp/{id}/",
    "rs": "https://www.francecompetences.fr/recherche/rs/{id}/",
}


def framework_entry(framework: str, kind: str, identifier: str) -> str:
    """The official page of an entry of a known skill framework (esco, rome, rncp, rs)."""
    return _FRAMEWORK_ENTRIES[framework].format(kind=kind, id=identifier)


@dataclass(frozen=True)
class Urls:
    """Paths and absolute URLs for one base URL and default language."""

    base_url: str
    default_language: str = "fr"

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. '/open-badges/' or '/'."""
        return urlsplit(self.base_url).path or "/"

    def absolute(self, path: str) -> str:
        """The absolute URL of an output path."""
        return self.base_url + path

    def link(self, path: str) -> str:
        """A root-relative link to an output path (works on the 404 page at any depth too)."""
        return self.base_path + path

    def _lang(self, language: str) -> str:
        return "" if language == self.default_language else f"{language}/"

    # Pages (one per language)
    def home(self, language: str) -> str:
        """The home page."""
        return self._lang(language)

    def catalogue(self, language: str) -> str:
        """The badge catalogue."""
        return f"{self._lang(language)}badges/"

    def badge_page(self, badge: str, language: str) -> str:
        """A badge's page."""
        return f"{self._lang(language)}badges/{badge}/"

    def issuers_page(self, language: str) -> str:
        """The list of structures."""
        return f"{self._lang(language)}issuers/"

    def issuer_page(self, issuer: str, language: str) -> str:
        """A structure's page."""
        return f"{self._lang(language)}issuers/{issuer}/"

    def page(self, slug: str, language: str) -> str:
        """An editorial page."""
        return f"{self._lang(language)}pages/{slug}/"

    def feed(self, language: str) -> str:
        """The Atom feed of newly approved badges."""
        return f"{self._lang(language)}feed.xml"

    @staticmethod
    def html(page: str) -> str:
        """The file that serves a page path."""
        return page + "index.html" if page == "" or page.endswith("/") else page

    # Files (language-neutral)
    @staticmethod
    def badge_image(badge: str, extension: str) -> str:
        """A badge's image, 'png' or 'svg'."""
        return f"badges/{badge}/image.{extension}"

    @staticmethod
    def badge_share_image(badge: str, language: str, status: str = "valid") -> str:
        """The 1200 x 630 image a link to a badge's pages shows on social networks; an award
        revoked or expired shows its own (status 'revoked', 'expired'), at another address, so
        that a social network that kept the first image shows the new one."""
        if status == "valid":
            return f"badges/{badge}/share-{language}.png"
        return f"badges/{badge}/share-{status}-{language}.png"

    @staticmethod
    def site_share_image(language: str) -> str:
        """The 1200 x 630 image a link to a page about no badge shows on social networks."""
        return f"share/site-{language}.png"

    @staticmethod
    def achievement(badge: str) -> str:
        """A badge's Open Badges 3.0 Achievement."""
        return f"badges/{badge}/achievement.json"

    @staticmethod
    def badge_class(issuer: str, badge: str) -> str:
        """The Open Badges 2.0 BadgeClass of a badge as awarded by one structure."""
        return f"issuers/{issuer}/badges/{badge}.json"

    @staticmethod
    def issuer_profile_ob2(issuer: str) -> str:
        """A structure's Open Badges 2.0 Issuer profile."""
        return f"issuers/{issuer}/issuer.json"

    @staticmethod
    def issuer_profile_ob3(issuer: str) -> str:
        """A structure's Open Badges 3.0 Profile."""
        return f"issuers/{issuer}/profile.json"

    @staticmethod
    def issuer_logo(issuer: str, extension: str) -> str:
        """A structure's logo."""
        return f"issuers/{issuer}/logo.{extension}"

    @staticmethod
    def site_logo(extension: str) -> str:
        """The network's logo."""
        return f"static/logo.{extension}"

    @staticmethod
    def catalogue_export() -> str:
        """The machine-readable catalogue."""
        return "data/badges.json"

    @staticmethod
    def schema(kind: str) -> str:
        """The published JSON Schema of one kind of content file."""
        return f"schemas/{kind}.schema.json"

    # The skills map
    def skills_map(self, language: str) -> str:
        """The overview of the skills map: domains by levels, and where."""
        return f"{self._lang(language)}map/"

    def domain_page(self, domain: str, language: str) -> str:
        """A skill domain: its pathway, structures, machines and resource persons."""
        return f"{self._lang(language)}map/{domain}/"

    def machine_page(self, issuer: str, machine: str, language: str) -> str:
        """A machine of a structure, with its printable poster."""
        return f"{self._lang(language)}issuers/{issuer}/machines/{machine}/"

    def aligned_page(self, framework: str, code: str, language: str) -> str:
        """The skills map's page of one code of a skill framework (ESCO, ROME, …): the badges
        aligned to it and where to earn them. Both segments come from frameworks.py, never
        empty; nothing is written at map/frameworks/ itself, so no domain's page meets them."""
        return f"{self._lang(language)}map/frameworks/{framework}/{code}/"

    @staticmethod
    def alignments_export(extension: str) -> str:
        """The badges' alignments with skill frameworks as open data, 'json' or 'csv'."""
        return f"data/alignments.{extension}"

    @staticmethod
    def skills_map_export(extension: str) -> str:
        """The skills map as open data, 'json' or 'csv'."""
        return f"data/skills-map.{extension}"

    def portfolio(self, person: str, language: str) -> str:
        """A person's public portfolio (only with their 'portfolio' consent)."""
        return f"{self._lang(language)}people/{person}/"

    # Awards: one folder per credential, named by the issuer and the credential's file name
    def award_page(self, issuer: str, award: str, language: str) -> str:
        """The human page of one award."""
        return f"{self._lang(language)}awards/{issuer}/{award}/"

    def earlier_award(self, issuer: str, award: str, language: str) -> str:
        """The page of an award another platform published (assertions/<issuer>/earlier/)."""
        return f"{self._lang(language)}earlier/{issuer}/{award}/"

    @staticmethod
    def credential(issuer: str, award: str) -> str:
        """The signed Open Badges 3.0 credential, verbatim (its id is this URL)."""
        return f"awards/{issuer}/{award}/credential.json"

    @staticmethod
    def assertion(issuer: str, award: str) -> str:
        """The Open Badges 2.0 hosted assertion derived from the credential."""
        return f"awards/{issuer}/{award}/assertion.json"

    @staticmethod
    def baked_png(issuer: str, award: str) -> str:
        """The badge PNG baked with both the OB 2.0 assertion and the OB 3.0 credential."""
        return f"awards/{issuer}/{award}/badge.png"

    @staticmethod
    def baked_svg(issuer: str, award: str) -> str:
        """The badge SVG baked with the OB 3.0 credential (SVG badges only)."""
        return f"awards/{issuer}/{award}/badge.svg"

    @staticmethod
    def baked_svg_ob2(issuer: str, award: str) -> str:
        """The badge SVG baked with the OB 2.0 assertion (SVG badges only)."""
        return f"awards/{issuer}/{award}/badge-ob2.svg"

    # Issuer trust documents
    @staticmethod
    def did_document(issuer: str) -> str:
        """The did:web document listing the structure's public keys."""
        return f"issuers/{issuer}/did.json"

    @staticmethod
    def key_history(issuer: str) -> str:
        """The structure's key history, as its file holds it: how its keys descend from
        its first, each change signed (beside its DID document)."""
        return f"issuers/{issuer}/key-history.jsonl"

    @staticmethod
    def coordinators_log() -> str:
        """The network coordinators' log, as its file holds it: the root of the key histories."""
        return "trust/coordinators.jsonl"

    @staticmethod
    def status_list(issuer: str) -> str:
        """The structure's signed BitstringStatusListCredential (revocation)."""
        return f"issuers/{issuer}/status/revocation.json"

    @staticmethod
    def revocation_list(issuer: str) -> str:
        """The structure's 1EdTech revocation list."""
        return f"issuers/{issuer}/status/revocation-list.json"

    def did(self, issuer: str) -> str:
        """The structure's did:web identifier, resolving to did_document(issuer).

        did:web maps ':' separated segments to URL path segments, and a port to '%3A'
        (https://w3c-ccg.github.io/did-method-web/).
        """
        return self._did("issuers", issuer)

    def _did(self, *path: str) -> str:
        parts = urlsplit(self.base_url)
        host = parts.netloc.replace(":", "%3A")
        segments = [segment for segment in parts.path.split("/") if segment]
        return ":".join(["did:web", host, *segments, *path])

    # Endorsements: EndorsementCredentials of badges and structures, and the outside
    # organisations that sign them
    @staticmethod
    def endorsement(endorsement: str) -> str:
        """A signed Open Badges 3.0 EndorsementCredential, verbatim (its id is this URL)."""
        return f"endorsements/{endorsement}.json"

    @staticmethod
    def endorsement_status_list(endorser: str) -> str:
        """An endorser's signed BitstringStatusListCredential of its endorsements."""
        return f"endorsements/status/{endorser}.json"

    def endorser_did(self, endorser: str) -> str:
        """The did:web the site hosts for an outside endorser, resolving to
        endorser_did_document(endorser)."""
        return self._did("endorsers", endorser)

    @staticmethod
    def endorser_did_document(endorser: str) -> str:
        """The DID document the site hosts for an outside endorser: every key it ever used."""
        return f"endorsers/{endorser}/did.json"

    @staticmethod
    def endorser_key_history(endorser: str) -> str:
        """The key history of an endorser whose DID the site hosts, as its file holds it."""
        return f"endorsers/{endorser}/key-history.jsonl"

    @staticmethod
    def endorser_logo(endorser: str, extension: str) -> str:
        """An outside endorser's logo."""
        return f"endorsers/{endorser}/logo.{extension}"

    @staticmethod
    def static(name: str) -> str:
        """A file of the theme's static folder."""
        return f"static/{name}"

    @staticmethod
    def search_index() -> str:
        """The folder of the site's search index (Pagefind's bundle), all languages."""
        return "pagefind/"

    # From URLs back to what they name (for the verify command, which reads a built site)
    def path_of(self, url: str) -> str | None:
        """The output path a URL names (fragment dropped); None if not under the base URL."""
        if not url.startswith(self.base_url):
            return None
        path = url[len(self.base_url) :].partition("#")[0]
        *folders, last = path.split("/")
        # Only the last segment may be empty (a page's path ends with '/'). Empty, '.' and '..'
        # segments, and backslashes, could resolve outside the site's folder: not URLs of it.
        if "\\" in path or last in (".", "..") or any(s in ("", ".", "..") for s in folders):
            return None
        return path

    def award_of_page(self, path: str) -> tuple[str, str] | None:
        """(issuer, award) of the path of an award's page, in any language."""
        segments = path.split("/")
        if len(segments) < 4:
            return None
        issuer, award = segments[-3], segments[-2]
        language = segments[0] if len(segments) > 4 else self.default_language
        if issuer and award and self.award_page(issuer, award, language) == path:
            return issuer, award
        return None

    def award_of_file(self, path: str) -> tuple[str, str] | None:
        """(issuer, award) of the path of an award's file (credential, assertion, baked image)."""
        segments = path.split("/")
        if len(segments) < 3:
            return None
        issuer, award = segments[-3], segments[-2]
        files = (
            self.credential,
            self.assertion,
            self.baked_png,
            self.baked_svg,
            self.baked_svg_ob2,
        )
        if issuer and award and any(file(issuer, award) == path for file in files):
            return issuer, award
        return None

    @staticmethod
    def did_document_url(did: str) -> str | None:
        """The https URL of a did:web identifier's DID document; None if it is not did:web."""
        parts = did.split(":")
        if parts[:2] != ["did", "web"] or len(parts) < 3 or not parts[2]:
            return None
        host = parts[2].replace("%3A", ":")
        path = "/".join(parts[3:])
        return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"
