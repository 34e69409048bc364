import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim
from claims.services import StaleVersion
from evidence.models import EvidenceLink, RollUp
from evidence.selectors import claims_with_rollup, evidence_for_claim
from evidence.services import (
    evidence_link_create,
    evidence_link_create_for_span,
    evidence_link_delete,
    evidence_link_update,
)
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_link_between_sources(analyst):
    claim, other = ClaimFactory(), ClaimFactory()
    link = evidence_link_create(claim=claim, evidence_claim=other, stance="denies", note=" why ", created_by=analyst)
    assert (link.claim_source_id, link.evidence_source_id) == (claim.source_id, other.source_id)
    assert link.note == "why"
    assert list(evidence_for_claim(claim=other)) == [link]


def test_link_to_itself_is_refused():
    claim = ClaimFactory()
    with pytest.raises(ValidationError, match="cannot be evidence for itself"):
        evidence_link_create(claim=claim, evidence_claim=claim, stance="corroborates")


def test_link_within_one_source_is_refused_by_service_and_database():
    claim = ClaimFactory()
    sibling = Claim.objects.create(source=claim.source, start=0, end=6, quote=claim.source.text[:6], text="x")
    with pytest.raises(ValidationError, match="different source"):
        evidence_link_create(claim=claim, evidence_claim=sibling, stance="corroborates")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceLink.objects.create(
            claim=claim,
            evidence_claim=sibling,
            claim_source=claim.source,
            evidence_source=claim.source,
            stance="denies",
        )


def test_one_link_per_pair_whichever_way_round():
    a, b = ClaimFactory(), ClaimFactory()
    evidence_link_create(claim=a, evidence_claim=b, stance="corroborates")
    with pytest.raises(ValidationError, match="already linked"):
        evidence_link_create(claim=b, evidence_claim=a, stance="denies")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceLink.objects.create(
            claim=b, evidence_claim=a, claim_source=b.source, evidence_source=a.source, stance="denies"
        )


def test_unknown_stance_is_refused():
    with pytest.raises(ValidationError) as exc:
        evidence_link_create(claim=ClaimFactory(), evidence_claim=ClaimFactory(), stance="maybe")
    assert "stance" in exc.value.message_dict
    assert not EvidenceLink.objects.exists()


def test_span_of_another_source_becomes_a_claim_when_linked():
    claim = ClaimFactory()
    other = SourceFactory()
    start = other.text.index("Moscow")
    link = evidence_link_create_for_span(claim=claim, source=other, start=start, end=len(other.text), stance="denies")
    assert link.evidence_claim.quote == "Moscow denied it on Monday."
    assert link.evidence_claim.source == other


def test_failed_span_link_leaves_no_claim_behind():
    claim = ClaimFactory()
    other = SourceFactory()
    with pytest.raises(ValidationError):
        evidence_link_create_for_span(claim=claim, source=other, start=0, end=5, stance="nonsense")
    assert not Claim.objects.filter(source=other).exists()


def test_rollup_follows_the_links():
    claim, supporter, denier = ClaimFactory(), ClaimFactory(), ClaimFactory()
    rollup = lambda: claims_with_rollup().get(pk=claim.pk).rollup  # noqa: E731
    assert rollup() == RollUp.SINGLE_SOURCE
    evidence_link_create(claim=claim, evidence_claim=supporter, stance="corroborates")
    assert rollup() == RollUp.CORROBORATED
    link = evidence_link_create(claim=denier, evidence_claim=claim, stance="denies")
    assert rollup() == RollUp.CONTESTED
    evidence_link_delete(link=link)
    assert rollup() == RollUp.CORROBORATED


def test_update_with_stale_version_is_refused():
    link = evidence_link_create(claim=ClaimFactory(), evidence_claim=ClaimFactory(), stance="corroborates")
    evidence_link_update(link=link, stance="qualifies", expected_version=1)
    with pytest.raises(StaleVersion):
        evidence_link_update(link=link, stance="denies", expected_version=1)
    with pytest.raises(StaleVersion):
        evidence_link_delete(link=link, expected_version=1)
    link.refresh_from_db()
    assert link.stance == "qualifies"
