import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from sources.services import source_fetch_fail, source_fetch_run

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def source_fetch(self, source_id: int) -> None:
    """Fetch the page of a source created from a URL. Safe to deliver twice (see source_fetch_run).

    A lost database connection is retried with backoff; anything else marks the source failed.
    """
    try:
        source_fetch_run(source_id=source_id)
    except (OperationalError, InterfaceError) as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=min(120, 2 ** (self.request.retries + 1))) from exc
        _fail(source_id, f"Gave up after {self.max_retries} retries: {exc}")
    except Exception as exc:  # one bad page must not take the worker down
        logger.exception("Fetching source %s failed", source_id)
        _fail(source_id, f"{type(exc).__name__}: {exc}")


def _fail(source_id: int, reason: str) -> None:
    try:
        source_fetch_fail(source_id=source_id, reason=reason)
    except Exception:
        logger.exception("Could not record the failure of source %s", source_id)
