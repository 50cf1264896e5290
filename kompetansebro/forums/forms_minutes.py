"""Forms for decisions, attendance and changes to approved minutes. The services check the rules again;
their refusals are shown beside the field (core.forms.add_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompetansebro.forums.models import AgendaCase, Decision, ForumMembership
from kompetansebro.forums.services.minutes import ATTENDANCE_CHOICES, AttendanceEntry

AS_RECOMMENDED_CHOICES = [
    ("yes", _("Adopted as recommended")),
    ("no", _("Amended: the forum decided something else")),
]


class DecisionForm(forms.Form):
    as_recommended = forms.ChoiceField(
        label=pgettext_lazy("forum", "Decision"),
        choices=AS_RECOMMENDED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the recommendation was adopted.")},
    )
    text = forms.CharField(
        label=_("Decision text when amended"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Write the decision as adopted. Leave empty when the recommendation was adopted as it is."),
    )
    votes_for = forms.IntegerField(
        label=_("Votes for"),
        required=False,
        min_value=0,
        error_messages={"min_value": _("The number of votes cannot be negative."), "invalid": _("Write a number.")},
    )
    votes_against = forms.IntegerField(
        label=_("Votes against"),
        required=False,
        min_value=0,
        error_messages={"min_value": _("The number of votes cannot be negative."), "invalid": _("Write a number.")},
    )
    votes_abstaining = forms.IntegerField(
        label=_("Abstentions"),
        required=False,
        min_value=0,
        error_messages={"min_value": _("The number of votes cannot be negative."), "invalid": _("Write a number.")},
    )
    dissent = forms.CharField(
        label=_("Dissent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who voted against, and any statement they asked to have recorded."),
    )

    def __init__(self, *args, case: AgendaCase, decision: Decision | None = None, **kwargs):
        if decision is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "as_recommended": "yes" if decision.as_recommended else "no",
                "text": "" if decision.as_recommended else decision.text,
                "votes_for": decision.votes_for,
                "votes_against": decision.votes_against,
                "votes_abstaining": decision.votes_abstaining,
                "dissent": decision.dissent,
            }
        elif decision is None and not kwargs.get("initial"):
            kwargs["initial"] = {"as_recommended": "yes" if case.recommendation.strip() else "no"}
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self):
        data = super().clean()
        if data.get("as_recommended") == "no" and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the decision as it was adopted."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "as_recommended": data["as_recommended"] == "yes",
            "text": data.get("text") or "",
            "votes_for": data.get("votes_for"),
            "votes_against": data.get("votes_against"),
            "votes_abstaining": data.get("votes_abstaining"),
            "dissent": data.get("dissent") or "",
        }


class AttendanceForm(forms.Form):
    """One radio group per seat and, for "a deputy is called in", the deputy member called in."""

    def __init__(
        self,
        *args,
        seats: list[ForumMembership],
        deputies: list[ForumMembership],
        initial_rows: dict[int, tuple[str, int | None]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.deputies = {deputy.pk: deputy for deputy in deputies}
        deputy_choices = [("", _("No deputy"))] + [(deputy.pk, deputy.person.get_full_name()) for deputy in deputies]
        for seat in seats:
            status, deputy_id = initial_rows.get(seat.pk, ("", None))
            name = seat.person.get_full_name()
            who = f"{name} ({seat.organisation.name})" if seat.organisation else name
            self.fields[f"status_{seat.pk}"] = forms.ChoiceField(
                label=who,
                choices=ATTENDANCE_CHOICES,
                widget=forms.RadioSelect,
                initial=status or None,
                help_text=seat.get_role_display().capitalize(),
                error_messages={"required": _("Choose whether %(name)s attended.") % {"name": name}},
            )
            if deputies:
                self.fields[f"deputy_{seat.pk}"] = forms.TypedChoiceField(
                    label=_("Deputy who attended for %(name)s") % {"name": name},
                    choices=deputy_choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=deputy_id,
                )

    def entries(self):
        entries = []
        for seat in self.seats:
            deputy_id = self.cleaned_data.get(f"deputy_{seat.pk}")
            entries.append(
                AttendanceEntry(
                    membership=seat,
                    status=self.cleaned_data[f"status_{seat.pk}"],
                    deputy=self.deputies.get(deputy_id) if deputy_id else None,
                )
            )
        return entries


class ReviseMinutesForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the approved minutes are changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reason is shown with the new version, and the approved version stays visible."),
        error_messages={"required": _("Give the reason for changing the approved minutes.")},
    )
