from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from claims.models import Claim
from evidence.models import EvidenceLink, RollUp, Stance


def _linked_with(stance: str) -> Q:
    """The claim has a link of this stance, either way round: two EXISTS, each served by an index."""
    return Q(Exists(EvidenceLink.objects.filter(claim=OuterRef("pk"), stance=stance))) | Q(
        Exists(EvidenceLink.objects.filter(evidence_claim=OuterRef("pk"), stance=stance))
    )


def rollup_expression() -> Case:
    """contested if any link denies (either way round), else corroborated if any corroborates."""
    return Case(
        When(_linked_with(Stance.DENIES), then=Value(RollUp.CONTESTED)),
        When(_linked_with(Stance.CORROBORATES), then=Value(RollUp.CORROBORATED)),
        default=Value(RollUp.SINGLE_SOURCE),
    )


def _ids_linked_with(stance: str) -> Q:
    links = EvidenceLink.objects.filter(stance=stance)
    return Q(pk__in=links.values("claim_id")) | Q(pk__in=links.values("evidence_claim_id"))


def rollup_condition(rollup: str) -> Q:
    """The roll-up as a WHERE condition. Filter with this, not on the annotated CASE: each IN
    (subquery) is computed once and hashed, instead of a CASE evaluated for every claim."""
    denied, corroborated = _ids_linked_with(Stance.DENIES), _ids_linked_with(Stance.CORROBORATES)
    return {
        RollUp.CONTESTED: denied,
        RollUp.CORROBORATED: ~denied & corroborated,
        RollUp.SINGLE_SOURCE: ~denied & ~corroborated,
    }[RollUp(rollup)]


def claims_with_rollup(queryset: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    queryset = Claim.objects.all() if queryset is None else queryset
    return queryset.annotate(rollup=rollup_expression())


def evidence_for_claim(*, claim: Claim) -> QuerySet[EvidenceLink]:
    """Every link that touches the claim, either way round, with both claims and sources loaded."""
    return (
        EvidenceLink.objects.filter(Q(claim=claim) | Q(evidence_claim=claim))
        .select_related("claim__source", "evidence_claim__source", "created_by")
        .order_by("stance", "-created_at")
    )


def evidence_list() -> QuerySet[EvidenceLink]:
    return EvidenceLink.objects.select_related("created_by").order_by("-created_at", "-id")


def evidence_api_list() -> QuerySet[EvidenceLink]:
    return EvidenceLink.objects.select_related("created_by").order_by("-created_at", "-id")


def evidence_touching(queryset: QuerySet[EvidenceLink], claim_id: int) -> QuerySet[EvidenceLink]:
    return queryset.filter(Q(claim_id=claim_id) | Q(evidence_claim_id=claim_id))


def _links_count(stance: str):
    from django.db.models import Count, IntegerField, Subquery
    from django.db.models.functions import Coalesce

    touching = (
        EvidenceLink.objects.filter(Q(claim=OuterRef("pk")) | Q(evidence_claim=OuterRef("pk")), stance=stance)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(touching, output_field=IntegerField()), 0)


def claims_with_stance_counts(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """`queryset` with how many links corroborate, deny and qualify each claim (either way round)."""
    return queryset.annotate(
        corroborating=_links_count(Stance.CORROBORATES),
        denying=_links_count(Stance.DENIES),
        qualifying=_links_count(Stance.QUALIFIES),
    )


def evidence_between(*, claim_ids: list[int]) -> list[tuple[int, int, int, int, str]]:
    """(claim, evidence claim, claim's source, evidence's source, stance) of every link touching a claim."""
    return list(
        EvidenceLink.objects.filter(Q(claim_id__in=claim_ids) | Q(evidence_claim_id__in=claim_ids))
        .order_by("id")
        .values_list("claim_id", "evidence_claim_id", "claim_source_id", "evidence_source_id", "stance")
    )


def evidence_history_for_claim(*, claim_id: int) -> QuerySet:
    """Every recorded change to the links that touch a claim, removed links included."""
    return (
        EvidenceLink.history.filter(Q(claim_id=claim_id) | Q(evidence_claim_id=claim_id))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def suggestions_for_claim(*, claim: Claim, limit: int = 10) -> QuerySet:
    """The claim's stored suggestions, best first, without the spans a reviewer has decided on or that are
    already linked to it. `evidence_claim_id` is the claim the span is now, if any."""
    from django.db.models import Subquery

    from evidence.models import Suggestion, SuggestionReview

    span_claim = Claim.objects.filter(
        source_id=OuterRef("source_id"), start=OuterRef("start"), end=OuterRef("end")
    ).values("pk")[:1]
    reviewed = SuggestionReview.objects.filter(
        claim_id=OuterRef("claim_id"),
        source_id=OuterRef("source_id"),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    linked = EvidenceLink.objects.filter(
        Q(claim_id=OuterRef("claim_id"), evidence_claim_id=OuterRef("evidence_claim_id"))
        | Q(evidence_claim_id=OuterRef("claim_id"), claim_id=OuterRef("evidence_claim_id"))
    )
    return (
        Suggestion.objects.filter(claim=claim)
        .annotate(evidence_claim_id=Subquery(span_claim))
        .exclude(Exists(reviewed))
        .exclude(Exists(linked))
        .select_related("source")
        .order_by("-score", "id")[:limit]
    )
