import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimProposal, ProposalStatus
from claims.services import (
    StaleVersion,
    claim_create,
    claim_delete,
    claim_update,
    proposal_accept,
    proposal_reject,
    proposal_reopen,
)
from evidence.services import evidence_link_create
from tests.factories import ClaimFactory, ProposalFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_claim_quote_is_exactly_the_source_slice():
    source = SourceFactory()
    start = source.text.index("Moscow")
    claim = claim_create(source=source, start=start, end=len(source.text))
    assert claim.quote == source.text[claim.start : claim.end] == "Moscow denied it on Monday."
    assert claim.text == claim.quote


def test_claim_span_is_trimmed_of_white_space():
    source = SourceFactory()
    start = source.text.index("Moscow") - 1
    claim = claim_create(source=source, start=start, end=len(source.text))
    assert claim.quote == "Moscow denied it on Monday."
    assert source.text[claim.start : claim.end] == claim.quote


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (-1, 5, "start", "Must be a whole number, 0 or more."),
        (5, -2, "end", "Must be a whole number, 0 or more."),
        (10, 10, "end", "Must be greater than start."),
        (10, 4, "end", "Must be greater than start."),
        (0, 10_000, "end", "Must be at most"),
        ("3", 9, "start", "Must be a whole number, 0 or more."),
    ],
)
def test_impossible_spans_are_refused(start, end, field, message):
    source = SourceFactory()
    with pytest.raises(ValidationError) as exc:
        claim_create(source=source, start=start, end=end)
    assert exc.value.message_dict[field][0].startswith(message)
    assert not Claim.objects.exists()


def test_white_space_only_span_is_refused():
    source = SourceFactory(text="First sentence here.   Second one.")
    with pytest.raises(ValidationError, match="only white space"):
        claim_create(source=source, start=20, end=23)


def test_same_span_twice_is_refused():
    claim = ClaimFactory()
    with pytest.raises(ValidationError, match="already a claim"):
        claim_create(source=claim.source, start=claim.start, end=claim.end)


def test_database_refuses_impossible_rows():
    source = SourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(source=source, start=8, end=8, quote="x", text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimProposal.objects.create(
            source=source, start=0, end=5, text="x", score=1.5, pipeline="p", pipeline_version="1"
        )
    ProposalFactory(source=source, pipeline="p", pipeline_version="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory(source=source, pipeline="p", pipeline_version="1")


def test_accept_creates_claim_from_proposal(analyst):
    proposal = ProposalFactory(
        speaker="Officials", kind="attributed", entities=[{"text": "2018", "label": "DATE", "start": 0, "end": 1}]
    )
    claim = proposal_accept(proposal=proposal, user=analyst)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decided_by == analyst and proposal.decided_at is not None
    assert (claim.start, claim.end, claim.quote) == (proposal.start, proposal.end, proposal.text)
    assert (claim.speaker, claim.kind, claim.proposal, claim.created_by) == (
        "Officials",
        "attributed",
        proposal,
        analyst,
    )
    assert proposal_accept(proposal=proposal, user=analyst) == claim, "accepting twice makes no second claim"


def test_accept_with_new_boundaries_is_recorded_as_edited(analyst):
    proposal = ProposalFactory()
    claim = proposal_accept(proposal=proposal, user=analyst, end=proposal.end - 6, text="Convoy crossed the border")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EDITED
    assert claim.quote == proposal.source.text[claim.start : claim.end]
    assert claim.quote.endswith("border in")
    assert claim.text == "Convoy crossed the border"


def test_reject_and_reopen(analyst):
    proposal = ProposalFactory()
    proposal_reject(proposal=proposal, user=analyst)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    proposal_reopen(proposal=proposal, user=analyst)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not Claim.objects.exists()


def test_reopen_an_accepted_proposal_removes_its_unlinked_claim(analyst):
    proposal = ProposalFactory()
    proposal_accept(proposal=proposal, user=analyst)
    proposal_reopen(proposal=proposal, user=analyst)
    assert not Claim.objects.exists()


def test_reopen_refuses_when_claim_has_evidence(analyst):
    proposal = ProposalFactory()
    claim = proposal_accept(proposal=proposal, user=analyst)
    evidence_link_create(claim=claim, evidence_claim=ClaimFactory(), stance="corroborates")
    with pytest.raises(ValidationError, match="linked to evidence"):
        proposal_reopen(proposal=proposal, user=analyst)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_update_moves_boundaries_and_keeps_quote_exact():
    claim = ClaimFactory()
    updated = claim_update(claim=claim, start=0)
    assert updated.start == 0
    assert updated.quote == updated.source.text[0 : updated.end]
    assert updated.text == updated.quote, "wording that followed the quote keeps following it"
    assert updated.version == 2


def test_update_with_stale_version_changes_nothing():
    claim = ClaimFactory()
    claim_update(claim=claim, text="First edit", expected_version=1)
    with pytest.raises(StaleVersion):
        claim_update(claim=claim, text="Lost update", expected_version=1)
    claim.refresh_from_db()
    assert claim.text == "First edit" and claim.version == 2


def test_delete_returns_proposal_to_pending(analyst):
    proposal = ProposalFactory()
    claim = proposal_accept(proposal=proposal, user=analyst)
    claim_delete(claim=claim)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not Claim.objects.exists()


def test_decisions_are_in_the_history(analyst):
    proposal = ProposalFactory()
    proposal_reject(proposal=proposal, user=analyst)
    latest = proposal.history.latest()
    assert latest.status == ProposalStatus.REJECTED
    assert latest.prev_record is not None and latest.prev_record.status == ProposalStatus.PENDING
