"""Check stage, a badge's alignments with skill frameworks and its Open Badges 3.0 fields.

A known framework's code is checked by its form (frameworks.py), offline: a code of the right
form that the framework does not have is the reviewers' to catch. Another framework's entry
needs the address of its page, which Open Badges 3.0 requires (targetUrl). The vocabularies
are 1EdTech's (AlignmentTargetType, AchievementType in the OB 3.0 JSON Schema), extensible by
an `ext:` name.
"""

from __future__ import annotations

import re

from generator.site.model.frameworks import FRAMEWORKS, known_framework
from generator.site.model.network import Alignment, Badge
from generator.site.model.problems import Problems, one_of, suggest

TARGET_TYPES = (
    "ceasn:Competency",
    "ceterms:Credential",
    "CFItem",
    "CFRubric",
    "CFRubricCriterion",
    "CFRubricCriterionLevel",
    "CTDL",
)
ACHIEVEMENT_TYPES = [
    "Achievement",
    "ApprenticeshipCertificate",
    "Assessment",
    "Assignment",
    "AssociateDegree",
    "Award",
    "Badge",
    "BachelorDegree",
    "Certificate",
    "CertificateOfCompletion",
    "Certification",
    "CommunityService",
    "Competency",
    "Course",
    "CoCurricular",
    "Degree",
    "Diploma",
    "DoctoralDegree",
    "Fieldwork",
    "GeneralEducationDevelopment",
    "JourneymanCertificate",
    "LearningProgram",
    "License",
    "Membership",
    "ProfessionalDoctorate",
    "QualityAssuranceCredential",
    "MasterCertificate",
    "MasterDegree",
    "MicroCredential",
    "ResearchDoctorate",
    "SecondarySchoolDiploma",
]
_EXTENSION = re.compile(r"^ext:[A-Za-z0-9._-]+$")


def check_alignments(badge: Badge, problems: Problems) -> None:
    """Every alignment of a badge, and its achievement type, adding each problem found."""
    if "alignment" not in badge.broken:
        for index, alignment in enumerate(badge.alignments):
            _check_alignment(badge, index, alignment, problems)
    if badge.achievement_type is not None and not _in_vocabulary(
        badge.achievement_type, ACHIEVEMENT_TYPES
    ):
        problems.error(
            badge.at("achievement_type"),
            _unknown("achievement_type", badge.achievement_type, ACHIEVEMENT_TYPES),
        )


def _check_alignment(badge: Badge, index: int, alignment: Alignment, problems: Problems) -> None:
    field = f"alignment.{index}"
    framework = known_framework(alignment.framework)
    if framework is None:
        if alignment.url is None:
            named = f"framework '{alignment.framework}'" if alignment.framework else "no framework"
            problems.error(
                badge.at("alignment", index),
                f"{field} names {named}, so it needs the url of the entry's page; add url, "
                f"or name a known framework: {', '.join(FRAMEWORKS)}",
            )
    elif alignment.code is None:
        problems.error(
            badge.at("alignment", index),
            f"{field}: an alignment with {framework.name} needs its code; add code: {framework.form}",
        )
    elif not framework.pattern.match(alignment.code):
        hint = ""
        if framework.pattern.match(_normalised(alignment.code, framework.key)):
            hint = f" (write '{_normalised(alignment.code, framework.key)}')"
        problems.error(
            badge.at("alignment", index, "code"),
            f"{field}.code '{alignment.code}' is not a code of {framework.name}{hint}; "
            f"write {framework.form}",
        )
    if alignment.target_type is not None and not _in_vocabulary(
        alignment.target_type, TARGET_TYPES
    ):
        problems.error(
            badge.at("alignment", index, "type"),
            _unknown(f"{field}.type", alignment.target_type, TARGET_TYPES),
        )


def _normalised(code: str, framework: str) -> str:
    """A code as its framework writes it: ESCO's URIs in lower case, the others in capitals."""
    code = code.strip()
    return code.lower() if framework == "esco" else code.upper()


def _in_vocabulary(value: str, vocabulary: tuple[str, ...] | list[str]) -> bool:
    return value in vocabulary or bool(_EXTENSION.match(value))


def _unknown(field: str, value: str, vocabulary: tuple[str, ...] | list[str]) -> str:
    return (
        f"{field} '{value}' is unknown{suggest(value, vocabulary)}; "
        f"{one_of(vocabulary)}, or an extension ext:<Name>"
    )
