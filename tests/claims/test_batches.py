"""Sources queued together by an import are parsed together, one task per batch, and fail one by one."""

from io import StringIO

import pytest

from claims.tasks import sources_propose_claims
from evidence.models import Statement
from evidence.suggestions.index import analyse_source, source_spans
from sources.models import SourceStatus
from sources.services import source_create, sources_queued_together

pytestmark = pytest.mark.django_db

TEXTS = [
    "Officials said the convoy crossed the border in {n}.",
    "Moscow denied the report about the {n} convoy on Monday.",
    "The envoy proposed secret talks in {n}, diplomats said.",
    "Inspectors counted {n} trucks at the crossing.",
    "The ministry said it paid {n} dollars for the bridge.",
]


def test_an_import_queues_full_batches_then_the_rest(settings, tasks_run, django_capture_on_commit_callbacks):
    settings.PROPOSAL_BATCH_SOURCES = 2
    ids = []
    with sources_queued_together():
        for number, text in enumerate(TEXTS):
            with django_capture_on_commit_callbacks(execute=True):
                ids.append(source_create(title=f"Report {number}", text=text.format(n=2010 + number))[0].id)

    assert tasks_run == [
        ("sources_propose_claims", ids[0:2]),
        ("sources_propose_claims", ids[2:4]),
        ("sources_propose_claims", ids[4:5]),
    ]
    for source_id in ids:
        assert Statement.objects.filter(source_id=source_id).exists()
    from sources.models import Source

    assert set(Source.objects.filter(pk__in=ids).values_list("status", flat=True)) == {SourceStatus.PROPOSED}


def test_an_import_starts_and_ends_in_smaller_batches(settings, tasks_run, django_capture_on_commit_callbacks):
    # The first batches leave at once, from FIRST_BATCH_SOURCES and doubling, so that workers start early;
    # then two batches stay in hand while sources come; when the import ends they leave in batches of half
    # the rest each, down to TAIL_BATCH_SOURCES, so that workers finish the import together.
    settings.PROPOSAL_BATCH_SOURCES = 8
    ids = []
    with sources_queued_together():
        for number in range(40):
            with django_capture_on_commit_callbacks(execute=True):
                text = TEXTS[number % len(TEXTS)].format(n=1900 + number)
                ids.append(source_create(title=f"Report {number}", text=text)[0].id)
        assert [len(batch) for _, batch in tasks_run] == [2, 4, 8, 8, 8]  # sent while the import goes on

    assert [len(batch) for _, batch in tasks_run] == [2, 4, 8, 8, 8, 5, 4, 1]
    assert [source_id for _, batch in tasks_run for source_id in batch] == ids


def test_a_batch_of_long_texts_leaves_before_it_is_full(settings, tasks_run, django_capture_on_commit_callbacks):
    texts = [text.format(n=2010 + number) for number, text in enumerate(TEXTS)]
    settings.PROPOSAL_BATCH_SOURCES = 10
    settings.PROPOSAL_BATCH_CHARS = len(texts[0]) + len(texts[1])  # the first two fill a batch
    ids = []
    with sources_queued_together():
        for number, text in enumerate(texts[:3]):
            with django_capture_on_commit_callbacks(execute=True):
                ids.append(source_create(title=f"Report {number}", text=text)[0].id)

    assert tasks_run == [("sources_propose_claims", ids[0:2]), ("sources_propose_claims", ids[2:3])]


def test_propose_claims_batches_pending_sources_by_their_length(settings, tasks_run, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)  # created pending, queued by the command
    texts = [text.format(n=2010 + number) for number, text in enumerate(TEXTS)]
    ids = [source_create(title=f"Report {n}", text=text)[0].id for n, text in enumerate(texts)]
    monkeypatch.undo()
    settings.PROPOSAL_BATCH_SOURCES = 10
    settings.PROPOSAL_BATCH_CHARS = max(map(len, texts)) + 1  # no source alone reaches it, any two do

    call_command("propose_claims", stdout=StringIO())

    assert tasks_run == [("sources_propose_claims", ids[i : i + 2]) for i in range(0, len(ids), 2)]


def test_a_source_that_breaks_the_parser_fails_alone(settings):
    settings.CLAIM_PROPOSER = "tests.claims.proposer_picky"
    good = [
        source_create(title=f"Good {n}", text=f"{TEXTS[n].format(n=2000 + n)} The ministry denied it.\nIt was late.")[0]
        for n in range(3)
    ]
    bad, _ = source_create(title="Bad", text="Geologists said the volcano erupted in 2019.")

    added = sources_propose_claims.apply(args=[[good[0].id, bad.id, good[1].id, good[2].id]]).get()

    assert added >= 3
    bad.refresh_from_db()
    assert bad.status == SourceStatus.FAILED and bad.error == "RuntimeError: the parser choked on a volcano"
    assert not bad.proposals.exists()
    for source in good:
        source.refresh_from_db()
        assert source.status == SourceStatus.PROPOSED and source.proposals.exists()
        # The batch was parsed twice (together, then one by one); the index is as if parsed once.
        statements = {(s.start, s.end): s for s in Statement.objects.filter(source=source)}
        reparsed = analyse_source(source.text, source_spans(source), sentences=True)
        assert set(statements) == set(reparsed)
        for key, parsed in reparsed.items():
            assert statements[key].context_years == parsed.context_years
            assert statements[key].context_terms == " ".join(parsed.context_terms)


def test_a_batch_skips_what_is_done_and_what_is_gone():
    done, _ = source_create(title="Done", text=TEXTS[0].format(n=2001))
    sources_propose_claims.apply(args=[[done.id]])
    count = done.proposals.count()
    fresh, _ = source_create(title="Fresh", text=TEXTS[1].format(n=2002))

    sources_propose_claims.apply(args=[[done.id, 987654, fresh.id]])

    assert done.proposals.count() == count
    fresh.refresh_from_db()
    assert fresh.status == SourceStatus.PROPOSED and fresh.proposals.exists()


@pytest.mark.parametrize("count", [2, 6])
def test_a_batch_is_marked_processing_with_its_history_in_the_same_queries_whatever_its_size(
    count, django_assert_num_queries, monkeypatch
):
    from claims.services import _claim_processing

    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)  # created pending
    ids = [
        source_create(title=f"Report {n}", text=TEXTS[n % len(TEXTS)].format(n=1800 + n))[0].id for n in range(count)
    ]
    # A savepoint, the rows locked, this version's proposals looked for, the rows updated, their history.
    with django_assert_num_queries(6):
        claimed = _claim_processing(ids, "clauses", "test")

    assert [source.id for source in claimed] == ids
    for source in claimed:
        statuses = list(source.history.order_by("history_date", "history_id").values_list("status", flat=True))
        assert statuses == [SourceStatus.PENDING, SourceStatus.PROCESSING]


def test_a_source_is_proposed_and_indexed_in_the_same_queries_whatever_its_length(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)  # created pending, processed here
    short = source_create(title="Short", text="\n".join(t.format(n=1700) for t in TEXTS[:2]))[0]
    long = source_create(title="Long", text="\n".join(t.format(n=1600 + n) for n in range(4) for t in TEXTS))[0]
    counts = []
    for source in (short, long):
        with CaptureQueriesContext(connection) as queries:
            sources_propose_claims.run([source.id])
        assert Statement.objects.filter(source=source).exists()
        counts.append(len(queries))
    # Marking, reading the text and the spans to index, then one transaction: the proposals, the status
    # and its history, the statements, their terms and postings. The source row is read once there.
    assert counts[0] == counts[1] == 22
