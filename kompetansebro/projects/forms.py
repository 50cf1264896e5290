"""Forms for projects, their groups, result goals, activities and risks, with Norwegian messages beside the
field. The services check the same rules again; these give the early, field-level answer."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.models import User
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.forums.forms import _date_field
from kompetansebro.geography.models import Region
from kompetansebro.grants.models import GrantScheme
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation
from kompetansebro.organisations.predicates import is_platform_admin
from kompetansebro.projects.models import (
    Activity,
    ActivityStatus,
    Project,
    ProjectGroup,
    ProjectStatus,
    ResultGoal,
    Risk,
)
from kompetansebro.projects.services.projects import RESERVED_SLUGS


class PersonField(forms.EmailField):
    """A registered, active person given by e-mail address; cleans to the User (or None when optional)."""

    default_error_messages = {
        "invalid": _("Write a valid e-mail address, e.g. navn@kommune.no."),
        "unknown": _(
            "Nobody with this e-mail address has an account. Search for the person by name, or ask them to register."
        ),
        "inactive": _("This person's account is deactivated."),
    }

    def prepare_value(self, value):
        if isinstance(value, User):
            return value.email
        if isinstance(value, int):
            person = User.objects.filter(pk=value).only("email").first()
            return person.email if person else ""
        return value

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if not person.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return person


# ---- the list ---------------------------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses"))])
    scheme = forms.ModelChoiceField(
        label=_("Grant scheme"),
        queryset=GrantScheme.objects.order_by("name", "pk"),
        to_field_name="slug",
        required=False,
        empty_label=_("All schemes"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *ProjectStatus.choices]


# ---- the project ------------------------------------------------------------------------------------------


def owners_for_projects(user):
    """Organisations that may own a project the person creates: every active organisation for platform admins,
    otherwise those they administer and those in the municipalities of their secretariat regions."""
    organisations = Organisation.objects.active().order_by("name", "pk")
    if is_platform_admin(user):
        return organisations
    profile = access_profile(user)
    return organisations.filter(
        Q(municipality_id__in=profile.secretariat_municipality_ids) | Q(pk__in=profile.admin_org_ids)
    )


def regions_for_projects(user):
    """Regions a person may place a project in: every region for platform admins, otherwise their secretariat
    regions and the regions of the organisations they administer."""
    regions = Region.objects.order_by("name")
    if is_platform_admin(user):
        return regions
    profile = access_profile(user)
    administered = Organisation.objects.filter(pk__in=profile.admin_org_ids).values("municipality_id")
    return regions.filter(Q(pk__in=profile.secretariat_region_ids) | Q(municipalities__in=administered)).distinct()


class ProjectForm(VersionedForm, forms.ModelForm):
    leader = PersonField(
        label=_("Project leader"),
        required=False,
        help_text=_("The e-mail address of the project leader's account in Kompetansebro. May be left empty."),
    )
    starts_on = _date_field(_("Starts"))
    ends_on = _date_field(_("Ends"))

    class Meta:
        model = Project
        fields = [
            "name",
            "slug",
            "owner",
            "leader",
            "region",
            "scheme",
            "status",
            "starts_on",
            "ends_on",
            "overall_goal",
            "description",
        ]
        widgets = {
            "overall_goal": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Small letters, digits and hyphens. Empty: made from the name. Used in the address."),
            "overall_goal": _("What the project shall achieve, in one or two sentences."),
        }
        error_messages = {
            "name": {"required": _("Give the project a name.")},
            "slug": {
                "invalid": _("Use only small letters, digits and hyphens."),
                "unique": _("Another project already uses this short name. Choose another."),
            },
            "owner": {
                "required": _("Choose the organisation that owns the project."),
                "invalid_choice": _("Choose an organisation from the list."),
            },
            "region": {"invalid_choice": _("Choose a region from the list.")},
            "scheme": {"invalid_choice": _("Choose a grant scheme from the list.")},
            "status": {"required": _("Choose the status of the project.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        owners, regions = owners_for_projects(user), regions_for_projects(user)
        schemes = GrantScheme.objects.filter(is_active=True)
        if editing:
            self.start_version(self.instance)
            self.fields["slug"].required = True
            self.fields["slug"].error_messages["required"] = _("Give the project a short name for its address.")
            self.initial["leader"] = self.instance.leader.email if self.instance.leader_id else ""
            owners = Organisation.objects.filter(Q(pk__in=owners.values("pk")) | Q(pk=self.instance.owner_id))
            if self.instance.region_id:
                regions = Region.objects.filter(Q(pk__in=regions.values("pk")) | Q(pk=self.instance.region_id))
            if self.instance.scheme_id:
                schemes = GrantScheme.objects.filter(Q(is_active=True) | Q(pk=self.instance.scheme_id))
        else:
            self.start_version(None)
            self.fields["slug"].required = False
            profile = access_profile(user)
            if "region" not in self.initial and len(profile.secretariat_region_ids) == 1:
                self.initial["region"] = next(iter(profile.secretariat_region_ids))
        self.user = user
        self.fields["owner"].queryset = owners.order_by("name", "pk")
        self.fields["owner"].empty_label = _("Choose the owner")
        self.fields["region"].queryset = regions.order_by("name")
        self.fields["region"].empty_label = _("No region")
        self.fields["scheme"].queryset = schemes.order_by("name", "pk")
        self.fields["scheme"].empty_label = _("No grant scheme")
        self.fields["scheme"].help_text = _(
            "The scheme whose co-financing rules the financing plan is checked against."
        )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved. Choose another."))
        return slug

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        owner = cleaned.get("owner")
        if owner is not None and "region" not in self.errors and "leader" not in self.errors:
            # Whoever creates or changes a project must still be able to manage it afterwards.
            after = Project(
                pk=self.instance.pk, owner=owner, region=cleaned.get("region"), leader=cleaned.get("leader")
            )
            if not self.user.has_perm("projects.manage_project", after):
                self.add_error(
                    "region",
                    _(
                        "With this owner and region you could no longer manage the project. "
                        "Choose your region, or make yourself the project leader."
                    ),
                )
        return cleaned

    def validate_unique(self):
        """The short name's uniqueness is checked by the service (an empty one is made from the name)."""


# ---- groups -----------------------------------------------------------------------------------------------


class MembershipAddForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Group"),
        choices=ProjectGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the group.")},
    )
    person = PersonField(
        label=_("The person's e-mail address"),
        help_text=_("The person must have an account in Kompetansebro. Search above to find it."),
        error_messages={"required": _("Write the e-mail address of the person.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Represents"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No organisation"),
        help_text=_("The organisation the person sits in the group for."),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    role = forms.CharField(
        label=_("Role"), required=False, max_length=100, help_text=_("E.g. leader of the steering group.")
    )
    starts_on = _date_field(_("From"), required=True, required_message=_("Give the date the seat starts."))
    ends_on = _date_field(_("Until"), help_text=_("Empty if the seat has no end date. As dd.mm.yyyy."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name", "pk")
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The seat cannot end before it starts."))
        return cleaned


class MembershipEndForm(forms.Form):
    ends_on = _date_field(_("Last day in the group"), required=True, required_message=_("Give the last day."))

    def __init__(self, *args, membership=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_end_{membership.pk}_%s" if membership else "id_%s")
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.fields["ends_on"].initial = timezone.localdate()

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if self.membership is not None and ends_on < self.membership.starts_on:
            raise forms.ValidationError(_("The seat cannot end before it starts."))
        return ends_on


# ---- result goals, activities, risks ----------------------------------------------------------------------


class GoalForm(forms.ModelForm):
    class Meta:
        model = ResultGoal
        fields = ["code", "text", "planned_activities", "activities_done", "results"]
        widgets = {
            "code": forms.TextInput(attrs={"autocomplete": "off"}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "planned_activities": forms.Textarea(attrs={"rows": 4}),
            "activities_done": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "code": {"required": _("Give the result goal a code, e.g. RM1.")},
            "text": {"required": _("Describe the result goal.")},
        }

    def validate_unique(self):
        """The code's uniqueness in the project is checked by the service, with the message beside the field."""


class ActivityForm(forms.ModelForm):
    starts_on = _date_field(_("From"), required=True, required_message=_("Give the date the activity starts."))
    ends_on = _date_field(_("Until"), required=True, required_message=_("Give the date the activity ends."))
    responsible_person = PersonField(
        label=_("Responsible person"),
        required=False,
        help_text=_("The e-mail address of the person's account. May be left empty."),
    )

    class Meta:
        model = Activity
        fields = ["title", "goal", "starts_on", "ends_on", "responsible_person", "responsible_organisation", "status"]
        labels = {"goal": _("Result goal"), "responsible_organisation": _("Responsible organisation")}
        error_messages = {
            "title": {"required": _("Describe the activity.")},
            "goal": {"invalid_choice": _("Choose one of this project's result goals.")},
            "responsible_organisation": {"invalid_choice": _("Choose an organisation from the list.")},
            "status": {"required": _("Choose the status of the activity.")},
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["goal"].queryset = ResultGoal.objects.filter(project=project).order_by("code", "pk")
        self.fields["goal"].empty_label = _("No result goal")
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.code}: {goal.text[:80]}"
        self.fields["responsible_organisation"].queryset = Organisation.objects.active().order_by("name", "pk")
        self.fields["responsible_organisation"].empty_label = _("No organisation")
        self.fields["status"].choices = ActivityStatus.choices
        if self.instance.pk and self.instance.responsible_person_id:
            self.initial["responsible_person"] = self.instance.responsible_person.email
        if project.starts_on or project.ends_on:
            period = _("The project runs %(start)s–%(end)s.") % {
                "start": project.starts_on.strftime("%d.%m.%Y") if project.starts_on else "…",
                "end": project.ends_on.strftime("%d.%m.%Y") if project.ends_on else "…",
            }
            self.fields["starts_on"].help_text = f"{self.fields['starts_on'].help_text} {period}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The activity cannot end before it starts."))
        return cleaned

    def _get_validation_exclusions(self):
        # The period rules (within the project's) are the service's; it reports them beside the field.
        return {*super()._get_validation_exclusions(), "project"}

    def validate_unique(self):
        """Nothing to check here; constraints are the service's."""


SCORE_CHOICES = [
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]


class RiskForm(forms.ModelForm):
    probability = forms.TypedChoiceField(
        label=_("Probability"),
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={"required": _("Choose the probability."), "invalid_choice": _("Choose from 1 to 5.")},
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"),
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={"required": _("Choose the impact."), "invalid_choice": _("Choose from 1 to 5.")},
    )

    class Meta:
        model = Risk
        fields = ["description", "probability", "impact", "measure"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"measure": _("What is done to make the risk smaller or its consequences milder.")}
        error_messages = {"description": {"required": _("Describe the risk.")}}

    def validate_unique(self):
        """Constraints are the service's."""
