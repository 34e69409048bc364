from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sources.models import Source


class ClaimKind(models.TextChoices):
    FACT = "fact", "Fact"
    ATTRIBUTED = "attributed", "Attributed"
    ASSESSMENT = "assessment", "Assessment"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EDITED = "edited", "Edited"
    REJECTED = "rejected", "Rejected"


def _span_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=models.Q(start__gte=0), name=f"{prefix}_start_not_negative"),
        models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name=f"{prefix}_end_after_start"),
    ]


# How long the claim page keeps asking for a new claim's suggestions before it says they are not coming.
SUGGESTIONS_WAIT = timedelta(minutes=10)


class Claim(models.Model):
    """An accepted assertion. `quote` is always `source.text[start:end]`; `text` is the reviewer's wording."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    text = models.TextField()
    speaker = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=ClaimKind.choices, default=ClaimKind.FACT)
    entities = models.JSONField(default=list, blank=True)
    proposal = models.ForeignKey(
        "claims.ClaimProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change; the API's ETag.")
    suggestions_computed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a worker last computed its evidence suggestions."
    )

    # Computing suggestions is the worker's bookkeeping, not a change to the claim: no history row, no version.
    history = HistoricalRecords(excluded_fields=["suggestions_computed_at"])

    class Meta:
        ordering = ["source_id", "start", "id"]
        constraints = [
            *_span_constraints("claim"),
            models.UniqueConstraint(fields=["source", "start", "end"], name="claim_unique_span"),
            models.CheckConstraint(condition=~models.Q(text=""), name="claim_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def awaiting_suggestions(self) -> bool:
        """No suggestions computed yet, and the claim is recent enough for its task still to be on its way
        (past SUGGESTIONS_WAIT, the task was most likely lost with a worker or a broker)."""
        return self.suggestions_computed_at is None and self.created_at > timezone.now() - SUGGESTIONS_WAIT


class ClaimProposal(models.Model):
    """A span the pipeline thinks may be a claim, waiting for a reviewer's decision."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="proposals")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    score = models.FloatField()
    kind = models.CharField(max_length=12, choices=ClaimKind.choices, default=ClaimKind.FACT)
    speaker = models.CharField(max_length=200, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    entities = models.JSONField(default=list, blank=True)
    pipeline = models.CharField(max_length=50)
    pipeline_version = models.CharField(max_length=20)

    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["text", "entities"])

    class Meta:
        ordering = ["source_id", "start", "end", "id"]
        indexes = [models.Index(fields=["source", "status"])]
        constraints = [
            *_span_constraints("proposal"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=1), name="proposal_score_unit"),
            models.CheckConstraint(condition=models.Q(status__in=ProposalStatus.values), name="proposal_status_valid"),
            models.UniqueConstraint(
                fields=["source", "pipeline", "pipeline_version", "start", "end"], name="proposal_unique_span"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]
