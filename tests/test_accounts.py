import pytest
from django.core import mail
from django.urls import reverse

from kompetansebro import settings as project_settings
from kompetansebro.audit.models import AuditEntry
from tests.factories import UserFactory


@pytest.mark.django_db
def test_login_with_email_in_any_case(client):
    UserFactory(email="kari@example.no", password="Passord-for-test-1")
    response = client.post(reverse("accounts:login"), {"username": "Kari@Example.no", "password": "Passord-for-test-1"})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_wrong_password_gives_a_clear_message(client):
    UserFactory(email="kari@example.no")
    response = client.post(reverse("accounts:login"), {"username": "kari@example.no", "password": "feil"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_lock_out_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="kari@example.no", password="Passord-for-test-1")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "kari@example.no", "password": "feil"})
    response = client.post(reverse("accounts:login"), {"username": "kari@example.no", "password": "Passord-for-test-1"})
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client):
    UserFactory(email="kari@example.no")
    client.post(reverse("accounts:password_reset"), {"email": "kari@example.no"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/konto/nytt-passord/" in line).strip()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Et helt nytt passord 9", "new_password2": "Et helt nytt passord 9"},
    )
    assert response.status_code == 302
    login = client.post(
        reverse("accounts:login"), {"username": "kari@example.no", "password": "Et helt nytt passord 9"}
    )
    assert login.status_code == 302


@pytest.mark.django_db
def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "ingen@example.no"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_profile_change_is_recorded_and_sets_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Kari Nordmann", "phone": "", "job_title": "Rådgiver", "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Kari Nordmann", "en")
    assert AuditEntry.objects.filter(action="accounts.user.changed", object_id=str(user.pk), actor=user).exists()
    assert response.cookies["kompetansebro_language"].value == "en"


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
