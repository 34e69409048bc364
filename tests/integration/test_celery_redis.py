"""Full stack: the API on PostgreSQL queues onto real Redis, a real Celery worker proposes claims."""

import pytest
from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app
from sources.models import Source, SourceStatus
from tests.integration.conftest import base_env, database_url_for, start_worker, wait_for

# The workers these tests start share one Redis queue: on the same xdist process, the tests run one after
# the other, so no worker takes a task meant for another test's database.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("redis")]


@pytest.fixture
def worker(tmp_path):
    assert connection.vendor == "postgresql", "this suite runs on PostgreSQL: set DATABASE_URL (make test does)"
    assert settings.REDIS_URL, "this suite runs on Redis: set REDIS_URL (make test does)"
    env = base_env(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url_for(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY="integration-tests",
    )
    process = start_worker(env, tmp_path / "worker.log")
    celery_app.conf.task_always_eager = False
    yield process
    celery_app.conf.task_always_eager = True
    process.stop()


def test_source_posted_through_the_api_reaches_proposed(worker, analyst_api):
    response = analyst_api.post(
        "/api/sources/",
        {"title": "Convoy", "text": "Officials said the convoy crossed the border in 2018. Moscow denied it."},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == SourceStatus.PENDING
    source_id = response.json()["id"]

    def proposed():
        return Source.objects.filter(pk=source_id, status=SourceStatus.PROPOSED).exists()

    wait_for(proposed, timeout=90, what="the worker to propose claims", process=worker)
    proposals = analyst_api.get(f"/api/proposals/?source={source_id}").json()["results"]
    assert len(proposals) >= 2
    assert all(p["source"] == source_id and p["status"] == "pending" for p in proposals)
    assert "processing" in worker.output() or "succeeded" in worker.output()


def test_one_queued_task_takes_the_sources_waiting_behind_it(worker, monkeypatch):
    """Sources whose tasks were never queued (a broker outage) go with the next source's task."""
    from claims.tasks import source_propose_claims
    from sources.services import source_create

    texts = ["Officials said the convoy crossed in 2018.", "Moscow denied it.", "The envoy proposed talks in 2014."]
    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)
    waiting = [source_create(title=f"Waiting {n}", text=text)[0].pk for n, text in enumerate(texts)]
    monkeypatch.undo()
    queued, _ = source_create(title="Queued", text="Inspectors counted 40 trucks at the crossing.")

    def all_proposed():
        ids = [*waiting, queued.pk]
        return Source.objects.filter(pk__in=ids, status=SourceStatus.PROPOSED).count() == len(ids)

    wait_for(all_proposed, timeout=90, what="one task to propose claims for all four sources", process=worker)
    assert all(Source.objects.get(pk=pk).proposals.exists() for pk in waiting)
    # The sources commit before the worker logs the task's end: wait for that line before counting.
    wait_for(lambda: "succeeded" in worker.output(), timeout=30, what="the task to be logged done", process=worker)
    assert worker.output().count(f"{source_propose_claims.name}[") == 2  # received and succeeded: one task
