"""The statement index: one row per sentence, proposal and claim of a source, with its postings.

Why an inverted-index table rather than PostgreSQL full-text search: the same tables and the same
ranking run on SQLite (the embedded mode) and on PostgreSQL, the terms are spaCy lemmas (computed
once, in a task), and the ranking query can bound its cost by reading the postings of the rarest query
terms only (see retrieval.py), which `ts_rank` cannot: it reads every matching row. The postings are
covered by one composite index, so ranking reads the index alone.

Parsing happens here, in a worker, outside any transaction; the writes are one short transaction that
adds only the spans not indexed yet, so running it twice on a source adds nothing.
"""

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from claims.models import Claim, ClaimProposal, ProposalStatus
from claims.nlp.model import get_nlp
from claims.nlp.spans import paragraphs, trim
from evidence.models import IndexTerm, Statement, StatementKind, StatementTerm
from evidence.suggestions.analysis import Analysed, analyse_tokens
from evidence.suggestions.conflicts import years_in
from evidence.suggestions.stance import cues_of
from sources.models import Source

# BM25 parameters. The average statement length is a constant rather than the corpus's running
# average so that a posting's weight never has to be rewritten when other sources arrive.
K1 = 1.2
B = 0.75
AVERAGE_TERMS = 14.0
TOTAL_TERM = ""  # the IndexTerm row whose df counts every statement
CONTEXT_WEIGHT = 0.4


@dataclass(frozen=True)
class SpanToIndex:
    start: int
    end: int
    kind: str
    claim_id: int | None = None
    proposal_id: int | None = None


_KIND_RANK = {StatementKind.SENTENCE: 0, StatementKind.PROPOSAL: 1, StatementKind.CLAIM: 2}


def posting_weight(tf: int, length: int) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVERAGE_TERMS))


def source_spans(source: Source) -> list[SpanToIndex]:
    """The claims and live proposals of a source (sentences are added by the parse)."""
    spans = [
        SpanToIndex(start, end, StatementKind.CLAIM, claim_id=pk)
        for pk, start, end in Claim.objects.filter(source=source).values_list("pk", "start", "end")
    ]
    spans += [
        SpanToIndex(start, end, StatementKind.PROPOSAL, proposal_id=pk)
        for pk, start, end in ClaimProposal.objects.filter(source=source)
        .exclude(status=ProposalStatus.REJECTED)
        .values_list("pk", "start", "end")
    ]
    return spans


@dataclass(frozen=True)
class ParsedSpan:
    span: SpanToIndex
    analysis: Analysed
    context_years: list[str]
    context_terms: list[str]


def analyse_source(text: str, spans: Iterable[SpanToIndex], *, sentences: bool) -> dict[tuple[int, int], ParsedSpan]:
    """{(start, end): ParsedSpan} for the given spans and, with `sentences`, every sentence.

    Context: the years of the sentence before a span and of its own sentence up to its start (a
    statement may be dated there), and, for a statement that denies or doubts, the terms of the
    sentence before it, which is what "denied the allegations" or "called it a fake" refers to.
    Only the paragraphs that hold a wanted span are parsed (all of them with `sentences`).
    """
    spans = list(spans)
    wanted = [
        (paragraph, offset)
        for offset, paragraph in paragraphs(text)
        if sentences or any(span.start < offset + len(paragraph) and span.end > offset for span in spans)
    ]
    nlp = get_nlp()
    parts: list[tuple[SpanToIndex, Analysed]] = []
    sentence_starts: list[int] = []
    sentence_terms: list[list[str]] = []
    with nlp.memory_zone():
        for doc, offset in nlp.pipe(wanted, as_tuples=True):
            end_of_doc = offset + len(doc.text)
            for sent in doc.sents:
                start, end = trim(text, offset + sent.start_char, offset + sent.end_char)
                analysis = _analyse(doc, sent)
                sentence_starts.append(offset + sent.start_char)
                sentence_terms.append(analysis.terms)
                if sentences and start < end and any(ch.isalpha() for ch in text[start:end]):
                    parts.append((SpanToIndex(start, end, StatementKind.SENTENCE), analysis))
            for span in spans:
                if offset <= span.start < end_of_doc:
                    part = doc.char_span(
                        span.start - offset, min(span.end, end_of_doc) - offset, alignment_mode="expand"
                    )
                    if part is not None:
                        parts.append((span, _analyse(doc, part)))
    found: dict[tuple[int, int], ParsedSpan] = {}
    for span, analysis in parts:
        previous = found.get((span.start, span.end))
        if previous is not None and _KIND_RANK[span.kind] <= _KIND_RANK[previous.span.kind]:
            continue
        own_sentence = bisect_right(sentence_starts, span.start) - 1
        before = max(0, own_sentence - 1)
        years = years_in(text[sentence_starts[before] : span.start]) if sentence_starts else []
        cues = cues_of(text[span.start : span.end])
        context_terms = sentence_terms[before] if (cues.denial or cues.hedge) and own_sentence > 0 else []
        found[(span.start, span.end)] = ParsedSpan(span, analysis, years, list(context_terms))
    return found


def _analyse(doc, part) -> Analysed:
    return analyse_tokens(part, part.ents)


def statements_write(*, source_id: int, analysed: dict[tuple[int, int], ParsedSpan]) -> list[int]:
    """Store the spans of a source that are not statements yet, and relink the ones that are.

    Returns the ids of the statements added. Holds the source's row lock, so two workers indexing one
    source cannot both add the same postings.
    """
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return []
        existing = {(s.start, s.end): s for s in Statement.objects.filter(source_id=source_id)}
        new: list[tuple[Statement, ParsedSpan]] = []
        for (start, end), parsed in sorted(analysed.items()):
            span, analysis = parsed.span, parsed.analysis
            statement = existing.get((start, end))
            if statement is not None:
                _relink(statement, span)
                continue
            new.append(
                (
                    Statement(
                        source_id=source_id,
                        start=start,
                        end=end,
                        text=source.text[start:end],
                        kind=span.kind,
                        claim_id=span.claim_id,
                        proposal_id=span.proposal_id,
                        terms=" ".join(analysis.terms),
                        lemmas=" ".join(analysis.lemmas),
                        entities=analysis.entities,
                        numbers=analysis.numbers,
                        context_years=parsed.context_years,
                        context_terms=" ".join(parsed.context_terms),
                    ),
                    parsed,
                )
            )
        if not new:
            return []
        created = Statement.objects.bulk_create([statement for statement, _ in new], batch_size=500)
        _postings_add(
            [
                (statement.pk, parsed.analysis.terms, parsed.context_terms)
                for statement, (_, parsed) in zip(created, new, strict=True)
            ]
        )
        return [statement.pk for statement in created]


def _relink(statement: Statement, span: SpanToIndex) -> None:
    changed = []
    if span.claim_id and statement.claim_id != span.claim_id:
        statement.claim_id = span.claim_id
        changed.append("claim")
    if span.proposal_id and statement.proposal_id is None:
        statement.proposal_id = span.proposal_id
        changed.append("proposal")
    if _KIND_RANK[span.kind] > _KIND_RANK[statement.kind]:
        statement.kind = span.kind
        changed.append("kind")
    if changed:
        statement.save(update_fields=changed)


def _postings_add(rows: list[tuple[int, list[str], list[str]]]) -> None:
    """Postings for new statements, and the document frequencies they change (call inside a transaction).

    A context term (one of the sentence before, not of the statement itself) posts with CONTEXT_WEIGHT.
    """
    counts = {pk: Counter(term[:64] for term in terms) for pk, terms, _ in rows}
    lengths = {pk: len(terms) for pk, terms, _ in rows}
    context = {
        pk: Counter(term[:64] for term in context_terms if term[:64] not in counts[pk]) for pk, _, context_terms in rows
    }
    for pk, counter in context.items():
        counts[pk].update(counter)
    df_increase: Counter[str] = Counter()
    for counter in counts.values():
        df_increase.update(counter.keys())
    df_increase[TOTAL_TERM] += len(rows)
    IndexTerm.objects.bulk_create([IndexTerm(term=term) for term in df_increase], ignore_conflicts=True, batch_size=500)
    term_ids = dict(IndexTerm.objects.filter(term__in=list(df_increase)).values_list("term", "pk"))
    by_increase: dict[int, list[int]] = {}
    for term, increase in df_increase.items():
        by_increase.setdefault(increase, []).append(term_ids[term])
    for increase, ids in by_increase.items():
        IndexTerm.objects.filter(pk__in=ids).update(df=F("df") + increase)
    StatementTerm.objects.bulk_create(
        [
            StatementTerm(
                statement_id=pk,
                term_id=term_ids[term],
                weight=round(posting_weight(tf, lengths[pk]) * (CONTEXT_WEIGHT if term in context[pk] else 1.0), 4),
            )
            for pk in counts
            for term, tf in counts[pk].items()
        ],
        batch_size=1000,
    )


def source_index(*, source_id: int) -> list[int]:
    """Index every sentence, proposal and claim of a source. Returns the ids of the statements added."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return []
    analysed = analyse_source(source.text, source_spans(source), sentences=True)
    return statements_write(source_id=source_id, analysed=analysed)


def claim_statement(*, claim: Claim) -> Statement:
    """The claim's statement, indexed first if its span is not one yet (parses the claim's paragraph)."""
    statement = Statement.objects.filter(source_id=claim.source_id, start=claim.start, end=claim.end).first()
    if statement is not None:
        if statement.claim_id != claim.pk:
            _relink(statement, SpanToIndex(claim.start, claim.end, StatementKind.CLAIM, claim_id=claim.pk))
        return statement
    span = SpanToIndex(claim.start, claim.end, StatementKind.CLAIM, claim_id=claim.pk)
    analysed = analyse_source(claim.source.text, [span], sentences=False)
    statements_write(source_id=claim.source_id, analysed=analysed)
    return Statement.objects.get(source_id=claim.source_id, start=claim.start, end=claim.end)


def idf(df: int, total: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))
