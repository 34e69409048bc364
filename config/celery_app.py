import logging
import os

from celery import Celery

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
