"""JSON Lines in the matching benchmark's schema: reading, writing, the real dev set, round trip."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from kompetansebro.needs.models import CompetenceNeed, Visibility
from kompetansebro.offerings.models import Offering, OfferingStatus
from kompetansebro.organisations.models import Organisation, OrganisationKind
from kompetansebro.transfer import jsonl

MATCHING = Path("/work/shared/data/matching")
FIXTURES = Path(__file__).parent / "fixtures"


def read(path: Path, kind: str):
    with path.open(encoding="utf-8") as handle:
        return jsonl.read_jsonl(handle, kind=kind, name=path.name)


@pytest.mark.skipif(not (MATCHING / "offerings.jsonl").exists(), reason="matching data set not available")
def test_import_of_the_matching_dev_set_is_complete_and_idempotent(reference_data):
    call_command(
        "import_jsonl", offerings=MATCHING / "offerings.jsonl", needs=MATCHING / "needs_dev.jsonl", stdout=io.StringIO()
    )
    assert Offering.objects.filter(external_id__regex=r"^o\d{3}$").count() == 260
    assert CompetenceNeed.objects.filter(external_id__regex=r"^n\d{3}$").count() == 65
    ntnu = Organisation.objects.get(name="NTNU Videre")
    assert ntnu.kind == OrganisationKind.EDUCATION_PROVIDER and ntnu.provider_kind == "university"
    first = Offering.objects.get(external_id="o001")
    assert first.provider == ntnu and first.credits == 7.5 and first.delivery_online and first.price == 9500
    assert first.status == OfferingStatus.OPEN and first.field.code == "helse-og-omsorg"
    need = CompetenceNeed.objects.get(external_id="n002")
    assert need.organisation.name == "Røros kommune, eiendom" and need.municipality.number == "5025"
    assert need.visibility == Visibility.PUBLIC_ANONYMISED and need.wants_online and need.level == "fagskole"
    via = CompetenceNeed.objects.get(external_id="n003").organisation
    assert via.name == "Elektrofirma på Fosen" and via.represented_by.name == "Fosen Næringshage"

    out = io.StringIO()
    call_command("import_jsonl", offerings=MATCHING / "offerings.jsonl", needs=MATCHING / "needs_dev.jsonl", stdout=out)
    assert "offerings: 0 new, 0 updated, 260 unchanged" in out.getvalue()
    assert "needs: 0 new, 0 updated, 65 unchanged" in out.getvalue()
