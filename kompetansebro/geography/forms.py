from django import forms
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.versioning import VersionedForm
from kompetansebro.geography.models import CentralityClass, Municipality, Region


class RegionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "kind", "county", "description", "municipalities"]
        widgets = {
            "municipalities": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.select_related("county").order_by(
            "county__name", "name"
        )
        self.fields["municipalities"].required = False
        if self.instance.pk:
            self.start_version(self.instance)
            if self.instance.is_reference:
                for name in ["kind", "county", "municipalities"]:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Comes from the reference data and cannot be changed here.")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Region.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A region with this name exists already."))
        return name


class MunicipalityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or municipality number"))
    county = forms.ChoiceField(label=_("County"), required=False)
    centrality = forms.MultipleChoiceField(
        label=_("Centrality class"),
        required=False,
        choices=CentralityClass.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, county_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties")), *county_choices]
