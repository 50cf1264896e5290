"""Forms for forums, members, meetings, cases and attachments, with Norwegian messages beside the field.
The services check the same rules again; these give the early, field-level answer."""

import datetime

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kompetansebro.accounts.models import User
from kompetansebro.core.versioning import VersionedForm
from kompetansebro.forums.models import AgendaCase, CaseKind, Forum, ForumKind, MemberRole
from kompetansebro.forums.services.attachments import max_bytes
from kompetansebro.forums.services.forums import RESERVED_SLUGS
from kompetansebro.geography.models import Region
from kompetansebro.organisations.access import access_profile
from kompetansebro.organisations.models import Organisation
from kompetansebro.organisations.predicates import is_platform_admin

DATE_HELP = _("As dd.mm.yyyy, e.g. 20.03.2027.")
DATE_INVALID = _("Write the date as dd.mm.yyyy, e.g. 20.03.2027.")
TIME_HELP = _("As hh:mm, e.g. 10:00.")
TIME_INVALID = _("Write the time as hh:mm, e.g. 10:00.")


def _date_field(label, *, required=False, required_message=None, help_text=DATE_HELP):
    messages = {"invalid": DATE_INVALID}
    if required_message:
        messages["required"] = required_message
    field = forms.DateField(label=label, required=required, help_text=help_text, error_messages=messages)
    field.widget.format = "%d.%m.%Y"
    return field


def _time_field(label, *, required=False, required_message=None):
    messages = {"invalid": TIME_INVALID}
    if required_message:
        messages["required"] = required_message
    field = forms.TimeField(label=label, required=required, help_text=TIME_HELP, error_messages=messages)
    field.widget.format = "%H:%M"
    return field


# ---- forums ---------------------------------------------------------------------------------------------


class ForumFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("forum", "Kind"), required=False, choices=[("", _("All kinds")), *ForumKind.choices]
    )


def regions_for_forums(user):
    """Regions a person may place a forum in: every region for platform admins, otherwise their secretariat
    regions."""
    regions = Region.objects.order_by("name")
    if is_platform_admin(user):
        return regions
    return regions.filter(pk__in=access_profile(user).secretariat_region_ids)


def owners_for_forums(user):
    """Organisations that may own a forum the person creates: every active organisation for platform admins,
    otherwise those in the municipalities of their secretariat regions and those they administer."""
    organisations = Organisation.objects.active().order_by("name", "pk")
    if is_platform_admin(user):
        return organisations
    profile = access_profile(user)
    return organisations.filter(
        Q(municipality_id__in=profile.secretariat_municipality_ids) | Q(pk__in=profile.admin_org_ids)
    )


class ForumForm(VersionedForm, forms.ModelForm):
    appointed_from = _date_field(_("Appointed from"))
    appointed_until = _date_field(_("Appointed until"))

    class Meta:
        model = Forum
        fields = [
            "name",
            "slug",
            "kind",
            "owner",
            "region",
            "mandate",
            "appointed_from",
            "appointed_until",
            "is_public",
            "case_prefix",
        ]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "slug": _("Small letters, digits and hyphens, e.g. kompetanseforum-trondelag-sor. Used in the address."),
            "mandate": _("What the forum is for and what it decides, as in its mandate."),
        }
        error_messages = {
            "name": {"required": _("Give the forum a name.")},
            "slug": {
                "required": _("Give the forum a short name for its address."),
                "invalid": _("Use only small letters, digits and hyphens."),
                "unique": _("Another forum already uses this short name. Choose another."),
            },
            "kind": {"required": _("Choose the kind of forum.")},
            "owner": {
                "required": _("Choose the organisation that owns the forum."),
                "invalid_choice": _("Choose an organisation from the list."),
            },
            "region": {"invalid_choice": _("Choose one of your regions.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        owners, regions = owners_for_forums(user), regions_for_forums(user)
        if editing:
            self.start_version(self.instance)
            owners = Organisation.objects.filter(Q(pk__in=owners.values("pk")) | Q(pk=self.instance.owner_id))
            if self.instance.region_id:
                regions = Region.objects.filter(Q(pk__in=regions.values("pk")) | Q(pk=self.instance.region_id))
        else:
            self.start_version(None)
        self.fields["owner"].queryset = owners.order_by("name", "pk")
        self.fields["owner"].empty_label = _("Choose the owner")
        self.fields["region"].queryset = regions.order_by("name")
        self.may_skip_region = is_platform_admin(user)
        if self.may_skip_region:
            self.fields["region"].empty_label = _("No region")
        else:
            self.fields["region"].required = True
            self.fields["region"].empty_label = _("Choose the region")
            self.fields["region"].error_messages["required"] = _("Choose the region the forum works in.")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved. Choose another."))
        return slug

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("appointed_from"), cleaned.get("appointed_until")
        if start and end and end < start:
            self.add_error("appointed_until", _("The end of the appointment period cannot be before its start."))
        return cleaned


# ---- members --------------------------------------------------------------------------------------------


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for a person"),
        required=False,
        max_length=200,
        help_text=_("Name or e-mail address; at least three letters."),
    )


def person_search(query: str, *, limit: int = 20):
    """Active people whose name or e-mail contains the query (at least three characters)."""
    query = (query or "").strip()
    if len(query) < 3:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(full_name__icontains=query) | Q(email__icontains=query))
        .order_by("full_name", "pk")[:limit]
    )


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        help_text=_("The person must have an account in Kompetansebro. Search above to find it."),
        error_messages={
            "required": _("Write the e-mail address of the person."),
            "invalid": _("Write a valid e-mail address, e.g. navn@kommune.no."),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Represents"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No organisation"),
        help_text=_("The organisation the person sits in the forum for."),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        error_messages={"required": _("Choose a role.")},
    )
    may_decide = forms.BooleanField(
        label=_("May decide"),
        required=False,
        initial=True,
        help_text=_("Observers and the secretariat never decide."),
    )
    starts_on = _date_field(_("From"), required=True, required_message=_("Give the date the seat starts."))
    ends_on = _date_field(_("Until"), help_text=_("Empty if the seat has no end date. As dd.mm.yyyy."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active().order_by("name", "pk")
        self.fields["starts_on"].initial = timezone.localdate()
        self.person = None

    def clean_email(self):
        email = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError(
                _(
                    "Nobody with this e-mail address has an account. "
                    "Search for the person by name, or ask them to register."
                )
            )
        if not person.is_active:
            raise forms.ValidationError(_("This person's account is deactivated."))
        self.person = person
        return email

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The seat cannot end before it starts."))
        return cleaned


class MembershipEndForm(forms.Form):
    ends_on = _date_field(_("Last day in the forum"), required=True, required_message=_("Give the last day."))

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


# ---- meetings -------------------------------------------------------------------------------------------


class MeetingForm(VersionedForm):
    """Date and times in Oslo time, as people write them; `meeting_values()` gives the aware start and end."""

    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("E.g. “Møte i kompetanseforumet”. Empty: the forum's name and the date."),
    )
    date = _date_field(_("Date"), required=True, required_message=_("Give the date of the meeting."))
    start_time = _time_field(_("Starts at"), required=True, required_message=_("Give the time the meeting starts."))
    end_time = _time_field(_("Ends at"))
    place = forms.CharField(
        label=_("Place"), required=False, max_length=200, help_text=_("E.g. Røros rådhus, møterom 1.")
    )
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The address of the video meeting, if any."),
        error_messages={"invalid": _("Write a full web address, e.g. https://teams.microsoft.com/…")},
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.start_version(meeting)
        if meeting is not None:
            self.initial.update(self.edit_values(meeting))

    def edit_value(self, obj, name: str):
        if name == "date":
            return timezone.localtime(obj.starts_at).date()
        if name == "start_time":
            return timezone.localtime(obj.starts_at).time()
        if name == "end_time":
            return timezone.localtime(obj.ends_at).time() if obj.ends_at else None
        return getattr(obj, name)

    def shown(self, obj, name: str, value):
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return super().shown(obj, name, value)

    @staticmethod
    def _times(cleaned) -> tuple:
        day, start, end = cleaned["date"], cleaned["start_time"], cleaned.get("end_time")
        starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
        return starts_at, timezone.make_aware(datetime.datetime.combine(day, end)) if end else None

    def meeting_values(self) -> dict:
        """The meeting's fields for the services, from the (possibly merged) cleaned data."""
        starts_at, ends_at = self._times(self.cleaned_data)
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": data["place"],
            "video_link": data["video_link"],
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") is None or cleaned.get("start_time") is None:
            return cleaned
        starts_at, ends_at = self._times(cleaned)
        start_changed = self.meeting is None or starts_at != self.meeting.starts_at
        if start_changed and starts_at < timezone.now():
            self.add_error("date", _("The meeting cannot start in the past. Choose a later date and time."))
        if ends_at is not None and ends_at <= starts_at:
            self.add_error("end_time", _("The meeting must end after it starts."))
        if not (cleaned.get("place") or "").strip() and not cleaned.get("video_link"):
            self.add_error("place", _("Give the place of the meeting, a video link, or both."))
        return cleaned


# ---- cases ----------------------------------------------------------------------------------------------


class CaseForm(VersionedForm, forms.ModelForm):
    number = forms.IntegerField(
        label=_("Case number"),
        required=False,
        min_value=1,
        help_text=_("Empty: the next free number for the kind of case this year. Give a number to continue a series."),
        error_messages={
            "invalid": _("Write the case number as a whole number."),
            "min_value": _("The case number must be 1 or higher."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = AgendaCase
        fields = [
            "kind",
            "number",
            "title",
            "archive_number",
            "is_closed",
            "legal_basis",
            "background",
            "facts",
            "assessment",
            "recommendation",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "background": forms.Textarea(attrs={"rows": 5}),
            "facts": forms.Textarea(attrs={"rows": 8}),
            "assessment": forms.Textarea(attrs={"rows": 5}),
            "recommendation": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "is_closed": _("Closed cases are never shown to the public, only to the forum's members."),
            "recommendation": _("The advisor's recommendation (innstilling) the forum decides on."),
        }
        error_messages = {
            "title": {"required": _("Give the case a title.")},
            "kind": {"required": _("Choose the kind of case.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CaseKind.choices
        if self.instance.pk is not None:
            self.start_version(self.instance)
            del self.fields["kind"]
            del self.fields["number"]
        else:
            self.start_version(None)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_closed") and not (cleaned.get("legal_basis") or "").strip():
            self.add_error(
                "legal_basis", _("A closed case needs its legal basis, e.g. Offentleglova § 13, jf. fvl. § 13.")
            )
        return cleaned

    def _get_validation_exclusions(self):
        # Numbers are given by the service (with the forum locked); it reports a duplicate beside the field.
        return {*super()._get_validation_exclusions(), "forum", "kind", "year", "number", "meeting"}

    def validate_unique(self):
        """Uniqueness and constraints are checked by the case service, with messages beside the field."""


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, help_text=_("Empty: the file name without its ending.")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT)."),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a file to upload."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT), at most %(limit)s."
        ) % {"limit": filesizeformat(max_bytes())}
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.odt"
