"""Forms for the budget, the financing plan and the actual costs. Amounts are written as Norwegians write them
("15 000", "kr 1 234,50"); they become Decimal kroner, never floats."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompetansebro.core import bounds
from kompetansebro.core.money import format_nok
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.projects.models import ActualCost, BudgetLine, CostCategory, FinancingKind, FinancingSource, Project
from kompetansebro.projects.selectors_economy import line_state
from kompetansebro.projects.services.economy import BUDGET_FIELDS, COST_FIELDS, FINANCING_FIELDS, allocation_choices

DATE_HELP = _("As dd.mm.yyyy, e.g. 31.12.2027.")
DATE_INVALID = _("Write the date as dd.mm.yyyy, e.g. 31.12.2027.")
AMOUNT_INVALID = _("Write the amount in kroner, e.g. 15 000 or 1 234,50.")


class NokField(forms.DecimalField):
    """Kroner with up to two decimals; "kr" in front and spaces between the thousands are allowed. Amounts
    beyond core.bounds.MAX_AMOUNT either way are refused."""

    default_validators = [bounds.validate_amount]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = AMOUNT_INVALID
        self.error_messages["max_decimal_places"] = _("Write at most two decimals (øre).")
        self.error_messages["max_digits"] = _("The amount is too large.")
        self.error_messages["max_whole_digits"] = _("The amount is too large.")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value.lower().startswith("kr"):
                value = value[2:].strip()
            value = value.replace(" ", "").replace("\xa0", "").rstrip(",-").rstrip(".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs["inputmode"] = "decimal"
        return attrs


def _money_input(value) -> str:
    """Amounts shown in the form as people typed them: 15 000 (no "kr", no ",00")."""
    if value in (None, ""):
        return ""
    return format_nok(value).removeprefix("kr\xa0")


class _LineForm(VersionedForm):
    """Budget lines and financing sources carry no version number: the fingerprint of the line's stored
    values (selectors_economy.line_state) is the version the form carries."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    line_fields: list[str] = []

    def version_of(self, obj):
        return line_state(obj, self.line_fields)


class BudgetLineForm(_LineForm, forms.ModelForm):
    amount = NokField(label=_("Budget (NOK)"), min_value=Decimal("0"))

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]
        labels = {"category": _("Category"), "description": _("Description")}
        help_texts = {"description": _("E.g. “Møtevirksomhet (servering o.l.)”. Shown instead of the category.")}
        error_messages = {"category": {"required": _("Choose a category.")}}

    line_fields = BUDGET_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (value, capfirst(label)) for value, label in CostCategory.choices
        ]
        self.fields["amount"].error_messages["required"] = AMOUNT_INVALID
        self.fields["amount"].error_messages["min_value"] = _("The amount cannot be negative.")
        if self.instance.pk:
            self.initial["amount"] = _money_input(self.instance.amount)
        self.start_version(self.instance)


class AllocationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.round.name}: {obj.purpose} ({format_nok(obj.amount)})"


class FinancingForm(_LineForm, forms.ModelForm):
    amount = NokField(label=_("Amount (NOK)"), required=False, min_value=Decimal("0"))
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=1,
        localize=True,
        help_text=_("Only for own contribution as in-kind hours, e.g. 200."),
        error_messages={
            "invalid": _("Write the number of hours, e.g. 200 or 212,5."),
            "min_value": _("The hours cannot be negative."),
            "max_decimal_places": _("Write at most one decimal."),
        },
    )
    hourly_rate = NokField(
        label=_("Hourly rate (NOK)"),
        required=False,
        min_value=Decimal("0"),
        help_text=_("Only for in-kind hours. Leave empty to use the scheme's rate."),
        validators=[bounds.validate_hourly_rate],
    )

    class Meta:
        model = FinancingSource
        fields = ["kind", "description", "allocation", "amount", "hours", "hourly_rate"]
        labels = {"kind": pgettext_lazy("category", "Kind"), "description": _("Source"), "allocation": _("Allocation")}
        help_texts = {
            "description": _("Who pays, e.g. “KMD via Trøndelag fylkeskommune”."),
            "allocation": _("For a grant: the allocation it comes from, if it is registered here."),
        }
        error_messages = {
            "kind": {"required": _("Choose the kind of financing.")},
            "description": {"required": _("Name the source, e.g. KMD via Trøndelag fylkeskommune.")},
        }
        field_classes = {"allocation": AllocationChoice}

    line_fields = FINANCING_FIELDS

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose the kind"))] + [
            (value, capfirst(label)) for value, label in FinancingKind.choices
        ]
        self.fields["allocation"].queryset = allocation_choices(project)
        self.fields["allocation"].required = False
        self.fields["allocation"].empty_label = _("No allocation")
        self.fields["allocation"].error_messages["invalid_choice"] = _("Choose an allocation from the list.")
        self.fields["amount"].help_text = _("For grants, cash and other financing.")
        self.fields["amount"].error_messages["min_value"] = _("The amount cannot be negative.")
        if self.instance.pk:
            self.initial["amount"] = _money_input(self.instance.amount)
            self.initial["hourly_rate"] = _money_input(self.instance.hourly_rate)
        self.start_version(self.instance)

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if error := bounds.hours_error(hours):
            raise forms.ValidationError(error)
        return hours

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == FinancingKind.IN_KIND:
            if cleaned.get("hours") in (None, 0) and "hours" not in self.errors:
                self.add_error("hours", _("Write the number of hours, e.g. 200."))
        elif kind and not cleaned.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Write the amount in kroner, e.g. 450 000."))
        return cleaned


class ActualCostForm(_LineForm):
    """A new cost, or the correction of `cost`."""

    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    incurred_on = forms.DateField(
        label=_("Date"),
        help_text=DATE_HELP,
        error_messages={"required": _("Write the date of the cost."), "invalid": DATE_INVALID},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        help_text=_("E.g. the invoice: “Faktura 1043 Rørosregionen Næringshage, timer mars”."),
        error_messages={"required": _("Describe the cost, e.g. the invoice it comes from.")},
    )
    amount = NokField(label=_("Amount (NOK)"), help_text=_("A correction of an earlier cost is negative."))

    line_fields = COST_FIELDS

    def __init__(self, *args, project: Project, cost: ActualCost | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(project=project).order_by("pk")
        self.fields["budget_line"].empty_label = _("Choose a budget line")
        self.fields["budget_line"].error_messages.update(
            {
                "required": _("Choose the budget line the cost belongs to."),
                "invalid_choice": _("Choose a budget line from the list."),
            }
        )
        self.fields["incurred_on"].widget.format = "%d.%m.%Y"
        self.fields["amount"].error_messages["required"] = _("Write the amount in kroner; a correction is negative.")
        if not self.is_bound and "incurred_on" not in self.initial:
            self.initial["incurred_on"] = timezone.localdate()
        if cost is not None:
            self.initial.update({name: getattr(cost, name) for name in COST_FIELDS})
        if "amount" in self.initial:
            self.initial["amount"] = _money_input(self.initial["amount"])
        self.start_version(cost)

    def clean_incurred_on(self):
        day = self.cleaned_data.get("incurred_on")
        if error := bounds.date_in_period_error(day, starts_on=self.project.starts_on, ends_on=self.project.ends_on):
            raise forms.ValidationError(error)
        return day

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount == 0:
            raise forms.ValidationError(_("Write the amount in kroner; a correction is negative."))
        return amount
