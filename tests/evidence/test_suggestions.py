"""Evidence suggestions end to end: index, retrieve, stance, conflicts, accept and reject."""

import pytest

from claims.models import Claim
from evidence.models import EvidenceLink, Statement, StatementKind, Suggestion, SuggestionReview
from evidence.selectors import suggestions_for_claim
from evidence.services import suggestion_accept, suggestion_reject
from evidence.suggestions.index import claim_statement, source_index
from evidence.suggestions.suggest import suggestions_compute
from evidence.tasks import claim_compute_suggestions, source_index_statements
from sources.models import Source
from tests.evidence.corpus import CLAIM, TEXTS
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _source(text: str):
    source = SourceFactory(text=text)
    source_index(source_id=source.pk)
    return source


@pytest.fixture
def corpus():
    sources = {name: _source(text) for name, text in TEXTS.items()}
    home = _source(CLAIM + " The convoy carried grain.")
    claim = ClaimFactory(source=home, start=0, end=len(CLAIM))
    return claim, sources


def _suggested(claim):
    statement = claim_statement(claim=claim)
    return suggestions_compute(claim=claim, statement=statement)


def _first_from(suggested, source):
    return next((s for s in suggested if s.source_id == source.pk), None)


def test_index_holds_every_sentence_with_terms(corpus):
    _, sources = corpus
    statements = Statement.objects.filter(source=sources["denial"]).order_by("start")
    assert [s.kind for s in statements] == [StatementKind.SENTENCE, StatementKind.SENTENCE]
    assert "kestre" in statements[0].terms.split()
    assert statements[0].text == sources["denial"].text[statements[0].start : statements[0].end]


def test_indexing_twice_adds_nothing(corpus):
    _, sources = corpus
    before = Statement.objects.count()
    assert source_index(source_id=sources["denial"].pk) == []
    assert Statement.objects.count() == before


def test_denial_found_with_stance_denies(corpus):
    claim, sources = corpus
    suggested = _suggested(claim)
    denial = _first_from(suggested, sources["denial"])
    assert denial is not None and suggested.index(denial) < 3
    assert denial.text.startswith("The Kestrel agency denied")
    assert denial.stance == "denies"


def test_paraphrase_found_with_stance_corroborates(corpus):
    claim, sources = corpus
    paraphrase = _first_from(_suggested(claim), sources["paraphrase"])
    assert paraphrase is not None
    assert paraphrase.text.startswith("According to officials")
    assert paraphrase.stance == "corroborates"


def test_number_conflict_flagged(corpus):
    claim, sources = corpus
    suggested = _suggested(claim)
    conflicting = _first_from(suggested, sources["conflict"])
    assert conflicting is not None and conflicting.conflict
    assert conflicting.conflict_note == "2019 vs 2016"
    assert not _first_from(suggested, sources["paraphrase"]).conflict


def test_conflict_flagged_on_both_claims(corpus, analyst):
    claim, sources = corpus
    other = ClaimFactory(source=sources["conflict"], start=0, end=sources["conflict"].text.index(","))
    claim_statement(claim=other)
    claim_compute_suggestions(claim.pk)
    mine = Suggestion.objects.get(claim=claim, source=sources["conflict"])
    theirs = Suggestion.objects.get(claim=other, source=claim.source)
    assert mine.conflict and theirs.conflict
    assert theirs.conflict_note == "2016 vs 2019"


def test_unrelated_statement_ranked_low(corpus):
    claim, sources = corpus
    suggested = _suggested(claim)
    related = [s for s in suggested if s.source_id != sources["unrelated"].pk]
    unrelated = [s for s in suggested if s.source_id == sources["unrelated"].pk]
    assert all(u.score < min(r.score for r in related[:3]) for u in unrelated)
    assert all(u.score < 0.2 for u in unrelated)


def test_own_source_never_suggested(corpus):
    claim, _ = corpus
    assert all(s.source_id != claim.source_id for s in _suggested(claim))


def test_task_stores_suggestions_best_first(corpus):
    claim, sources = corpus
    assert claim_compute_suggestions(claim.pk) > 0
    items = list(suggestions_for_claim(claim=claim, limit=10))
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)
    assert items[0].source_id in {sources["denial"].pk, sources["conflict"].pk, sources["paraphrase"].pk}
    assert all(i.evidence_claim_id is None for i in items)


def test_rejected_is_not_suggested_again(corpus, analyst):
    claim, sources = corpus
    claim_compute_suggestions(claim.pk)
    denial = Suggestion.objects.get(claim=claim, source=sources["denial"], start=0)
    suggestion_reject(claim=claim, source=sources["denial"], start=denial.start, end=denial.end, user=analyst)
    assert sources["denial"].pk not in [s.source_id for s in suggestions_for_claim(claim=claim, limit=20)]
    claim_compute_suggestions(claim.pk)
    assert not Suggestion.objects.filter(claim=claim, source=sources["denial"], start__lt=denial.end).exists()
    review = SuggestionReview.objects.get(claim=claim)
    assert (review.decision, review.decided_by) == ("rejected", analyst)


def test_accept_creates_claim_for_span_and_link(corpus, analyst):
    claim, sources = corpus
    claim_compute_suggestions(claim.pk)
    item = Suggestion.objects.get(claim=claim, source=sources["denial"], start=0)
    link = suggestion_accept(
        claim=claim, source=sources["denial"], start=item.start, end=item.end, stance=item.stance, user=analyst
    )
    evidence = Claim.objects.get(source=sources["denial"], start=item.start, end=item.end)
    assert (link.claim, link.evidence_claim, link.stance, link.from_suggestion) == (claim, evidence, "denies", True)
    assert link.created_by == analyst
    listed = list(suggestions_for_claim(claim=claim, limit=20))
    assert all(not (s.source_id == sources["denial"].pk and s.start < item.end) for s in listed)
    claim_compute_suggestions(claim.pk)
    assert not Suggestion.objects.filter(claim=claim, source=sources["denial"], start__lt=item.end).exists()


def test_accept_existing_claim_with_another_stance(corpus, analyst):
    claim, sources = corpus
    text = sources["paraphrase"].text
    existing = ClaimFactory(source=sources["paraphrase"], start=0, end=text.index(".") + 1)
    link = suggestion_accept(
        claim=claim, source=sources["paraphrase"], start=0, end=existing.end, stance="qualifies", user=analyst
    )
    assert (link.evidence_claim, link.stance) == (existing, "qualifies")
    assert EvidenceLink.objects.count() == 1


def test_accept_refuses_own_source_and_bad_span(corpus, analyst):
    from django.core.exceptions import ValidationError

    claim, sources = corpus
    with pytest.raises(ValidationError, match="different source"):
        suggestion_accept(claim=claim, source=claim.source, start=0, end=5, stance="denies", user=analyst)
    with pytest.raises(ValidationError):
        suggestion_reject(claim=claim, source=sources["denial"], start=5, end=10_000, user=analyst)


def test_new_source_refreshes_suggestions_of_existing_claims(corpus):
    claim, _ = corpus
    claim_compute_suggestions(claim.pk)
    late = SourceFactory(
        text="Kestrel agency officers paid Northwind militia commanders to attack the river convoy.", status="pending"
    )
    assert source_index_statements(late.pk) == 0  # not processed yet
    Source.objects.filter(pk=late.pk).update(status="proposed")
    assert source_index_statements(late.pk) == 1
    # The task queued the claim's recomputation (run in-process under the test settings).
    assert Suggestion.objects.filter(claim=claim, source=late).exists()


def test_suggestions_read_in_a_fixed_number_of_queries(corpus, django_assert_num_queries):
    claim, _ = corpus
    claim_compute_suggestions(claim.pk)
    with django_assert_num_queries(1):
        items = list(suggestions_for_claim(claim=claim, limit=10))
        assert all(item.source.title for item in items)
