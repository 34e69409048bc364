"""What a worker process knows of the worker it belongs to."""

import importlib
import os
from types import SimpleNamespace

import pytest
from django.db import connection

celery_app = importlib.import_module("config.celery_app")  # `config.celery_app` is also the app itself


@pytest.fixture
def worker_of(monkeypatch):
    monkeypatch.setattr(celery_app, "_worker_processes", None)

    def started(concurrency):
        celery_app._note_worker_processes(SimpleNamespace(concurrency=concurrency))

    return started


def test_spare_cores_are_those_the_workers_processes_leave(worker_of):
    cores = len(os.sched_getaffinity(0))
    assert celery_app.spare_cores() == cores - 1  # not in a worker: this process alone

    worker_of(cores)
    assert celery_app.spare_cores() == 0

    worker_of(max(1, cores - 1))
    assert celery_app.spare_cores() == (1 if cores > 1 else 0)

    worker_of("auto")  # not resolved to a number yet: counted as one process
    assert celery_app.spare_cores() == cores - 1


def a_task(*, eager: bool) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite connections are not kept (CONN_MAX_AGE 0)")
def test_a_task_keeps_a_healthy_connection_and_drops_a_broken_one():
    connection.ensure_connection()
    healthy = connection.connection

    celery_app._close_old_connections(task=a_task(eager=False))
    assert connection.connection is healthy

    healthy.close()  # the server went away
    connection.errors_occurred = True
    celery_app._close_old_connections(task=a_task(eager=False))
    assert connection.connection is None


@pytest.mark.django_db
def test_an_eager_task_leaves_its_callers_transaction_alone():
    connection.ensure_connection()
    inside = connection.connection

    celery_app._close_old_connections(task=a_task(eager=True))

    assert connection.in_atomic_block and connection.connection is inside
