import logging

from celery import shared_task
from celery.signals import worker_process_init

from claims.nlp.model import get_nlp
from claims.services import (
    TRANSIENT_ERRORS,
    proposals_generate_for_sources,
    source_mark_failed,
    sources_take_waiting,
)
from evidence.tasks import source_index_from_parse, source_index_if_missing, sources_analysers

logger = logging.getLogger(__name__)


@worker_process_init.connect
def load_spacy_once(**kwargs) -> None:
    """Each worker process loads the pipeline when it starts, not in its first task."""
    get_nlp()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def source_propose_claims(self, source_id: int) -> int:
    """Propose claims for one source (see sources_propose_claims), and for the other sources waiting their
    turn (sources_take_waiting), parsed with it. Returns how many were added to this source."""
    return _propose_claims(self, [source_id], take_waiting=True).get(source_id, 0)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def sources_propose_claims(self, source_ids: list[int]) -> int:
    """Propose claims for a batch of sources, parsed together (an import queues its sources this way, see
    sources.services.sources_queued_together). Returns how many proposals were added in all."""
    return sum(_propose_claims(self, source_ids).values())


def _propose_claims(task, source_ids: list[int], *, take_waiting: bool = False) -> dict[int, int]:
    """Safe to deliver twice (see proposals_generate_for_sources): a source done already is skipped.

    A lost database connection retries the task with backoff; a source that cannot be processed ends
    `failed` with the reason, and the worker goes on with the others.
    """
    try:
        if take_waiting:
            source_ids = [*source_ids, *sources_take_waiting(besides=source_ids[0])]
        # The evidence index is built from this same parse (a source is parsed once), and written in the
        # transaction that stores each source's proposals.
        analysers = sources_analysers(source_ids)
        added = proposals_generate_for_sources(
            source_ids=list(analysers),
            on_doc=lambda source_id, *parsed: analysers[source_id].add_proposed(*parsed),
            on_stored=lambda source_id, stored: source_index_from_parse(source_id, analysers[source_id], stored),
        )
    except TRANSIENT_ERRORS as exc:
        if task.request.retries < task.max_retries:
            raise task.retry(exc=exc, countdown=min(300, 2 ** (task.request.retries + 1))) from exc
        for source_id in source_ids:
            _fail(source_id, f"Gave up after {task.max_retries} retries: {exc}")
        return {}
    except Exception as exc:
        logger.exception("Proposing claims for sources %s failed", source_ids)
        for source_id in source_ids:
            _fail(source_id, f"{type(exc).__name__}: {exc}")
        return {}
    for source_id, analyser in analysers.items():
        if not analyser.docs_seen:
            source_index_if_missing(source_id)
    return added


def _fail(source_id: int, reason: str) -> None:
    try:
        source_mark_failed(source_id=source_id, reason=reason)
    except Exception:
        logger.exception("Could not record the failure of source %s", source_id)
