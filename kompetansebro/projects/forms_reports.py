"""Forms for the status reports: scheduling a year's reports, filling one in (a field per question of the
scheme's template, and the economic report), and the project leader's yearly orientation to a forum."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.versioning import VersionedForm
from kompetansebro.forums.models import Forum, Meeting
from kompetansebro.projects.models import Project, StatusReport
from kompetansebro.projects.services.reports import (
    DEFAULT_DUE_DAY,
    DEFAULT_MONTHS_AFTER,
    economic_summary,
    orientation_forums,
    orientation_meetings,
)

DATE_HELP = _("As dd.mm.yyyy, e.g. 31.12.2027.")
DATE_INVALID = _("Write the date as dd.mm.yyyy, e.g. 31.12.2027.")


class ScheduleForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Choose the year."),
            "invalid": _("Write the year, e.g. 2026."),
            "min_value": _("Choose a year between 2000 and 2100."),
            "max_value": _("Choose a year between 2000 and 2100."),
        },
    )
    per_year = forms.TypedChoiceField(
        label=_("Reports per year"),
        coerce=int,
        choices=[(2, _("Two (half-yearly)")), (1, _("One (yearly)")), (4, _("Four (quarterly)"))],
        initial=2,
    )
    due_day = forms.IntegerField(
        label=_("Due on day of the month"),
        min_value=1,
        max_value=31,
        initial=DEFAULT_DUE_DAY,
        error_messages={"min_value": _("Choose a day from 1 to 31."), "max_value": _("Choose a day from 1 to 31.")},
    )
    months_after = forms.IntegerField(
        label=_("Months after the period ends"),
        min_value=0,
        max_value=12,
        initial=DEFAULT_MONTHS_AFTER,
        help_text=_("2: a period ending 30 June is due on that day in August."),
        error_messages={"min_value": _("Choose from 0 to 12."), "max_value": _("Choose from 0 to 12.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ReportForm(VersionedForm):
    """One text field per question (answer_<question id>) and the economic report. Saving keeps what is written;
    submitting (report_submit) asks for every answer."""

    economic_report = forms.CharField(
        label=_("Economic report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Started from the budget and the costs registered until the period's end; complete it."),
    )

    def __init__(self, *args, report: StatusReport, answers: list, economic_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        questions = {}
        for answer in answers:
            name = f"answer_{answer.key}"
            questions[name] = forms.CharField(
                label=answer.question,
                required=False,
                help_text=answer.guidance,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=answer.answer,
            )
        self.fields = {**questions, **self.fields}
        self.start_version(report)
        if not economic_required:
            self.fields["economic_report"].help_text = _("The scheme does not ask for one; optional.")

    def edit_value(self, obj, name: str):
        if name == "economic_report":
            return obj.economic_report or economic_summary(obj)
        return ((obj.answers or {}).get(name.removeprefix("answer_")) or {}).get("answer", "")

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = date_format(timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{obj.forum.name}: {obj.title or _('meeting')} {when}"


class OrientationForm(forms.Form):
    forum = forms.ModelChoiceField(
        label=_("Forum"),
        queryset=Forum.objects.none(),
        help_text=_("The forum the project reports to: of the project's region or its owner."),
        error_messages={"required": _("Choose the forum."), "invalid_choice": _("Choose a forum from the list.")},
    )
    meeting = MeetingChoice(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("The meeting where the project leader orients the forum. The task is due that day."),
        error_messages={"invalid_choice": _("Choose a meeting from the list.")},
    )
    due_on = forms.DateField(
        label=_("Or due by"),
        required=False,
        help_text=_("When no meeting is planned yet. As dd.mm.yyyy, e.g. 31.12.2027."),
        error_messages={"invalid": DATE_INVALID},
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = orientation_forums(project)
        self.fields["forum"].empty_label = _("Choose a forum")
        self.fields["meeting"].queryset = orientation_meetings(project)
        self.fields["meeting"].empty_label = _("No meeting chosen")
        self.fields["due_on"].widget.format = "%d.%m.%Y"

    def clean(self):
        cleaned = super().clean()
        forum, meeting = cleaned.get("forum"), cleaned.get("meeting")
        if meeting is not None and forum is not None and meeting.forum_id != forum.pk:
            self.add_error("meeting", _("The meeting belongs to another forum."))
        if meeting is None and cleaned.get("due_on") is None and "due_on" not in self.errors:
            self.add_error("due_on", _("Choose a meeting, or the date by which the forum is oriented."))
        due_on = cleaned.get("due_on")
        if meeting is None and due_on is not None and due_on < timezone.localdate():
            self.add_error("due_on", _("The due date cannot be in the past."))
        return cleaned
