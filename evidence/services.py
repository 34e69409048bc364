from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim
from claims.services import StaleVersion, claim_create
from evidence.models import EvidenceLink, Stance
from sources.models import Source


def _validate_pair(claim: Claim, evidence_claim: Claim) -> None:
    if claim.pk == evidence_claim.pk:
        raise ValidationError({"evidence_claim": "A claim cannot be evidence for itself."})
    if claim.source_id == evidence_claim.source_id:
        raise ValidationError({"evidence_claim": "Evidence must come from a different source than the claim."})
    if EvidenceLink.objects.filter(
        Q(claim=claim, evidence_claim=evidence_claim) | Q(claim=evidence_claim, evidence_claim=claim)
    ).exists():
        raise ValidationError({"evidence_claim": "These two claims are already linked."})


def _validate_stance(stance: str) -> None:
    if stance not in Stance.values:
        raise ValidationError({"stance": f"Must be one of {', '.join(Stance.values)}."})


@transaction.atomic
def evidence_link_create(
    *,
    claim: Claim,
    evidence_claim: Claim,
    stance: str,
    note: str = "",
    from_suggestion: bool = False,
    created_by=None,
) -> EvidenceLink:
    """Record that `evidence_claim` (another source's claim) corroborates, denies or qualifies `claim`."""
    _validate_stance(stance)
    _validate_pair(claim, evidence_claim)
    try:
        with transaction.atomic():
            return EvidenceLink.objects.create(
                claim=claim,
                evidence_claim=evidence_claim,
                claim_source_id=claim.source_id,
                evidence_source_id=evidence_claim.source_id,
                stance=stance,
                note=(note or "").strip(),
                from_suggestion=from_suggestion,
                created_by=created_by,
            )
    except IntegrityError as exc:
        # A concurrent request linked the same pair first.
        raise ValidationError({"evidence_claim": "These two claims are already linked."}) from exc


@transaction.atomic
def evidence_link_create_for_span(
    *,
    claim: Claim,
    source: Source,
    start: int,
    end: int,
    stance: str,
    note: str = "",
    from_suggestion: bool = False,
    created_by=None,
) -> EvidenceLink:
    """Link a statement of another source to `claim`; the statement becomes a claim if it is not one."""
    _validate_stance(stance)
    if source.pk == claim.source_id:
        raise ValidationError({"source": "Evidence must come from a different source than the claim."})
    evidence_claim = Claim.objects.filter(source=source, start=start, end=end).first()
    if evidence_claim is None:
        evidence_claim = claim_create(source=source, start=start, end=end, created_by=created_by)
    return evidence_link_create(
        claim=claim,
        evidence_claim=evidence_claim,
        stance=stance,
        note=note,
        from_suggestion=from_suggestion,
        created_by=created_by,
    )


@transaction.atomic
def evidence_link_update(
    *, link: EvidenceLink, stance: str | None = None, note: str | None = None, expected_version: int | None = None
) -> EvidenceLink:
    link = EvidenceLink.objects.select_for_update().get(pk=link.pk)
    if expected_version is not None and expected_version != link.version:
        raise StaleVersion()
    if stance is not None:
        _validate_stance(stance)
        link.stance = stance
    if note is not None:
        link.note = note.strip()
    link.version += 1
    link.save()
    return link


@transaction.atomic
def evidence_link_delete(*, link: EvidenceLink, expected_version: int | None = None) -> None:
    link = EvidenceLink.objects.select_for_update().get(pk=link.pk)
    if expected_version is not None and expected_version != link.version:
        raise StaleVersion()
    link.delete()


# --- Suggestions --------------------------------------------------------------------------------


def _spans_overlapping(queryset, *, source_id: int, start: int, end: int):
    return queryset.filter(source_id=source_id, start__lt=end, end__gt=start)


@transaction.atomic
def suggestions_store(*, claim_id: int, suggested) -> int:
    """Replace a claim's stored suggestions with `suggested` (SuggestedStatement items).

    A conflict (the two state one fact with a different date or number) is flagged on both sides: a
    suggested statement that is a claim gets this claim as a conflicting suggestion too, unless it is
    already linked with it or a reviewer decided on that pair.
    """
    from evidence.models import Suggestion, SuggestionReview

    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        return 0
    Suggestion.objects.filter(claim=claim).delete()
    Claim.objects.filter(pk=claim_id).update(suggestions_computed_at=timezone.now())
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                claim=claim,
                source_id=item.source_id,
                start=item.start,
                end=item.end,
                text=item.text,
                stance=item.stance,
                score=item.score,
                conflict=item.conflict,
                conflict_note=item.conflict_note[:200],
            )
            for item in suggested
        ]
    )
    for item in suggested:
        if not (item.conflict and item.claim_id):
            continue
        other = Claim.objects.filter(pk=item.claim_id).first()
        if (
            other is None
            or EvidenceLink.objects.filter(
                Q(claim=claim, evidence_claim=other) | Q(claim=other, evidence_claim=claim)
            ).exists()
        ):
            continue
        if _spans_overlapping(
            SuggestionReview.objects.filter(claim=other), source_id=claim.source_id, start=claim.start, end=claim.end
        ).exists():
            continue
        Suggestion.objects.update_or_create(
            claim=other,
            source_id=claim.source_id,
            start=claim.start,
            end=claim.end,
            defaults={
                "text": claim.quote,
                "stance": item.stance,
                "score": item.score,
                "conflict": True,
                "conflict_note": " vs ".join(reversed(item.conflict_note.split(" vs ", 1)))[:200],
            },
        )
    return len(suggested)


def _suggestion_span_validate(claim: Claim, source: Source, start, end) -> None:
    if source.pk == claim.source_id:
        raise ValidationError({"source": "Evidence must come from a different source than the claim."})
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError({name: "Must be a whole number, 0 or more."})
    if not start < end <= len(source.text):
        raise ValidationError({"end": "The span must lie inside the source's text and end after it starts."})


def _suggestion_review_record(*, claim: Claim, source: Source, start: int, end: int, decision: str, stance: str, user):
    from evidence.models import Suggestion, SuggestionReview

    SuggestionReview.objects.update_or_create(
        claim=claim,
        source=source,
        start=start,
        end=end,
        defaults={"decision": decision, "stance": stance, "decided_by": user},
    )
    _spans_overlapping(Suggestion.objects.filter(claim=claim), source_id=source.pk, start=start, end=end).delete()


@transaction.atomic
def suggestion_accept(
    *, claim: Claim, source: Source, start: int, end: int, user, stance: str | None = None
) -> EvidenceLink:
    """Link a suggested statement to `claim` with `stance`, or with the suggested stance when none is
    given. A span that is not a claim yet becomes one; the suggestion leaves the claim's list."""
    from evidence.models import Suggestion, SuggestionDecision

    _suggestion_span_validate(claim, source, start, end)
    if not stance:
        stance = (
            Suggestion.objects.filter(claim=claim, source=source, start=start, end=end)
            .values_list("stance", flat=True)
            .first()
        )
        if stance is None:
            raise ValidationError({"stance": "Nothing is suggested at this span: say which stance it takes."})
    link = evidence_link_create_for_span(
        claim=claim,
        source=source,
        start=start,
        end=end,
        stance=stance,
        from_suggestion=True,
        created_by=user,
    )
    _suggestion_review_record(
        claim=claim, source=source, start=start, end=end, decision=SuggestionDecision.ACCEPTED, stance=stance, user=user
    )
    return link


@transaction.atomic
def suggestion_reject(*, claim: Claim, source: Source, start: int, end: int, user) -> None:
    """Reject a suggested statement for `claim`: it, and any span overlapping it, is not suggested again."""
    from evidence.models import SuggestionDecision

    _suggestion_span_validate(claim, source, start, end)
    _suggestion_review_record(
        claim=claim, source=source, start=start, end=end, decision=SuggestionDecision.REJECTED, stance="", user=user
    )
