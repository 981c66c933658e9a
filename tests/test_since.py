"""`check --since REV` and `build --since REV`: every address published at a git revision is
still published, or the removed or renamed file is named with what to do instead. Each test
works on a git repository holding a copy of the example network, committed once."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .credential_fixtures import Run, ok, run, snapshot
from .test_withdrawn import RECORD, REVOKED, example

CREDENTIAL = "assertions/biklab/20240630-814da3a6.json"
BADGE = "badges/decoupe-vinyle-mainteneur"  # approved, and awarded by no credential
PROPOSED = "badges/decoupe-laser-animateur.yaml"
STRUCTURE = "content/issuers/mediatheque-exemple.yaml"  # awards nothing signed
PAGE = "content/pages/charte"
PERSON = "content/people/alice-m.yaml"  # portfolio: true
PRIVATE = "content/people/bob-lg.yaml"  # no portfolio
ENDORSEMENT = "assertions/employeurs-exemple/endorsements/20251218-7d02131a.json"
ENDORSER = "content/endorsers/employeurs-exemple.yaml"  # its DID hosted by the site
PRINTING = "badges/impression-3d-fdm-utilisateur-autonome.yaml"  # two ESCO alignments
PRINTING_SKILL = "http://data.europa.eu/esco/skill/2afb2b59-c9a3-4cf3-b1dd-1a2fad51e583"


def git(repo: Path, *args: str) -> str:
    """Run git in repo, with an identity of its own (no global configuration needed)."""
    result = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A", ".")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


@pytest.fixture(scope="session")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose one commit is the example network."""
    repo = example(tmp_path_factory.mktemp("since") / "repo")
    git(repo, "init", "-q")
    commit(repo, "the example network")
    return repo


@pytest.fixture
def repo(committed: Path, tmp_path: Path, example_cache: Callable[[Path], Path]) -> Path:
    """A copy of the committed repository that a test may change, with the cache store of the
    session's build of the example network (tests/published_sites.py)."""
    return example_cache(Path(shutil.copytree(committed, tmp_path / "repo", symlinks=True)))


def check(repo: Path, since: str = "HEAD", *extra: str | Path) -> Run:
    return run("check", "--source", repo, f"--since={since}", *extra)


def errors(result: Run) -> list[str]:
    """The error lines a run printed."""
    return [line for line in result.err.splitlines() if ": error: " in line]


def remove(repo: Path, *paths: str) -> None:
    for path in paths:
        (repo / path).unlink()


def rename(repo: Path, old: str, new: str) -> None:
    (repo / old).rename(repo / new)


def test_nothing_removed_passes(repo: Path) -> None:
    result = check(repo)
    assert result.code == 0, result.err
    assert "content is valid" in result.out


def test_additions_and_edits_pass(repo: Path) -> None:
    page = repo / "content" / "pages" / "charte.md"
    page.write_text(page.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    (repo / "content" / "pages" / "nouvelle.md").write_text("---\ntitle: Nouvelle\n---\nTexte.\n")
    remove(repo, PROPOSED, PRIVATE)  # never published for good: a proposal, no portfolio
    result = check(repo)
    assert result.code == 0, result.err


def rename_page(repo: Path) -> None:
    rename(repo, f"{PAGE}.md", "content/pages/notre-charte.md")
    rename(repo, f"{PAGE}.en.md", "content/pages/notre-charte.en.md")


# Each kind of removal: (what to do to the content, the file named, what the message advises)
REMOVALS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "credential-deleted": (
        lambda repo: remove(repo, CREDENTIAL),
        CREDENTIAL,
        "revoke it with 'build.py revoke' instead (a published credential is never deleted",
    ),
    "credential-renamed": (
        lambda repo: rename(repo, CREDENTIAL, "assertions/biklab/20240630-00000000.json"),
        CREDENTIAL,
        "credential published at HEAD (awards/biklab/20240630-814da3a6/) and now deleted or "
        "renamed",
    ),
    "badge-deleted": (
        lambda repo: remove(repo, f"{BADGE}.yaml", f"{BADGE}.md", f"{BADGE}.en.md"),
        f"{BADGE}.yaml",
        "restore the file: a badge that is no longer awarded is retired instead (status: "
        "retired, with retired_on)",
    ),
    "badge-renamed": (
        lambda repo: rename(repo, f"{BADGE}.yaml", "badges/decoupe-vinyle-expert.yaml"),
        f"{BADGE}.yaml",
        "badge 'decoupe-vinyle-mainteneur' published at HEAD (badges/decoupe-vinyle-mainteneur/)",
    ),
    "structure-deleted": (
        lambda repo: remove(repo, STRUCTURE),
        STRUCTURE,
        "keep its file: its page and profiles are named by every credential it signed",
    ),
    "structure-renamed": (
        lambda repo: rename(repo, STRUCTURE, "content/issuers/mediatheque.yaml"),
        STRUCTURE,
        "structure 'mediatheque-exemple' published at HEAD (issuers/mediatheque-exemple/)",
    ),
    "page-deleted": (
        lambda repo: remove(repo, f"{PAGE}.md", f"{PAGE}.en.md"),
        f"{PAGE}.md",
        "page 'charte' published at HEAD (pages/charte/) and now deleted or renamed; restore",
    ),
    "page-renamed": (
        rename_page,
        f"{PAGE}.md",
        "page 'charte' published at HEAD (pages/charte/)",
    ),
    "person-deleted": (
        lambda repo: remove(repo, PERSON),
        PERSON,
        "keep the file, and withdraw the consent with 'build.py consent alice-m --withdraw "
        "portfolio'",
    ),
    "person-renamed": (
        lambda repo: rename(repo, PERSON, "content/people/alice.yaml"),
        PERSON,
        "the portfolio of 'alice-m' was published at HEAD (people/alice-m/)",
    ),
    "endorsement-deleted": (
        lambda repo: remove(repo, ENDORSEMENT),
        ENDORSEMENT,
        "endorsement published at HEAD (endorsements/20251218-7d02131a.json) and now deleted "
        "or renamed: wallets and the documents that embedded it name its address; restore the "
        "file, and revoke it with 'build.py revoke-endorsement' instead",
    ),
    "endorser-renamed": (
        lambda repo: rename(repo, ENDORSER, "content/endorsers/employeurs.yaml"),
        ENDORSER,
        "endorser 'employeurs-exemple' published at HEAD (endorsers/employeurs-exemple/logo.svg) "
        "and now deleted or renamed; keep its file",
    ),
}


@pytest.mark.parametrize("change", REMOVALS.values(), ids=REMOVALS.keys())
def test_a_removal_is_reported_at_its_file_with_what_to_do(
    repo: Path, change: tuple[Callable[[Path], None], str, str]
) -> None:
    alter, path, advice = change
    alter(repo)
    result = check(repo)
    assert result.code == 1
    reported = [line for line in errors(result) if line.startswith(f"{path}: error: ")]
    assert len(reported) == 1, result.err
    assert advice in reported[0]


def test_every_removal_at_once_is_reported_in_one_run(repo: Path) -> None:
    for name, (alter, _, _) in REMOVALS.items():
        if name.endswith("-deleted"):
            alter(repo)
    result = check(repo)
    assert result.code == 1
    named = {line.split(": error: ")[0] for line in errors(result)}
    assert {CREDENTIAL, f"{BADGE}.yaml", STRUCTURE, f"{PAGE}.md", PERSON} <= named


def drop_alignment(repo: Path, badge: str, code: str) -> None:
    """Take the alignment with this code out of a badge's file (the list ends the file), and
    the list itself when it was its only entry."""
    path = repo / badge
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.strip() == f"code: {code}") - 1
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("  - ")), len(lines))
    if lines[start - 1].startswith("alignment:") and end == len(lines):
        start -= 1
    path.write_text("".join(lines[:start] + lines[end:]), "utf-8")


def test_an_aligned_code_no_badge_keeps_is_reported_at_the_alignment(repo: Path) -> None:
    """The skills map's page of a code is published for good: dropping the code from the one
    badge aligned with it is an error at that badge's alignments, in every language."""
    drop_alignment(repo, PRINTING, PRINTING_SKILL)
    page = f"map/frameworks/esco/skill-{PRINTING_SKILL.rsplit('/', 1)[1]}/"
    [line] = errors(check(repo))
    text = (repo / PRINTING).read_text("utf-8")
    line_of_alignment = 1 + [line[:10] for line in text.splitlines()].index("alignment:")
    assert line.startswith(
        f"{PRINTING}:{line_of_alignment}: error: the skills map's page of esco {PRINTING_SKILL} "
        f"was published at HEAD ({page}), and no published badge aligns with it any more: keep "
        "this alignment"
    ), line


def test_an_aligned_code_another_badge_keeps_passes(repo: Path) -> None:
    """G1202 stays on the skills map while one badge still aligns with it."""
    drop_alignment(repo, "badges/decoupe-vinyle-animateur.yaml", "G1202")
    result = check(repo)
    assert result.code == 0, result.err
    for badge in ("decoupe-laser-animateur", "impression-3d-fdm-animateur"):
        drop_alignment(repo, f"badges/{badge}.yaml", "G1202")
    assert any("rome G1202" in line for line in errors(check(repo)))


def test_a_deleted_badge_loses_its_aligned_codes_pages_too(repo: Path) -> None:
    badge = "badges/impression-3d-fdm-mainteneur"
    remove(repo, f"{badge}.yaml", f"{badge}.md", f"{badge}.en.md")
    skill = "http://data.europa.eu/esco/skill/3a699f1e-3803-4c1b-b6a8-6230cca92933"
    page = "map/frameworks/esco/skill-3a699f1e-3803-4c1b-b6a8-6230cca92933/"
    assert (
        f"{badge}.yaml: error: the skills map's page of esco {skill} was published at HEAD "
        f"({page}), from this badge, now deleted or renamed; restore the badge's file"
    ) in check(repo).err


def test_an_endorsers_logo_taken_away_is_reported_at_its_file(repo: Path) -> None:
    path = repo / ENDORSER
    path.write_text(path.read_text("utf-8").replace("logo: employeurs-exemple.svg\n", ""), "utf-8")
    first = 1 + path.read_text("utf-8").splitlines().index(
        "name: Groupement d'employeurs Exemple (organisation fictive)"
    )
    [line] = errors(check(repo))
    assert line.startswith(
        f"{ENDORSER}:{first}: error: endorser 'employeurs-exemple' was published at HEAD "
        "(endorsers/employeurs-exemple/logo.svg), and its endorsements name that address"
    ), line


def test_an_approved_badge_set_back_to_proposed_is_reported(repo: Path) -> None:
    path = repo / f"{BADGE}.yaml"
    path.write_text(
        path.read_text("utf-8").replace("status: approved", "status: proposed"), "utf-8"
    )
    [line] = errors(check(repo))
    assert line.startswith(f"{BADGE}.yaml:")
    assert "is no longer approved; an approved badge is never withdrawn: retire it" in line


def test_a_retired_badge_deleted_is_reported(repo: Path) -> None:
    path = repo / f"{BADGE}.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "status: approved", "status: retired\nretired_on: 2025-06-01"
        ),
        "utf-8",
    )
    commit(repo, "retire a badge")
    assert check(repo).code == 0
    remove(repo, f"{BADGE}.yaml", f"{BADGE}.md", f"{BADGE}.en.md")
    reported = errors(check(repo))
    assert any(
        line.startswith(f"{BADGE}.yaml: error: badge 'decoupe-vinyle-mainteneur' published at")
        for line in reported
    ), reported


def test_retiring_a_badge_passes(repo: Path) -> None:
    path = repo / f"{BADGE}.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "status: approved", "status: retired\nretired_on: 2025-06-01"
        ),
        "utf-8",
    )
    assert check(repo).code == 0


# Portfolios


def test_portfolio_consent_set_to_false_by_hand_is_reported(repo: Path) -> None:
    path = repo / PERSON
    text = path.read_text("utf-8")
    path.write_text(text.replace("portfolio: true", "portfolio: false"), "utf-8")
    line = text.splitlines().index("  portfolio: true") + 1
    [reported] = errors(check(repo))
    assert reported.startswith(f"{PERSON}:{line}: error: the portfolio of 'alice-m' was published")
    assert (
        "set 'portfolio: true' back and run 'build.py consent alice-m --withdraw portfolio', "
        "which records the withdrawal" in reported
    )
    path.write_text(text, "utf-8")  # as advised
    ok("consent", "--source", repo, "alice-m", "--withdraw", "portfolio")
    assert check(repo).code == 0


def test_portfolio_consent_withdrawn_with_the_command_passes(repo: Path) -> None:
    ok("consent", "--source", repo, "alice-m", "--withdraw", "portfolio")
    result = check(repo)
    assert result.code == 0, result.err


def test_a_withdrawn_portfolio_keeps_its_file(repo: Path) -> None:
    ok("consent", "--source", repo, "alice-m", "--withdraw", "portfolio")
    commit(repo, "alice-m withdraws her portfolio")
    remove(repo, PERSON)
    [line] = errors(check(repo))
    assert line.startswith(f"{PERSON}: error: the portfolio of 'alice-m' was published at HEAD")


# Revoked credentials


def test_a_revoked_credential_deleted_with_its_record_kept_passes(repo: Path) -> None:
    remove(repo, REVOKED)
    result = check(repo)
    assert result.code == 0, result.err


def test_the_record_of_a_deleted_credential_is_kept(repo: Path) -> None:
    remove(repo, REVOKED)
    commit(repo, "the earner asked for their revoked credential to be deleted")
    remove(repo, RECORD)
    [line] = errors(check(repo))
    assert line.startswith(f"{RECORD}: error: this revocation record keeps the address")
    assert "restore it" in line


def test_a_revoked_credential_deleted_with_its_record_is_reported(repo: Path) -> None:
    remove(repo, REVOKED, RECORD)
    [line] = errors(check(repo))
    assert line.startswith(f"{REVOKED}: error: credential published at HEAD")


# The site's languages


@pytest.mark.parametrize(("kept", "dropped"), [("[fr, br]", "en"), ("[fr, en]", "br")])
def test_dropping_a_language_is_one_error_at_the_site_settings(
    repo: Path, kept: str, dropped: str
) -> None:
    path = repo / "content" / "site.yaml"
    text = path.read_text("utf-8")
    assert "languages: [fr, en, br]" in text
    path.write_text(text.replace("languages: [fr, en, br]", f"languages: {kept}"), "utf-8")
    [line] = errors(check(repo))
    assert line.startswith("content/site.yaml")
    assert f"{dropped}/ and every address under it would disappear" in line


# Revisions


def test_an_older_revision_is_compared_too(repo: Path) -> None:
    remove(repo, CREDENTIAL)
    commit(repo, "a credential deleted")
    assert check(repo, "HEAD").code == 0
    [line] = errors(check(repo, "HEAD~1"))
    assert line.startswith(f"{CREDENTIAL}: error: credential published at HEAD~1")


def test_a_revision_without_a_site_published_nothing(
    tmp_path: Path, example_cache: Callable[[Path], Path]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("Bientôt.\n")
    commit(repo, "before the site")
    example_cache(example(repo))
    assert check(repo).code == 0


def test_uncommitted_changes_are_not_the_revision(repo: Path) -> None:
    """The revision is read from git's history, never from the work tree."""
    remove(repo, CREDENTIAL)
    git(repo, "add", "-A", ".")  # staged, not committed
    assert errors(check(repo))[0].startswith(f"{CREDENTIAL}: error:")


def test_a_source_folder_inside_the_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    source = example(repo / "site")
    commit(repo, "the site in a folder")
    remove(source, CREDENTIAL)
    monkeypatch.chdir(tmp_path)  # paths are printed relative to the source, not here
    [line] = errors(check(source))
    assert line.startswith(f"{CREDENTIAL}: error: credential published at HEAD")


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("nope", "--since nope: no such commit, branch or tag in the git repository at"),
        ("HEAD~5", "--since HEAD~5: no such commit"),
        ("--output=x", "--since '--output=x' is not a git revision"),
    ],
)
def test_a_revision_that_does_not_exist_is_an_error(repo: Path, since: str, message: str) -> None:
    result = check(repo, since)
    assert result.code == 1
    assert result.err.startswith(f"error: {message}"), result.err
    assert "Traceback" not in result.err
    assert not (repo / "x").exists()


def test_a_source_outside_any_git_repository_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = example(tmp_path / "plain")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = check(source)
    assert result.code == 1
    assert result.err.startswith(f"error: --since HEAD: {source} is not in a git repository")


def test_without_git_the_error_says_so(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-such-folder"))
    result = check(repo)
    assert result.code == 1
    assert result.err == "error: --since needs git, which is not installed (or not on PATH)\n"


# build --since


def test_build_since_refuses_a_removal_and_leaves_the_site(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok("build", "--source", repo, "--out", out, "--since", "HEAD")
    before = snapshot(out)
    remove(repo, CREDENTIAL)
    result = run("build", "--source", repo, "--out", out, "--since", "HEAD")
    assert result.code == 1
    assert errors(result)[0].startswith(f"{CREDENTIAL}: error: credential published at HEAD")
    assert snapshot(out) == before


def test_build_since_is_not_skipped_when_nothing_changed(repo: Path, tmp_path: Path) -> None:
    """A build without --since may accept a removal; the same content built again with
    --since is compared, not waved through as 'nothing changed'."""
    out = tmp_path / "out"
    remove(repo, CREDENTIAL)
    ok("build", "--source", repo, "--out", out)
    result = run("build", "--source", repo, "--out", out, "--since", "HEAD")
    assert result.code == 1
    assert errors(result)[0].startswith(f"{CREDENTIAL}: error:")
