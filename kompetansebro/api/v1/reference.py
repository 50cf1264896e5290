"""The vocabularies the other endpoints refer to: fields of competence and municipalities."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from kompetansebro.api.schemas import FieldOut, MeOut, MunicipalityOut
from kompetansebro.competences.models import CompetenceField
from kompetansebro.geography.models import Municipality

router = Router(tags=["reference"])


@router.get("/fields", response=list[FieldOut], summary="Fields of competence")
def list_fields(request):
    """The reviewed list of fields of competence. Needs and offerings name their field by `code`."""
    return list(CompetenceField.objects.all())


class MunicipalityFilters(Schema):
    county: str | None = Field(None, max_length=2, description="County number, e.g. 50 for Trøndelag.")
    q: str | None = Field(None, max_length=100, description="Part of the name.")

    @field_validator("county", "q")
    @classmethod
    def no_null_characters(cls, value):
        """PostgreSQL cannot compare with them (the list pages' forms refuse them the same way)."""
        if value and "\x00" in value:
            raise ValueError(_("Null characters are not allowed."))
        return value


@router.get("/municipalities", response=list[MunicipalityOut], summary="Municipalities")
def list_municipalities(request, filters: Query[MunicipalityFilters]):
    """Norwegian municipalities (SSB reference data). Needs and offerings name them by `number`."""
    municipalities = Municipality.objects.select_related("county").order_by("number")
    if filters.county:
        municipalities = municipalities.filter(county__number=filters.county)
    if filters.q:
        municipalities = municipalities.filter(name__icontains=filters.q.strip())
    return list(municipalities)


@router.get("/me", response=MeOut, summary="Who am I")
def me(request):
    """Who the API takes the caller to be: handy to check that a token works."""
    user = request.user
    token = getattr(request, "api_token", None)
    if not user.is_authenticated:
        return {"authenticated": False, "authenticated_by": "anonymous"}
    return {
        "authenticated": True,
        "email": user.email,
        "full_name": user.full_name,
        "authenticated_by": "token" if token else "session",
        "token": token,
    }
