from django import forms
from django.utils.translation import gettext_lazy as _


class RejectMatchForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the offering not fit?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why the offering does not fit.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why the offering does not fit."))
        return reason
