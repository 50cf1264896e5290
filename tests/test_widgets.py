"""The project's select template writes its options in Python (core.templatetags.kb.select_options)."""

from django import forms


class Choosing(forms.Form):
    place = forms.ChoiceField(
        choices=[("", "Anywhere"), ("5001", "Trondheim <Tråante>"), ("Fjell", [("1", "Røros"), ("2", "Holtålen")])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], required=False)


def test_options_selected_escaped_and_grouped():
    html = str(Choosing({"place": "5001"})["place"])
    assert '<option value="5001" selected>Trondheim &lt;Tråante&gt;</option>' in html
    assert '<option value="">Anywhere</option>' in html
    assert (
        '<optgroup label="Fjell"><option value="1">Røros</option><option value="2">Holtålen</option></optgroup>' in html
    )
    assert html.startswith('<select name="place"') and html.rstrip().endswith("</select>")


def test_several_selected_in_a_multiple_select():
    html = str(Choosing({"many": ["a", "c"]})["many"])
    assert "multiple" in html
    assert (
        '<option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option>' in html
    )
