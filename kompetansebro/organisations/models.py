from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.constraints import ConstraintErrorsBesideFields, unique
from kompetansebro.core.versioning import VersionedModel
from kompetansebro.geography.models import Municipality, Region
from kompetansebro.organisations.orgnr import clean_org_number, format_org_number


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    COMPANY = "company", _("company")
    BUSINESS_GARDEN = "business_garden", _("business garden or business association")
    EDUCATION_PROVIDER = "education_provider", _("education provider")
    COUNTY_COUNCIL = "county_council", _("county council")
    STATE_GOVERNOR = "state_governor", _("state governor")
    REGIONAL_COUNCIL = "regional_council", _("regional council")
    NAV = "nav", _("NAV")
    TRAINING_OFFICE = "training_office", _("training office")
    UNION = "union", _("union")
    OTHER = "other", _("other")


class ProviderKind(models.TextChoices):
    UPPER_SECONDARY = "upper_secondary", _("upper-secondary school")
    VOCATIONAL_COLLEGE = "vocational_college", _("vocational college (fagskole)")
    UNIVERSITY = "university", _("university or university college")
    STUDY_ASSOCIATION = "study_association", _("study association")
    PRIVATE = "private", _("private provider")


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_municipalities(self, municipality_ids):
        return self.filter(municipality_id__in=municipality_ids)

    def providers(self):
        return self.filter(kind=OrganisationKind.EDUCATION_PROVIDER)


class Organisation(VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=OrganisationKind.choices)
    provider_kind = models.CharField(
        _("provider type"),
        max_length=30,
        choices=ProviderKind.choices,
        blank=True,
        help_text=_("Only for education providers."),
    )
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        null=True,
        unique=True,
        help_text=_("Nine digits from the Central Coordinating Register (Enhetsregisteret)."),
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Where the organisation is located; decides which region it belongs to."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        help_text=_("For a department or unit, the organisation it belongs to."),
    )
    represented_by = models.ForeignKey(
        "self",
        verbose_name=_("represented by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represents",
        help_text=_("A business garden or association that presents this company's needs."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["municipality", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", args=[self.pk])

    @property
    def org_number_display(self) -> str:
        return format_org_number(self.org_number)

    def clean(self):
        errors = {}
        if self.org_number:
            try:
                self.org_number = clean_org_number(self.org_number)
            except ValidationError as error:
                errors["org_number"] = error.messages
        else:
            self.org_number = None
        if self.kind == OrganisationKind.EDUCATION_PROVIDER and not self.provider_kind:
            errors["provider_kind"] = [_("Choose what kind of education provider this is.")]
        if self.kind != OrganisationKind.EDUCATION_PROVIDER:
            self.provider_kind = ""
        if self.parent_id and self.pk:
            ancestor, depth = self.parent, 0
            while ancestor is not None and depth < 20:
                if ancestor.pk == self.pk:
                    errors["parent"] = [_("An organisation cannot be part of itself.")]
                    break
                ancestor, depth = ancestor.parent, depth + 1
        if self.represented_by_id:
            if self.represented_by_id == self.pk:
                errors["represented_by"] = [_("An organisation cannot represent itself.")]
            elif self.represented_by.kind != OrganisationKind.BUSINESS_GARDEN:
                errors["represented_by"] = [_("Only a business garden or business association can represent others.")]
        if errors:
            raise ValidationError(errors)


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("member")
    CONTACT = "contact", _("contact person")
    ADMIN = "admin", _("organisation administrator")


class Membership(ConstraintErrorsBesideFields, models.Model):
    """A person's role in an organisation. Admins manage the organisation and its people."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            unique(
                fields=["user", "organisation"],
                name="membership_unique_person",
                message=_("The person is already a member of the organisation."),
                field="user",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class RegionRoleKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("secretariat")
    OBSERVER = "observer", _("observer (read only)")


class RegionRole(ConstraintErrorsBesideFields, models.Model):
    """A person working for a whole region: the secretariat of a regional council, or a county advisor
    (a role on a county-level region)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="region_roles"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(
        _("role"), max_length=20, choices=RegionRoleKind.choices, default=RegionRoleKind.SECRETARIAT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("region role")
        verbose_name_plural = _("region roles")
        ordering = ["region__name", "user__full_name"]
        constraints = [
            unique(
                fields=["user", "region"],
                name="region_role_unique_person",
                message=_("The person already has a role in the region."),
                field="user",
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.region} ({self.get_role_display()})"
