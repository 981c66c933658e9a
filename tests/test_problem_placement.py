"""An error lands on the file that is wrong: a badge that collides with an established one is
told, not the established badge (outside the pull request's diff)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .credential_fixtures import run
from .test_since import commit, errors, git

# An earlier slug than laser-debutant's (approved): sorted first, it used to be taken as the
# original and the approved badge was told to "retire one of them".
PROPOSAL = (
    "name: Laser - Autre débutant\ndescription: Une autre première pièce.\n"
    "criteria: Avoir découpé.\ndomain: laser\nlevel: debutant\nscope: network\n"
    "status: proposed\n"
)


def test_a_proposal_colliding_with_an_approved_badge_is_reported_on_itself(
    minimal_site: Callable[..., Path],
) -> None:
    site = minimal_site({"badges/laser-autre.yaml": PROPOSAL})
    assert errors(run("check", "--source", site)) == [
        "badges/laser-autre.yaml:5: error: network badge for laser / debutant already defined "
        "by badges/laser-debutant.yaml (approved); change this badge's domain or level, or "
        "retire one of them"
    ]


def test_with_since_the_badge_that_changed_is_reported(
    minimal_site: Callable[..., Path],
) -> None:
    # Two approved badges; the one approved first (laser-debutant) is edited to collide with
    # the other: the edited file is the one told, though it was approved earlier.
    site = minimal_site()
    git(site, "init", "-q")
    commit(site, "published")
    expert = site / "badges/laser-expert.yaml"
    expert.write_text(
        expert.read_text().replace("status: proposed", "status: approved\napproved_on: 2025-05-01")
    )
    commit(site, "laser-expert approved")
    debutant = site / "badges/laser-debutant.yaml"
    debutant.write_text(debutant.read_text().replace("level: debutant", "level: expert"))
    assert errors(run("check", "--source", site, "--since", "HEAD")) == [
        "badges/laser-debutant.yaml:7: error: network badge for laser / expert already defined "
        "by badges/laser-expert.yaml (approved); change this badge's domain or level, or "
        "retire one of them"
    ]
