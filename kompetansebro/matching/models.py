"""What the matching engine suggested for each need, and what people decided about the suggestions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.constraints import ConstraintErrorsBesideFields, check, unique


class MatchSuggestion(ConstraintErrorsBesideFields, models.Model):
    """One ranked offering for a need, as the engine last computed it (the best few per need are kept)."""

    need = models.ForeignKey("needs.CompetenceNeed", on_delete=models.CASCADE, related_name="match_suggestions")
    offering = models.ForeignKey("offerings.Offering", on_delete=models.CASCADE, related_name="match_suggestions")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("match suggestion")
        verbose_name_plural = _("match suggestions")
        ordering = ["need", "rank"]
        constraints = [
            unique(
                fields=["need", "offering"],
                name="match_suggestion_unique",
                message=_("This offering is already suggested for the need."),
            ),
        ]
        indexes = [models.Index(fields=["offering", "-score"]), models.Index(fields=["need", "rank"])]

    def __str__(self):
        return f"{self.need_id} → {self.offering_id} ({self.score:.2f})"


class MatchState(models.Model):
    """When a need's suggestions were computed, and whether a change has made them stale since."""

    need = models.OneToOneField(
        "needs.CompetenceNeed", on_delete=models.CASCADE, primary_key=True, related_name="match_state"
    )
    stale = models.BooleanField(_("stale"), default=True, db_index=True)
    best_score = models.FloatField(_("best score"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    class Meta:
        verbose_name = _("match state")
        verbose_name_plural = _("match states")

    def __str__(self):
        return f"{self.need_id}: {'stale' if self.stale else 'current'}"


class MatchDecisionKind(models.TextChoices):
    ACCEPTED = "accepted", _("fits")
    REJECTED = "rejected", _("does not fit")


class MatchDecision(ConstraintErrorsBesideFields, models.Model):
    """A person's verdict on an offering for a need. A rejected offering is no longer suggested."""

    need = models.ForeignKey("needs.CompetenceNeed", on_delete=models.CASCADE, related_name="match_decisions")
    offering = models.ForeignKey("offerings.Offering", on_delete=models.CASCADE, related_name="match_decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=MatchDecisionKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), auto_now=True)

    class Meta:
        verbose_name = _("match decision")
        verbose_name_plural = _("match decisions")
        ordering = ["-decided_at"]
        constraints = [
            unique(
                fields=["need", "offering"],
                name="match_decision_unique",
                message=_("A decision about this offering for the need is already recorded."),
            ),
            check(
                condition=~models.Q(decision="rejected") | ~models.Q(reason=""),
                name="match_rejection_has_reason",
                message=_("Give a reason when the offering does not fit the need."),
                field="reason",
            ),
        ]

    def __str__(self):
        return f"{self.need_id} → {self.offering_id}: {self.decision}"
