import json

from django.db import connection
from django.db.models import Q, QuerySet

from claims.models import Claim, ClaimProposal
from evidence.selectors import claims_with_rollup, rollup_condition
from sources.models import Source


def claim_list() -> QuerySet[Claim]:
    return claims_with_rollup(Claim.objects.select_related("source", "created_by")).order_by("-created_at", "-id")


def proposals_for_source(*, source: Source) -> QuerySet[ClaimProposal]:
    return ClaimProposal.objects.filter(source=source).order_by("start", "end", "id")


def proposal_list() -> QuerySet[ClaimProposal]:
    return ClaimProposal.objects.order_by("source_id", "start", "end", "id")


def claim_api_list() -> QuerySet[Claim]:
    """Claims with their roll-up, without loading their sources' texts."""
    return claims_with_rollup(Claim.objects.select_related("created_by")).order_by("-created_at", "-id")


def claim_with_source(*, claim_id: int) -> Claim | None:
    """One claim with its source's text (for anchors), or None."""
    return Claim.objects.select_related("source", "created_by").defer("source__original").filter(pk=claim_id).first()


def claims_matching(queryset: QuerySet[Claim], words: str) -> QuerySet[Claim]:
    """Claims whose wording or quote holds every word of `words`, in any case."""
    for word in words.split():
        queryset = queryset.filter(Q(text__icontains=word) | Q(quote__icontains=word))
    return queryset


def claims_mentioning_entity(queryset: QuerySet[Claim], name: str) -> QuerySet[Claim]:
    """Claims with an entity whose text is `name` (any case).

    Matched on the JSON text of `entities`, which both SQLite and PostgreSQL render as
    `"text": "<name>"`, so one query works on either backend (PostgreSQL's jsonb keeps non-ASCII
    characters as they are, Django's JSON text on SQLite escapes them).
    """
    needle = '"text": ' + json.dumps(name.strip(), ensure_ascii=connection.vendor != "postgresql")
    return queryset.filter(entities__icontains=needle)


CLAIM_EXPORT_COLUMNS = {
    "id": "id",
    "source": "source_id",
    "start": "start",
    "end": "end",
    "quote": "quote",
    "text": "text",
    "speaker": "speaker",
    "kind": "kind",
    "entities": "entities",
    "status": "rollup",
    "created_by": "created_by__username",
    "created_at": "created_at",
}


def claim_export_rows(queryset: QuerySet[Claim]):
    """Rows of `queryset` (from claim_api_list) as dicts keyed like the API, read in one query in
    chunks, so an export of any size holds only a chunk in memory."""
    names = list(CLAIM_EXPORT_COLUMNS)
    rows = queryset.order_by("id").values_list(*CLAIM_EXPORT_COLUMNS.values())
    for row in rows.iterator(chunk_size=2000):
        yield dict(zip(names, row, strict=True))


def claims_for_source(*, source: Source) -> QuerySet[Claim]:
    """A source's claims in reading order, with their roll-up, for the reader."""
    return claims_with_rollup(Claim.objects.filter(source=source)).order_by("start", "end", "id")


def claim_detail(*, claim_id: int) -> Claim | None:
    """One claim with its roll-up, its source (with the text, for the quote's paragraph) and the
    proposal it came from."""
    queryset = Claim.objects.select_related("source", "created_by", "proposal__decided_by").defer("source__original")
    return claims_with_rollup(queryset).filter(pk=claim_id).first()


def claims_contested(*, limit: int = 10) -> QuerySet[Claim]:
    from evidence.models import RollUp

    return (
        claims_with_rollup(Claim.objects.select_related("source").only("id", "text", "speaker", "source__title"))
        .filter(rollup_condition(RollUp.CONTESTED))
        .order_by("-updated_at", "-id")[:limit]
    )


def claim_history(*, claim: Claim) -> QuerySet:
    return claim.history.select_related("history_user").order_by("history_date", "history_id")


def statements_matching(*, words: str, exclude_source_id: int, limit: int = 20) -> tuple[list[Claim], list]:
    """Statements of other sources holding every word of `words`: their claims, and the proposals
    whose span is not a claim yet (linking one makes it a claim). Two queries."""
    from django.db.models import Exists, OuterRef

    if not words.split():
        return [], []
    claims = claims_matching(
        claims_with_rollup(Claim.objects.select_related("source").defer("source__text", "source__original")),
        words,
    ).exclude(source_id=exclude_source_id)
    proposals = ClaimProposal.objects.select_related("source").defer("source__text", "source__original")
    for word in words.split():
        proposals = proposals.filter(text__icontains=word)
    proposals = proposals.exclude(source_id=exclude_source_id).exclude(
        Exists(Claim.objects.filter(source_id=OuterRef("source_id"), start=OuterRef("start"), end=OuterRef("end")))
    )
    return (
        list(claims.order_by("source_id", "start")[:limit]),
        list(proposals.order_by("source_id", "start", "-score").distinct()[:limit]),
    )
