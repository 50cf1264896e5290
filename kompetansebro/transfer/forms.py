from django import forms
from django.utils.translation import gettext_lazy as _

from kompetansebro.organisations.models import Organisation
from kompetansebro.transfer.models import ImportKind
from kompetansebro.transfer.readers import MAX_UPLOAD_BYTES
from kompetansebro.transfer.rules import importable_owners, may_import_needs, may_import_offerings


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you import?"), choices=ImportKind.choices)
    owner = forms.ModelChoiceField(
        label=_("For which organisation or provider?"),
        queryset=Organisation.objects.none(),
        help_text=_("Needs are registered for an organisation, offerings for an education provider."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV, at most %(mb)d MB. The first row holds the column names.")
        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = []
        owners = Organisation.objects.none()
        if may_import_needs(user):
            kinds.append((ImportKind.NEEDS, ImportKind.NEEDS.label))
            owners = owners | importable_owners(user, ImportKind.NEEDS)
        if may_import_offerings(user):
            kinds.append((ImportKind.OFFERINGS, ImportKind.OFFERINGS.label))
            owners = owners | importable_owners(user, ImportKind.OFFERINGS)
        self.fields["kind"].choices = kinds
        self.fields["owner"].queryset = Organisation.objects.filter(pk__in=owners.values("pk")).order_by("name")

    def clean(self):
        cleaned = super().clean()
        kind, owner = cleaned.get("kind"), cleaned.get("owner")
        if kind and owner and not importable_owners(self.user, kind).filter(pk=owner.pk).exists():
            message = (
                _("You may not register needs for %(name)s.")
                if kind == ImportKind.NEEDS
                else _("%(name)s is not an education provider whose offerings you keep.")
            )
            self.add_error("owner", message % {"name": owner.name})
        return cleaned
