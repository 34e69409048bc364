import logging
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connections, transaction
from django.db.models.functions import Length
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.models import Claim, ClaimKind, ClaimProposal, ProposalStatus
from claims.nlp.pipeline import UnprocessableText, active_proposer, check_parseable, propose_spans_each
from claims.nlp.spans import trim
from config.bulk_insert import bulk_insert
from config.celery_app import spare_cores
from sources.models import Source, SourceStatus
from sources.selectors import sources_pending

logger = logging.getLogger(__name__)


# A lost database connection: worth retrying the whole task, unlike anything else that goes wrong.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class StaleVersion(Exception):
    """The caller edited a version of the row that is no longer current (the API answers 412)."""


# --- Proposals: the pipeline's writes -------------------------------------------------------


def _claim_processing(source_ids: list[int], pipeline: str, version: str) -> list[Source]:
    """Mark the sources processing, in one transaction, and return them in the order given; leave out
    those that are gone and those this pipeline version has already run on."""
    with transaction.atomic():
        sources = {source.pk: source for source in Source.objects.select_for_update().filter(pk__in=source_ids)}
        done = set(
            ClaimProposal.objects.filter(source_id__in=sources, pipeline=pipeline, pipeline_version=version)
            .values_list("source_id", flat=True)
            .distinct()
        )
        claimed = []
        for source_id in dict.fromkeys(source_ids):
            source = sources.get(source_id)
            if source is None:
                continue
            if source_id in done:
                # This version's proposals were written (with the status, in one transaction) already.
                if source.status != SourceStatus.PROPOSED:
                    source.status = SourceStatus.PROPOSED
                    source.save(update_fields=["status", "updated_at"])
                continue
            claimed.append(source)
        # Those sources_take_waiting marked already are not marked again.
        _mark_processing([s for s in claimed if s.status != SourceStatus.PROCESSING or s.error])
        return claimed


def _mark_processing(sources: Sequence[Source]) -> None:
    """Mark sources processing, with their history, in two queries whatever their number."""
    now = timezone.now()
    for source in sources:
        source.status = SourceStatus.PROCESSING
        source.error = ""
        source.updated_at = now
    if sources:
        bulk_update_with_history(sources, Source, ["status", "error", "updated_at"], default_date=now)


def sources_take_waiting(*, besides: int) -> list[int]:
    """Take other sources waiting for claim proposals along with source `besides`: mark processing, and
    return, the oldest of sources_pending (stale ones whose worker died included), up to
    PROPOSAL_BATCH_SOURCES in all with it and PROPOSAL_BATCH_CHARS characters. A task queued for one
    source (the browser and the API queue them one at a time) then parses a backlog in batches, as an
    import does, which is faster than one source per task.

    Rows another worker is taking at the same moment are skipped (SKIP LOCKED), so two workers take
    different sources. The task queued for a source taken this way still runs: it finds the proposals
    stored and adds nothing, or, when the worker that took the source died before storing them, finds it
    still processing and proposes its claims itself."""
    limit = settings.PROPOSAL_BATCH_SOURCES - 1
    if limit < 1:
        return []
    with transaction.atomic():
        chars = Source.objects.filter(pk=besides).annotate(chars=Length("text")).values_list("chars", flat=True).first()
        if chars is None:
            return []
        waiting = (
            sources_pending()
            .select_for_update(skip_locked=True)
            .exclude(pk=besides)
            .annotate(chars=Length("text"))
            .defer("text", "original")[:limit]
        )
        taken = []
        for source in waiting:
            chars += source.chars
            if chars > settings.PROPOSAL_BATCH_CHARS:
                break
            taken.append(source)
        _mark_processing(taken)
        return [source.pk for source in taken]


def source_mark_failed(*, source_id: int, reason: str) -> None:
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return
        source.status = SourceStatus.FAILED
        source.error = reason
        source.save(update_fields=["status", "error", "updated_at"])


def proposals_generate_for_source(*, source_id: int, on_doc=None, on_stored=None) -> int:
    """Run the active proposer over one source and store its proposals; see proposals_generate_for_sources.
    Returns how many were added."""
    added = proposals_generate_for_sources(
        source_ids=[source_id],
        on_doc=(lambda _, *parsed: on_doc(0, *parsed)) if on_doc else None,
        on_stored=(lambda _, stored: on_stored(stored)) if on_stored else None,
    )
    return added.get(source_id, 0)


def proposals_generate_for_sources(*, source_ids: list[int], on_doc=None, on_stored=None) -> dict[int, int]:
    """Run the active proposer over several sources, parsed together in one batched `nlp.pipe`, and store
    each source's proposals in a transaction of its own. Returns {source id: proposals added}.

    Idempotent: proposals are unique per (source, pipeline, version, span), so a second run of the
    same version, or a redelivered task after a worker died, adds nothing; a newer version adds its
    own proposals and leaves every decision already made alone. spaCy runs outside any transaction.

    A source that cannot be processed ends `failed` with the reason, and the others go on; a lost
    database connection (TRANSIENT_ERRORS) is raised for the caller to retry, and what was stored stays.
    `on_doc(source_id, doc, offset, spans)` is handed every parsed paragraph (see propose_spans) and
    `on_stored(source_id, {(start, end): proposal id})` runs in each source's transaction (see
    proposals_store); neither is called for a source with nothing to do.
    """
    proposer = active_proposer()
    sources = []
    for source in _claim_processing(source_ids, proposer.NAME, proposer.VERSION):
        try:
            check_parseable(source.text)
        except UnprocessableText as exc:
            source_mark_failed(source_id=source.pk, reason=str(exc))
        else:
            sources.append(source)
    added: dict[int, int] = {}

    def store(source: Source, spans: list) -> None:
        try:
            added[source.pk] = proposals_store(
                source_id=source.pk,
                spans=spans,
                pipeline=proposer.NAME,
                version=proposer.VERSION,
                on_stored=partial(on_stored, source.pk) if on_stored else None,
            )
        except TRANSIENT_ERRORS:
            raise
        except DatabaseError as exc:
            source_mark_failed(source_id=source.pk, reason=f"Database refused the proposals: {exc}")
        except Exception as exc:
            logger.exception("Storing the proposals of source %s failed", source.pk)
            _failed_with(source, exc)

    with _stores_behind_parsing(len(sources)) as submit:
        for source, spans in _parsed(sources, proposer, on_doc):
            submit(partial(store, source, spans))
    return added


@contextmanager
def _stores_behind_parsing(sources: int) -> Iterator[Callable[[Callable[[], None]], None]]:
    """`submit(store)` for each parsed source: the stores run in order on a thread of their own, with its
    own database connection, so that PostgreSQL writes one source while spaCy parses the next (the parser
    and its matrix products release the GIL). All have run when the block ends; the first error a store
    raised (a lost connection: the task retries) is raised then.

    The stores run inline, in the caller's connection: for a single source (nothing is parsed meanwhile,
    so a thread and a connection would cost and save nothing); inside a transaction (another connection
    would not see its rows); on SQLite (one writer at a time, in this process anyway); when the worker's
    processes take every core (the thread would only take time from them: bench/bench_pipeline.py
    measured two workers on two cores 6% slower with it); and when PROPOSALS_STORE_BEHIND_PARSING is off."""
    connection = transaction.get_connection()
    if (
        not settings.PROPOSALS_STORE_BEHIND_PARSING
        or sources < 2
        or connection.in_atomic_block
        or connection.vendor == "sqlite"
        or not spare_cores()
    ):
        yield lambda store: store()
        return
    futures: list[Future] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="proposals-store") as writer:
        try:
            yield lambda store: futures.append(writer.submit(store))
        finally:
            writer.submit(connections.close_all)  # the writer thread's own connection
    for future in futures:
        future.result()


def _parsed(sources: list[Source], proposer, on_doc) -> Iterator[tuple[Source, list]]:
    """(source, proposed spans) for each source that could be parsed, as each is ready. When the batched
    parse fails, each source not handed out yet is parsed on its own, so that the one that breaks the
    parser fails alone, with the error as its reason. `on_doc` may then see a paragraph twice (see
    SourceAnalyser.add_doc)."""
    handed = 0
    try:
        for index, spans in _propose(sources, proposer, on_doc):
            handed = index + 1
            yield sources[index], spans
        return
    except Exception as exc:
        rest = sources[handed:]
        if len(rest) == 1:
            logger.exception("Proposing claims for source %s failed", rest[0].pk)
            _failed_with(rest[0], exc)
            return
        logger.warning("The batched parse of %s sources failed; parsing them one by one", len(rest), exc_info=True)
    for source in rest:
        try:
            [(_, spans)] = _propose([source], proposer, on_doc)
        except Exception as exc:
            logger.exception("Proposing claims for source %s failed", source.pk)
            _failed_with(source, exc)
        else:
            yield source, spans


def _propose(sources: list[Source], proposer, on_doc) -> Iterator[tuple[int, list]]:
    hook = (lambda index, *parsed: on_doc(sources[index].pk, *parsed)) if on_doc else None
    return propose_spans_each([s.text for s in sources], proposer, titles=[s.title for s in sources], on_doc=hook)


def _failed_with(source: Source, exc: Exception) -> None:
    source_mark_failed(source_id=source.pk, reason=f"{type(exc).__name__}: {exc}")


@transaction.atomic
def proposals_store(*, source_id: int, spans, pipeline: str, version: str, on_stored=None) -> int:
    """Write one source's proposals in bulk and mark it proposed, in one transaction. Returns how many
    were added: none when this version's proposals are there already (a second delivery got here first).

    `on_stored({(start, end): proposal id})` runs inside that transaction once the proposals are written,
    so what it writes (the evidence index) commits with them; it must not let a failure of its own
    undo them (see evidence.tasks.source_index_from_parse).
    """
    source = Source.objects.select_for_update().get(pk=source_id)
    stored: dict[tuple[int, int], int] | None = None
    # Every writer of a source's proposals holds its row lock, so this check cannot go stale before the insert.
    if not source.proposals.filter(pipeline=pipeline, pipeline_version=version).exists():
        unique = {(span.start, span.end): span for span in spans}
        ids = bulk_insert(
            ClaimProposal,
            [
                {
                    "source_id": source_id,
                    "start": span.start,
                    "end": span.end,
                    "text": span.text,
                    "score": span.score,
                    "kind": span.kind,
                    "speaker": span.speaker[:200],
                    "cue": span.cue[:100],
                    "entities": span.entities,
                    "pipeline": pipeline,
                    "pipeline_version": version,
                }
                for span in unique.values()
            ],
        )
        stored = dict(zip(unique, ids, strict=True))
    source.status = SourceStatus.PROPOSED
    source.error = ""
    source.processed_at = timezone.now()
    source.save(update_fields=["status", "error", "processed_at", "updated_at"])
    if stored is None:
        return 0
    if on_stored is not None:
        on_stored(stored)
    return len(stored)


# --- Claims --------------------------------------------------------------------------------


def claim_span_validate(*, source: Source, start, end) -> tuple[int, int]:
    """Offsets of a claim in `source`, trimmed of surrounding white space, or a field-level error."""
    errors = {}
    if not isinstance(start, int) or isinstance(start, bool) or start < 0:
        errors["start"] = "Must be a whole number, 0 or more."
    if not isinstance(end, int) or isinstance(end, bool) or end < 0:
        errors["end"] = "Must be a whole number, 0 or more."
    if errors:
        raise ValidationError(errors)
    if end > len(source.text):
        raise ValidationError({"end": f"Must be at most {len(source.text)}, the length of the source's text."})
    if end <= start:
        raise ValidationError({"end": "Must be greater than start."})
    start, end = trim(source.text, start, end)
    if start >= end:
        raise ValidationError({"end": "The span holds only white space."})
    return start, end


def _entities_within(source: Source, start: int, end: int, entities: list[dict] | None = None) -> list[dict]:
    """Entities of a span, taken from the proposals already made for the source (no NLP here)."""
    if entities is None:
        entities = [
            entity
            for proposal_entities in source.proposals.filter(start__lt=end, end__gt=start).values_list(
                "entities", flat=True
            )
            for entity in proposal_entities
        ]
    seen = set()
    kept = []
    for entity in entities:
        key = (entity["start"], entity["end"], entity["label"])
        if entity["start"] >= start and entity["end"] <= end and key not in seen:
            seen.add(key)
            kept.append(entity)
    return sorted(kept, key=lambda e: (e["start"], e["end"]))


def _refuse_taken_span(source: Source, start: int, end: int, exclude_id: int | None = None) -> None:
    taken = Claim.objects.filter(source=source, start=start, end=end)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise ValidationError({"start": "This span of the source is already a claim."})


@transaction.atomic
def claim_create(
    *,
    source: Source,
    start: int,
    end: int,
    text: str | None = None,
    speaker: str = "",
    kind: str = ClaimKind.FACT,
    entities: list[dict] | None = None,
    proposal: ClaimProposal | None = None,
    created_by=None,
) -> Claim:
    """Make a claim of `source.text[start:end]`. Its quote is always exactly that slice."""
    start, end = claim_span_validate(source=source, start=start, end=end)
    _refuse_taken_span(source, start, end)
    quote = source.text[start:end]
    wording = (text or "").strip() or quote
    if kind not in ClaimKind.values:
        raise ValidationError({"kind": f"Must be one of {', '.join(ClaimKind.values)}."})
    claim = Claim.objects.create(
        source=source,
        start=start,
        end=end,
        quote=quote,
        text=wording,
        speaker=(speaker or "").strip(),
        kind=kind,
        entities=_entities_within(source, start, end, entities),
        proposal=proposal,
        created_by=created_by,
    )
    # Imported here: evidence builds on claims, so claims may only reach it at call time.
    from evidence.tasks import claim_suggestions_queue

    transaction.on_commit(partial(claim_suggestions_queue, claim.pk))
    return claim


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise StaleVersion()


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    speaker: str | None = None,
    kind: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Change a claim's boundaries or wording. With `expected_version`, refuse if someone else changed
    it first (raises StaleVersion): the row is locked, so two concurrent edits cannot both win."""
    claim = Claim.objects.select_for_update().select_related("source").get(pk=claim.pk)
    _check_version(claim.version, expected_version)
    if start is not None or end is not None:
        new_start, new_end = claim_span_validate(
            source=claim.source,
            start=claim.start if start is None else start,
            end=claim.end if end is None else end,
        )
        if (new_start, new_end) != (claim.start, claim.end):
            _refuse_taken_span(claim.source, new_start, new_end, exclude_id=claim.pk)
            wording_followed_quote = claim.text == claim.quote
            claim.start, claim.end = new_start, new_end
            claim.quote = claim.source.text[new_start:new_end]
            claim.entities = _entities_within(claim.source, new_start, new_end)
            if wording_followed_quote and text is None:
                claim.text = claim.quote
    if text is not None:
        claim.text = text.strip() or claim.quote
    if speaker is not None:
        claim.speaker = speaker.strip()
    if kind is not None:
        if kind not in ClaimKind.values:
            raise ValidationError({"kind": f"Must be one of {', '.join(ClaimKind.values)}."})
        claim.kind = kind
    claim.version += 1
    claim.save()
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, expected_version: int | None = None) -> None:
    """Delete a claim and its evidence links. A proposal it came from goes back to pending."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _check_version(claim.version, expected_version)
    proposal_id = claim.proposal_id
    claim.delete()
    if proposal_id is not None and not Claim.objects.filter(proposal_id=proposal_id).exists():
        proposal = ClaimProposal.objects.select_for_update().get(pk=proposal_id)
        proposal.status = ProposalStatus.PENDING
        proposal.decided_by = None
        proposal.decided_at = None
        proposal.save(update_fields=["status", "decided_by", "decided_at"])


# --- Review decisions ------------------------------------------------------------------------


def _decide(proposal: ClaimProposal, status: str, user) -> None:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


def _locked_proposal(proposal: ClaimProposal) -> ClaimProposal:
    return ClaimProposal.objects.select_for_update().select_related("source").get(pk=proposal.pk)


@transaction.atomic
def proposal_accept(
    *,
    proposal: ClaimProposal,
    user,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
) -> Claim:
    """Accept a proposal as a claim, as it stands or with new boundaries or wording (then `edited`).

    Accepting a proposal whose span is already a claim links the proposal to that claim.
    """
    proposal = _locked_proposal(proposal)
    if proposal.status in (ProposalStatus.ACCEPTED, ProposalStatus.EDITED):
        existing = proposal.claims.order_by("id").first()
        if existing is not None:
            return existing
    source = proposal.source
    new_start = proposal.start if start is None else start
    new_end = proposal.end if end is None else end
    new_start, new_end = claim_span_validate(source=source, start=new_start, end=new_end)
    wording = (text or "").strip()
    edited = (new_start, new_end) != (proposal.start, proposal.end) or (wording and wording != proposal.text)
    claim = Claim.objects.filter(source=source, start=new_start, end=new_end).first()
    if claim is None:
        claim = claim_create(
            source=source,
            start=new_start,
            end=new_end,
            text=wording or None,
            speaker=proposal.speaker,
            kind=proposal.kind,
            entities=proposal.entities if (new_start, new_end) == (proposal.start, proposal.end) else None,
            proposal=proposal,
            created_by=user,
        )
    _decide(proposal, ProposalStatus.EDITED if edited else ProposalStatus.ACCEPTED, user)
    return claim


@transaction.atomic
def proposal_reject(*, proposal: ClaimProposal, user) -> ClaimProposal:
    """Reject a proposal. A claim already made from it is left alone: deleting claims is explicit."""
    proposal = _locked_proposal(proposal)
    _decide(proposal, ProposalStatus.REJECTED, user)
    return proposal


@transaction.atomic
def proposal_reopen(*, proposal: ClaimProposal, user) -> ClaimProposal:
    """Undo a decision: the proposal is pending again and a claim made from it, with no evidence yet,
    is removed. A claim that evidence already cites stays, and the decision stays with it."""
    proposal = _locked_proposal(proposal)
    for claim in proposal.claims.select_for_update():
        if claim.evidence_links.exists() or claim.cited_by_links.exists():
            raise ValidationError({"proposal": "Its claim is already linked to evidence; remove the links first."})
        claim.delete()
    proposal.status = ProposalStatus.PENDING
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal


# --- Review by hand: split, merge, accept in bulk ---------------------------------------------

REVIEW_PIPELINE = "review"
REVIEW_PIPELINE_VERSION = "1"


def _proposal_for_span(source: Source, start: int, end: int, like: ClaimProposal, user) -> ClaimProposal:
    """The pending proposal of `source` for [start, end): one that already has this span is reopened
    (so a split undoes a merge and the other way round), otherwise a reviewer's proposal is made."""
    existing = (
        ClaimProposal.objects.select_for_update()
        .filter(source=source, start=start, end=end)
        .order_by("pipeline", "-pipeline_version", "id")
        .first()
    )
    if existing is not None:
        if existing.status == ProposalStatus.REJECTED:
            _decide(existing, ProposalStatus.PENDING, user)
        return existing
    return ClaimProposal.objects.create(
        source=source,
        start=start,
        end=end,
        text=source.text[start:end],
        score=like.score,
        kind=like.kind,
        speaker=like.speaker,
        cue=like.cue if like.cue and like.cue in source.text[start:end] else "",
        entities=_entities_within(source, start, end, like.entities),
        pipeline=REVIEW_PIPELINE,
        pipeline_version=REVIEW_PIPELINE_VERSION,
    )


def _retire(proposal: ClaimProposal, user) -> None:
    """Take a proposal that was split or merged out of the queue. A reviewer's own proposal has no
    record worth keeping and is deleted (history keeps it); the pipeline's is marked rejected."""
    if proposal.pipeline == REVIEW_PIPELINE:
        proposal.delete()
    else:
        _decide(proposal, ProposalStatus.REJECTED, user)


def _require_pending(proposal: ClaimProposal, field: str) -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({field: "Only a pending proposal can be split or merged; undo its decision first."})


@transaction.atomic
def proposal_split(*, proposal: ClaimProposal, at: int, user) -> tuple[ClaimProposal, ClaimProposal]:
    """Split a pending proposal at offset `at` into two pending proposals, which replace it in the
    review queue. Splitting a merged proposal at the seam brings back the two it was made from."""
    proposal = _locked_proposal(proposal)
    _require_pending(proposal, "proposal")
    source = proposal.source
    if not isinstance(at, int) or isinstance(at, bool) or not proposal.start < at < proposal.end:
        raise ValidationError({"at": "Must be an offset inside the proposal."})
    first = trim(source.text, proposal.start, at)
    second = trim(source.text, at, proposal.end)
    if first[0] >= first[1] or second[0] >= second[1]:
        raise ValidationError({"at": "Both parts must hold some text."})
    _retire(proposal, user)
    return (
        _proposal_for_span(source, *first, like=proposal, user=user),
        _proposal_for_span(source, *second, like=proposal, user=user),
    )


@transaction.atomic
def proposal_merge(*, proposal: ClaimProposal, other: ClaimProposal, user) -> ClaimProposal:
    """Merge two pending proposals of one source into one pending proposal spanning both.
    Merging the two halves of a split brings back the proposal they were split from."""
    first, second = sorted([_locked_proposal(proposal), _locked_proposal(other)], key=lambda p: (p.start, p.end))
    if first.pk == second.pk:
        raise ValidationError({"other": "A proposal cannot be merged with itself."})
    if first.source_id != second.source_id:
        raise ValidationError({"other": "Only proposals of the same source can be merged."})
    _require_pending(first, "proposal")
    _require_pending(second, "other")
    source = first.source
    start, end = first.start, max(first.end, second.end)
    merged_entities = [*first.entities, *second.entities]
    like = ClaimProposal(
        score=round((first.score + second.score) / 2, 3),
        kind=first.kind,
        speaker=first.speaker or second.speaker,
        cue=first.cue or second.cue,
        entities=merged_entities,
    )
    _retire(first, user)
    _retire(second, user)
    return _proposal_for_span(source, start, end, like=like, user=user)


@transaction.atomic
def proposals_accept_above(*, source: Source, score: float, user) -> list[Claim]:
    """Accept every pending proposal of `source` scoring at least `score`, in reading order."""
    if not 0 <= score <= 1:
        raise ValidationError({"score": "Must be between 0 and 1."})
    pending = ClaimProposal.objects.filter(source=source, status=ProposalStatus.PENDING, score__gte=score)
    return [proposal_accept(proposal=proposal, user=user) for proposal in pending.order_by("start", "end", "id")]
