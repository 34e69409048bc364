"""The evidence index is built from the claim pipeline's own parse, and equals a re-index's result."""

import pytest
from celery.signals import task_prerun

from claims.tasks import source_propose_claims
from evidence.models import Statement, StatementKind
from evidence.suggestions.index import analyse_source, source_spans
from sources.services import source_create

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
