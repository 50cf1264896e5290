"""Human-readable texts for audit actions; stored as dotted names and translated only when shown."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "organisations.organisation.created": _("Organisation registered"),
    "organisations.organisation.changed": _("Organisation changed"),
    "organisations.organisation.deleted": _("Organisation deleted"),
    "organisations.membership.created": _("Person added to the organisation"),
    "organisations.membership.changed": _("Role in the organisation changed"),
    "organisations.membership.deleted": _("Person removed from the organisation"),
    "organisations.region_role.created": _("Region role given"),
    "organisations.region_role.deleted": _("Region role removed"),
    "geography.region.created": _("Region created"),
    "geography.region.changed": _("Region changed"),
    "geography.region.deleted": _("Region deleted"),
    "needs.need.created": _("Need registered"),
    "needs.need.changed": _("Need changed"),
    "needs.need.status_changed": _("Status of the need changed"),
    "offerings.offering.created": _("Offering registered"),
    "offerings.offering.changed": _("Offering changed"),
    "offerings.offering.status_changed": _("Status of the offering changed"),
    "offerings.offering.deleted": _("Offering deleted"),
    "matching.match.accepted": _("Offering marked as fitting the need"),
    "matching.match.rejected": _("Offering marked as not fitting the need"),
    "api.token.created": _("API key created"),
    "api.token.revoked": _("API key revoked"),
    "accounts.user.created": _("User account created"),
    "accounts.user.changed": _("Profile changed"),
    "development.request.created": _("Development request created"),
    "development.request.sent": _("Development request sent to providers"),
    "development.request.answered": _("Provider answered the development request"),
    "development.request.offering_linked": _("Offering linked to the development request"),
    "development.request.closed": _("Development request closed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
