from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.geography.models import Region
from kompetansebro.mapping.selectors import default_invitees, organisations_in_region
from kompetansebro.needs.forms import NeedForm
from kompetansebro.needs.models import Visibility
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.predicates import is_platform_admin


def regions_user_may_open_rounds_in(user):
    regions = Region.objects.order_by("name")
    if is_platform_admin(user):
        return regions
    return regions.filter(pk__in=access_profile(user).secretariat_region_ids)


class RegionChoiceForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=None,
        to_field_name="code",
        empty_label=_("Choose a region"),
        error_messages={"invalid_choice": _("You cannot open rounds in that region.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_user_may_open_rounds_in(user)


class OrganisationLabelChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()}, {obj.municipality.name})"


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("E.g. “Needs for the forum meeting in March”."),
        error_messages={"required": _("Give the round a title.")},
    )
    description = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the invited organisations should register, shown on the round's page."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        help_text=_("As dd.mm.yyyy, e.g. 20.03.2027."),
        error_messages={
            "required": _("Choose the deadline."),
            "invalid": _("Write the date as dd.mm.yyyy, e.g. 20.03.2027."),
        },
    )
    organisations = OrganisationLabelChoice(
        label=_("Invited organisations"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Municipalities, companies and business gardens in the region are ticked from the start."),
        error_messages={
            "required": _("Invite at least one organisation."),
            "invalid_choice": _("Choose organisations in the region."),
        },
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["organisations"].queryset = organisations_in_region(region)
        self.fields["organisations"].initial = list(default_invitees(region).values_list("pk", flat=True))
        self.fields["deadline"].widget.format = "%d.%m.%Y"

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline


class RoundNeedForm(NeedForm):
    """The need form inside a round: a need in a round is shared with the region."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = [
            choice for choice in Visibility.choices if choice[0] != Visibility.ORGANISATION
        ]
        self.fields["visibility"].help_text = _(
            "A need in a mapping round is shared with the region. Public needs are shown to everybody "
            "without the organisation's name or the contact person."
        )


class NoNeedsForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
