"""The Trøndelag Sør demo's development request (bestilling): the secretariat asks the vocational college
and NTNU Videre for a programme for a need that no offering in the catalogue fits — operators for water and
wastewater in Oppdal, to be educated while they work — and the vocational college has answered that it will
develop a new one. NTNU Videre has not answered yet.

Written through the development services with the people who would do it (the secretariat, the college's
administrator). Idempotent: the request is found by its title in the region; an existing one is left as it is.
Call inside the demo's transaction, after load_catalogue (the need must exist):

    load_development(organisations=organisations, region=region)
"""

import datetime

from django.utils import timezone

from kompetansebro.accounts.models import User
from kompetansebro.demo.trondelag_sor_catalogue import SECRETARIAT, THYF
from kompetansebro.development.models import AnswerKind, DevelopmentRequest, ProviderAnswer
from kompetansebro.development.services import request_answer, request_create, request_send
from kompetansebro.geography.models import Region
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.organisations.models import Organisation

TITLE = "Driftsoperatør vann og avløp – fagbrev for voksne i jobb"
NEED_IDS = ("demo-behov-16",)  # no offering in the demo catalogue fits it
PROVIDERS = ("thyf", "ntnu-videre")
DESCRIPTION = (
    "Oppdal kommune skal ansette nye driftsoperatører ved vannverket og renseanlegget uten fagbrev og gi dem "
    "fagbrev mens de jobber. Ingen tilbud i katalogen dekker vann- og avløpsfaget i regionen i dag.\n\n"
    "Vi ønsker teori på nett med noen få samlinger i Oppdal eller Trondheim, praksis i eget anlegg og "
    "løpende opptak, slik at nye ansatte kan begynne når de blir ansatt. Svar gjerne også om dere kan gjøre "
    "dette sammen med en videregående skole."
)


def load_development(*, organisations: dict[str, Organisation], region: Region) -> bool:
    """Create the request if it is missing: sent to the providers, answered by the vocational college.
    Returns whether it was created."""
    if DevelopmentRequest.objects.filter(region=region, title=TITLE).exists():
        return False
    needs = list(CompetenceNeed.objects.filter(external_id__in=NEED_IDS, municipality__regions=region))
    if not needs:
        return False
    today = timezone.localdate()
    secretariat = User.objects.get(email=SECRETARIAT)
    request = request_create(
        actor=secretariat,
        region=region,
        title=TITLE,
        description=DESCRIPTION,
        answer_deadline=today + datetime.timedelta(days=21),
        needs=needs,
        providers=[organisations[key] for key in PROVIDERS],
        wanted_level="fagbrev",
        wanted_delivery=["nett", "samlingsbasert", "i_bedrift"],
        wanted_start=today + datetime.timedelta(days=150),
    )
    request_send(actor=secretariat, request=request)
    answer = ProviderAnswer.objects.select_related("request__created_by", "provider").get(
        request=request, provider=organisations["thyf"]
    )
    request_answer(
        actor=User.objects.get(email=THYF),
        answer=answer,
        kind=AnswerKind.NEW,
        expected_version=answer.version,
        reason=(
            "Vi utvikler et fagskoleemne i drift av vann- og avløpsanlegg sammen med Oppdal videregående skole, "
            "som tar fagprøveforberedelsen. Teori på nett, tre samlinger i Oppdal, løpende opptak."
        ),
        planned_start=today + datetime.timedelta(days=160),
        planned_end=today + datetime.timedelta(days=160 + 365),
    )
    return True
