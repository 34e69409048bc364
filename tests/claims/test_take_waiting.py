"""A task queued for one source (the browser, the API) parses the sources waiting behind it along with it."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from claims import services
from claims.services import sources_take_waiting
from claims.tasks import source_propose_claims, sources_propose_claims
from sources.models import Source, SourceStatus
from sources.services import source_create

pytestmark = pytest.mark.django_db

TEXTS = [
    "Officials said the convoy crossed the border in 2011.",
    "Moscow denied the report about the convoy on Monday.",
    "Inspectors counted 40 trucks at the crossing.",
    "The envoy proposed secret talks in 2014, diplomats said.",
]


@pytest.fixture
def waiting(monkeypatch):
    """Pending sources whose tasks have not run yet (the test runs them), oldest first."""
    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)
    return [source_create(title=f"Report {n}", text=text)[0] for n, text in enumerate(TEXTS)]


@pytest.fixture
def parses(monkeypatch):
    """The titles of the sources of each batched parse, in order (a task with nothing to parse adds none)."""
    seen: list[list[str]] = []
    propose = services.propose_spans_each

    def recording(texts, proposer=None, titles=None, on_doc=None):
        titles = list(titles)
        if titles:
            seen.append(titles)
        return propose(texts, proposer, titles, on_doc)

    monkeypatch.setattr(services, "propose_spans_each", recording)
    return seen


def statuses(sources) -> list[str]:
    return [Source.objects.get(pk=source.pk).status for source in sources]


def test_a_task_for_one_source_parses_the_oldest_waiting_ones_with_it(settings, waiting, parses):
    settings.PROPOSAL_BATCH_SOURCES = 3
    done, _ = source_create(title="Done", text="Moscow denied it in 2019.")
    sources_propose_claims.apply(args=[[done.id]])  # a batch task takes nothing along
    done_before = done.proposals.count()
    parses.clear()
    fetching, _ = source_create(title="Fetching", text="The convoy crossed the border in 2012.")
    Source.objects.filter(pk=fetching.pk).update(status=SourceStatus.FETCHING)

    added = source_propose_claims.apply(args=[waiting[2].id]).get()

    assert parses == [["Report 2", "Report 0", "Report 1"]]
    assert statuses(waiting) == [SourceStatus.PROPOSED] * 3 + [SourceStatus.PENDING]
    assert added == waiting[2].proposals.count() > 0
    assert all(source.proposals.exists() for source in waiting[:3])
    assert done.proposals.count() == done_before
    assert statuses([done, fetching]) == [SourceStatus.PROPOSED, SourceStatus.FETCHING]


def test_the_waiting_ones_taken_stay_within_the_batch_characters(settings, waiting, parses):
    settings.PROPOSAL_BATCH_CHARS = len(TEXTS[3]) + len(TEXTS[0]) + len(TEXTS[1]) - 1

    source_propose_claims.apply(args=[waiting[3].id])

    assert parses == [["Report 3", "Report 0"]]
    assert statuses(waiting) == [
        SourceStatus.PROPOSED,
        SourceStatus.PENDING,
        SourceStatus.PENDING,
        SourceStatus.PROPOSED,
    ]


def test_the_task_of_a_source_taken_along_adds_nothing_and_history_shows_one_run(waiting, parses):
    source_propose_claims.apply(args=[waiting[0].id])
    proposals = {source.pk: source.proposals.count() for source in waiting}

    assert [source_propose_claims.apply(args=[source.id]).get() for source in waiting[1:]] == [0, 0, 0]

    assert parses == [[f"Report {n}" for n in range(4)]]
    assert {source.pk: source.proposals.count() for source in waiting} == proposals
    for source in waiting:
        history = list(source.history.order_by("history_date").values_list("status", flat=True))
        assert history == [SourceStatus.PENDING, SourceStatus.PROCESSING, SourceStatus.PROPOSED]


def test_a_source_taken_by_a_worker_that_died_is_proposed_by_its_own_task(settings, waiting, parses):
    settings.PROPOSAL_BATCH_SOURCES = 2
    assert sources_take_waiting(besides=waiting[3].id) == [waiting[0].id]  # ... and the worker died here
    assert statuses(waiting[:1]) == [SourceStatus.PROCESSING]

    source_propose_claims.apply(args=[waiting[0].id])

    assert parses == [["Report 0", "Report 1"]]
    assert statuses(waiting) == [
        SourceStatus.PROPOSED,
        SourceStatus.PROPOSED,
        SourceStatus.PENDING,
        SourceStatus.PENDING,
    ]


def test_a_source_left_processing_by_a_worker_long_dead_is_taken_along_and_a_recent_one_is_not(settings, waiting):
    long_ago = timezone.now() - timedelta(seconds=settings.PROPOSAL_STALE_SECONDS + 60)
    Source.objects.filter(pk=waiting[0].pk).update(status=SourceStatus.PROCESSING, updated_at=long_ago)
    Source.objects.filter(pk=waiting[1].pk).update(status=SourceStatus.PROCESSING, updated_at=timezone.now())

    assert sources_take_waiting(besides=waiting[3].id) == [waiting[0].id, waiting[2].id]

    assert Source.objects.get(pk=waiting[0].pk).updated_at > long_ago  # taken afresh: not taken twice


def test_nothing_is_taken_along_with_batches_of_one_or_a_source_that_is_gone(settings, waiting):
    assert sources_take_waiting(besides=987654) == []
    settings.PROPOSAL_BATCH_SOURCES = 1
    assert sources_take_waiting(besides=waiting[0].id) == []
    assert statuses(waiting) == [SourceStatus.PENDING] * 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has no row locks to skip")
def test_a_source_another_worker_is_taking_is_skipped_without_waiting(waiting):
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Source.objects.select_for_update().get(pk=waiting[0].pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert sources_take_waiting(besides=waiting[3].id) == [waiting[1].id, waiting[2].id]
    finally:
        release.set()
        thread.join()
    assert statuses(waiting) == [
        SourceStatus.PENDING,
        SourceStatus.PROCESSING,
        SourceStatus.PROCESSING,
        SourceStatus.PENDING,
    ]
