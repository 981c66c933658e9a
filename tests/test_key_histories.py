"""Who may speak for a structure: a key is trusted only when its key history proves it, each
change signed by a key the structure already held or approved by the threshold of the
network's coordinators; histories and the coordinators' log are append-only, published as
they are, and every change of trust is shown to the pull request's reviewers."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from generator.issuer import key_logs
from generator.issuer.keys import read_private_key
from generator.openbadges.dataintegrity import sign
from generator.openbadges.multikey import public_key_multibase
from generator.site.model.authority import line_digest

from .conftest import copy_example
from .credential_fixtures import (
    COORDINATORS,
    KEYS,
    SignedNetwork,
    keygen,
    network_site,
    ok,
    read_json,
    run,
    snapshot,
    write_json,
)
from .test_since import commit, git

BIKLAB_KEY = KEYS / "biklab.test-only.pem"
BIKLAB_LOG = "content/issuers/biklab.keys.jsonl"
BIKLAB_DID = "did:web:fababrest.github.io:open-badges:issuers:biklab"
CREDENTIAL = "assertions/biklab/20240630-814da3a6.json"
ANNE, BRUNO, CHLOE = COORDINATORS


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository whose one commit is the example network (what `main` holds)."""
    repo = copy_example(tmp_path_factory.mktemp("trust") / "repo")
    git(repo, "init", "-q")
    commit(repo, "the example network")
    return repo


@pytest.fixture
def repo(committed: Path, tmp_path: Path, example_cache: Callable[[Path], Path]) -> Path:
    """A branch of the example network that a test may change, with the cache store of the
    session's build of the example (tests/published_sites.py)."""
    return example_cache(Path(shutil.copytree(committed, tmp_path / "repo", symlinks=True)))


def errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": error: " in line]


def notices(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": notice: " in line]


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines(keepends=True)


def forge(credential: Path, key: Ed25519PrivateKey, method: str, created: str) -> None:
    """Sign a credential again, with another key under the name given."""
    document = read_json(credential)
    del document["proof"]
    write_json(credential, sign(document, key, method, created))


# The outsider's attack ------------------------------------------------------------------


def test_a_key_added_without_the_current_key_signs_nothing(repo: Path, tmp_path: Path) -> None:
    """Anyone who can open a pull request adds a key to BIK'LAB's history and signs an award
    with it: check and build refuse it at the history, once, naming the missing approval."""
    mine = tmp_path / "mine.pem"
    added = ok("keygen", "biklab", "--source", repo, "--key-file", mine, at="2025-12-15T00:00:00Z")
    assert "it is valid once 2 of the network's coordinators approve it" in added.out
    issued = run(
        "issue", "--source", repo, "--issuer", "biklab", "--badge", "decoupe-laser-premiers-pas",
        "--key-file", mine, "--recipient", "eve@example.org", at="2025-12-16T00:00:00Z",
    )  # fmt: skip
    assert issued.code == 1 and f"{BIKLAB_LOG}:2: error: " in issued.err
    forge(repo / CREDENTIAL, read_private_key(mine), f"{BIKLAB_DID}#key-2", "2025-12-16T00:00:00Z")
    expected = (
        f"{BIKLAB_LOG}:2: error: version 2 (adds key 'key-2', retires key 'key-1') is signed by "
        "no key of biklab valid on 2025-12-15T00:00:00+00:00: a rotation is signed with the "
        "current key ('build.py keygen biklab --key-file NEW --current-key-file OLD'); a first "
        "key or a recovery is approved by 2 of the network's coordinators (anne-exemple, "
        "bruno-exemple, chloe-exemple; 0 so far), each running 'build.py approve biklab "
        "--key-file COORDINATOR.pem'"
    )
    checked = run("check", "--strict", "--since", "HEAD", "--source", repo)
    assert checked.code == 1
    assert errors(checked.err) == [expected]  # the cause once; the credential is its consequence
    assert (
        f"{BIKLAB_LOG}:2: notice: key change of biklab: version 2 adds key 'key-2'" in checked.err
    )
    out = tmp_path / "site"
    built = run("build", "--source", repo, "--out", out)
    assert built.code == 1 and errors(built.err) == [expected]
    assert not out.exists()


def test_the_verify_command_says_why_a_forged_credential_is_invalid(
    repo: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.pem"
    ok("keygen", "biklab", "--source", repo, "--key-file", mine, at="2025-12-15T00:00:00Z")
    forge(repo / CREDENTIAL, read_private_key(mine), f"{BIKLAB_DID}#key-2", "2025-12-16T00:00:00Z")
    verdict = run("verify", repo / CREDENTIAL, "--source", repo)
    assert verdict.code == 1
    assert f"key 'key-2' of biklab has no valid proof in {BIKLAB_LOG}:2: " in verdict.out


def test_a_rotation_signed_with_the_current_key_passes(repo: Path, tmp_path: Path) -> None:
    new = tmp_path / "biklab-2.pem"
    made = ok(
        "keygen", "biklab", "--source", repo, "--key-file", new, "--current-key-file", BIKLAB_KEY,
        at="2025-12-15T00:00:00Z",
    )  # fmt: skip
    assert "signed with the current key, which it retires: valid at once" in made.out
    ok(
        "issue", "--source", repo, "--issuer", "biklab", "--badge", "decoupe-laser-premiers-pas",
        "--key-file", new, "--recipient", "eve@example.org", at="2025-12-16T00:00:00Z",
    )  # fmt: skip
    checked = ok("check", "--strict", "--since", "HEAD", "--source", repo)
    assert notices(checked.err) == [
        f"{BIKLAB_LOG}:2: notice: key change of biklab: version 2 adds key 'key-2', retires key "
        "'key-1'; signed by its key 'key-1', its key 'key-2'; check that biklab asked for it "
        "(and, for a first key or a recovery, who holds the new key)"
    ]
    # nothing else but what the example's Breton lacks (check/translations.py), never an error
    warned = [line for line in checked.err.splitlines() if ": warning: " in line]
    assert all(": warning: no Breton text for " in line for line in warned), warned
    assert checked.err.endswith(f"0 errors, {len(warned)} warnings, 1 notice\n")
    page = ok("build", "--source", repo, "--out", tmp_path / "site")
    assert page.code == 0
    html = (tmp_path / "site" / "issuers" / "biklab" / "index.html").read_text("utf-8")
    assert (
        "Clé key-2 ajoutée le <time" in html and "signée par la clé key-1 (renouvellement)" in html
    )


def test_a_rotation_signed_with_a_retired_key_is_refused(repo: Path, tmp_path: Path) -> None:
    """fablab-exemple-port's key-1 was retired on 2025-01-15: it no longer grants a key."""
    old = KEYS / "fablab-exemple-port.test-only-1.pem"
    result = run(
        "keygen", "fablab-exemple-port", "--source", repo, "--key-file", tmp_path / "k.pem",
        "--current-key-file", old, at="2025-12-15T00:00:00Z",
    )  # fmt: skip
    assert result.code == 1
    assert "--current-key-file is not a valid key of fablab-exemple-port" in result.err
    assert not (tmp_path / "k.pem").exists()


# A first key, approved by the coordinators --------------------------------------------------


@pytest.fixture
def first_key(tmp_path: Path) -> Path:
    """The minimal site with a second structure, after atelier made its first key."""
    site = network_site(tmp_path / "site")
    ok(
        "keygen",
        "atelier",
        "--source",
        site,
        "--key-file",
        tmp_path / "a.pem",
        at="2024-02-01T10:00:00Z",
    )
    return site


def test_a_first_key_needs_two_of_the_three_coordinators(first_key: Path) -> None:
    log = "content/issuers/atelier.keys.jsonl"
    ok("approve", "atelier", "--source", first_key, "--key-file", ANNE)
    result = run("check", "--source", first_key)
    assert errors(result.err) == [
        f"{log}:1: error: version 1 (adds key 'key-1') is not approved yet: a structure's first "
        "key is approved by 2 of the network's coordinators (anne-exemple, bruno-exemple, "
        "chloe-exemple; 1 so far: anne-exemple), each running 'build.py approve atelier "
        "--key-file COORDINATOR.pem'"
    ]
    second = ok("approve", "atelier", "--source", first_key, "--key-file", CHLOE)
    assert second.out.endswith("it is complete; commit it\n")
    assert ok("check", "--source", first_key).out == "content is valid\n"


def test_approve_refuses_what_would_not_count(first_key: Path, tmp_path: Path) -> None:
    ok("approve", "atelier", "--source", first_key, "--key-file", ANNE)
    twice = run("approve", "atelier", "--source", first_key, "--key-file", ANNE)
    assert (
        twice.code == 1 and "this key has approved this entry already; it counts once" in twice.err
    )
    stranger = tmp_path / "stranger.pem"
    ok("coordinator-key", "--key-file", stranger)
    refused = run("approve", "atelier", "--source", first_key, "--key-file", stranger)
    assert refused.code == 1 and "not the key of a coordinator in force" in refused.err
    ok("approve", "atelier", "--source", first_key, "--key-file", BRUNO)
    before = snapshot(first_key)
    done = run("approve", "atelier", "--source", first_key, "--key-file", CHLOE)
    assert (
        done.code == 1 and "version 1 is approved already; there is nothing to approve" in done.err
    )
    assert snapshot(first_key) == before


def test_a_key_added_without_its_own_proof_is_refused(first_key: Path) -> None:
    """Proof of possession: nobody adds a key they do not hold (a typo, another's key)."""
    path = first_key / "content" / "issuers" / "atelier.keys.jsonl"
    entry = json.loads(path.read_text("utf-8"))
    entry["proof"] = []
    coordinators = [read_private_key(key) for key in (ANNE, BRUNO)]
    path.write_bytes(key_logs.line_bytes(key_logs.signed(entry, coordinators)))
    expected = (
        "content/issuers/atelier.keys.jsonl:1: error: key 'key-1' is added without its own "
        "proof: a new key signs the entry that adds it (so that no one adds a key they do not "
        "hold); add keys with 'build.py keygen', which signs with them"
    )
    assert errors(run("check", "--source", first_key).err) == [expected]
    refused = run("approve", "atelier", "--source", first_key, "--key-file", CHLOE)
    assert refused.code == 1 and "it cannot be approved as it is" in refused.err


# Tampering with a history ----------------------------------------------------------------


@pytest.fixture
def three(network: SignedNetwork) -> SignedNetwork:
    """The signed network after two rotations of atelier's key: a history of three lines."""
    second = network.keys / "atelier-2.pem"
    keygen(network.site, "atelier", second, "2025-01-15T09:00:00Z", current=network.key_file)
    keygen(
        network.site,
        "atelier",
        network.keys / "atelier-3.pem",
        "2025-06-01T09:00:00Z",
        current=second,
    )
    assert ok("check", "--source", network.site).out == "content is valid\n"
    return network


def refused(network: SignedNetwork) -> list[str]:
    result = run("check", "--source", network.site)
    assert result.code == 1 and "Traceback" not in result.err
    return errors(result.err)


HISTORY = "content/issuers/atelier.keys.jsonl"


def test_a_removed_entry_is_refused_at_its_place(three: SignedNetwork) -> None:
    first, _, third = lines(three.atelier_history)
    three.atelier_history.write_text(first + third, "utf-8")
    assert refused(three) == [
        f"{HISTORY}:2: error: version 3 follows version 1 (line 1); an entry was removed or the "
        "lines were reordered; restore the log as it was published: a log is append-only, a "
        "change is a new entry at its end, written by the tools"
    ]


def test_reordered_entries_are_refused(three: SignedNetwork) -> None:
    first, second, third = lines(three.atelier_history)
    three.atelier_history.write_text(first + third + second, "utf-8")
    assert refused(three)[0].startswith(f"{HISTORY}:2: error: version 3 follows version 1")


def test_an_edited_old_entry_is_refused(three: SignedNetwork) -> None:
    first, second, third = lines(three.atelier_history)
    earlier = first.replace(
        '"validFrom":"2024-02-01T10:00:00Z"', '"validFrom":"2023-01-01T00:00:00Z"'
    )
    assert earlier != first
    three.atelier_history.write_text(earlier + second + third, "utf-8")
    assert refused(three) == [
        f"{HISTORY}:1: error: proofs 1, 2, 3 of 3 do not verify: the entry was changed after it "
        "was signed, or a proof was made for another entry; restore the log as it was "
        "published: a log is append-only, a change is a new entry at its end, written by the tools"
    ]
    # Written again with the same meaning (spaces), its signatures hold: the chain does not.
    three.atelier_history.write_text(json.dumps(json.loads(first)) + "\n" + second + third, "utf-8")
    (problem,) = refused(three)
    assert problem.startswith(f"{HISTORY}:2: error: 'previous' is not the hash of line 1")


def append_entry(
    path: Path, keys: list[dict[str, str]], signers: list[Ed25519PrivateKey], date: str
) -> None:
    """Append, by hand, the next entry of a key history, signed by the keys given."""
    last = lines(path)[-1]
    entry = {
        "type": "KeyHistoryEntry",
        "issuer": path.name.removesuffix(".keys.jsonl"),
        "version": json.loads(last)["version"] + 1,
        "previous": line_digest(last.rstrip("\n").encode()),
        "date": date,
        "keys": keys,
    }
    path.write_bytes(path.read_bytes() + key_logs.line_bytes(key_logs.signed(entry, signers)))


def test_a_proof_by_another_structures_key_is_refused(network: SignedNetwork) -> None:
    """fablab's key cannot sign a change of atelier's keys, whoever holds it."""
    new = Ed25519PrivateKey.generate()
    keys = json.loads(lines(network.atelier_history)[-1])["keys"]
    added = {
        "id": "key-2",
        "publicKeyMultibase": public_key_multibase(new),
        "validFrom": "2025-01-15T09:00:00Z",
    }
    fablab = read_private_key(network.fablab_key_file)
    append_entry(network.atelier_history, [*keys, added], [fablab, new], "2025-01-15T09:00:00Z")
    assert refused(network) == [
        f"{HISTORY}:2: error: proof 1 is by key 'key-1' of fablab "
        f"({public_key_multibase(fablab)[:16]}…), which may not sign for atelier; may sign: "
        "atelier's keys ('key-1'), the keys it adds, and the network's coordinators "
        "(anne-exemple, bruno-exemple, chloe-exemple); remove the proof"
    ]
    # Signed by atelier's own key instead, the same change is a rotation.
    atelier = read_private_key(network.key_file)
    network.atelier_history.write_text(lines(network.atelier_history)[0], "utf-8")
    append_entry(network.atelier_history, [*keys, added], [atelier, new], "2025-01-15T09:00:00Z")
    assert ok("check", "--source", network.site).out == "content is valid\n"


def test_a_log_moved_to_another_structure_is_refused(network: SignedNetwork) -> None:
    shutil.copyfile(
        network.atelier_history, network.site / "content" / "issuers" / "fablab.keys.jsonl"
    )
    assert refused(network) == [
        "content/issuers/fablab.keys.jsonl:1: error: this entry is of structure 'atelier', not of "
        "fablab: a key history stays in its own structure's file (atelier.keys.jsonl); a "
        "structure's keys are never taken from another's history; restore the log as it was "
        "published: a log is append-only, a change is a new entry at its end, written by the tools"
    ]


def test_a_history_without_a_structure_is_refused(network: SignedNetwork) -> None:
    """A history needs its owner's file: a structure's, or an endorser's (the network's own
    history is a structure's: it holds keys to sign endorsements, see test_endorsements)."""
    issuers = network.site / "content" / "issuers"
    shutil.copyfile(network.atelier_history, issuers / "atelir.keys.jsonl")
    assert refused(network) == [
        "content/issuers/atelir.keys.jsonl: error: no structure 'atelir' "
        "(content/issuers/atelir.yaml) nor endorser (content/endorsers/atelir.yaml) holds "
        "this key history; a .keys.jsonl file is named after its owner's file",
    ]


# Marking a key compromised ----------------------------------------------------------------


def test_a_coordinator_marks_a_key_compromised_with_the_threshold(network: SignedNetwork) -> None:
    marked = ok(
        "mark-compromised", "atelier", "key-1", "--source", network.site, "--since",
        "2024-03-20", "--key-file", ANNE,
    )  # fmt: skip
    assert "it is valid once 2 of the network's coordinators approve it" in marked.out
    (problem,) = refused(network)
    assert problem.startswith(
        f"{HISTORY}:2: error: version 2 (marks compromised key 'key-1') is signed by no key of "
        "atelier: it is signed with any of the structure's keys"
    )
    ok("approve", "atelier", "--source", network.site, "--key-file", BRUNO)
    result = run("check", "--source", network.site)
    assert "with key 'key-1', compromised since 2024-03-20T00:00:00+00:00" in result.err


# The network's coordinators ----------------------------------------------------------------


def members(*names: str) -> list[str]:
    """--coordinator options for some of anne, bruno, chloe, and new ones (dan, eve)."""
    known = {"anne": ANNE, "bruno": BRUNO, "chloe": CHLOE}
    return [f"--coordinator={name}-exemple={known.get(name, name)}" for name in names]


def test_the_coordinators_change_with_the_threshold_of_the_old_and_of_the_new(
    tmp_path: Path,
) -> None:
    site = network_site(tmp_path / "site")
    dan, eve = tmp_path / "dan.pem", tmp_path / "eve.pem"
    keys = {name: ok("coordinator-key", "--key-file", path).out.split("public key: ")[1].split()[0]
            for name, path in (("dan", dan), ("eve", eve))}  # fmt: skip
    new = [f"--coordinator=dan-exemple={keys['dan']}", f"--coordinator=eve-exemple={keys['eve']}"]
    ok("rotate-coordinators", "--source", site, *new, "--threshold", "2", "--key-file", ANNE)
    log = "content/trust/coordinators.jsonl"
    (problem,) = errors(run("check", "--source", site).err)
    assert problem == (
        f"{log}:2: error: version 2 is not approved yet: it has 1 of the 2 approvals of the "
        "coordinators of version 1 (anne-exemple, bruno-exemple, chloe-exemple) it needs "
        "(anne-exemple), and 0 of the 2 approvals of the coordinators it names (dan-exemple, "
        "eve-exemple) it needs (none yet); each of them adds their approval with 'build.py "
        "approve --coordinators --key-file YOUR-KEY.pem' (a new coordinator too: no one is "
        "named without holding their key)"
    )
    ok("approve", "--coordinators", "--source", site, "--key-file", BRUNO)
    ok("approve", "--coordinators", "--source", site, "--key-file", dan)
    assert (
        "it has 1 of the 2 approvals of the coordinators it names"
        in run("check", "--source", site).err
    )
    done = ok("approve", "--coordinators", "--source", site, "--key-file", eve)
    assert done.out.endswith("it is complete; commit it\n")
    assert ok("check", "--source", site).out == "content is valid\n"
    # From now on, the new coordinators approve a first key; the old ones no longer can.
    ok("keygen", "atelier", "--source", site, "--key-file", tmp_path / "a.pem")
    old = run("approve", "atelier", "--source", site, "--key-file", ANNE)
    assert old.code == 1 and "not the key of a coordinator in force" in old.err
    for key in (dan, eve):
        ok("approve", "atelier", "--source", site, "--key-file", key)
    assert ok("check", "--source", site).out == "content is valid\n"


def test_a_coordinators_log_changed_without_the_threshold_is_refused(tmp_path: Path) -> None:
    site = network_site(tmp_path / "site")
    ok("rotate-coordinators", "--source", site, *members("anne", "bruno"), "--threshold", "1",
       "--key-file", ANNE)  # fmt: skip
    (problem,) = errors(run("check", "--source", site).err)
    assert problem.startswith(
        "content/trust/coordinators.jsonl:2: error: version 2 is not approved yet: it has 1 of "
        "the 2 approvals of the coordinators of version 1"
    )


# Published histories are append-only --------------------------------------------------------


def test_a_published_history_rewritten_is_refused_with_since(repo: Path) -> None:
    """Its proofs swapped: each still verifies, and the chain holds; the bytes published
    at the revision do not."""
    path = repo / BIKLAB_LOG
    entry = json.loads(path.read_text("utf-8"))
    entry["proof"].reverse()
    path.write_bytes(key_logs.line_bytes(entry))
    assert ok("check", "--source", repo).out == "content is valid\n"
    result = run("check", "--since", "HEAD", "--source", repo)
    assert errors(result.err) == [
        f"{BIKLAB_LOG}:1: error: biklab's key history published at HEAD is rewritten at line 1; "
        "a key log is append-only: restore it as it was at HEAD and add entries after it"
    ]
    path.unlink()
    deleted = run("check", "--since", "HEAD", "--source", repo)
    assert (
        f"{BIKLAB_LOG}: error: biklab's key history was published at HEAD and is deleted"
        in deleted.err
    )


# Each structure's folder is its own ----------------------------------------------------------


def test_codeowners_out_of_date_fails_until_made_again(repo: Path) -> None:
    structure = repo / "content" / "issuers" / "biklab.yaml"
    text = structure.read_text("utf-8")
    structure.write_text(text.replace("[fababrest/biklab]", "[fababrest/biklab, alice-m]"), "utf-8")
    result = run("check", "--source", repo)
    codeowners = (repo / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
    line = codeowners.index("/content/issuers/biklab.yaml @fababrest/biklab") + 1
    assert errors(result.err) == [
        f".github/CODEOWNERS:{line}: error: out of date with the structures' maintainers; run "
        "'python build.py codeowners' (and commit it)"
    ]
    ok("codeowners", "--source", repo)
    assert "/assertions/biklab/ @fababrest/biklab @alice-m\n" in (
        repo / ".github" / "CODEOWNERS"
    ).read_text("utf-8")
    assert ok("check", "--source", repo).out == "content is valid\n"


def test_codeowners_gives_each_structure_its_files_and_the_network_the_rest() -> None:
    text = (Path(__file__).resolve().parent.parent / ".github" / "CODEOWNERS").read_text("utf-8")
    owned = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert owned[:3] == [
        "* @fababrest/coordination",
        "/content/trust/ @fababrest/coordination",
        "/.github/ @fababrest/coordination",
    ]
    assert {
        "/content/issuers/biklab.yaml @fababrest/biklab",
        "/content/issuers/biklab.keys.jsonl @fababrest/biklab",
        "/assertions/biklab/ @fababrest/biklab",
    } <= set(owned)


def test_a_structure_that_signs_without_maintainers_is_warned_and_strict_refuses_it(
    repo: Path,
) -> None:
    for slug in ("biklab", "mediatheque-exemple"):  # one signs, the other has no key
        structure = repo / "content" / "issuers" / f"{slug}.yaml"
        kept = [line for line in lines(structure) if "maintainers" not in line]
        structure.write_text("".join(kept), "utf-8")
    ok("codeowners", "--source", repo)
    warned = ok("check", "--source", repo)
    # besides what the example's Breton lacks (check/translations.py)
    said = [line for line in warned.err.splitlines() if ": warning: no Breton text " not in line]
    untranslated = len(warned.err.splitlines()) - len(said)
    assert "\n".join(said) + "\n" == (
        "content/issuers/biklab.yaml:5: warning: structure 'biklab' has no 'maintainers': add "
        "the GitHub accounts of the people who maintain it (or its team, fababrest/<team>), so "
        "that GitHub asks them to approve every change to its files; then run 'python build.py "
        f"codeowners'\n0 errors, {untranslated + 1} warnings\n"
    )
    strict = run("check", "--strict", "--source", repo)
    assert strict.code == 1
    assert "biklab.yaml:5: error: structure 'biklab' has no 'maintainers'" in strict.err


# What the pull request's reviewers see ------------------------------------------------------


def test_notices_show_a_new_structure_and_changed_maintainers(repo: Path) -> None:
    issuers = repo / "content" / "issuers"
    (issuers / "nouveau.yaml").write_text(
        "name: Nouveau\nurl: https://nouveau.example.org\nemail: a@nouveau.example.org\n"
        "description: Un nouveau lieu.\nmaintainers: [nouveau-lab]\n",
        "utf-8",
    )
    fablab = issuers / "fablab-exemple-port.yaml"
    fablab.write_text(
        fablab.read_text("utf-8").replace("[fababrest/fablab-exemple-port]", "[mallory]")
    )
    ok("codeowners", "--source", repo)
    plain = ok("check", "--since", "HEAD", "--source", repo)
    assert notices(plain.err) == [
        "content/issuers/fablab-exemple-port.yaml:7: notice: fablab-exemple-port's maintainers "
        "change from @fababrest/fablab-exemple-port to @mallory: they approve every change to "
        "its files; check that fablab-exemple-port asked for it",
        "content/issuers/nouveau.yaml:1: notice: new structure 'nouveau', maintained by "
        "@nouveau-lab: check that the request comes from the structure itself before its first "
        "key is approved",
    ]
    github = ok("check", "--since", "HEAD", "--format", "github", "--source", repo)
    assert (
        "::notice file=content/issuers/nouveau.yaml,line=1::new structure 'nouveau'" in github.err
    )
    assert notices(ok("check", "--source", repo).err) == []  # without --since, no notices


def test_notices_show_a_new_version_of_the_coordinators(repo: Path) -> None:
    ok("rotate-coordinators", "--source", repo, *members("anne", "bruno", "chloe"),
       "--threshold", "3", "--key-file", ANNE, "--key-file", BRUNO, "--key-file", CHLOE)  # fmt: skip
    result = ok("check", "--since", "HEAD", "--source", repo)
    assert notices(result.err) == [
        "content/trust/coordinators.jsonl:2: notice: the network's coordinators: version 2 names "
        "anne-exemple, bruno-exemple, chloe-exemple, 3 of whom must approve (threshold 2 → 3); "
        "signed by coordinator anne-exemple, coordinator bruno-exemple, coordinator "
        "chloe-exemple; every structure's first key and recovery is approved by them"
    ]


# Published as they are ----------------------------------------------------------------------


def test_the_published_logs_are_the_repository_files(signed: SignedNetwork) -> None:
    source = signed.site / "content"
    assert (signed.out / "issuers" / "atelier" / "key-history.jsonl").read_bytes() == (
        source / "issuers" / "atelier.keys.jsonl"
    ).read_bytes()
    assert (signed.out / "trust" / "coordinators.jsonl").read_bytes() == (
        source / "trust" / "coordinators.jsonl"
    ).read_bytes()
    assert not (signed.out / "issuers" / "reseau" / "key-history.jsonl").exists()


# Moving to key histories ---------------------------------------------------------------------


def test_init_trust_moves_the_keys_of_the_structures_files(network: SignedNetwork) -> None:
    """A network from before key histories: its keys in its files, no coordinators yet."""
    public = public_key_multibase(read_private_key(network.key_file))
    network.atelier_history.unlink()
    (network.site / "content" / "issuers" / "fablab.keys.jsonl").unlink()
    (network.site / "content" / "trust" / "coordinators.jsonl").unlink()
    legacy = network.atelier_yaml.read_text("utf-8") + (
        "keys:  # the structure's keys\n"
        "  - id: key-1\n"
        "    type: Multikey\n"
        f"    public_key_multibase: {public}\n"
        "    valid_from: 2024-02-01T10:00:00Z\n"
        "# the end\n"
    )
    network.atelier_yaml.write_text(legacy, "utf-8")
    before = run("check", "--source", network.site)
    assert (
        "content/issuers/atelier.yaml:" in before.err
        and "runs 'python build.py init-trust'" in before.err
    )
    done = ok(
        "init-trust", "--source", network.site, *members("anne", "bruno", "chloe"),
        "--threshold", "2", "--key-file", ANNE, "--key-file", CHLOE, at="2025-12-01T10:00:00Z",
    )  # fmt: skip
    assert (
        "moved the keys of content/issuers/atelier.yaml to content/issuers/atelier.keys.jsonl"
        in done.out
    )
    assert network.atelier_yaml.read_text("utf-8").endswith("[atelier-test]\n# the end\n")
    (entry,) = [json.loads(line) for line in lines(network.atelier_history)]
    assert entry["keys"] == [
        {"id": "key-1", "publicKeyMultibase": public, "validFrom": "2024-02-01T10:00:00Z"}
    ]
    assert ok("check", "--source", network.site).out == "content is valid\n"
    again = run("init-trust", "--source", network.site, *members("anne"), "--threshold", "1")
    assert again.code == 1 and "content/trust/coordinators.jsonl exists already" in again.err
