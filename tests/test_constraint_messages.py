"""Database constraints speak Norwegian: a violated constraint is shown as a sentence beside its field, never
as 'Begrensning "payment_amount_positive" er brutt.' (issue 11 item 7)."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint
from django.utils import translation

from kompetansebro.core.constraints import CONSTRAINT_FIELDS
from kompetansebro.grants.forms_rounds import PaymentForm
from kompetansebro.grants.models import Payment
from kompetansebro.projects.models import Risk

DEFAULT_MESSAGE = BaseConstraint.default_violation_error_message


def all_constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            yield pytest.param(model, constraint, id=f"{model._meta.label}.{constraint.name}")


@pytest.mark.parametrize(("model", "constraint"), list(all_constraints()))
def test_every_constraint_has_a_message_in_norwegian(model, constraint):
    message = constraint.violation_error_message
    assert message and message != DEFAULT_MESSAGE
    assert constraint.violation_error_code == constraint.name
    with translation.override("nb"):
        norwegian = str(message)
    with translation.override("en"):
        english = str(message)
    assert norwegian != english, f"{constraint.name}: no bokmål translation of “{english}”"
    if constraint.name in CONSTRAINT_FIELDS:
        model._meta.get_field(CONSTRAINT_FIELDS[constraint.name])


def test_the_walk_finds_the_constraints():
    assert len(list(all_constraints())) >= 41


@pytest.mark.django_db
def test_payment_amount_positive_is_shown_beside_the_amount_in_norwegian():
    data = {"kind": "payment", "amount": "0", "status": "planned", "due_on": "", "paid_on": "", "reference": ""}
    with translation.override("nb"):
        form = PaymentForm(data, instance=Payment())
        assert not form.is_valid()
        assert form.errors["amount"] == ["Beløpet må være mer enn kr 0."]
        assert "__all__" not in form.errors
        assert "payment_amount_positive" not in str(form.errors)


@pytest.mark.django_db
def test_paid_payment_without_date_is_shown_beside_the_date_in_english():
    data = {"kind": "payment", "amount": "100", "status": "paid", "due_on": "", "paid_on": "", "reference": ""}
    with translation.override("en"):
        form = PaymentForm(data, instance=Payment())
        assert not form.is_valid()
        assert form.errors["paid_on"] == ["Write the date the money was paid."]


@pytest.mark.django_db
def test_a_constraint_over_two_fields_is_shown_at_the_top_in_norwegian():
    risk = Risk(description="Frafall", probability=6, impact=2)
    with translation.override("nb"), pytest.raises(ValidationError) as raised:
        risk.validate_constraints()
    assert raised.value.message_dict == {"__all__": ["Sannsynlighet og konsekvens oppgis som tall fra 1 til 5."]}
