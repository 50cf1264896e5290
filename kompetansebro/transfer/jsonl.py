"""JSON Lines of offerings and needs, in exactly the schema of the matching benchmark
(/work/shared/data/matching/README.md; docs/data-formats.md, "JSON Lines").

Reading checks every line against the schema and names the line of any error. Importing is one
transaction (all lines or none) through the needs and offerings services, keyed by the JSONL `id` as
external id, so running it again changes nothing. Exporting writes public offerings and public needs,
anonymised.

The schema has no field of competence, and needs have no title: the field is derived by
`derive_field` (a keyword rule, documented in docs/data-formats.md) and the title of a need is the first
sentence of its description (at most TITLE_LENGTH characters).
"""

import json
import re
from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from kompetansebro.competences.models import CompetenceField, CreditUnit, DeliveryMode, Level
from kompetansebro.competences.services import tag_names
from kompetansebro.transfer.columns import NEED_DELIVERY_FIELDS, OFFERING_DELIVERY_FIELDS, Lookups
from kompetansebro.transfer.readers import CellError

TITLE_LENGTH = 120
DEFAULT_PROVIDER_MUNICIPALITY = "5001"  # Trondheim, when none of a provider's offerings names a place
FALLBACK_FIELD = "ledelse-og-administrasjon"

PROVIDER_TYPES = {  # JSONL provider_type -> Organisation.provider_kind
    "universitet": "university",
    "fagskole": "vocational_college",
    "vgs": "upper_secondary",
    "studieforbund": "study_association",
    "privat": "private",
    "opplaeringskontor": "private",  # no kind of its own among providers; see docs
    "kommune": "private",
}
PROVIDER_TYPE_OF_KIND = {
    "university": "universitet",
    "vocational_college": "fagskole",
    "upper_secondary": "vgs",
    "study_association": "studieforbund",
    "private": "privat",
}
ORGANISATION_TYPES = {  # JSONL organisation_type -> Organisation.kind
    "kommune": "municipality",
    "bedrift": "company",
    "fylkeskommune": "county_council",
    "skole": "other",
    "helseforetak": "other",
}
ORGANISATION_TYPE_OF_KIND = {
    "municipality": "kommune",
    "county_council": "fylkeskommune",
    "education_provider": "skole",
}
NEED_DELIVERY_FROM_WISH = {**NEED_DELIVERY_FIELDS, DeliveryMode.DECENTRALISED: "wants_local_gatherings"}

OFFERING_KEYS = [
    "id",
    "title",
    "provider",
    "provider_type",
    "description",
    "level",
    "credits",
    "credit_unit",
    "delivery",
    "continuous_admission",
    "gathering_locations",
    "start",
    "price_nok",
    "tags",
]
NEED_KEYS = [
    "id",
    "organisation",
    "organisation_type",
    "municipality",
    "description",
    "persons",
    "level_wish",
    "delivery_wish",
    "combined_work_education",
    "desired_start",
]

# Keyword rule for the field of competence: words (stems, matched inside words) per field, beside the
# words of the field's own name and description in competences/data/fields.csv.
EXTRA_KEYWORDS = {
    "helse-og-omsorg": ["helse", "pasient", "sykehjem", "omsorg", "demens", "pleie", "legemiddel", "psykisk"],
    "oppvekst-og-utdanning": ["barnehage", "skole", "lærer", "pedagog", "elev", "ppu", "veiledning av"],
    "bygg-og-anlegg": ["bygg", "tømrer", "anlegg", "betong", "murer", "rørlegger", "taktekk"],
    "elektro-og-automasjon": ["elektr", "automasjon", "plc", "solcelle", "varmepumpe", "kulde", "ekom"],
    "industri-og-produksjon": ["sveis", "cnc", "industri", "produksjon", "lean", "vedlikehold", "mekan"],
    "trearbeid-og-handverk": ["sagbruk", "trelast", "snekker", "møbel", "håndverk", "treteknikk", "trevare"],
    "reiseliv-og-mat": ["reiseliv", "turis", "kokk", "servitør", "mat", "vertskap", "guide", "servering"],
    "landbruk-og-skogbruk": ["landbruk", "gård", "skog", "husdyr", "agronom", "reindrift", "gartner", "bonde"],
    "ikt-og-digital-kompetanse": ["ikt", "digital", "data", "programmer", "sikkerhet i it", "cyber", "nettverk"],
    "ledelse-og-administrasjon": ["ledelse", "leder", "økonomi", "regnskap", "hr", "prosjektled", "innkjøp"],
    "sprak": ["norsk", "språk", "engelsk", "samisk", "tegnspråk"],
    "transport-og-logistikk": ["transport", "sjåfør", "logistikk", "truck", "kran", "lager", "førerkort"],
    "energi-og-miljo": ["energi", "miljø", "klima", "avfall", "vann og avløp", "sirkulær", "fornybar"],
    "handel-og-service": ["salg", "butikk", "kundeservice", "renhold", "eiendomsdrift", "handel"],
    "naturbruk-og-havbruk": ["havbruk", "akvakultur", "fisk", "sjømat", "oppdrett"],
    "sikkerhet-og-beredskap": ["hms", "brann", "beredskap", "førstehjelp", "vakt", "sikkerhetskurs"],
}


class JsonlError(Exception):
    """Errors found in a JSONL file: a list of "offerings.jsonl, line 3: …" messages."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


# Reading and writing ------------------------------------------------------------------------------------


def _check(record: dict, keys: list[str], rules: dict) -> list[str]:
    problems = [f"missing key {key!r}" for key in keys if key not in record]
    for key, (allowed, check) in rules.items():
        if key in record and not check(record[key]):
            problems.append(f"{key!r} must be {allowed}, got {record[key]!r}")
    return problems


def _is_date(value) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _list_of(values) -> object:
    return lambda value: isinstance(value, list) and all(item in values for item in value)


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


OFFERING_RULES = {
    "id": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip()) and len(v) <= 100),
    "title": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip())),
    "provider": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip())),
    "provider_type": (" / ".join(PROVIDER_TYPES), lambda v: v in PROVIDER_TYPES),
    "description": ("a string", lambda v: isinstance(v, str)),
    "level": (" / ".join(Level.values), lambda v: v in Level.values),
    "credits": ("a number or null", lambda v: v is None or _number(v) and v > 0),
    "credit_unit": ("studiepoeng / fagskolepoeng / null", lambda v: v is None or v in CreditUnit.values),
    "delivery": ("a list of delivery codes", _list_of(DeliveryMode.values)),
    "continuous_admission": ("true or false", lambda v: isinstance(v, bool)),
    "gathering_locations": ("a list of municipality names", lambda v: isinstance(v, list)),
    "start": ("an ISO date or null", lambda v: v is None or _is_date(v)),
    "price_nok": ("a whole number or null", lambda v: v is None or isinstance(v, int) and not isinstance(v, bool)),
    "tags": ("a list of strings", lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v)),
}
NEED_RULES = {
    "id": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip()) and len(v) <= 100),
    "organisation": ("a string", lambda v: isinstance(v, str)),
    "organisation_type": (" / ".join(ORGANISATION_TYPES), lambda v: v in ORGANISATION_TYPES),
    "municipality": ("a municipality name", lambda v: isinstance(v, str) and bool(v.strip())),
    "description": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip())),
    "persons": ("a whole number ≥ 1", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1),
    "level_wish": ("a level code or null", lambda v: v is None or v in Level.values),
    "delivery_wish": ("a list of delivery codes", _list_of(DeliveryMode.values)),
    "combined_work_education": ("true or false", lambda v: isinstance(v, bool)),
    "desired_start": ("an ISO date or null", lambda v: v is None or _is_date(v)),
}


def read_jsonl(handle, *, kind: str, name: str = "") -> list[dict]:
    """Records of a JSONL file of `kind` "offerings" or "needs"; raises JsonlError naming every bad line."""
    keys, rules = (OFFERING_KEYS, OFFERING_RULES) if kind == "offerings" else (NEED_KEYS, NEED_RULES)
    records, errors, seen = [], [], {}
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            errors.append(f"{name}, line {number}: not valid JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            errors.append(f"{name}, line {number}: a line must be one JSON object")
            continue
        problems = _check(record, keys, rules)
        if isinstance(record.get("id"), str):
            if record["id"] in seen:
                problems.append(f"id {record['id']!r} is also on line {seen[record['id']]}")
            seen.setdefault(record["id"], number)
        for problem in problems:
            errors.append(f"{name}, line {number}: {problem}")
        if not problems:
            records.append({**record, "_line": number})
    if errors:
        raise JsonlError(errors)
    return records


def write_jsonl(records, handle, *, kind: str) -> int:
    keys = OFFERING_KEYS if kind == "offerings" else NEED_KEYS
    count = 0
    for record in records:
        handle.write(json.dumps({key: record[key] for key in keys}, ensure_ascii=False) + "\n")
        count += 1
    return count


# Derived values -------------------------------------------------------------------------------------------


def field_keywords() -> dict[str, list[str]]:
    keywords = {}
    for code, name_nb, description in CompetenceField.objects.values_list("code", "name_nb", "description"):
        words = [word.strip().lower() for word in re.split(r",| og ", f"{name_nb}, {description}") if word.strip()]
        keywords[code] = [word for word in dict.fromkeys([*words, *EXTRA_KEYWORDS.get(code, [])]) if len(word) >= 3]
    return keywords


def derive_field(*, tags=(), title: str = "", description: str = "", keywords: dict) -> str:
    """The field of competence whose keywords occur most often: in tags and the title 3 points each,
    in the description 1 point. Ties go to the field listed first; no hit at all gives FALLBACK_FIELD."""
    strong = " ".join([*tags, title]).lower()
    weak = description.lower()
    scores = Counter()
    for code, words in keywords.items():
        for word in words:
            scores[code] += 3 * strong.count(word) + weak.count(word)
    best = max(keywords, key=lambda code: scores[code], default=None)
    return best if best is not None and scores[best] > 0 else FALLBACK_FIELD


def need_title(description: str) -> str:
    """The first sentence of the description, cut at a word boundary."""
    text = " ".join(description.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".!? ")
    if len(sentence) <= TITLE_LENGTH:
        return sentence
    return sentence[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


_SAMI_SPELLING = re.compile(r"[ïášŋđčžŧ]|åa|aa|uo|ea", re.IGNORECASE)


def norwegian_name(municipality) -> str:
    """ "Steinkjer - Stïentje" -> "Steinkjer", "Snåase - Snåsa" -> "Snåsa": the part of an official parallel
    name without Sami or Kven spelling (letters ï á š ŋ đ č ž ŧ, or åa, aa, uo, ea), as the benchmark writes
    names; checked against every parallel name in the 2024 reference file."""
    parts = municipality.name.split(" - ")
    plain = [part for part in parts if not _SAMI_SPELLING.search(part)]
    return (plain or parts)[0]


def plain_number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


# Export ---------------------------------------------------------------------------------------------------


def offering_record(offering) -> dict:
    return {
        "id": offering.external_id or f"kb-{offering.pk}",
        "title": offering.title,
        "provider": offering.provider.name,
        "provider_type": PROVIDER_TYPE_OF_KIND.get(offering.provider.provider_kind, "privat"),
        "description": offering.description,
        "level": offering.level,
        "credits": plain_number(offering.credits),
        "credit_unit": offering.credit_unit or None,
        "delivery": [code for code, name in OFFERING_DELIVERY_FIELDS.items() if getattr(offering, name)],
        "continuous_admission": offering.continuous_admission,
        "gathering_locations": [norwegian_name(municipality) for municipality in offering.gathering_locations.all()],
        "start": offering.start_date.isoformat() if offering.start_date else None,
        "price_nok": round(offering.price) if offering.price is not None else None,
        "tags": [tag.name for tag in offering.tags.all()],
    }


def need_record(need) -> dict:
    """A public need, anonymised: no organisation name and no external id (the id is kb-<number>), and only
    the text the public sees (needs/public.py), never the internal title and description."""
    title, description = need.public_title_text, need.public_description_text
    if not description.startswith(title):
        description = f"{title}. {description}"
    return {
        "id": f"kb-{need.pk}",
        "organisation": "",
        "organisation_type": ORGANISATION_TYPE_OF_KIND.get(need.organisation.kind, "bedrift"),
        "municipality": norwegian_name(need.municipality),
        "description": description,
        "persons": need.persons,
        "level_wish": need.level or None,
        "delivery_wish": [code for code, name in NEED_DELIVERY_FIELDS.items() if getattr(need, name)],
        "combined_work_education": need.combined_work_education,
        "desired_start": need.wanted_start.isoformat() if need.wanted_start else None,
    }


def public_offerings():
    from kompetansebro.offerings.models import Offering, OfferingStatus

    return (
        Offering.objects.exclude(status=OfferingStatus.PLANNED)
        .select_related("provider")
        .prefetch_related("tags", "gathering_locations")
        .order_by("pk")
    )


def public_needs():
    from kompetansebro.needs.models import CompetenceNeed, Visibility

    return (
        CompetenceNeed.objects.filter(visibility=Visibility.PUBLIC_ANONYMISED)
        .select_related("organisation", "municipality")
        .order_by("pk")
    )


def export_offerings(handle) -> int:
    return write_jsonl(
        (offering_record(o) for o in public_offerings().iterator(chunk_size=2000)), handle, kind="offerings"
    )


def export_needs(handle) -> int:
    return write_jsonl((need_record(n) for n in public_needs().iterator(chunk_size=2000)), handle, kind="needs")


# Import ---------------------------------------------------------------------------------------------------


def _organisation_by_name(name: str, **filters):
    from kompetansebro.organisations.models import Organisation

    return Organisation.objects.filter(name__iexact=name.strip(), **filters).order_by("pk").first()


def _provider_for(record: dict, places: Counter, lookups: Lookups, actor):
    from kompetansebro.organisations.models import OrganisationKind
    from kompetansebro.organisations.services import organisation_create

    provider = _organisation_by_name(record["provider"], kind=OrganisationKind.EDUCATION_PROVIDER)
    if provider is not None:
        return provider, False
    number = places.most_common(1)[0][0] if places else DEFAULT_PROVIDER_MUNICIPALITY
    provider = organisation_create(
        actor=actor,
        data={
            "name": record["provider"].strip(),
            "kind": OrganisationKind.EDUCATION_PROVIDER,
            "provider_kind": PROVIDER_TYPES[record["provider_type"]],
            "municipality": lookups.municipalities_by_number[number],
        },
    )
    return provider, True


def _organisation_for(record: dict, municipality, actor):
    """The organisation by name; created when missing. "X (via Y)": X, represented by business garden Y."""
    from kompetansebro.organisations.models import OrganisationKind
    from kompetansebro.organisations.services import organisation_create

    name = record["organisation"].strip()
    garden_name = None
    if match := re.fullmatch(r"(.+?)\s*\(via (.+)\)", name):
        name, garden_name = match.group(1).strip(), match.group(2).strip()
    organisation = _organisation_by_name(name)
    if organisation is not None:
        return organisation, 0
    created = 0
    garden = None
    if garden_name:
        garden = _organisation_by_name(garden_name, kind=OrganisationKind.BUSINESS_GARDEN)
        if garden is None:
            garden = organisation_create(
                actor=actor,
                data={"name": garden_name, "kind": OrganisationKind.BUSINESS_GARDEN, "municipality": municipality},
            )
            created += 1
    organisation = organisation_create(
        actor=actor,
        data={
            "name": name,
            "kind": ORGANISATION_TYPES[record["organisation_type"]],
            "municipality": municipality,
            "represented_by": garden,
        },
    )
    return organisation, created + 1


def offering_row(record: dict, lookups: Lookups, keywords: dict) -> dict:
    """A JSONL offering as an import row (the form transfer.importers compares and saves)."""
    delivery = set(record["delivery"])
    numbers = []
    for place in record["gathering_locations"]:
        number = lookups.municipality(place).number
        if number not in numbers:
            numbers.append(number)
    tags = tag_names(record["tags"])
    credits = record["credits"]
    return {
        "row": record["_line"],
        "external_id": record["id"].strip(),
        "data": {
            "title": record["title"].strip(),
            "description": record["description"].strip(),
            "field": derive_field(
                tags=tags, title=record["title"], description=record["description"], keywords=keywords
            ),
            "tags": tags,
            "level": record["level"],
            "credits": str(credits) if credits is not None else None,
            "credit_unit": record["credit_unit"] or "",
            **{name: code in delivery for code, name in OFFERING_DELIVERY_FIELDS.items()},
            "continuous_admission": record["continuous_admission"],
            "gathering_locations": numbers,
            "start_date": record["start"],
            "price": f"{record['price_nok']}.00" if record["price_nok"] is not None else None,
        },
    }


def need_row(record: dict, lookups: Lookups, keywords: dict) -> dict:
    wishes = set(record["delivery_wish"])
    title = need_title(record["description"])
    return {
        "row": record["_line"],
        "external_id": record["id"].strip(),
        "data": {
            "title": title,
            "description": record["description"].strip(),
            "field": derive_field(title=title, description=record["description"], keywords=keywords),
            "level": record["level_wish"] or "",
            "persons": record["persons"],
            "municipality": lookups.municipality(record["municipality"]).number,
            **{
                name: any(code in wishes for code, n in NEED_DELIVERY_FROM_WISH.items() if n == name)
                for name in NEED_DELIVERY_FIELDS.values()
            },
            "combined_work_education": record["combined_work_education"],
            "wanted_start": record["desired_start"],
            # The format is the anonymised public one: its text is already what the public may see.
            "public_title": title,
            "public_description": record["description"].strip(),
        },
    }


def _save(kind, actor, owner, row, lookups, counts, *, new_defaults=None):
    from kompetansebro.transfer import importers

    existing = importers.existing_by_external_id(kind, owner, [row["external_id"]])
    status = importers.row_status(kind, row, existing)
    counts[status] += 1
    if status == importers.UNCHANGED:
        return
    if status == importers.NEW and new_defaults:
        row = {**row, "data": {**row["data"], **new_defaults}}
    importers._save_row(kind, actor, owner, row, existing, lookups)


def import_jsonl(*, offerings=None, needs=None, actor=None) -> dict:
    """Import records read by read_jsonl. All or nothing; raises JsonlError naming the lines that fail.
    New offerings are open for applications; new needs are public (anonymised)."""
    from kompetansebro.transfer.importers import NEW, UNCHANGED, UPDATE

    lookups = Lookups()
    keywords = field_keywords()
    result = {
        "offerings": {NEW: 0, UPDATE: 0, UNCHANGED: 0},
        "needs": {NEW: 0, UPDATE: 0, UNCHANGED: 0},
        "providers_created": 0,
        "organisations_created": 0,
    }
    errors = []
    places_by_provider: dict[str, Counter] = {}
    for record in offerings or []:
        for place in record["gathering_locations"]:
            try:
                number = lookups.municipality(place).number
            except CellError:
                continue
            places_by_provider.setdefault(record["provider"].strip().lower(), Counter())[number] += 1

    def attempt(label, record, work):
        try:
            with transaction.atomic():
                work()
        except CellError as error:
            errors.append(f"{label}, line {record['_line']} ({record['id']}): {error}")
        except ValidationError as error:
            errors.append(f"{label}, line {record['_line']} ({record['id']}): {'; '.join(_messages(error))}")

    with transaction.atomic():
        for record in offerings or []:

            def work(record=record):
                row = offering_row(record, lookups, keywords)
                places = places_by_provider.get(record["provider"].strip().lower(), Counter())
                provider, created = _provider_for(record, places, lookups, actor)
                result["providers_created"] += created
                _save("offerings", actor, provider, row, lookups, result["offerings"], new_defaults={"status": "open"})

            attempt("offerings", record, work)
        for record in needs or []:

            def work(record=record):
                if not record["organisation"].strip():
                    raise ValidationError("the organisation is needed to import a need")
                row = need_row(record, lookups, keywords)
                municipality = lookups.municipalities_by_number[row["data"]["municipality"]]
                organisation, created = _organisation_for(record, municipality, actor)
                result["organisations_created"] += created
                _save(
                    "needs", actor, organisation, row, lookups, result["needs"], new_defaults={"visibility": "public"}
                )

            attempt("needs", record, work)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise JsonlError(errors)
    return result


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return error.messages
