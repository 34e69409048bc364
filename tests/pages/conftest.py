import pytest

from claims.services import proposal_accept
from evidence.services import evidence_link_create
from sources.models import Source, SourceStatus
from tests.factories import ClaimFactory, ProposalFactory, SourceFactory


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def corpus(analyst):
    """Sources with proposals and claims; the second source's claim denies the first's, the third's
    corroborates it. Extra sources and claims make an N+1 query show in the pinned counts."""
    first = SourceFactory(title="Ledger report", outlet="Ledger")
    second = SourceFactory(title="Monitor denial", outlet="Monitor")
    third = SourceFactory(title="Courier echo", outlet="Courier")
    proposals = [ProposalFactory(source=first), ProposalFactory(source=second)]
    moscow = first.text.index("Moscow")
    proposals.append(
        ProposalFactory(source=first, start=moscow, end=len(first.text), text=first.text[moscow:], score=0.3)
    )
    claim = proposal_accept(proposal=proposals[0], user=analyst)
    other = ClaimFactory(source=second)
    echo = ClaimFactory(source=third)
    denial = evidence_link_create(claim=claim, evidence_claim=other, stance="denies", created_by=analyst)
    evidence_link_create(claim=claim, evidence_claim=echo, stance="corroborates", created_by=analyst)
    for _ in range(3):
        source = SourceFactory()
        ProposalFactory(source=source)
        ClaimFactory(source=source)
    Source.objects.update(status=SourceStatus.PROPOSED)
    first.refresh_from_db()
    return {
        "first": first,
        "second": second,
        "third": third,
        "proposals": proposals,
        "claim": claim,
        "other": other,
        "echo": echo,
        "link": denial,
    }
