from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least
from simple_history.models import HistoricalRecords

from claims.models import Claim
from sources.models import Source


class Stance(models.TextChoices):
    CORROBORATES = "corroborates", "Corroborates"
    DENIES = "denies", "Denies"
    QUALIFIES = "qualifies", "Qualifies"


class EvidenceLink(models.Model):
    """`evidence_claim` corroborates, denies or qualifies `claim`. The two come from different sources.

    The two claims' sources are copied onto the row so that the database itself refuses a link
    within one source; services keep the copies equal to the claims' sources.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence_links")
    evidence_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="cited_by_links")
    claim_source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    evidence_source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    note = models.TextField(blank=True)
    from_suggestion = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(stance__in=Stance.values), name="evidence_stance_valid"),
            models.CheckConstraint(
                condition=~models.Q(claim_source=models.F("evidence_source")), name="evidence_across_sources"
            ),
            # One link per pair of claims, whichever way round it was made.
            models.UniqueConstraint(
                Least("claim", "evidence_claim"), Greatest("claim", "evidence_claim"), name="evidence_one_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_claim_id} {self.stance} {self.claim_id}"


class RollUp(models.TextChoices):
    """A claim's standing, derived from its evidence links (never stored)."""

    CORROBORATED = "corroborated", "Corroborated"
    CONTESTED = "contested", "Contested"
    SINGLE_SOURCE = "single-source", "Single source"


# --- Suggestions: the statement index, the computed suggestions and the reviewer's decisions ----------


class StatementKind(models.TextChoices):
    SENTENCE = "sentence", "Sentence"
    PROPOSAL = "proposal", "Proposal"
    CLAIM = "claim", "Claim"


class Statement(models.Model):
    """A span of a source that may be evidence for a claim elsewhere: a sentence, a proposal or a claim.

    One row per span. `terms` is the bag of index terms (lemmas, numbers) the retrieval model scores;
    it is computed with spaCy in a task, so that a request never parses text.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="statements")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=StatementKind.choices, default=StatementKind.SENTENCE)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposal = models.ForeignKey(
        "claims.ClaimProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    terms = models.TextField(help_text="Index terms, space-separated, repeated as often as they occur.")
    lemmas = models.TextField(help_text="Every lemma of the span, lower-cased, space-separated (for stance).")
    entities = models.JSONField(default=list, blank=True)
    numbers = models.JSONField(default=list, blank=True, help_text="Numbers and years the span states.")
    context_terms = models.TextField(
        blank=True, help_text="Terms of the sentence before, for a denial or doubt that refers back to it."
    )
    context_years = models.JSONField(
        default=list, blank=True, help_text="Years stated just before the span, which it may be dated by."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_id", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__gte=0), name="statement_start_not_negative"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="statement_end_after_start"),
            models.UniqueConstraint(fields=["source", "start", "end"], name="statement_unique_span"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class IndexTerm(models.Model):
    """A term of the inverted index with its document frequency. The empty term counts the statements."""

    term = models.CharField(max_length=64, unique=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term} ({self.df})"


class StatementTerm(models.Model):
    """One posting: `statement` holds `term`, with its BM25 term-frequency weight (IDF is applied at query time).

    The (term, weight, statement) index covers the ranking query, so it reads the index and never the table.
    The two keys carry no database foreign-key constraint: postings are a derived index, written only by
    `statements_write` in the transaction that creates their statement (and deleted with it by Django's
    cascade), and checking a few hundred keys at every source's commit cost more than writing them.
    """

    term = models.ForeignKey(IndexTerm, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="postings", db_index=False, db_constraint=False
    )
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term", "weight", "statement"], name="posting_term_weight")]
        constraints = [models.UniqueConstraint(fields=["statement", "term"], name="posting_unique")]

    def __str__(self) -> str:
        return f"{self.term_id} in {self.statement_id}: {self.weight}"


class Suggestion(models.Model):
    """A statement of another source suggested as evidence for `claim`, computed by a task and stored."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="suggestions")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    stance = models.CharField(max_length=12, choices=Stance.choices)
    score = models.FloatField()
    conflict = models.BooleanField(default=False)
    conflict_note = models.CharField(max_length=200, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim_id", "-score", "id"]
        indexes = [models.Index(fields=["claim", "-score"], name="suggestion_claim_score")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="suggestion_end_after_start"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=1), name="suggestion_score_unit"),
            models.CheckConstraint(condition=models.Q(stance__in=Stance.values), name="suggestion_stance_valid"),
            models.UniqueConstraint(fields=["claim", "source", "start", "end"], name="suggestion_unique_span"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} <- {self.source_id}[{self.start}:{self.end}] {self.stance}"


class SuggestionDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class SuggestionReview(models.Model):
    """A reviewer's decision on a suggested span for a claim: a rejected span is never suggested again."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="suggestion_reviews")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=SuggestionDecision.choices)
    stance = models.CharField(max_length=12, choices=Stance.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["claim", "source"], name="suggestion_review_claim")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="suggestion_review_span"),
            models.CheckConstraint(
                condition=models.Q(decision__in=SuggestionDecision.values), name="suggestion_review_decision_valid"
            ),
            models.UniqueConstraint(fields=["claim", "source", "start", "end"], name="suggestion_review_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.decision} {self.source_id}[{self.start}:{self.end}]"
