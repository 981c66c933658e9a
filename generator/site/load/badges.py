"""badges/<slug>.yaml with its criteria (inline, or <slug>.md and its translations) and image."""

from __future__ import annotations

from pathlib import Path

from generator.site.load.parsing import Document
from generator.site.load.repository import TRANSLATION, Repository, parse_date
from generator.site.model.imported import Original
from generator.site.model.network import (
    Alignment,
    Asset,
    Badge,
    Duration,
    Text,
)


def load_badge(source: Repository, path: Path, language: str) -> Badge | None:
    """A badge; one whose schema fails is read in part (see Repository.yaml), with `broken`."""
    document = source.yaml(path, "badge", partial=True)
    if document is None:
        return None
    value = document.value
    criteria = _criteria(source, path, document, language)
    image_name = value.get("image")
    if image_name:
        image = source.asset(path.parent, image_name, document, ("image",))
    else:
        sibling = next(
            (p for p in (path.with_suffix(".png"), path.with_suffix(".svg")) if p.is_file()), None
        )
        data = source.read_bytes(sibling) if sibling else None
        image = (
            Asset(source.location(sibling).path, data, source.location(sibling))
            if sibling and data is not None
            else None
        )
    valid_for = value.get("valid_for")
    return Badge(
        slug=path.stem,
        name=Text.of(value.get("name", ""), language),
        description=Text.of(value.get("description", ""), language),
        criteria=criteria,
        domain=value.get("domain"),
        level=value.get("level"),
        tags=tuple(value.get("tags", [])),
        image=image,
        alignments=tuple(
            Alignment(
                name=Text.of(item["name"], language),
                url=item.get("url"),
                description=_text(item.get("description"), language),
                framework=item.get("framework"),
                code=item.get("code"),
                target_type=item.get("type"),
            )
            for item in value.get("alignment", [])
        ),
        valid_for=Duration(**valid_for) if valid_for else None,
        scope=value.get("scope", ""),
        status=value.get("status", "proposed"),
        approved_on=parse_date(document, "approved_on", source.problems),
        retired_on=parse_date(document, "retired_on", source.problems),
        source=document.location,
        lines=document.lines,
        broken=document.broken,
        original=Original(**value["original"]) if "original" in value else None,
        achievement_type=value.get("achievement_type"),
        human_code=value.get("human_code"),
        field_of_study=_text(value.get("field_of_study"), language),
        credits_available=value.get("credits_available"),
    )


def _text(value: str | dict[str, str] | None, language: str) -> Text | None:
    """An optional text field."""
    return None if value is None else Text.of(value, language)


def _criteria(source: Repository, path: Path, document: Document, language: str) -> Text:
    """The criteria, written in the YAML or in sibling <slug>.md / <slug>.<lang>.md files."""
    files = sorted(path.parent.glob(f"{path.stem}.md")) + sorted(
        path.parent.glob(f"{path.stem}.??.md")
    )
    inline = document.value.get("criteria")
    if inline is not None and files:
        source.problems.error(
            document.at(("criteria",)),
            f"criteria are written both here and in {source.location(files[0])}; keep only one",
        )
    if inline is not None:
        return Text.of(inline, language)
    texts: dict[str, str] = {}
    for file in files:
        text = source.read_text(file)
        match = TRANSLATION.match(file.stem)
        texts[match["lang"] if match else language] = text or ""
    if not texts:
        source.problems.error(
            document.at(()),
            f"the badge has no criteria; add a 'criteria' field or a {path.stem}.md file",
        )
    return Text(tuple(sorted(texts.items(), key=lambda item: item[0] != language)))
