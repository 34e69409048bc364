import logging
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger(__name__)

app = Celery("corroborate")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, object_id: int | list[int], consequence: str) -> bool:
    """Queue `task(object_id)`. A broker that is down is logged, not raised: callers run after their
    transaction committed, and the row stays in a state from which it is queued again later.
    `consequence` says what that state is, for the log."""
    from kombu.exceptions import OperationalError as BrokerError

    try:
        task.delay(object_id)
    except (BrokerError, OSError):
        logger.exception("Could not queue %s(%s): %s", task.name, object_id, consequence)
        return False
    return True


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    """Around each task, close the database connections that are broken or older than CONN_MAX_AGE, as
    Django does around each request, and keep the others: opening a PostgreSQL connection for every task
    (what Celery's fixup does without CELERY_DB_REUSE_MAX) cost a one-source task about 11 ms. Not for an
    eager task, which runs inside its caller's connection and transaction."""
    if task is not None and not getattr(task.request, "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()


_worker_processes: int | None = None


@worker_init.connect
def _note_worker_processes(sender, **kwargs) -> None:
    global _worker_processes  # set in the worker's main process before it forks: its children inherit it
    _worker_processes = sender.concurrency if isinstance(sender.concurrency, int) else None
    logger.info("Worker of %s processes; %s spare cores for each", _worker_processes, spare_cores())


def spare_cores() -> int:
    """The cores this process may use beyond its own: those not taken by the other processes of the
    Celery worker it belongs to (workers started separately on the same machine are not counted)."""
    return max(0, len(os.sched_getaffinity(0)) - (_worker_processes or 1))
