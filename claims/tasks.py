import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.db import DatabaseError, InterfaceError, OperationalError

from claims.nlp.model import get_nlp
from claims.services import proposals_generate_for_source, source_mark_failed
from evidence.tasks import source_analyser_for, source_index_from_parse

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@worker_process_init.connect
def load_spacy_once(**kwargs) -> None:
    """Each worker process loads the pipeline when it starts, not in its first task."""
    get_nlp()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def source_propose_claims(self, source_id: int) -> int:
    """Propose claims for one source. Safe to deliver twice (see proposals_generate_for_source).

    A lost database connection is retried with backoff; anything else marks the source failed with
    the reason, and the worker goes on with the next source.
    """
    try:
        # The evidence index is built from this same parse: a source is parsed once.
        analyser = source_analyser_for(source_id)
        on_doc = analyser.add_proposed if analyser is not None else None
        added = proposals_generate_for_source(source_id=source_id, on_doc=on_doc)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(300, 2 ** (self.request.retries + 1))) from exc
        _fail(source_id, f"Gave up after {self.max_retries} retries: {exc}")
    except DatabaseError as exc:
        _fail(source_id, f"Database refused the proposals: {exc}")
    except Exception as exc:
        logger.exception("Proposing claims for source %s failed", source_id)
        _fail(source_id, f"{type(exc).__name__}: {exc}")
    else:
        # The source's statements become evidence candidates for other sources' claims.
        source_index_from_parse(source_id, analyser)
        return added
    return 0


def _fail(source_id: int, reason: str) -> None:
    try:
        source_mark_failed(source_id=source_id, reason=reason)
    except Exception:
        logger.exception("Could not record the failure of source %s", source_id)
