"""Suggestions for one claim: retrieval, then the reviewer's past decisions, then stance and conflicts.

Reads the index only (no parsing), so it costs a few queries whatever the size of the corpus.
"""

from dataclasses import dataclass

from django.db.models import Q

from claims.models import Claim
from evidence.models import EvidenceLink, Statement, SuggestionReview
from evidence.suggestions.conflicts import conflict_between
from evidence.suggestions.retrieval import Candidate, Query, candidates_for
from evidence.suggestions.stance import rule_stance
from evidence.suggestions.stance_model import stance_model

KEPT = 20
MIN_SCORE = 0.05
POOL = 40
# Denials and doubts refer back to a claim in few words ("denied the allegations"), so they score low on
# shared words, yet they are what makes a claim contested: those that are about the claim move up.
# The boost grows with relevance up to DISSENT_FULL_RELEVANCE, so that a hedge made of common words
# ("it is not clear whether Russian operatives ...") does not climb over what states the claim.
DISSENT_BOOST = 0.12
DISSENT_MIN_RELEVANCE = 0.12
DISSENT_FULL_RELEVANCE = 0.3
SAME_SOURCE_DECAY = 0.9
MODEL_DENIAL = 0.6
# A claim that overlaps the best span of its source stands for it if it scores at least this share of it.
CLAIM_PREFERENCE = 0.8


@dataclass(frozen=True)
class SuggestedStatement:
    source_id: int
    start: int
    end: int
    text: str
    claim_id: int | None
    stance: str
    score: float
    conflict: bool
    conflict_note: str


def statement_stance(claim_text: str, text: str, *, relevance: float, use_model: bool = True) -> tuple[str, float]:
    """The stance a statement takes on a claim, for review: corroborates, denies or qualifies.

    The rules decide first; the trained model only turns an undecided statement into a denial when it
    is sure (`use_model=False` leaves that for later: the model costs more than the rules).
    """
    ruled = rule_stance(claim_text, text, relevance=relevance)
    if ruled is not None:
        return ruled
    model = stance_model() if use_model else None
    if model is not None:
        probabilities = model.predict(claim_text, text)
        if probabilities["denies"] > MODEL_DENIAL:
            return "denies", probabilities["denies"]
    return "corroborates", 0.5 + 0.4 * relevance


def _overlaps(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _collapse(candidates: list[Candidate]) -> list[Candidate]:
    """One suggestion per passage: of the overlapping spans of a source (a sentence and the clauses
    proposed inside it), the best, or a claim among them that scores nearly as well; and one of the
    statements a source words alike (a timeline or a headline printed twice)."""
    kept: list[Candidate] = []
    by_source: dict[int, list[int]] = {}
    texts: set[tuple[int, str]] = set()
    for candidate in candidates:
        wording = (candidate.source_id, " ".join(candidate.text.lower().split()))
        if wording in texts:
            continue
        texts.add(wording)
        indices = by_source.setdefault(candidate.source_id, [])
        clash = next((i for i in indices if kept[i].start < candidate.end and candidate.start < kept[i].end), None)
        if clash is None:
            indices.append(len(kept))
            kept.append(candidate)
        elif (
            candidate.claim_id and not kept[clash].claim_id and candidate.score >= CLAIM_PREFERENCE * kept[clash].score
        ):
            candidate.score = kept[clash].score
            kept[clash] = candidate
    return kept


def _settled_spans(claim: Claim) -> list[tuple[int, int, int]]:
    """Spans already decided for the claim: reviewed suggestions and the claims it is linked with."""
    reviewed = SuggestionReview.objects.filter(claim=claim).values_list("source_id", "start", "end")
    linked = EvidenceLink.objects.filter(Q(claim=claim) | Q(evidence_claim=claim)).values_list(
        "claim__source_id",
        "claim__start",
        "claim__end",
        "evidence_claim__source_id",
        "evidence_claim__start",
        "evidence_claim__end",
    )
    spans = list(reviewed)
    for row in linked:
        spans += [row[:3], row[3:]]
    return spans


def suggestions_compute(*, claim: Claim, statement: Statement, limit: int = KEPT) -> list[SuggestedStatement]:
    """The best statements of other sources for `claim` (whose own indexed statement is `statement`)."""
    query = Query.of(statement)
    settled = _settled_spans(claim)
    candidates = [
        c
        for c in candidates_for(query, exclude_source_id=claim.source_id)
        if c.score >= MIN_SCORE and not any(_overlaps((c.source_id, c.start, c.end), s) for s in settled)
    ]
    scored = []
    for candidate in _collapse(candidates)[:POOL]:
        relevance = candidate.features["relevance"]
        candidate.stance, _ = statement_stance(claim.quote, candidate.text, relevance=relevance, use_model=False)
        candidate.conflict_note = conflict_between(
            statement.numbers, statement.context_years, candidate.numbers, candidate.context_years, relevance=relevance
        )
        if candidate.stance != "corroborates" and relevance >= DISSENT_MIN_RELEVANCE:
            boost = DISSENT_BOOST * min(1.0, relevance / DISSENT_FULL_RELEVANCE)
            candidate.score = min(1.0, candidate.score + boost)
        scored.append(candidate)
    chosen = _spread_over_sources(scored)[:limit]
    for candidate in chosen:
        if candidate.stance == "corroborates":
            candidate.stance, _ = statement_stance(
                claim.quote, candidate.text, relevance=candidate.features["relevance"]
            )
    return [
        SuggestedStatement(
            source_id=c.source_id,
            start=c.start,
            end=c.end,
            text=c.text,
            claim_id=c.claim_id,
            stance=c.stance,
            score=round(c.score, 4),
            conflict=bool(c.conflict_note),
            conflict_note=c.conflict_note,
        )
        for c in chosen
    ]


def _spread_over_sources(candidates: list[Candidate]) -> list[Candidate]:
    """Best first, each further statement of a source already listed counting a little less, so that the
    first screen shows what each source says rather than five sentences of one article.

    Each statement's score becomes the one it was placed by, so the scores fall along the list and the
    stored suggestions, read back best first, keep this order."""
    remaining = sorted(candidates, key=lambda c: -c.score)
    seen: dict[int, int] = {}
    ordered = []
    while remaining:
        best = max(remaining, key=lambda c: c.score * SAME_SOURCE_DECAY ** seen.get(c.source_id, 0))
        remaining.remove(best)
        best.score *= SAME_SOURCE_DECAY ** seen.get(best.source_id, 0)
        seen[best.source_id] = seen.get(best.source_id, 0) + 1
        ordered.append(best)
    return ordered
