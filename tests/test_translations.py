"""The Norwegian translation is complete: every text in the code and templates has a translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PACKAGE = Path(__file__).resolve().parent.parent / "kompetansebro"
PO_FILE = PACKAGE / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def test_po_file_has_no_untranslated_or_fuzzy_entries():
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(PO_FILE)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", str(PO_FILE)], capture_output=True, text=True, check=True
    ).stdout
    assert untranslated.strip() == "", f"untranslated entries:\n{untranslated}"
    assert fuzzy.strip() == "", f"fuzzy entries:\n{fuzzy}"


def test_po_file_is_up_to_date_with_the_sources(tmp_path):
    """A fresh makemessages on a copy of the package finds no text the committed .po file lacks."""
    copy = tmp_path / "kompetansebro"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nb", "--no-obsolete", "--no-location", "-v", "0"],
        cwd=copy,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kompetansebro.settings",
            "PYTHONPATH": str(PACKAGE.parent),
        },
    )
    comparison = subprocess.run(
        ["msgcmp", str(PO_FILE), str(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po")],
        capture_output=True,
        text=True,
    )
    assert comparison.returncode == 0, f"run makemessages and translate:\n{comparison.stderr}"


@pytest.mark.django_db
def test_pages_switch_language(reference_data):
    client = Client()
    assert "Organisasjoner" in client.get(reverse("organisations:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Organisations" in client.get(reverse("organisations:list")).content.decode()


@pytest.mark.django_db
def test_bokmal_comes_first_whatever_the_browser_says(reference_data):
    page = Client().get(reverse("organisations:list"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Organisasjoner" in page.content.decode()
    assert page["Content-Language"] == "nb"


@pytest.mark.django_db
def test_profile_language_applies_without_a_cookie(reference_data):
    client = Client()
    client.force_login(UserFactory(language="en"), backend="django.contrib.auth.backends.ModelBackend")
    assert "Organisations" in client.get(reverse("organisations:list")).content.decode()
