"""Forms for grant schemes, their report templates, rounds and annual wheel steps, with Norwegian messages
beside the field. The services check the same rules again; these give the early, field-level answer."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kompetansebro.core import bounds
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.forums.forms import _date_field
from kompetansebro.forums.models import Forum
from kompetansebro.forums.selectors import forums_visible_to
from kompetansebro.geography.models import CentralityClass, Region
from kompetansebro.grants.models import GrantRound, GrantScheme, WheelStep, WheelStepKind
from kompetansebro.grants.services.schemes import RESERVED_SLUGS, is_own_ancestor
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation, OrganisationKind
from kompetansebro.organisations.predicates import is_platform_admin

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "localize": True}


def owners_for_schemes(user):
    """Organisations that may own a scheme the person creates: every active organisation for platform admins,
    otherwise those they administer."""
    organisations = Organisation.objects.active()
    if is_platform_admin(user):
        return organisations.order_by("name", "pk")
    return organisations.filter(pk__in=access_profile(user).admin_org_ids).order_by("name", "pk")


class SchemeForm(VersionedForm, forms.ModelForm):
    target_centrality_classes = forms.TypedMultipleChoiceField(
        label=_("Target centrality classes"),
        required=False,
        coerce=int,
        choices=CentralityClass.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("SSB's classes from 1 (most central) to 6 (least central). None chosen: every municipality."),
        error_messages={"invalid_choice": _("Centrality classes go from 1 to 6.")},
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation that may receive grants"),
        required=False,
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Organisations of these kinds in a round's region may submit priority lists in it. None chosen: only "
            "the invited organisations."
        ),
        error_messages={"invalid_choice": _("Choose kinds of organisation from the list.")},
    )
    max_grant_share = forms.DecimalField(
        label=_("Maximum grant share (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=_("70 means the grant covers at most 70 % of the costs: at least 30 % own contribution."),
        error_messages={
            "required": _("Give the largest share of the costs the scheme may cover, in per cent."),
            "min_value": _("The share must be between 0 and 100 per cent."),
            "max_value": _("The share must be between 0 and 100 per cent."),
            "invalid": _("Write the share as a number, e.g. 70."),
        },
    )
    in_kind_hourly_rate = forms.DecimalField(
        label=_("Hourly rate for in-kind hours (NOK)"),
        required=False,
        min_value=Decimal("0"),
        help_text=_("What one hour of own work counts as, e.g. 700. Required when in-kind hours count."),
        error_messages={
            "min_value": _("The hourly rate cannot be negative."),
            "invalid": _("Write the rate as a number of kroner, e.g. 700."),
        },
        validators=[bounds.validate_hourly_rate],
        **MONEY_FIELD,
    )

    class Meta:
        model = GrantScheme
        fields = [
            "name",
            "slug",
            "owner",
            "source",
            "parent",
            "purpose",
            "eligibility",
            "eligible_kinds",
            "invited_organisations",
            "target_centrality_classes",
            "max_grant_share",
            "in_kind_counts",
            "in_kind_hourly_rate",
            "requires_economic_report",
            "is_active",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "eligibility": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": _("Small letters, digits and hyphens, e.g. kompetansepiloter. Used in the address."),
            "parent": _("The scheme the money comes from, when it is passed down (ministry → county → region)."),
        }
        error_messages = {
            "name": {"required": _("Give the scheme a name.")},
            "slug": {
                "required": _("Give the scheme a short name for its address."),
                "invalid": _("Use only small letters, digits and hyphens."),
                "unique": _("Another scheme already uses this short name. Choose another."),
            },
            "owner": {
                "required": _("Choose the organisation that owns the scheme."),
                "invalid_choice": _("Choose an organisation from the list."),
            },
            "parent": {"invalid_choice": _("Choose a scheme from the list.")},
            "invited_organisations": {"invalid_choice": _("Choose organisations from the list.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = owners_for_schemes(user)
        parents = GrantScheme.objects.order_by("name", "pk")
        if self.instance.pk is not None:
            self.start_version(self.instance)
            owners = Organisation.objects.filter(Q(pk__in=owners.values("pk")) | Q(pk=self.instance.owner_id))
            parents = parents.exclude(pk=self.instance.pk)
        else:
            self.start_version(None)
        self.fields["owner"].queryset = owners.order_by("name", "pk")
        self.fields["owner"].empty_label = _("Choose the owner")
        self.fields["parent"].queryset = parents
        self.fields["invited_organisations"].queryset = Organisation.objects.active().order_by("name", "pk")
        self.fields["parent"].empty_label = _("Not passed down from another scheme")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved. Choose another."))
        return slug

    def clean(self):
        cleaned = super().clean()
        rate_missing = cleaned.get("in_kind_hourly_rate") is None and "in_kind_hourly_rate" not in self.errors
        if cleaned.get("in_kind_counts") and rate_missing:
            self.add_error("in_kind_hourly_rate", _("Give the hourly rate in-kind hours are counted at."))
        parent = cleaned.get("parent")
        if parent is not None and is_own_ancestor(self.instance, parent):
            self.add_error(
                "parent", _("A scheme cannot be passed down from itself or from a scheme passed down from it.")
            )
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question"),
        max_length=400,
        help_text=_("E.g. “How is the work anchored locally?”"),
        error_messages={"required": _("Write the question.")},
    )
    help_text = forms.CharField(
        label=_("Guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a good answer covers, shown under the question in the report."),
    )


def regions_for_rounds(user, scheme: GrantScheme, current: Region | None = None):
    """Every region for those who manage the scheme; otherwise the person's secretariat regions (and the
    round's current region)."""
    regions = Region.objects.order_by("name")
    if user.has_perm("grants.manage_scheme", scheme):
        return regions
    condition = Q(pk__in=access_profile(user).secretariat_region_ids)
    if current is not None:
        condition |= Q(pk=current.pk)
    return regions.filter(condition)


def forums_for_choice(user, current_id: int | None = None):
    """Forums the person sees (and the one already chosen), for choosing a round's or a step's forum."""
    condition = Q(pk__in=forums_visible_to(user).values("pk"))
    if current_id is not None:
        condition |= Q(pk=current_id)
    return Forum.objects.filter(condition).order_by("name", "pk")


class RoundForm(VersionedForm, forms.ModelForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Give the year as four digits, e.g. 2027."),
            "invalid": _("Give the year as four digits, e.g. 2027."),
            "min_value": _("Give the year as four digits, e.g. 2027."),
            "max_value": _("Give the year as four digits, e.g. 2027."),
        },
    )
    frame = forms.DecimalField(
        label=_("Frame (NOK)"),
        min_value=Decimal("0"),
        help_text=_("The most the round can allocate, in kroner, e.g. 2 500 000."),
        error_messages={
            "required": _("Give the frame: the most the round can allocate, in kroner."),
            "min_value": _("The frame cannot be negative."),
            "invalid": _("Write the frame as a number of kroner, e.g. 2500000."),
        },
        validators=[bounds.validate_amount],
        **MONEY_FIELD,
    )
    priority_deadline = _date_field(_("Deadline for priority lists"))

    class Meta:
        model = GrantRound
        fields = ["name", "year", "frame", "priority_deadline", "region", "forum"]
        help_texts = {
            "name": _("E.g. DEKOM 2027."),
            "forum": _("The forum that decides the allocations; its managers help run the round."),
        }
        error_messages = {
            "name": {"required": _("Give the round a name, e.g. DEKOM 2027.")},
            "region": {"invalid_choice": _("Choose a region from the list.")},
            "forum": {"invalid_choice": _("Choose a forum from the list.")},
        }

    def __init__(self, *args, user, scheme: GrantScheme, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            self.start_version(self.instance)
        else:
            self.start_version(None)
            self.instance.scheme = scheme
        self.fields["region"].queryset = regions_for_rounds(user, scheme, self.instance.region if editing else None)
        self.fields["region"].empty_label = _("No region")
        self.fields["forum"].queryset = forums_for_choice(user, self.instance.forum_id if editing else None)
        self.fields["forum"].empty_label = _("No forum")


class WheelStepForm(forms.ModelForm):
    starts_on = _date_field(
        _("From"), required=True, required_message=_("Give the date the step starts (or the date, for a single day).")
    )
    ends_on = _date_field(_("Until"), help_text=_("For a step over a period, e.g. October to March. As dd.mm.yyyy."))

    class Meta:
        model = WheelStep
        fields = ["title", "kind", "starts_on", "ends_on", "repeats_yearly", "round", "forum", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "repeats_yearly": _("Copied to the next year, dates a year later, when the wheel is rolled over."),
            "round": _("The round the step belongs to, if any."),
            "forum": _("Shows the step in the forum's annual wheel too, e.g. the meeting where it decides."),
        }
        error_messages = {
            "title": {"required": _("Give the step a title, e.g. Deadline for priority lists.")},
            "kind": {"required": _("Choose the kind of step."), "invalid_choice": _("Choose the kind of step.")},
            "round": {"invalid_choice": _("Choose one of the scheme's rounds.")},
            "forum": {"invalid_choice": _("Choose a forum from the list.")},
        }

    def __init__(self, *args, user, scheme: GrantScheme, fixed_round: GrantRound | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = WheelStepKind.choices
        rounds = GrantRound.objects.filter(scheme=scheme).order_by("-year", "name")
        if fixed_round is not None:
            rounds = rounds.filter(pk=fixed_round.pk)
            self.fields["round"].required = True
            self.fields["round"].empty_label = None
            self.fields["round"].error_messages["required"] = _("Choose one of the scheme's rounds.")
        else:
            self.fields["round"].empty_label = _("Not part of a round")
        self.fields["round"].queryset = rounds
        if self.instance.pk is None:
            self.instance.scheme = scheme  # a step belongs to a scheme (or a forum): checked with the form
        self.fields["forum"].queryset = forums_for_choice(user, self.instance.forum_id)
        self.fields["forum"].empty_label = _("No forum")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The step cannot end before it starts."))
        return cleaned


class RollOverForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2099, widget=forms.HiddenInput)
