"""What the public sees of a public (anonymised) need (issue 11 item 14).

The title and description are written for colleagues and the region; beside the municipality they often name
the employer ("sagbruk … nær Røros"). Visitors who see a need only because it is public therefore get its
public title and public description, which the registering person writes separately and previews. Left
empty, these fall back to a neutral text made from the structured fields (field of competence, level,
number of persons), never to the internal text: copying that by default would publish words nobody has
read as public text, which is exactly how the employer leaked."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Below this many inhabitants a trade usually has one or a few employers in the municipality, so a
# description of the work can point to one of them (Røros, about 5 600 inhabitants, has one sawmill).
SMALL_MUNICIPALITY_POPULATION = 10_000


def _field_name(need) -> str:
    return need.field.name if need.field_id else _("an unspecified field")


def public_title(need) -> str:
    """The title the public sees: the public title, or a neutral one."""
    written = (need.public_title or "").strip()
    if written:
        return written
    if need.level:
        return _("Competence in %(field)s (%(level)s)") % {
            "field": _field_name(need),
            "level": need.get_level_display(),
        }
    return _("Competence in %(field)s") % {"field": _field_name(need)}


def public_description(need) -> str:
    """The description the public sees: the public description, or a neutral one."""
    written = (need.public_description or "").strip()
    if written:
        return written
    persons = need.persons or 1
    return ngettext(
        "%(count)s person needs competence in %(field)s.",
        "%(count)s persons need competence in %(field)s.",
        persons,
    ) % {"count": persons, "field": _field_name(need)}


def is_small_municipality(municipality) -> bool:
    return municipality is not None and municipality.population < SMALL_MUNICIPALITY_POPULATION
