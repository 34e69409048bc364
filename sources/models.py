from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models.functions import Left
from simple_history.models import HistoricalRecords

# Full-text search of sources on PostgreSQL (sources.selectors.sources_matching), through a GIN index on
# this very expression (migration 0004). The text counts up to its first SEARCH_TEXT_CHARS characters: a
# tsvector holds at most 1 MB, and a source may be 2 MB of text.
SEARCH_CONFIG = "english"
SEARCH_TEXT_CHARS = 200_000
SOURCE_SEARCH_VECTOR = (
    SearchVector("title", weight="A", config=SEARCH_CONFIG)
    + SearchVector("outlet", weight="B", config=SEARCH_CONFIG)
    + SearchVector(Left("text", SEARCH_TEXT_CHARS), weight="C", config=SEARCH_CONFIG)
)
SOURCE_SEARCH_INDEX = "source_search"


class Reliability(models.TextChoices):
    """NATO Admiralty source reliability."""

    A = "A", "A: completely reliable"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: reliability cannot be judged"


class SourceStatus(models.TextChoices):
    FETCHING = "fetching", "Fetching"
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    PROPOSED = "proposed", "Proposed"
    FAILED = "failed", "Failed"


class SourceFormat(models.TextChoices):
    TEXT = "text/plain", "Plain text"
    MARKDOWN = "text/markdown", "Markdown"
    HTML = "text/html", "HTML"


class Source(models.Model):
    """An ingested document. `text` is fixed at ingest: claims and proposals anchor to its offsets."""

    title = models.CharField(max_length=500)
    outlet = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateField(null=True, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)

    text = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    format = models.CharField(max_length=20, choices=SourceFormat.choices, default=SourceFormat.TEXT)
    original = models.TextField(blank=True, help_text="The uploaded document before text extraction.")
    original_name = models.CharField(max_length=255, blank=True)

    status = models.CharField(max_length=12, choices=SourceStatus.choices, default=SourceStatus.PENDING)
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["text", "original"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["outlet"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="source_text_not_empty"),
            models.CheckConstraint(condition=models.Q(status__in=SourceStatus.values), name="source_status_valid"),
            models.CheckConstraint(
                condition=models.Q(reliability__in=Reliability.values), name="source_reliability_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title
