"""On PostgreSQL a batch's sources are stored on a second thread while the next ones are parsed."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from claims import services
from claims.services import proposals_generate_for_sources
from evidence.models import Statement
from sources.models import Source, SourceStatus
from sources.services import source_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite stores inline"),
]

TEXTS = [
    "Officials said the convoy crossed the border in 2011.",
    "Moscow denied the report about the convoy on Monday.",
    "Inspectors counted 40 trucks at the crossing.",
]


def sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def sessions_settle_at(expected: int, timeout: float = 5.0) -> int:
    """The session count once it reaches `expected`, or when `timeout` runs out: a server process
    leaves pg_stat_activity a moment after its client has closed the connection."""
    deadline = time.monotonic() + timeout
    while (count := sessions()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


@pytest.fixture
def sources(settings, monkeypatch):
    settings.SPACY_BATCH_SIZE = 1  # one paragraph per spaCy batch: each source is stored while the next parses
    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)  # pending, for the test to process
    monkeypatch.setattr("claims.services.spare_cores", lambda: 1)  # whatever machine the tests run on
    return [source_create(title=f"Report {n}", text=text)[0] for n, text in enumerate(TEXTS)]


@pytest.fixture
def store_threads(monkeypatch):
    """The name of the thread each store ran on, in order; `fail_on` makes the store of that source raise."""
    seen: list[tuple[int, str]] = []
    fail_on: dict[int, Exception] = {}
    store = services.proposals_store

    def recording(*, source_id, **kwargs):
        seen.append((source_id, threading.current_thread().name))
        if source_id in fail_on:
            raise fail_on[source_id]
        return store(source_id=source_id, **kwargs)

    monkeypatch.setattr(services, "proposals_store", recording)
    return seen, fail_on


def test_stores_run_on_their_own_thread_and_its_connection_is_closed(sources, store_threads):
    seen, _ = store_threads
    before = sessions()

    added = proposals_generate_for_sources(source_ids=[source.id for source in sources])

    assert [source_id for source_id, _ in seen] == [source.id for source in sources]
    assert all(name.startswith("proposals-store") for _, name in seen)
    assert sessions_settle_at(before) == before
    for source in sources:
        source.refresh_from_db()
        assert source.status == SourceStatus.PROPOSED
        assert added[source.id] == source.proposals.count() > 0


def test_stores_run_inline_when_the_workers_take_every_core(sources, store_threads, monkeypatch):
    seen, _ = store_threads
    monkeypatch.setattr("claims.services.spare_cores", lambda: 0)

    proposals_generate_for_sources(source_ids=[source.id for source in sources])

    assert [name for _, name in seen] == [threading.current_thread().name] * len(sources)


def test_the_index_is_written_with_the_proposals_behind_the_parse(sources, store_threads):
    from claims.tasks import sources_propose_claims

    sources_propose_claims.apply(args=[[source.id for source in sources]])

    for source in sources:
        proposals = set(source.proposals.values_list("pk", flat=True))
        indexed = Statement.objects.filter(source=source, proposal__isnull=False).values_list("proposal", flat=True)
        assert proposals and set(indexed) == proposals


def test_a_lost_connection_is_raised_for_a_retry_and_the_other_stores_stay(sources, store_threads):
    _, fail_on = store_threads
    fail_on[sources[1].id] = OperationalError("server closed the connection unexpectedly")
    ids = [source.id for source in sources]

    with pytest.raises(OperationalError, match="server closed"):
        proposals_generate_for_sources(source_ids=ids)

    statuses = dict(Source.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        sources[0].id: SourceStatus.PROPOSED,
        sources[1].id: SourceStatus.PROCESSING,
        sources[2].id: SourceStatus.PROPOSED,
    }
    del fail_on[sources[1].id]
    counts = {source.id: source.proposals.count() for source in sources}

    added = proposals_generate_for_sources(source_ids=ids)  # the retry

    assert list(added) == [sources[1].id] and added[sources[1].id] > 0
    counts[sources[1].id] = added[sources[1].id]
    assert {source.id: source.proposals.count() for source in sources} == counts
