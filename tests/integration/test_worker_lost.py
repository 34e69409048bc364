"""A worker process killed mid-source: the task is redelivered and exactly one set of proposals results."""

import os
import signal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claims.models import ClaimProposal
from config.celery_app import app as celery_app
from sources.models import Source, SourceStatus
from sources.services import source_create
from tests.integration.conftest import base_env, database_url_for, start_worker, wait_for

# The workers these tests start share one Redis queue: on the same xdist process, the tests run one after
# the other, so no worker takes a task meant for another test's database.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]


def _children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def test_killed_worker_child_is_redelivered_without_duplicates(tmp_path):
    assert connection.vendor == "postgresql" and settings.REDIS_URL, "runs on PostgreSQL and Redis (make test)"
    env = base_env(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url_for(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY="integration-tests",
        CLAIM_PROPOSER="tests.claims.proposer_slow",
    )
    worker = start_worker(env, tmp_path / "worker.log")
    celery_app.conf.task_always_eager = False
    try:
        text = "Officials said the convoy crossed in 2018.\nMoscow denied it.\nThe envoy proposed talks in 2014."
        source, _ = source_create(title="Convoy", text=text)

        def processing():
            return Source.objects.filter(pk=source.pk, status=SourceStatus.PROCESSING).exists()

        wait_for(processing, timeout=60, what="the worker to start on the source", process=worker)
        [child] = _children(worker.popen.pid)
        os.kill(child, signal.SIGKILL)

        def proposed():
            return Source.objects.filter(pk=source.pk, status=SourceStatus.PROPOSED).exists()

        wait_for(proposed, timeout=90, what="the redelivered task to finish", process=worker)
        spans = list(ClaimProposal.objects.filter(source=source).values_list("start", "end"))
        assert len(spans) == 3 and len(set(spans)) == 3
        assert "SIGKILL" in worker.output(), "the child really died mid-task"
    finally:
        celery_app.conf.task_always_eager = True
        worker.stop()
