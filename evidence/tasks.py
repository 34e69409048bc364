"""Keeping suggestions fresh: index a processed source, rebuild its index, and compute suggestions for claims.

The tasks take ids and are safe to deliver twice: indexing adds only the spans not indexed yet, a rebuild
makes the index what a fresh one would be, and a claim's suggestions are replaced as a whole.
"""

import logging
from collections.abc import Iterable
from functools import partial

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError, transaction

from claims.models import Claim
from config.celery_app import enqueue
from evidence.models import Statement
from evidence.services import suggestions_store
from evidence.suggestions.index import (
    SourceAnalyser,
    claim_statement,
    source_index,
    source_index_analysed,
    source_reindex,
    sources_spans,
)
from evidence.suggestions.retrieval import claims_matching
from evidence.suggestions.suggest import suggestions_compute
from sources.models import Source, SourceStatus

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# Claims of other sources whose suggestions are recomputed when a source arrives, at most.
REFRESH_LIMIT = 200


def _retry(task, exc: Exception):
    return task.retry(exc=exc, countdown=min(300, 2 ** (task.request.retries + 1)))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def source_index_statements(self, source_id: int) -> int:
    """Index a processed source's statements, then refresh the suggestions of existing claims they match.

    A source that is not `proposed` (still processing, or failed) is left for a later delivery.
    """
    if not Source.objects.filter(pk=source_id, status=SourceStatus.PROPOSED).exists():
        return 0
    try:
        added = source_index(source_id=source_id)
        if added:
            # Existing claims pick up evidence from a source that arrives after them.
            _refresh_matching(added)
    except TRANSIENT_ERRORS as exc:
        raise _retry(self, exc) from exc
    return len(added)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def source_reindex_statements(self, source_id: int) -> int:
    """Rebuild a processed source's index with the current analysis (`manage.py index_sources`); returns
    its number of statements. A source that is not `proposed` is left to processing, which indexes it.

    Then the suggestions the rebuild may change are queued again: those of the source's own claims, and
    those of the claims of other sources its statements may be evidence for (as when a source arrives).
    """
    if not Source.objects.filter(pk=source_id, status=SourceStatus.PROPOSED).exists():
        return 0
    try:
        statements = source_reindex(source_id=source_id)
    except TRANSIENT_ERRORS as exc:
        raise _retry(self, exc) from exc
    _refresh_after_rebuild(source_id)
    return statements


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def claim_compute_suggestions(self, claim_id: int) -> int:
    """Compute and store a claim's suggestions (its span is indexed first if it is not yet)."""
    claim = Claim.objects.select_related("source").filter(pk=claim_id).first()
    if claim is None:
        return 0
    try:
        statement = claim_statement(claim=claim)
        suggested = suggestions_compute(claim=claim, statement=statement)
        suggestions_store(claim_id=claim_id, suggested=suggested)
    except TRANSIENT_ERRORS as exc:
        raise _retry(self, exc) from exc
    return len(suggested)


def source_index_queue(source_id: int) -> None:
    """Queue the indexing of a source (call once its proposals are stored). A broker that is down costs
    the source its suggestions until it is queued again, never its proposals."""
    enqueue(source_index_statements, source_id, "the source has no suggestions until it is indexed again")


def source_reindex_queue(source_id: int) -> bool:
    """Queue the rebuild of a source's index; False when the broker is down (nothing was queued)."""
    return enqueue(source_reindex_statements, source_id, "its index keeps its old analysis until queued again")


def claim_suggestions_queue(claim_id: int) -> None:
    """Queue a claim's suggestions (call on commit of the transaction that made the claim)."""
    enqueue(claim_compute_suggestions, claim_id, "its suggestions are computed when the claim is next queued")


def sources_analysers(source_ids: list[int]) -> dict[int, SourceAnalyser]:
    """An analyser for each source that exists, for the claim pipeline to feed its parse of it."""
    texts = dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "text"))
    spans = sources_spans(list(texts))
    return {
        source_id: SourceAnalyser(texts[source_id], spans.get(source_id, []), sentences=True)
        for source_id in dict.fromkeys(source_ids)
        if source_id in texts
    }


def source_index_from_parse(source_id: int, analyser: SourceAnalyser, proposal_ids: dict[tuple[int, int], int]) -> None:
    """The claim pipeline's `on_stored`: index what its parse collected, in the transaction that stores the
    source's proposals, so that a source is indexed when it becomes `proposed`; once that commits, queue the
    suggestions of the existing claims its statements may match.

    The index writes run in a savepoint: when they fail they alone are undone, and a re-index (which parses
    the source itself) is queued for after the commit. The proposals are never at stake."""
    try:
        with transaction.atomic():
            added = source_index_analysed(source_id=source_id, analyser=analyser, proposal_ids=proposal_ids)
    except DatabaseError:
        logger.exception("Indexing source %s from its parse failed; a re-index is queued", source_id)
        transaction.on_commit(partial(source_index_queue, source_id))
        return
    if added:
        transaction.on_commit(partial(_refresh_matching, added))


def _refresh_matching(statement_ids: list[int], claim_ids: Iterable[int] = ()) -> None:
    """Queue the suggestions of `claim_ids` and of the claims elsewhere the statements may be evidence for."""
    for claim_id in dict.fromkeys([*claim_ids, *claims_matching(statement_ids=statement_ids, limit=REFRESH_LIMIT)]):
        claim_suggestions_queue(claim_id)


def _refresh_after_rebuild(source_id: int) -> None:
    _refresh_matching(
        list(Statement.objects.filter(source_id=source_id).values_list("pk", flat=True)),
        claim_ids=Claim.objects.filter(source_id=source_id).values_list("pk", flat=True),
    )


def source_index_if_missing(source_id: int) -> None:
    """For a delivery that had nothing to parse (the source was processed already): queue a re-index only
    if the source was never indexed, so that a redelivery does not parse it a second time."""
    if Source.objects.filter(pk=source_id, status=SourceStatus.PROPOSED).exists() and not (
        Statement.objects.filter(source_id=source_id).exists()
    ):
        source_index_queue(source_id)
