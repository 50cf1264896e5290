from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.forms import TaggedVersionedForm
from kompetansebro.competences.models import CompetenceField, DeliveryMode, Level
from kompetansebro.competences.services import tag_names
from kompetansebro.core import bounds
from kompetansebro.geography.models import Municipality
from kompetansebro.geography.selectors import municipality_choices
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.offerings.rules import providers_user_may_edit
from kompetansebro.offerings.selectors import STATUS_ALL, STATUS_CURRENT
from kompetansebro.organisations.models import Organisation

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class OfferingForm(TaggedVersionedForm, forms.ModelForm):
    """Register or edit an offering. A new offering also chooses its provider among those the person
    keeps; an existing one keeps its provider."""

    provider = forms.ModelChoiceField(label=_("provider"), queryset=Organisation.objects.none())
    tags = forms.CharField(
        label=_("tags"),
        required=False,
        help_text=_("Keywords people search for, separated by commas, for example: varmepumpe, F-gass."),
    )
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    price = forms.DecimalField(
        label=_("price (NOK)"),
        required=False,
        min_value=0,
        max_digits=13,
        decimal_places=2,
        localize=True,
        help_text=_("0 for free of charge."),
        error_messages={"min_value": _("The price cannot be negative. Write 0 if it is free of charge.")},
        validators=[bounds.validate_amount],
    )
    credits = forms.DecimalField(label=_("credits"), required=False, max_digits=5, decimal_places=1, localize=True)

    class Meta:
        model = Offering
        fields = [
            "provider",
            "title",
            "description",
            "field",
            "tags",
            "level",
            "credits",
            "credit_unit",
            "delivery_campus",
            "delivery_gatherings",
            "delivery_online",
            "delivery_decentralised",
            "delivery_workplace",
            "gathering_locations",
            "continuous_admission",
            "start_date",
            "application_deadline",
            "price",
            "capacity",
            "language",
            "url",
            "status",
            "external_id",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "gathering_locations": forms.SelectMultiple(attrs={"size": 8}),
            "start_date": DATE_INPUT,
            "application_deadline": DATE_INPUT,
        }
        help_texts = {
            "gathering_locations": _(
                "Municipalities where the gatherings take place. Hold Ctrl (Cmd on Mac) to choose several."
            ),
            "start_date": _("Leave empty when the offering has continuous admission."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["gathering_locations"].queryset = Municipality.objects.order_by("name")
        self.fields["gathering_locations"].required = False
        self.fields["field"].queryset = CompetenceField.objects.order_by("sort_order", "name_nb")
        self.fields["credit_unit"].required = False
        if self.instance.pk:
            del self.fields["provider"]
            self.start_version(self.instance)
            self.initial["tags"] = ", ".join(self.instance.tags.values_list("name", flat=True))
        else:
            providers = providers_user_may_edit(user)
            self.fields["provider"].queryset = providers
            if len(self.fields["provider"].queryset) == 1:
                self.initial["provider"] = self.fields["provider"].queryset[0]

    def clean_price(self):
        price = self.cleaned_data.get("price")
        return price.quantize(Decimal("0.01")) if price is not None else None

    def clean_credits(self):
        credits = self.cleaned_data.get("credits")
        return credits.quantize(Decimal("0.1")) if credits is not None else None

    def clean_external_id(self):
        external_id = (self.cleaned_data.get("external_id") or "").strip()
        provider = self.instance.provider if self.instance.pk else self.cleaned_data.get("provider")
        if (
            external_id
            and provider
            and Offering.objects.filter(provider=provider, external_id=external_id)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("%(provider)s already has an offering with the external id %(id)s."),
                params={"provider": provider.name, "id": external_id},
            )
        return external_id

    def clean_tags(self):
        return tag_names(self.cleaned_data.get("tags") or "")

    def clean_gathering_locations(self):
        return list(self.cleaned_data.get("gathering_locations") or [])


class OfferingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=OfferingStatus.choices)


class OfferingFilterForm(forms.Form):
    """The catalogue's search. Its cleaned_data is what offerings.selectors.offering_search takes;
    exports of a filtered list build the same form from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("For example helsefagarbeider, ledelse or fagbrev på nett"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    municipality = forms.ChoiceField(
        label=_("I live in"),
        required=False,
        help_text=_(
            "Shows what you can take without moving: online, in the workplace, decentralised, or with "
            "gatherings in your region."
        ),
    )
    level = forms.MultipleChoiceField(
        label=_("Level"), required=False, choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )
    delivery = forms.MultipleChoiceField(
        label=_("Delivery"), required=False, choices=DeliveryMode.choices, widget=forms.CheckboxSelectMultiple
    )
    field = forms.MultipleChoiceField(
        label=_("Field of competence"), required=False, widget=forms.CheckboxSelectMultiple
    )
    continuous_admission = forms.BooleanField(label=_("Continuous admission (start any time)"), required=False)
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_CURRENT, _("All except closed")),
            (OfferingStatus.OPEN, _("Open for applications")),
            (OfferingStatus.RUNNING, _("Running")),
            (OfferingStatus.PLANNED, _("Planned")),
            (OfferingStatus.CLOSED, _("Closed")),
            (STATUS_ALL, _("All, also closed")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("Anywhere in Norway")), *municipality_choices()]
        self.fields["field"].choices = [
            (field.code, field.name) for field in CompetenceField.objects.order_by("sort_order", "name_nb")
        ]
        providers = (
            Organisation.objects.providers()
            .filter(Exists(Offering.objects.filter(provider_id=OuterRef("pk"))))
            .order_by("name")
            .values_list("pk", "name")
        )
        self.fields["provider"].choices = [("", _("All providers")), *((str(pk), name) for pk, name in providers)]

    def clean_provider(self):
        value = self.cleaned_data.get("provider")
        return int(value) if value else None


class CatalogueSearchForm(forms.Form):
    """The front page's search box: the catalogue's own `q`, sent to the catalogue."""

    q = OfferingFilterForm.base_fields["q"]


class NearMeForm(forms.Form):
    """The front page's "what can I take where I live": the catalogue's `municipality` ("near me")."""

    municipality = forms.ChoiceField(
        label=_("I live in"), help_text=OfferingFilterForm.base_fields["municipality"].help_text
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("Choose your municipality")), *municipality_choices()]
