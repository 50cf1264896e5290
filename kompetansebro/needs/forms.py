from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.models import User
from kompetansebro.competences.forms import TaggedVersionedForm
from kompetansebro.competences.models import CompetenceField, Level
from kompetansebro.competences.services import tag_names
from kompetansebro.geography.models import Municipality
from kompetansebro.geography.selectors import municipality_choices, region_choices
from kompetansebro.needs.models import CompetenceNeed, NeedStatus, Urgency, Visibility
from kompetansebro.needs.rules import allowed_next_statuses, organisations_user_may_register_for


class OrganisationChoiceForm(forms.Form):
    """First step of registering: whose need is it?"""

    organisation = forms.ModelChoiceField(
        label=_("Organisation with the need"),
        queryset=None,
        empty_label=_("Choose an organisation"),
        error_messages={"invalid_choice": _("You cannot register needs for that organisation.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_user_may_register_for(user)


def contact_people(organisation):
    """People who may be contact person for the organisation's needs: its own people and those of the
    organisation it is part of."""
    if organisation is None:
        return User.objects.none()
    organisation_ids = [organisation.pk] + ([organisation.parent_id] if organisation.parent_id else [])
    return User.objects.filter(is_active=True, memberships__organisation_id__in=organisation_ids).distinct()


class NeedForm(TaggedVersionedForm, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("You cannot register needs for that organisation.")},
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Keywords separated by commas, e.g. “heat pumps, F-gas”."),
    )
    persons = forms.IntegerField(
        label=_("Number of persons"),
        min_value=1,
        max_value=100000,
        initial=1,
        error_messages={
            "required": _("Write how many persons need the competence."),
            "min_value": _("The number of persons must be at least 1."),
            "invalid": _("Write the number of persons as a whole number."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    wanted_start = forms.DateField(
        label=_("Wanted start"),
        required=False,
        help_text=_("As dd.mm.yyyy, e.g. 15.08.2027."),
        error_messages={"invalid": _("Write the date as dd.mm.yyyy, e.g. 15.08.2027.")},
    )

    class Meta:
        model = CompetenceNeed
        fields = [
            "organisation",
            "title",
            "description",
            "field",
            "tags",
            "level",
            "persons",
            "municipality",
            "wants_online",
            "wants_local_gatherings",
            "wants_workplace",
            "campus_acceptable",
            "combined_work_education",
            "wanted_start",
            "urgency",
            "contact_person",
            "visibility",
            "public_title",
            "public_description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "public_description": forms.Textarea(attrs={"rows": 4}),
            "urgency": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "description": _("What should people be able to do afterwards, and why is it needed?"),
            "municipality": _("Where the people work. Empty: the organisation's municipality."),
            "visibility": _(
                "Public needs are shown to everybody without the organisation's name or the contact person."
            ),
        }
        error_messages = {
            "title": {"required": _("Give the need a short title.")},
            "description": {"required": _("Describe the need.")},
            "field": {"required": _("Choose the field of competence.")},
        }

    def __init__(self, *args, user, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            organisation = self.instance.organisation
            del self.fields["organisation"]
            self.start_version(self.instance)
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        else:
            self.start_version(None)
            self.fields["organisation"].queryset = organisations_user_may_register_for(user)
            if organisation is not None:
                self.fields["organisation"].initial = organisation.pk
        self.organisation = organisation
        self.fields["field"].queryset = CompetenceField.objects.all()
        self.fields["field"].empty_label = _("Choose a field")
        self.fields["level"].choices = [("", _("Not decided")), *Level.choices]
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].required = False
        self.fields["municipality"].empty_label = _("The organisation's municipality")
        self.fields["contact_person"].queryset = contact_people(organisation).order_by("full_name", "email")
        self.fields["contact_person"].empty_label = _("No contact person")
        self.fields["contact_person"].error_messages["invalid_choice"] = _(
            "Choose one of the people registered in the organisation."
        )
        self.fields["urgency"].choices = Urgency.choices
        self.fields["visibility"].choices = Visibility.choices
        self.fields["wanted_start"].widget.format = "%d.%m.%Y"

    def clean_tags(self):
        return tag_names(self.cleaned_data.get("tags") or "")

    def clean_wanted_start(self):
        wanted_start = self.cleaned_data.get("wanted_start")
        if wanted_start and self.instance.pk is None and wanted_start < timezone.localdate():
            raise forms.ValidationError(_("The wanted start cannot be in the past."))
        return wanted_start

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or self.organisation
        if organisation is not None and not cleaned.get("municipality"):
            cleaned["municipality"] = organisation.municipality
        return cleaned

    def _post_clean(self):
        # The municipality may be left empty in the form (the organisation's is used), so the model's own
        # validation runs in the service, with the defaults applied.
        pass


class NeedFilterForm(forms.Form):
    """The filters of the need list; its cleaned_data is what selectors.need_search takes."""

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Words in the title, description or tags"))
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=NeedStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    field = forms.ChoiceField(label=_("Field of competence"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False, choices=[("", _("Any urgency")), *Urgency.choices])
    combined_work_education = forms.BooleanField(label=_("Only needs for combined work and education"), required=False)
    organisation = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            ("", _("All fields")),
            *((field.code, field.name) for field in CompetenceField.objects.all()),
        ]
        self.fields["municipality"].choices = [("", _("All municipalities")), *municipality_choices()]
        self.fields["region"].choices = [("", _("All regions")), *region_choices()]


class NeedStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the need is closed; shown in the status history."),
    )

    def __init__(self, *args, user, need, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need
        self.fields["to_status"].choices = [
            (status, capfirst(NeedStatus(status).label)) for status in allowed_next_statuses(user, need)
        ]
        self.fields["to_status"].error_messages["invalid_choice"] = _("You cannot move the need to that status.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == NeedStatus.CLOSED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Write why the need is closed."))
        return cleaned
