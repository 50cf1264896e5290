"""Forms for priority lists, allocations, the forum case, adoption and payments, with Norwegian messages beside
the field. The services (services/priorities.py, allocations.py, payments.py) check the same rules again,
with the round or the allocation locked; these give the early, field-level answer."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetansebro.core import bounds
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.forums.forms import _date_field
from kompetansebro.forums.models import AgendaCase, Meeting
from kompetansebro.grants.eligibility import eligible_recipients
from kompetansebro.grants.models import (
    Allocation,
    AllocationStatus,
    GrantRound,
    Payment,
    PaymentKind,
    PaymentStatus,
    PriorityList,
)
from kompetansebro.grants.selectors_rounds import priority_items
from kompetansebro.grants.services.allocations import decided_cases, upcoming_meetings
from kompetansebro.grants.services.priorities import ItemInput, item_line
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation

AMOUNT_MESSAGES = {
    "required": _("Write the amount in kroner, e.g. 150 000."),
    "invalid": _("Write the amount as a number in kroner, e.g. 150 000 or 150 000,50."),
    "min_value": _("The amount cannot be negative."),
    "max_digits": _("The amount is too large."),
    "max_decimal_places": _("Write at most two decimals (øre)."),
}


def money_field(label, *, required=True, min_value=0, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=min_value,
        max_digits=14,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        error_messages=AMOUNT_MESSAGES,
        validators=[bounds.validate_amount],
    )


def submitter_choices(user, grant_round: GrantRound):
    """Organisations a person may submit a priority list for: the round's eligible recipients they are a member
    of; for the round's managers every eligible recipient. Those that already have a list in the round are left
    out."""
    organisations = eligible_recipients(grant_round)
    if not user.has_perm("grants.manage_round", grant_round):
        organisations = organisations.filter(pk__in=access_profile(user).member_org_ids)
    return organisations.exclude(pk__in=PriorityList.objects.filter(round=grant_round).values("submitter_id")).order_by(
        "name", "pk"
    )


def applicant_choices(grant_round: GrantRound, current_ids=()):
    """Who a priority (or an allocation) may be for: the organisations of the round's region — or every active
    organisation when the round has no region — and those already chosen."""
    organisations = Organisation.objects.active()
    if grant_round.region_id:
        organisations = organisations.filter(municipality__regions=grant_round.region_id)
    current_ids = [pk for pk in current_ids if pk]
    if current_ids:
        organisations = Organisation.objects.filter(Q(pk__in=organisations.values("pk")) | Q(pk__in=current_ids))
    return organisations.distinct().order_by("name", "pk")


class PriorityListCreateForm(forms.Form):
    submitter = forms.ModelChoiceField(
        label=_("Submitted by"),
        queryset=Organisation.objects.none(),
        help_text=_("The network, council or organisation whose priorities these are."),
        error_messages={
            "required": _("Choose who the list is submitted for."),
            "invalid_choice": _("Choose one of the organisations in the list."),
        },
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, grant_round: GrantRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitter"].queryset = submitter_choices(user, grant_round)
        self.fields["submitter"].empty_label = _("Choose the organisation")


class PriorityListForm(VersionedForm):
    """The list's note; its priorities come from PriorityItemFormSet, and the view puts their rows in
    cleaned_data["items"], so that a concurrent edit is merged with the priorities as one field."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, priority_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["note"] = priority_list.note
        self.start_version(priority_list)

    def edited_fields(self) -> list[str]:
        return [*super().edited_fields(), "items"]

    def edit_value(self, obj, name: str):
        if name == "items":
            return [
                ItemInput(
                    rank=item.rank,
                    theme=item.theme,
                    applicant=item.applicant,
                    amount=item.amount,
                    description=item.description,
                    pk=item.pk,
                )
                for item in priority_items(obj)
            ]
        return super().edit_value(obj, name)

    def label(self, name: str):
        return _("Priorities") if name == "items" else super().label(name)

    def compared(self, name: str, value):
        if name == "items":
            rows = sorted(value, key=lambda row: row.rank)
            return [(row.pk, row.theme.strip(), row.applicant, row.amount, row.description.strip()) for row in rows]
        return value

    def shown(self, obj, name: str, value):
        if name == "items":
            rows = sorted(value, key=lambda row: row.rank)
            return [item_line(rank, row.theme, row.applicant, row.amount) for rank, row in enumerate(rows, start=1)]
        return super().shown(obj, name, value)


class PriorityItemForm(forms.Form):
    """One priority: its place in the order (who comes first), the theme (what), for whom, and the amount."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    rank = forms.IntegerField(
        label=_("Priority"),
        min_value=1,
        max_value=999,
        help_text=_("1 is the most important. Change the numbers to change the order."),
        error_messages={
            "required": _("Give the priority its place in the order: 1, 2, 3 …"),
            "invalid": _("Write a whole number: 1, 2, 3 …"),
            "min_value": _("The order starts at 1."),
            "max_value": _("The order can go up to 999."),
        },
    )
    theme = forms.CharField(
        label=_("Theme (what)"),
        max_length=300,
        error_messages={"required": _("Write the theme: what the money is for.")},
    )
    applicant = forms.TypedChoiceField(
        label=_("For whom"),
        coerce=int,
        error_messages={
            "required": _("Choose whom the priority is for."),
            "invalid_choice": _("Choose one of the organisations in the list."),
        },
    )
    amount = money_field(_("Amount applied for (NOK)"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, applicant_choices=(), **kwargs):
        """`applicant_choices`: [(pk, name), …] read once for every form of the page (a model choice field
        would query per form)."""
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = applicant_choices


class BasePriorityItemFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this priority")

    def clean(self):
        if any(self.errors):
            return
        ranks = [
            form.cleaned_data["rank"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(set(ranks)) != len(ranks):
            raise forms.ValidationError(_("Two priorities have the same number. Give each its own place in the order."))


PriorityItemFormSet = forms.formset_factory(
    PriorityItemForm, formset=BasePriorityItemFormSet, extra=3, can_delete=True, max_num=200, validate_max=True
)


class MoveForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class AllocationForm(VersionedForm, forms.ModelForm):
    """An allocation's recipient, purpose and amount. For an adopted allocation (or a new one in a decided
    round) also the new decision that changes it."""

    amount = money_field(_("Amount (NOK)"), min_value=None)
    decision_case = forms.ModelChoiceField(
        label=_("The decision that changes it"),
        queryset=AgendaCase.objects.none(),
        required=False,
        help_text=_("A case of the forum with a recorded decision."),
    )
    decision_note = forms.CharField(
        label=_("The decision that changes it"),
        required=False,
        max_length=500,
        help_text=_("Where and when it was decided, e.g. “Styremøte 12.05.2027, sak 14/27”."),
    )

    class Meta:
        model = Allocation
        fields = ["recipient", "purpose", "amount"]
        error_messages = {
            "recipient": {
                "required": _("Choose who receives the money."),
                "invalid_choice": _("Choose one of the organisations in the list."),
            },
            "purpose": {"required": _("Write what the money is for.")},
        }

    def __init__(self, *args, grant_round: GrantRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = applicant_choices(grant_round, [self.instance.recipient_id])
        self.fields["recipient"].empty_label = _("Choose the organisation")
        editing = self.instance.pk is not None
        if editing:
            self.start_version(self.instance)
        else:
            self.start_version(None)
        self.needs_decision = (
            self.instance.status == AllocationStatus.ADOPTED if editing else grant_round.status == "decided"
        )
        if not self.needs_decision or grant_round.forum_id is None:
            del self.fields["decision_case"]
        else:
            self.fields["decision_case"].queryset = decided_cases(grant_round)
            self.fields["decision_case"].label_from_instance = lambda case: f"{case.label} {case.title}"
            self.fields["decision_case"].empty_label = _("Choose the case")
        if not self.needs_decision or grant_round.forum_id is not None:
            del self.fields["decision_note"]


class AllocationCaseForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        error_messages={
            "required": _("Choose the meeting where the forum decides."),
            "invalid_choice": _("Choose an upcoming meeting of the round's forum."),
        },
    )

    def __init__(self, *args, grant_round: GrantRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = upcoming_meetings(grant_round)
        self.fields["meeting"].empty_label = _("Choose the meeting")
        self.fields["meeting"].label_from_instance = _meeting_label

    @property
    def has_meetings(self) -> bool:
        return self.fields["meeting"].queryset.exists()


def _meeting_label(meeting: Meeting) -> str:
    starts = timezone.localtime(meeting.starts_at)
    title = f" – {meeting.title}" if meeting.title else ""
    return f"{starts:%d.%m.%Y %H:%M}{title}"


class AdoptForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the forum has not recorded a decision here: where and when it was decided."),
    )


class PaymentForm(VersionedForm, forms.ModelForm):
    amount = money_field(_("Amount (NOK)"), min_value=None)
    due_on = _date_field(_("Planned for"))
    paid_on = _date_field(_("Paid"), help_text=_("The day the money was paid, as dd.mm.yyyy. Needed when paid."))

    class Meta:
        model = Payment
        fields = ["kind", "amount", "status", "due_on", "paid_on", "reference"]
        help_texts = {"reference": _("For example the voucher number in the accounts.")}
        error_messages = {
            "kind": {"required": _("Choose payment or repayment.")},
            "status": {"required": _("Choose the status.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.start_version(self.instance)
        else:
            self.start_version(None)
        self.fields["kind"].choices = PaymentKind.choices
        self.fields["status"].choices = PaymentStatus.choices
