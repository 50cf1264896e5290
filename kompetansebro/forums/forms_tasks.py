"""The follow-up task form: who is responsible (a member of the forum, another person found by e-mail
address, and/or an organisation), when it is due and whether it repeats."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kompetansebro.accounts.models import User
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.forums.models import FollowUpTask, Forum, ForumMembership, Recurrence
from kompetansebro.forums.selectors_tasks import TaskView
from kompetansebro.organisations.models import Organisation

DATE_HELP = _("As dd.mm.yyyy, e.g. 31.12.2027.")
DATE_INVALID = _("Write the date as dd.mm.yyyy, e.g. 31.12.2027.")
RESPONSIBLE_MISSING = _("Choose a responsible person or a responsible organisation (or both).")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.email})"


def _members(forum: Forum, current_id: int | None):
    today = timezone.localdate()
    member_ids = (
        ForumMembership.objects.filter(forum=forum, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("person_id")
    )
    people = Q(pk__in=member_ids, is_active=True)
    if current_id:
        people |= Q(pk=current_id)
    return User.objects.filter(people).order_by("full_name", "email")


def _organisations(forum: Forum, current_id: int | None):
    """The organisations represented in the forum, its owner, the active organisations in its region's
    municipalities, and the one already chosen."""
    choices = Q(pk__in=ForumMembership.objects.filter(forum=forum).values("organisation_id")) | Q(pk=forum.owner_id)
    if forum.region_id is not None:
        choices |= Q(is_active=True, municipality__regions=forum.region_id)
    if current_id:
        choices |= Q(pk=current_id)
    return Organisation.objects.filter(choices).distinct().order_by("name", "pk")


class TaskForm(VersionedForm, forms.ModelForm):
    responsible_email = forms.EmailField(
        label=_("Or another person: e-mail address"),
        required=False,
        help_text=_("The e-mail address the person logs in with, when they are not a member of the forum."),
        error_messages={"invalid": _("Write a valid e-mail address, e.g. navn@kommune.no.")},
    )

    class Meta:
        model = FollowUpTask
        fields = ["title", "description", "responsible_person", "responsible_organisation", "due_on", "recurrence"]
        labels = {
            "title": _("Task"),
            "description": _("Description"),
            "responsible_person": _("Responsible person (member of the forum)"),
            "responsible_organisation": _("Responsible organisation"),
            "due_on": _("Due"),
            "recurrence": _("Repeats"),
        }
        help_texts = {
            "title": _("E.g. “The project leader orients the council at least once per calendar year”."),
            "recurrence": _(
                "A repeating task gets its next round when it is marked done, due that many months after this "
                "round's due date."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "title": {"required": _("Describe the task.")},
            "due_on": {"required": _("Choose the due date."), "invalid": DATE_INVALID},
        }
        field_classes = {"responsible_person": PersonChoice}

    field_order = [
        "title",
        "description",
        "responsible_person",
        "responsible_email",
        "responsible_organisation",
        "due_on",
        "recurrence",
    ]

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.forum = forum
        instance = self.instance
        self.fields["responsible_person"].queryset = _members(forum, instance.responsible_person_id)
        self.fields["responsible_person"].empty_label = _("No person chosen")
        self.fields["responsible_person"].error_messages["invalid_choice"] = _("Choose a person from the list.")
        self.fields["responsible_organisation"].queryset = _organisations(forum, instance.responsible_organisation_id)
        self.fields["responsible_organisation"].empty_label = _("No organisation chosen")
        self.fields["responsible_organisation"].error_messages["invalid_choice"] = _(
            "Choose an organisation from the list."
        )
        self.fields["due_on"].help_text = DATE_HELP
        self.fields["due_on"].widget.format = "%d.%m.%Y"
        self.fields["recurrence"].choices = [(value, capfirst(label)) for value, label in Recurrence.choices]
        if instance.pk:
            self.start_version(instance)
        else:
            self.start_version(None)

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        unchanged = self.instance.pk and due_on == self.instance.due_on
        if due_on and not unchanged and due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean_responsible_email(self):
        email = (self.cleaned_data.get("responsible_email") or "").strip()
        if not email:
            return None
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody with an active user account has the e-mail address %(email)s.") % {"email": email}
            )
        return person

    def clean(self):
        cleaned = super().clean()
        by_email = cleaned.pop("responsible_email", None)
        if by_email is not None:
            if cleaned.get("responsible_person") and cleaned["responsible_person"] != by_email:
                self.add_error(
                    "responsible_email",
                    _("Choose a member of the forum or write another person's e-mail address, not both."),
                )
            else:
                cleaned["responsible_person"] = by_email
                self.instance.responsible_person = by_email
        missing = not cleaned.get("responsible_person") and not cleaned.get("responsible_organisation")
        if missing and "responsible_person" not in self.errors and "responsible_email" not in self.errors:
            self.add_error("responsible_person", RESPONSIBLE_MISSING)
        return cleaned


class TaskFilterForm(forms.Form):
    vis = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(TaskView.OPEN, _("Open")), (TaskView.OVERDUE, _("Overdue")), (TaskView.DONE, _("Done"))],
    )

    def view(self) -> str:
        if self.is_valid() and self.cleaned_data["vis"]:
            return self.cleaned_data["vis"]
        return TaskView.OPEN
