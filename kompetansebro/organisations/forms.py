from django import forms
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.models import User
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.geography.models import Municipality
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import (
    MembershipRole,
    Organisation,
    OrganisationKind,
    RegionRoleKind,
)
from kompetansebro.organisations.orgnr import clean_org_number
from kompetansebro.organisations.predicates import is_platform_admin
from kompetansebro.organisations.rules import may_create_organisation_at
from kompetansebro.organisations.selectors import business_gardens


class OrganisationForm(VersionedForm, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    org_number = forms.CharField(
        label=_("organisation number"),
        required=False,
        max_length=20,
        help_text=_("Nine digits from the Central Coordinating Register (Enhetsregisteret)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "provider_kind",
            "org_number",
            "municipality",
            "parent",
            "represented_by",
            "description",
            "website",
            "email",
            "phone",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["municipality"].queryset = Municipality.objects.select_related("county").order_by("name")
        self.fields["provider_kind"].required = False
        self.fields["org_number"].required = False
        self.fields["parent"].queryset = self._parent_choices()
        self.fields["represented_by"].queryset = business_gardens()
        if self.instance.pk:
            self.start_version(self.instance)
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk=self.instance.pk)
            self.fields["represented_by"].queryset = self.fields["represented_by"].queryset.exclude(pk=self.instance.pk)
        if self.instance.org_number:
            self.initial["org_number"] = self.instance.org_number_display

    def _parent_choices(self):
        """Organisations the person can manage; platform admins choose among those that have units."""
        organisations = Organisation.objects.active().order_by("name")
        if is_platform_admin(self.user):
            return organisations.exclude(kind=OrganisationKind.COMPANY)
        profile = access_profile(self.user)
        return organisations.filter(pk__in=profile.admin_org_ids) | organisations.filter(
            municipality_id__in=profile.secretariat_municipality_ids
        )

    def clean_org_number(self):
        value = (self.cleaned_data.get("org_number") or "").strip()
        if not value:
            return None
        number = clean_org_number(value)
        duplicate = Organisation.objects.filter(org_number=number).exclude(pk=self.instance.pk).first()
        if duplicate:
            raise forms.ValidationError(
                _("Organisation number %(number)s is already registered for %(name)s."),
                params={"number": duplicate.org_number_display, "name": duplicate.name},
            )
        return number

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not may_create_organisation_at(
            self.user, municipality=cleaned.get("municipality"), parent=cleaned.get("parent")
        ):
            raise forms.ValidationError(
                _("You may only register organisations in your own region, or departments of your own organisation.")
            )
        return cleaned


class MembershipAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("Needed only for people who are new to Kompetansebro; they get an e-mail to choose a password."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not cleaned.get("full_name", "").strip() and not User.objects.filter(email__iexact=email).exists():
            self.add_error("full_name", _("This person is new to Kompetansebro: write their full name."))
        return cleaned


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class RegionRoleAddForm(MembershipAddForm):
    role = forms.ChoiceField(label=_("Role"), choices=RegionRoleKind.choices, initial=RegionRoleKind.SECRETARIAT)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, municipality or organisation number"))
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *OrganisationKind.choices])
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, municipality_choices, region_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipality_choices]
        self.fields["region"].choices = [("", _("All regions")), *region_choices]
