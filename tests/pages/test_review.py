"""The reader's review decisions: the endpoints its script calls, and the split/merge services."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimProposal, ProposalStatus
from claims.services import REVIEW_PIPELINE, proposal_merge, proposal_split, proposals_accept_above
from sources.services import source_content_hash
from tests.factories import ProposalFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXT = "Officials said the convoy crossed the border in 2018, and Moscow denied it on Monday. A third sentence here."


@pytest.fixture
def source():
    return SourceFactory(text=TEXT, content_hash=source_content_hash(TEXT), status="proposed")


def proposal_of(source, fragment: str, **kwargs) -> ClaimProposal:
    start = source.text.index(fragment)
    return ProposalFactory(source=source, start=start, end=start + len(fragment), text=fragment, **kwargs)


def post(client, url, data=None):
    return client.post(url, data or {}, HTTP_ACCEPT="application/json")


FIRST = "Officials said the convoy crossed the border in 2018, and Moscow denied it on Monday."
THIRD = "A third sentence here."


# --- Services ----------------------------------------------------------------------------------------


def test_split_makes_two_pending_proposals_and_takes_the_original_out_of_the_queue(source, analyst):
    original = proposal_of(source, FIRST, speaker="Officials", kind="attributed")
    at = source.text.index("and Moscow")
    first, second = proposal_split(proposal=original, at=at, user=analyst)
    assert (first.text, second.text) == (
        "Officials said the convoy crossed the border in 2018,",
        "and Moscow denied it on Monday.",
    )
    assert first.text == source.text[first.start : first.end]
    assert {first.status, second.status} == {ProposalStatus.PENDING}
    assert first.pipeline == second.pipeline == REVIEW_PIPELINE
    assert first.kind == "attributed"
    original.refresh_from_db()
    assert original.status == ProposalStatus.REJECTED
    assert original.decided_by == analyst


def test_merge_undoes_a_split_and_split_undoes_a_merge(source, analyst):
    original = proposal_of(source, FIRST)
    at = source.text.index("and Moscow")
    first, second = proposal_split(proposal=original, at=at, user=analyst)
    merged = proposal_merge(proposal=first, other=second, user=analyst)
    assert merged.pk == original.pk
    assert merged.status == ProposalStatus.PENDING
    assert not ClaimProposal.objects.filter(pipeline=REVIEW_PIPELINE).exists()

    third = proposal_of(source, THIRD)
    joined = proposal_merge(proposal=third, other=original, user=analyst)
    assert joined.text == source.text[original.start : third.end]
    assert joined.pipeline == REVIEW_PIPELINE
    again = proposal_split(proposal=joined, at=third.start, user=analyst)
    assert [p.pk for p in again] == [original.pk, third.pk]
    assert all(p.status == ProposalStatus.PENDING for p in again)
    assert not ClaimProposal.objects.filter(pk=joined.pk).exists()


@pytest.mark.parametrize("at", [0, 5, 200, "5"])
def test_split_refuses_a_point_outside_the_proposal_or_an_empty_part(source, analyst, at):
    original = proposal_of(source, THIRD)
    point = original.start if at == 0 else original.end if at == 200 else at
    with pytest.raises(ValidationError):
        proposal_split(proposal=original, at=point, user=analyst)
    original.refresh_from_db()
    assert original.status == ProposalStatus.PENDING


def test_only_pending_proposals_are_split_or_merged(source, analyst):
    first, third = proposal_of(source, FIRST), proposal_of(source, THIRD, status=ProposalStatus.REJECTED)
    with pytest.raises(ValidationError):
        proposal_merge(proposal=first, other=third, user=analyst)
    with pytest.raises(ValidationError):
        proposal_split(proposal=third, at=third.start + 2, user=analyst)
    with pytest.raises(ValidationError):
        proposal_merge(proposal=first, other=first, user=analyst)


def test_proposals_of_two_sources_are_not_merged(source, analyst):
    other_source = SourceFactory()
    with pytest.raises(ValidationError):
        proposal_merge(proposal=proposal_of(source, FIRST), other=ProposalFactory(source=other_source), user=analyst)


def test_accept_above_accepts_pending_proposals_at_or_over_the_score(source, analyst):
    high, low = proposal_of(source, FIRST, score=0.8), proposal_of(source, THIRD, score=0.3)
    claims = proposals_accept_above(source=source, score=0.8, user=analyst)
    assert [c.proposal_id for c in claims] == [high.pk]
    low.refresh_from_db()
    assert low.status == ProposalStatus.PENDING
    with pytest.raises(ValidationError):
        proposals_accept_above(source=source, score=1.5, user=analyst)


# --- Endpoints ---------------------------------------------------------------------------------------


def url(source, proposal, action):
    return f"/sources/{source.pk}/proposals/{proposal.pk}/{action}/"


def test_accept_answers_with_the_new_reader_state(analyst_client, source):
    proposal = proposal_of(source, FIRST)
    response = post(analyst_client, url(source, proposal, "accept"))
    assert response.status_code == 200
    data = response.json()
    claim = Claim.objects.get()
    assert data["claim"] == claim.pk
    assert data["counts"] == {"pending": 0, "accepted": 1, "rejected": 0, "total": 1, "decided": 1}
    assert data["review"]["proposals"][0]["claim"] == claim.pk
    assert data["article"].startswith('<div id="article"')
    assert 'class="seg c"' in data["article"]
    assert f"/claims/{claim.pk}/" in data["claims"]


def test_accept_with_new_boundaries_and_wording_is_an_edit(analyst_client, source, analyst):
    proposal = proposal_of(source, FIRST)
    start = source.text.index("Moscow")
    response = post(analyst_client, url(source, proposal, "accept"), {"start": start, "end": proposal.end, "text": "X"})
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert (claim.quote, claim.text, claim.created_by) == ("Moscow denied it on Monday.", "X", analyst)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EDITED


def test_reject_then_reopen(analyst_client, source):
    proposal = proposal_of(source, FIRST)
    assert post(analyst_client, url(source, proposal, "reject")).json()["counts"]["rejected"] == 1
    assert post(analyst_client, url(source, proposal, "reopen")).json()["counts"]["pending"] == 1


def test_undoing_an_accept_removes_the_claim(analyst_client, source):
    proposal = proposal_of(source, FIRST)
    post(analyst_client, url(source, proposal, "accept"))
    post(analyst_client, url(source, proposal, "reopen"))
    assert not Claim.objects.exists()


def test_split_and_merge_endpoints(analyst_client, source):
    proposal = proposal_of(source, FIRST)
    data = post(analyst_client, url(source, proposal, "split"), {"at": source.text.index("and Moscow")}).json()
    first, second = data["parts"]
    assert data["focus"] == first
    data = post(analyst_client, f"/sources/{source.pk}/proposals/{first}/merge/", {"other": second}).json()
    assert data["focus"] == proposal.pk
    assert data["seam"] == source.text.index("and Moscow")


def test_a_refused_decision_is_a_400_with_the_reason(analyst_client, source):
    proposal = proposal_of(source, FIRST)
    response = post(analyst_client, url(source, proposal, "split"), {"at": proposal.end + 5})
    assert response.status_code == 400
    assert "inside the proposal" in response.json()["errors"]["at"][0]
    response = post(analyst_client, url(source, proposal, "split"), {"at": "x"})
    assert response.status_code == 400
    response = post(analyst_client, url(source, proposal, "accept"), {"start": 50, "end": 10})
    assert response.status_code == 400


def test_proposals_are_scoped_to_the_source_in_the_url(analyst_client, source):
    elsewhere = ProposalFactory()
    assert post(analyst_client, url(source, elsewhere, "accept")).status_code == 404
    mine = proposal_of(source, FIRST)
    response = post(analyst_client, url(source, mine, "merge"), {"other": elsewhere.pk})
    assert response.status_code == 400


def test_accept_above_endpoint(analyst_client, source):
    proposal_of(source, FIRST, score=0.9)
    proposal_of(source, THIRD, score=0.2)
    data = post(analyst_client, f"/sources/{source.pk}/accept-above/", {"score": "0.5"}).json()
    assert data["accepted"] == 1
    assert data["counts"]["pending"] == 1


def test_a_claim_from_a_selection_and_its_undo(analyst_client, source):
    start = source.text.index("A third")
    data = post(analyst_client, f"/sources/{source.pk}/claims/", {"start": start, "end": len(source.text)}).json()
    claim = Claim.objects.get(pk=data["claim"])
    assert claim.quote == THIRD
    response = post(analyst_client, f"/sources/{source.pk}/claims/{claim.pk}/delete/")
    assert response.status_code == 200
    assert not Claim.objects.exists()


def test_a_form_post_without_the_script_goes_back_to_the_reader(analyst_client, source):
    proposal = proposal_of(source, FIRST, score=0.9)
    response = analyst_client.post(f"/sources/{source.pk}/accept-above/", {"score": "0.5"})
    assert response.status_code == 302
    assert response["Location"] == f"/sources/{source.pk}/"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_a_decision_takes_a_fixed_number_of_queries(analyst_client, source, django_assert_num_queries):
    for index in range(20):
        ProposalFactory(source=source, start=index, end=index + 3, text=source.text[index : index + 3])
    proposal = proposal_of(source, THIRD)
    with django_assert_num_queries(12):
        assert post(analyst_client, url(source, proposal, "reject")).status_code == 200
