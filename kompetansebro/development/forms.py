from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import CompetenceField, DeliveryMode, Level
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.development.models import AnswerKind
from kompetansebro.development.selectors import NO_LEVEL
from kompetansebro.geography.models import CentralityClass
from kompetansebro.offerings.models import Offering
from kompetansebro.organisations.models import Organisation

DATE_HELP = _("As dd.mm.yyyy, e.g. 20.03.2027.")
DATE_INVALID = _("Write the date as dd.mm.yyyy, e.g. 20.03.2027.")


def _date_field(label, *, required=False, required_message=None, help_text=DATE_HELP):
    messages = {"invalid": DATE_INVALID}
    if required_message:
        messages["required"] = required_message
    field = forms.DateField(label=label, required=required, help_text=help_text, error_messages=messages)
    field.widget.format = "%d.%m.%Y"
    return field


class GapFilterForm(forms.Form):
    field = forms.ModelChoiceField(
        label=_("Field of competence"),
        queryset=CompetenceField.objects.order_by("sort_order", "name_nb"),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    level = forms.ChoiceField(
        label=_("Wanted level"),
        required=False,
        choices=[("", _("All levels")), (NO_LEVEL, _("not decided")), *Level.choices],
    )
    centrality = forms.TypedChoiceField(
        label=_("Centrality class"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All centrality classes")), *CentralityClass.choices],
    )


class NeedLabelChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(title)s (%(municipality)s, %(persons)s persons)") % {
            "title": obj.title,
            "municipality": obj.municipality.name,
            "persons": obj.persons,
        }


class ProviderLabelChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_provider_kind_display()}, {obj.municipality.name})"


class RequestForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("E.g. “Fagbrev in health work with local gatherings in Holtålen”."),
        error_messages={"required": _("Give the request a title.")},
    )
    description = forms.CharField(
        label=_("What is wanted"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What the employers need, how the education should be organised, and anything the providers should know."
        ),
        error_messages={"required": _("Describe what you want the providers to offer.")},
    )
    wanted_level = forms.ChoiceField(
        label=_("Wanted level"), required=False, choices=[("", _("Not decided")), *Level.choices]
    )
    wanted_delivery = forms.MultipleChoiceField(
        label=_("Wanted delivery"),
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    wanted_start = _date_field(_("Wanted start"))
    answer_deadline = _date_field(
        _("Deadline for answers"), required=True, required_message=_("Choose the deadline for answers.")
    )
    needs = NeedLabelChoice(
        label=_("Needs"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Open needs in the region that no offering fits."),
        error_messages={
            "required": _("Attach at least one competence need."),
            "invalid_choice": _("Choose needs without a fitting offering in the region."),
        },
    )
    providers = ProviderLabelChoice(
        label=_("Providers"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one education provider to send the request to."),
            "invalid_choice": _("Choose education providers from the list."),
        },
    )

    def __init__(self, *args, needs, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs
        self.fields["providers"].queryset = providers

    def clean_answer_deadline(self):
        deadline = self.cleaned_data.get("answer_deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline for answers cannot be in the past."))
        return deadline


class AnswerForm(VersionedForm):
    provider = forms.TypedChoiceField(label=_("Answer for"), coerce=int, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Answer"),
        choices=AnswerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )
    reason = forms.CharField(
        label=_("Reason or comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you cannot offer this."),
    )
    planned_start = _date_field(_("Planned start"))
    planned_end = _date_field(_("Planned end"))
    existing_offering = forms.ModelChoiceField(
        label=_("Existing programme to adapt"),
        queryset=Offering.objects.none(),
        required=False,
        empty_label=_("None chosen"),
        help_text=_("Only when you adapt an existing programme."),
    )

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = {answer.provider_id: answer for answer in answers}
        self.fields["provider"].choices = [(answer.provider_id, answer.provider.name) for answer in answers]
        if len(answers) > 1:
            self.fields["provider"].widget = forms.Select(choices=self.fields["provider"].choices)
        self.fields["existing_offering"].queryset = Offering.objects.filter(
            provider_id__in=list(self.answers)
        ).order_by("title", "pk")
        self.start_version(answers[0])

    def edited_fields(self) -> list[str]:
        return [name for name in super().edited_fields() if name != "provider"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AnswerKind.CANNOT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Write why you cannot offer this."))
        return cleaned


class LinkOfferingForm(forms.Form):
    answer = forms.IntegerField(widget=forms.HiddenInput)
    offering = forms.ModelChoiceField(
        label=_("Registered offering"),
        queryset=Offering.objects.none(),
        empty_label=_("Choose the offering"),
        error_messages={
            "required": _("Choose the offering."),
            "invalid_choice": _("Choose one of the provider's offerings."),
        },
    )

    def __init__(self, *args, answer, **kwargs):
        kwargs.setdefault("auto_id", f"id_link_{answer.pk}_%s")
        super().__init__(*args, **kwargs)
        self.answer = answer
        self.fields["answer"].initial = answer.pk
        self.fields["offering"].queryset = Offering.objects.filter(provider_id=answer.provider_id).order_by(
            "title", "pk"
        )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the request closed? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
