"""Keeping suggestions fresh: index a processed source, and compute suggestions for claims.

Both tasks take ids and are safe to deliver twice: indexing adds only the spans not indexed yet, and a
claim's suggestions are replaced as a whole.
"""

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

from claims.models import Claim
from config.celery_app import enqueue
from evidence.models import Statement
from evidence.services import suggestions_store
from evidence.suggestions.index import (
    SourceAnalyser,
    claim_statement,
    source_index,
    source_index_analysed,
    source_spans,
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
        return len(_index_and_refresh(lambda: source_index(source_id=source_id)))
    except TRANSIENT_ERRORS as exc:
        raise _retry(self, exc) from exc


def _index_and_refresh(index_source) -> list[int]:
    """Run an indexing step, then queue the suggestions of existing claims its new statements may match
    (existing claims pick up evidence from a source that arrives after them). Returns the new ids."""
    added = index_source()
    for claim_id in claims_matching(statement_ids=added, limit=REFRESH_LIMIT) if added else []:
        claim_suggestions_queue(claim_id)
    return added


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


def claim_suggestions_queue(claim_id: int) -> None:
    """Queue a claim's suggestions (call on commit of the transaction that made the claim)."""
    enqueue(claim_compute_suggestions, claim_id, "its suggestions are computed when the claim is next queued")


def source_analyser_for(source_id: int) -> SourceAnalyser | None:
    """An analyser for the claim pipeline to feed its parse of the source (None if the source is gone)."""
    source = Source.objects.filter(pk=source_id).only("text").first()
    if source is None:
        return None
    return SourceAnalyser(source.text, source_spans(source), sentences=True)


def source_index_from_parse(source_id: int, analyser: SourceAnalyser | None) -> None:
    """Index what the claim pipeline's parse collected, then refresh the suggestions of the claims it
    may match. When nothing was parsed (the source had been processed already), a re-index is queued
    only if the source was never indexed, so a redelivery does not parse it again; when the writes
    fail, a re-index (which parses the source itself) is queued. The proposals are never at stake."""
    if analyser is None:
        return
    if not analyser.docs_seen:
        if not Statement.objects.filter(source_id=source_id).exists():
            source_index_queue(source_id)
        return
    try:
        _index_and_refresh(lambda: source_index_analysed(source_id=source_id, analyser=analyser))
    except DatabaseError:
        logger.exception("Indexing source %s from its parse failed; queued a re-index", source_id)
        source_index_queue(source_id)
