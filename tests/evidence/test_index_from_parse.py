"""The evidence index is built from the claim pipeline's own parse, and equals a re-index's result."""

import pytest
from celery.signals import task_prerun

from claims.tasks import source_propose_claims
from evidence.models import Statement, StatementKind, Suggestion
from evidence.suggestions.index import analyse_source, source_index, source_spans
from evidence.suggestions.retrieval import claims_matching
from evidence.tasks import claim_compute_suggestions
from sources.services import source_create
from tests.evidence.corpus import CLAIM, TEXTS
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Border officials said a convoy of trucks crossed into the province in 2018.\n"
    "The defence ministry denied that any convoy had crossed, calling the report a fabrication. "
    "Analysts believe the route is likely used for smuggling."
)


def test_processing_a_source_indexes_it_from_the_same_parse():
    source, _ = source_create(title="Convoy", text=TEXT)
    source_propose_claims.apply(args=[source.id])

    statements = {(s.start, s.end): s for s in Statement.objects.filter(source=source)}
    proposals = list(source.proposals.all())
    assert proposals and statements
    for proposal in proposals:
        statement = statements[(proposal.start, proposal.end)]
        assert statement.kind == StatementKind.PROPOSAL and statement.proposal_id == proposal.pk

    reparsed = analyse_source(source.text, source_spans(source), sentences=True)
    assert set(reparsed) == set(statements)
    for key, parsed in reparsed.items():
        assert statements[key].terms == " ".join(parsed.analysis.terms)
        assert statements[key].context_years == parsed.context_years


def test_a_second_delivery_indexes_nothing_new_and_parses_nothing_again():
    source, _ = source_create(title="Convoy", text=TEXT)
    source_propose_claims.apply(args=[source.id])
    count = Statement.objects.filter(source=source).count()

    ran = []

    def record(sender=None, **kwargs):
        ran.append(sender.name)

    task_prerun.connect(record)
    try:
        source_propose_claims.apply(args=[source.id])
    finally:
        task_prerun.disconnect(record)
    assert Statement.objects.filter(source=source).count() == count
    assert ran == ["claims.tasks.source_propose_claims"], "no re-index task (a second parse) was run"


def test_a_processed_source_is_suggested_to_existing_claims_once_committed(django_capture_on_commit_callbacks):
    home, _ = source_create(title="Home", text=CLAIM + " The convoy carried grain.")
    source_index(source_id=home.id)
    claim = ClaimFactory(source=home, start=0, end=len(CLAIM))
    claim_compute_suggestions(claim.pk)
    late, _ = source_create(title="Late", text=TEXTS["paraphrase"])
    assert not Suggestion.objects.filter(claim=claim, source=late).exists()

    with django_capture_on_commit_callbacks(execute=True):
        source_propose_claims.apply(args=[late.id])

    assert Suggestion.objects.filter(claim=claim, source=late).exists()


def test_a_source_whose_claims_are_all_its_own_refreshes_nothing_in_one_query(django_assert_num_queries):
    home, _ = source_create(title="Home", text=CLAIM + " The convoy carried grain.")
    source_index(source_id=home.id)
    claim_compute_suggestions(ClaimFactory(source=home, start=0, end=len(CLAIM)).pk)  # indexes the claim
    other, _ = source_create(title="Other", text=TEXTS["paraphrase"])
    source_index(source_id=other.id)
    home_statements = list(Statement.objects.filter(source=home).values_list("pk", flat=True))
    other_statements = list(Statement.objects.filter(source=other).values_list("pk", flat=True))

    with django_assert_num_queries(1):
        assert claims_matching(statement_ids=home_statements, limit=10) == []
    assert claims_matching(statement_ids=other_statements, limit=10) != []


def test_failed_index_writes_lose_no_proposal_and_queue_a_reindex(monkeypatch, django_capture_on_commit_callbacks):
    from django.db import connection

    from evidence import tasks
    from evidence.suggestions import index

    def broken_insert(postings):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO evidence_statementterm (statement_id, term_id, weight) VALUES (NULL, NULL, 1)")

    queued = []
    monkeypatch.setattr(index, "_postings_insert", broken_insert)
    monkeypatch.setattr(tasks, "source_index_queue", queued.append)
    source, _ = source_create(title="Convoy", text=TEXT)

    with django_capture_on_commit_callbacks(execute=True):
        source_propose_claims.apply(args=[source.id])

    source.refresh_from_db()
    assert source.status == "proposed" and source.proposals.exists()
    assert not Statement.objects.filter(source=source).exists(), "the statements written before the failure are undone"
    assert queued == [source.id]


def test_a_paragraph_handed_over_twice_is_analysed_once():
    # A batch whose parse failed is parsed again source by source: the analyser may see a paragraph twice.
    from claims.nlp.model import get_nlp
    from claims.nlp.spans import paragraphs
    from evidence.suggestions.index import SourceAnalyser

    once, twice = SourceAnalyser(TEXT, sentences=True), SourceAnalyser(TEXT, sentences=True)
    for offset, paragraph in paragraphs(TEXT):
        doc = get_nlp()(paragraph)
        once.add_doc(doc, offset)
        twice.add_doc(doc, offset)
        twice.add_doc(doc, offset)
    assert twice.docs_seen == once.docs_seen == 2
    assert twice.result() == once.result()
