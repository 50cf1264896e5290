"""The spreadsheet columns of needs and offerings: name, Norwegian alias, type, required, example.

One list serves the importer (reading and validating cells), the exporter (same column names, so an
exported file can be edited and imported again) and the upload page (which shows the columns).
docs/data-formats.md describes the same columns for people.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kompetansebro.competences.models import (
    NEED_DELIVERY_FIELDS,
    OFFERING_DELIVERY_FIELDS,
    CompetenceField,
    CreditUnit,
    DeliveryMode,
    Level,
)
from kompetansebro.competences.services import tag_names
from kompetansebro.geography.models import Municipality
from kompetansebro.needs.models import Urgency, Visibility
from kompetansebro.offerings.models import OfferingStatus
from kompetansebro.transfer.readers import (
    CellError,
    is_empty,
    normalise_header,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_list,
    parse_text,
)

NEEDS = "needs"
OFFERINGS = "offerings"
KINDS = (NEEDS, OFFERINGS)

LANGUAGES = {
    "nb": ["norsk", "bokmal", "nynorsk", "no", "nn"],
    "en": ["engelsk", "english"],
    "se": ["samisk", "nordsamisk"],
}


def _word(text) -> str:
    return normalise_header(text)


def choice_words(choices, extra: dict | None = None) -> dict[str, str]:
    """Every way a person may write a choice -> its code: the code, the English and the Norwegian label."""
    words = {}
    for code, label in choices:
        words[_word(code)] = code
        for language in ("en", "nb"):
            with translation.override(language):
                words[_word(str(label))] = code
    for code, aliases in (extra or {}).items():
        for alias in aliases:
            words[_word(alias)] = code
    return words


class Lookups:
    """Reference data read once per file: fields of competence and municipalities by every accepted name."""

    def __init__(self):
        self.fields: dict[str, CompetenceField] = {}
        for competence_field in CompetenceField.objects.all():
            for name in (competence_field.code, competence_field.name_nb, competence_field.name_en):
                self.fields[_word(name)] = competence_field
        self.municipalities_by_number: dict[str, Municipality] = {}
        self.municipalities_by_name: dict[str, list[Municipality]] = {}
        for municipality in Municipality.objects.all():
            self.municipalities_by_number[municipality.number] = municipality
            names = {municipality.name, *municipality.name.split(" - ")}
            for name in names:
                entry = self.municipalities_by_name.setdefault(_word(name), [])
                if municipality not in entry:
                    entry.append(municipality)

    def field(self, value) -> CompetenceField:
        found = self.fields.get(_word(value))
        if found is None:
            raise CellError(
                _("unknown field of competence «%(value)s»; use a name from the list of fields") % {"value": value}
            )
        return found

    def municipality(self, value) -> Municipality:
        text = parse_text(value)
        if text.isdigit():
            found = self.municipalities_by_number.get(text.zfill(4))
            if found is None:
                raise CellError(_("no municipality has the number %(value)s") % {"value": text})
            return found
        matches = self.municipalities_by_name.get(_word(text), [])
        if not matches:
            raise CellError(_("unknown municipality «%(value)s»") % {"value": text})
        if len(matches) > 1:
            raise CellError(
                _("several municipalities are called «%(value)s»; write the municipality number instead")
                % {"value": text}
            )
        return matches[0]


@dataclass(frozen=True)
class Column:
    name: str  # the English column name, also the model field where it maps to one field
    alias: str  # the Norwegian column name
    kind: str  # text, int, decimal, date, bool, choice, field, municipality, municipalities, tags, delivery
    required: bool = False
    example: str = ""
    description: str = ""
    choices: tuple = ()
    extra_choices: tuple = ()  # ((code, (alias, …)), …)
    decimal_places: int | None = None
    more_aliases: tuple = ()
    default: object = None

    @property
    def accepted_headers(self) -> set[str]:
        return {_word(self.name), _word(self.alias), *(_word(alias) for alias in self.more_aliases)}

    def words(self) -> dict[str, str]:
        return choice_words(self.choices, dict(self.extra_choices))

    def read(self, value, lookups: Lookups, *, delivery_fields=None) -> dict:
        """The JSON-safe values for the model fields this cell sets; raises CellError."""
        empty = is_empty(value)
        if empty and self.required:
            raise CellError(_("is required"))
        name = self.name
        if self.kind == "text":
            return {name: parse_text(value)}
        if self.kind == "int":
            number = parse_int(value)
            if number is not None and number < 0:
                raise CellError(_("cannot be negative"))
            return {name: self.default if number is None else number}
        if self.kind == "decimal":
            number = parse_decimal(value)
            if number is not None:
                if number < 0:
                    raise CellError(_("cannot be negative"))
                number = str(number.quantize(Decimal(1).scaleb(-self.decimal_places)))
            return {name: number}
        if self.kind == "date":
            parsed = parse_date(value)
            return {name: parsed.isoformat() if parsed else None}
        if self.kind == "bool":
            parsed = parse_bool(value)
            return {name: bool(self.default) if parsed is None else parsed}
        if self.kind == "choice":
            if empty:
                return {name: self.default if self.default is not None else ""}
            words = self.words()
            code = words.get(_word(value))
            if code is None:
                codes = ", ".join(dict.fromkeys(str(code) for code, _label in self.choices))
                raise CellError(_("«%(value)s» is not one of: %(codes)s") % {"value": value, "codes": codes})
            return {name: code}
        if self.kind == "field":
            return {name: lookups.field(value).code}
        if self.kind == "municipality":
            return {name: lookups.municipality(value).number}
        if self.kind == "municipalities":
            numbers = []
            for item in parse_list(value):
                number = lookups.municipality(item).number
                if number not in numbers:
                    numbers.append(number)
            return {name: numbers}
        if self.kind == "tags":
            return {name: tag_names(parse_list(value))}
        if self.kind == "delivery":
            words = self.words()
            values = dict.fromkeys(delivery_fields.values(), False)
            for item in parse_list(value):
                code = words.get(_word(item))
                if code is None or code not in delivery_fields:
                    codes = ", ".join(delivery_fields)
                    raise CellError(_("«%(value)s» is not one of: %(codes)s") % {"value": item, "codes": codes})
                values[delivery_fields[code]] = True
            return values
        raise AssertionError(self.kind)


NEED_COLUMNS = [
    Column(
        "external_id",
        "ekstern_id",
        "text",
        True,
        "HOL-2026-01",
        _("Your own stable id of the row."),
    ),
    Column("title", "tittel", "text", True, "Velferdsteknologi i hjemmetjenesten"),
    Column("description", "beskrivelse", "text", True, "Tre ansatte trenger opplæring i …"),
    Column("field", "fagområde", "field", True, "Helse og omsorg", _("Name or code of a field of competence.")),
    Column("tags", "stikkord", "tags", False, "velferdsteknologi, hjemmetjeneste", _("Separated by commas.")),
    Column("level", "nivå", "choice", False, "kurs", choices=tuple(Level.choices)),
    Column("persons", "antall_personer", "int", False, "3", default=1, more_aliases=("antall",)),
    Column("municipality", "kommune", "municipality", True, "Holtålen", _("Name or number.")),
    Column("wants_online", "nett", "bool", False, "ja", default=False),
    Column("wants_local_gatherings", "lokale_samlinger", "bool", False, "nei", default=False),
    Column("wants_workplace", "i_bedrift", "bool", False, "ja", default=False, more_aliases=("pa_arbeidsplassen",)),
    Column("campus_acceptable", "campus_ok", "bool", False, "nei", default=False),
    Column(
        "combined_work_education",
        "kombinert_arbeid_og_utdanning",
        "bool",
        False,
        "ja",
        default=False,
    ),
    Column("wanted_start", "ønsket_oppstart", "date", False, "15.01.2027"),
    Column(
        "urgency",
        "hastegrad",
        "choice",
        False,
        "high",
        choices=tuple(Urgency.choices),
        extra_choices=(("low", ("lav",)), ("medium", ("middels",)), ("high", ("høy", "haster"))),
        default=Urgency.MEDIUM,
    ),
    Column(
        "visibility",
        "synlighet",
        "choice",
        False,
        "region",
        choices=tuple(Visibility.choices),
        extra_choices=(("public", ("offentlig", "anonymisert")), ("organisation", ("organisasjon", "intern"))),
        default=Visibility.REGION,
    ),
]

OFFERING_COLUMNS = [
    Column(
        "external_id",
        "ekstern_id",
        "text",
        True,
        "NTNU-VU-123",
        _("Your own stable id of the row."),
    ),
    Column("title", "tittel", "text", True, "Velferdsteknologi"),
    Column("description", "beskrivelse", "text", True, "Videreutdanning for ansatte i …"),
    Column("field", "fagområde", "field", True, "Helse og omsorg", _("Name or code of a field of competence.")),
    Column("tags", "stikkord", "tags", False, "velferdsteknologi, digitalisering", _("Separated by commas.")),
    Column("level", "nivå", "choice", True, "videreutdanning", choices=tuple(Level.choices)),
    Column("credits", "poeng", "decimal", False, "7,5", decimal_places=1, more_aliases=("studiepoeng",)),
    Column(
        "credit_unit",
        "poengtype",
        "choice",
        False,
        "studiepoeng",
        choices=tuple(CreditUnit.choices),
        extra_choices=(("studiepoeng", ("sp",)), ("fagskolepoeng", ("fp",))),
    ),
    Column(
        "delivery",
        "undervisningsform",
        "delivery",
        False,
        "nett, samlingsbasert",
        _("Codes separated by commas: campus, samlingsbasert, nett, desentralisert, i_bedrift."),
        choices=tuple(DeliveryMode.choices),
    ),
    Column("continuous_admission", "løpende_opptak", "bool", False, "nei", default=False),
    Column(
        "gathering_locations",
        "samlingssteder",
        "municipalities",
        False,
        "Røros, Oppdal",
        _("Municipality names or numbers separated by commas."),
    ),
    Column("start_date", "oppstart", "date", False, "11.01.2027"),
    Column("application_deadline", "søknadsfrist", "date", False, "01.12.2026"),
    Column("price", "pris", "decimal", False, "9 500", _("NOK; 0 for free of charge."), decimal_places=2),
    Column("capacity", "kapasitet", "int", False, "30"),
    Column(
        "language",
        "språk",
        "choice",
        False,
        "nb",
        choices=(("nb", "Norwegian"), ("en", "English"), ("se", "Northern Sami")),
        extra_choices=tuple(LANGUAGES.items()),
        default="nb",
    ),
    Column("url", "lenke", "text", False, "https://www.ntnu.no/videre/…"),
    Column(
        "status",
        "status",
        "choice",
        False,
        "open",
        choices=tuple(OfferingStatus.choices),
        extra_choices=(("planned", ("planlagt",)), ("open", ("apen", "opptak")), ("running", ("pagar",))),
        default=OfferingStatus.PLANNED,
    ),
]

COLUMNS = {NEEDS: NEED_COLUMNS, OFFERINGS: OFFERING_COLUMNS}
DELIVERY_FIELDS = {NEEDS: NEED_DELIVERY_FIELDS, OFFERINGS: OFFERING_DELIVERY_FIELDS}


def column_for_header(kind: str, header: str) -> Column | None:
    for column in COLUMNS[kind]:
        if header in column.accepted_headers:
            return column
    return None
