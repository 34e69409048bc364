"""The claim/evidence graph: claims and sources as nodes, evidence links and claim→source as edges.

Every graph is built from three queries (sources, claims, links), however many rows they return.
The rows are read as plain tuples: the whole-corpus graph is tens of thousands of rows, and model
instances would cost several times the query itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from claims.models import Claim
from evidence.models import EvidenceLink, RollUp, Stance
from evidence.selectors import claims_with_rollup
from sources.models import Source

MAX_DEPTH = 3
MAX_NEIGHBOURHOOD = 5000


def _rows(queryset: QuerySet) -> list[tuple]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class ClaimGraph:
    """Rows of a graph: sources (id, title, outlet, reliability), claims (id, text, source_id,
    speaker), links (id, claim_id, evidence_claim_id, stance), and each claim's roll-up status.

    Kept as rows rather than node objects: the API writes the whole corpus straight from them.
    """

    sources: list[tuple]
    claims: list[tuple]
    links: list[tuple]
    status: Callable[[int], str]


def _status_from_links(link_rows) -> Callable[[int], str]:
    """A claim's roll-up, when `link_rows` holds every link of every claim."""
    denies, corroborates = Stance.DENIES.value, Stance.CORROBORATES.value
    contested = {pk for _id, claim, evidence, stance in link_rows if stance == denies for pk in (claim, evidence)}
    corroborated = {
        pk for _id, claim, evidence, stance in link_rows if stance == corroborates for pk in (claim, evidence)
    }
    single, corroborated_label, contested_label = (
        RollUp.SINGLE_SOURCE.value,
        RollUp.CORROBORATED.value,
        RollUp.CONTESTED.value,
    )

    def status(pk: int) -> str:
        if pk in contested:
            return contested_label
        return corroborated_label if pk in corroborated else single

    return status


SOURCE_COLUMNS = ("id", "title", "outlet", "reliability")
CLAIM_COLUMNS = ("id", "text", "source_id", "speaker")
LINK_COLUMNS = ("id", "claim_id", "evidence_claim_id", "stance")


def graph_corpus() -> ClaimGraph:
    """Every source, claim and link."""
    source_rows = _rows(Source.objects.order_by("id").values_list(*SOURCE_COLUMNS))
    claim_rows = _rows(Claim.objects.order_by("id").values_list(*CLAIM_COLUMNS))
    link_rows = _rows(EvidenceLink.objects.order_by("id").values_list(*LINK_COLUMNS))
    return ClaimGraph(source_rows, claim_rows, link_rows, _status_from_links(link_rows))


def graph_for_claims(claims: QuerySet[Claim]) -> ClaimGraph:
    """The claims of `claims`, their sources, and the links between two of them. A claim's status
    still counts every link it has, including those to claims outside the graph."""
    claim_ids = claims.values("pk")
    source_rows = _rows(
        Source.objects.filter(pk__in=claims.values("source_id")).order_by("id").values_list(*SOURCE_COLUMNS)
    )
    claim_rows = _rows(
        claims_with_rollup(Claim.objects.filter(pk__in=claim_ids)).order_by("id").values_list(*CLAIM_COLUMNS, "rollup")
    )
    link_rows = _rows(
        EvidenceLink.objects.filter(claim__in=claim_ids, evidence_claim__in=claim_ids)
        .order_by("id")
        .values_list(*LINK_COLUMNS)
    )
    statuses = {row[0]: row[-1] for row in claim_rows}
    return ClaimGraph(source_rows, [row[:-1] for row in claim_rows], link_rows, statuses.__getitem__)


def claims_with_neighbours(seed: QuerySet[Claim]) -> QuerySet[Claim]:
    """`seed` and every claim one link away from it, as one query."""
    seed_ids = seed.values("pk")
    return Claim.objects.filter(
        Q(pk__in=seed_ids)
        | Q(pk__in=EvidenceLink.objects.filter(claim__in=seed_ids).values("evidence_claim"))
        | Q(pk__in=EvidenceLink.objects.filter(evidence_claim__in=seed_ids).values("claim"))
    )


def claim_neighbourhood(*, claim_id: int, depth: int) -> QuerySet[Claim]:
    """Claims within `depth` links of a claim: one query per step, at most MAX_NEIGHBOURHOOD claims."""
    reached = {claim_id}
    frontier = {claim_id}
    for _step in range(min(depth, MAX_DEPTH)):
        if not frontier or len(reached) >= MAX_NEIGHBOURHOOD:
            break
        pairs = EvidenceLink.objects.filter(Q(claim_id__in=frontier) | Q(evidence_claim_id__in=frontier))
        found = {pk for pair in pairs.values_list("claim_id", "evidence_claim_id") for pk in pair}
        frontier = set(sorted(found - reached)[: MAX_NEIGHBOURHOOD - len(reached)])
        reached |= frontier
    return Claim.objects.filter(pk__in=sorted(reached))
