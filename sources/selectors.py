from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from claims.models import ProposalStatus
from sources.models import SEARCH_CONFIG, SOURCE_SEARCH_VECTOR, Source, SourceStatus


def source_list() -> QuerySet[Source]:
    """Sources without their text, with review progress counted in the same query."""
    return Source.objects.defer("text", "original").annotate(
        proposals_pending=Count("proposals", filter=Q(proposals__status=ProposalStatus.PENDING)),
        proposals_accepted=Count(
            "proposals", filter=Q(proposals__status__in=[ProposalStatus.ACCEPTED, ProposalStatus.EDITED])
        ),
        proposals_rejected=Count("proposals", filter=Q(proposals__status=ProposalStatus.REJECTED)),
    )


def sources_pending() -> QuerySet[Source]:
    """Sources waiting for claim proposals: pending, or processing for longer than PROPOSAL_STALE_SECONDS
    (their worker died, and no task is left to redeliver: a source taken along by another source's task
    whose own task was never queued, or a broker that lost its messages)."""
    stale = timezone.now() - timedelta(seconds=settings.PROPOSAL_STALE_SECONDS)
    return Source.objects.filter(
        Q(status=SourceStatus.PENDING) | Q(status=SourceStatus.PROCESSING, updated_at__lt=stale)
    ).order_by("id")


SOURCES_IN_FLIGHT = (SourceStatus.FETCHING, SourceStatus.PENDING, SourceStatus.PROCESSING)


def source_for_reader(*, source_id: int) -> Source | None:
    return Source.objects.defer("original").filter(pk=source_id).first()


def sources_matching(*, words: str) -> QuerySet[Source]:
    """Sources that hold every word of `words`, best first.

    On PostgreSQL: full-text search (English stems, so "bounties" finds "bounty") through the GIN index on
    SOURCE_SEARCH_VECTOR, ranked by ts_rank, a word in the title counting most, then the outlet, then the
    text. Elsewhere (SQLite): every word as a case-insensitive substring of title, outlet or text, newest
    first. A search of stop words alone ("the of") finds nothing on PostgreSQL."""
    queryset = Source.objects.defer("original")
    if connection.vendor == "postgresql":
        query = SearchQuery(words, config=SEARCH_CONFIG)
        return (
            queryset.annotate(search=SOURCE_SEARCH_VECTOR)
            .filter(search=query)
            .annotate(rank=SearchRank(SOURCE_SEARCH_VECTOR, query))
            .order_by("-rank", "-created_at", "-id")
        )
    for word in words.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(outlet__icontains=word) | Q(text__icontains=word))
    return queryset.order_by("-created_at", "-id")


def source_choices() -> list[tuple[int, str]]:
    return list(Source.objects.order_by("title", "id").values_list("id", "title"))
