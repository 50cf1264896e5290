import re

from kompetansebro.competences.models import Tag

MAX_TAG_LENGTH = 60


def tag_names(text_or_list: str | list[str]) -> list[str]:
    """Normalised tag names from "Varmepumpe, kulde; F-gass" or a list: lower case, unique, in order."""
    items = re.split(r"[,;\n]", text_or_list) if isinstance(text_or_list, str) else text_or_list
    names = []
    for item in items:
        name = " ".join(str(item).split()).lower()[:MAX_TAG_LENGTH]
        if name and name not in names:
            names.append(name)
    return names


def tags_get_or_create(names: list[str]) -> list[Tag]:
    """The Tag rows for `names` (already normalised with tag_names), created when new."""
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing[name] for name in names]
