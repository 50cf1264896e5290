from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompetansebro.audit.services import diff, log_action, snapshot
from kompetansebro.core.text import norwegian_slug
from kompetansebro.core.versioning import save_versioned
from kompetansebro.geography.models import Region

REGION_FIELDS = ["name", "kind", "county", "description", "municipalities"]


def _unique_code(name: str) -> str:
    base = norwegian_slug(name)[:50] or "region"
    code, number = base, 2
    while Region.objects.filter(code=code).exists():
        code, number = f"{base}-{number}", number + 1
    return code


def region_create(*, actor, name: str, kind: str, county, description: str, municipalities) -> Region:
    if not municipalities:
        raise ValidationError({"municipalities": _("A region needs at least one municipality.")})
    with transaction.atomic():
        region = Region(name=name.strip(), kind=kind, county=county, description=description, code=_unique_code(name))
        region.full_clean()
        region.save()
        region.municipalities.set(municipalities)
        log_action(
            actor=actor,
            action="geography.region.created",
            target=region,
            changes=diff({}, snapshot(region, REGION_FIELDS), model=Region),
        )
    return region


def region_update(*, actor, region: Region, data: dict, expected_version: int) -> Region:
    """Reference regions keep the membership from the SSB files; only name and description change."""
    stored = Region.objects.get(pk=region.pk)
    before = snapshot(stored, REGION_FIELDS)
    fields = ["name", "description"] if region.is_reference else ["name", "kind", "county", "description"]
    for name in fields:
        if name in data:
            setattr(region, name, data[name])
    if not region.is_reference and not data.get("municipalities"):
        raise ValidationError({"municipalities": _("A region needs at least one municipality.")})
    region.full_clean()
    with transaction.atomic():
        save_versioned(region, expected_version=expected_version, update_fields=[*fields, "updated_at"])
        if not region.is_reference:
            region.municipalities.set(data["municipalities"])
        changes = diff(before, snapshot(region, REGION_FIELDS), model=Region)
        if changes:
            log_action(actor=actor, action="geography.region.changed", target=region, changes=changes)
    return region


def region_delete(*, actor, region: Region) -> None:
    if region.is_reference:
        raise ValidationError(_("Regions from the reference data cannot be deleted."))
    with transaction.atomic():
        log_action(
            actor=actor,
            action="geography.region.deleted",
            target=region,
            changes=diff(snapshot(region, REGION_FIELDS), {}, model=Region),
        )
        region.delete()
