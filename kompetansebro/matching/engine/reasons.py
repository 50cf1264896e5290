"""Why an offering was ranked where it was, in words a secretariat can check.

Reasons are data (a code and its values) so that the web app shows them in the reader's language and the
`match` command prints them in Norwegian.
"""

from dataclasses import dataclass
from datetime import date

LEVEL_NAMES = {
    "nb": {
        "kurs": "kurs",
        "sertifisering": "sertifisering",
        "fagbrev": "fagbrev",
        "vgs": "videregående for voksne",
        "fagskole": "fagskole",
        "videreutdanning": "videreutdanning",
        "bachelor": "bachelor",
        "master": "master",
    },
    "en": {
        "kurs": "course",
        "sertifisering": "certification",
        "fagbrev": "trade certificate",
        "vgs": "upper secondary for adults",
        "fagskole": "vocational college",
        "videreutdanning": "further education",
        "bachelor": "bachelor",
        "master": "master",
    },
}
DELIVERY_NAMES = {
    "nb": {
        "campus": "campus",
        "samlingsbasert": "samlinger",
        "nett": "nett",
        "desentralisert": "desentralisert",
        "i_bedrift": "på arbeidsplassen",
    },
    "en": {
        "campus": "campus",
        "samlingsbasert": "gatherings",
        "nett": "online",
        "desentralisert": "decentralised",
        "i_bedrift": "in the workplace",
    },
}
TEMPLATES = {
    "nb": {
        "topics": "Felles tema: {values}",
        "words": "Ord som treffer: {values}",
        "field": "Samme fagområde",
        "level_fits": "Nivået passer: {level}",
        "level_near": "Nivået er nær ønsket: {level}",
        "level_off": "Annet nivå enn ønsket: {level}",
        "delivery": "Kan tas slik dere ønsker: {values}",
        "no_travel_ok": "Krever ikke reise: {values}",
        "travel_needed": "Krever oppmøte i {places}",
        "place_same": "Samlinger eller campus i egen kommune ({places})",
        "place_region": "Samlinger eller campus i regionen ({places})",
        "place_county": "Samlinger eller campus i fylket ({places})",
        "combined": "Kan kombineres med jobb",
        "continuous": "Løpende opptak",
        "starts_in_time": "Starter {date}, i tide",
        "starts_late": "Starter først {date}",
    },
    "en": {
        "topics": "Shared topics: {values}",
        "words": "Matching words: {values}",
        "field": "Same field of competence",
        "level_fits": "The level fits: {level}",
        "level_near": "The level is close to the wish: {level}",
        "level_off": "Another level than wished: {level}",
        "delivery": "Can be taken as you wish: {values}",
        "no_travel_ok": "No travel needed: {values}",
        "travel_needed": "Attendance needed in {places}",
        "place_same": "Gatherings or campus in the same municipality ({places})",
        "place_region": "Gatherings or campus in the region ({places})",
        "place_county": "Gatherings or campus in the county ({places})",
        "combined": "Can be combined with work",
        "continuous": "Continuous admission",
        "starts_in_time": "Starts {date}, in time",
        "starts_late": "Does not start before {date}",
    },
}


@dataclass(frozen=True)
class Reason:
    code: str
    values: tuple[str, ...] = ()
    level: str = ""
    when: date | None = None

    def text(self, language: str = "nb") -> str:
        language = language if language in TEMPLATES else "nb"
        names = {**LEVEL_NAMES[language], **DELIVERY_NAMES[language]}
        return TEMPLATES[language][self.code].format(
            values=", ".join(names.get(value, value) for value in self.values),
            places=", ".join(self.values),
            level=LEVEL_NAMES[language].get(self.level, self.level),
            date=self.when.strftime("%d.%m.%Y") if self.when else "",
        )
