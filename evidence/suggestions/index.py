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
from sources.models import Source

# BM25 parameters. The average statement length is a constant rather than the corpus's running
# average so that a posting's weight never has to be rewritten when other sources arrive.
K1 = 1.2
B = 0.75
AVERAGE_TERMS = 14.0
TOTAL_TERM = ""  # the IndexTerm row whose df counts every statement


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


def analyse_source(text: str, spans: Iterable[SpanToIndex], *, sentences: bool) -> dict[tuple[int, int], tuple]:
    """{(start, end): (SpanToIndex, Analysed, context years)} for the given spans and, with `sentences`,
    every sentence. The context years are those of the sentence before the span and of its own
    sentence up to its start.

    Only the paragraphs that hold a wanted span are parsed (all of them with `sentences`).
    """
    spans = list(spans)
    wanted = [
        (paragraph, offset)
        for offset, paragraph in paragraphs(text)
        if sentences or any(span.start < offset + len(paragraph) and span.end > offset for span in spans)
    ]
    nlp = get_nlp()
    found: dict[tuple[int, int], tuple] = {}
    with nlp.memory_zone():
        for doc, offset in nlp.pipe(wanted, as_tuples=True):
            end_of_doc = offset + len(doc.text)
            starts = [offset + sent.start_char for sent in doc.sents]

            def context(start: int, starts=starts) -> list[str]:
                before = max(0, bisect_right(starts, start) - 2)
                return years_in(text[starts[before] : start]) if starts else []

            if sentences:
                for sent in doc.sents:
                    start, end = trim(text, offset + sent.start_char, offset + sent.end_char)
                    if start < end and any(ch.isalpha() for ch in text[start:end]):
                        found[(start, end)] = (
                            SpanToIndex(start, end, StatementKind.SENTENCE),
                            _analyse(doc, sent),
                            context(start),
                        )
            for span in spans:
                if span.start >= offset and span.start < end_of_doc:
                    part = doc.char_span(
                        span.start - offset, min(span.end, end_of_doc) - offset, alignment_mode="expand"
                    )
                    if part is None:
                        continue
                    previous = found.get((span.start, span.end))
                    if previous is None or _KIND_RANK[span.kind] > _KIND_RANK[previous[0].kind]:
                        found[(span.start, span.end)] = (span, _analyse(doc, part), context(span.start))
    return found


def _analyse(doc, part) -> Analysed:
    return analyse_tokens(part, part.ents)


def statements_write(*, source_id: int, analysed: dict[tuple[int, int], tuple]) -> list[int]:
    """Store the spans of a source that are not statements yet, and relink the ones that are.

    Returns the ids of the statements added. Holds the source's row lock, so two workers indexing one
    source cannot both add the same postings.
    """
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).first()
        if source is None:
            return []
        existing = {(s.start, s.end): s for s in Statement.objects.filter(source_id=source_id)}
        new: list[tuple[Statement, Analysed]] = []
        for (start, end), (span, analysis, context_years) in sorted(analysed.items()):
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
                        context_years=context_years,
                    ),
                    analysis,
                )
            )
        if not new:
            return []
        created = Statement.objects.bulk_create([statement for statement, _ in new], batch_size=500)
        _postings_add([(statement.pk, analysis.terms) for statement, analysis in zip(created, (a for _, a in new), strict=True)])
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


def _postings_add(rows: list[tuple[int, list[str]]]) -> None:
    """Postings for new statements, and the document frequencies they change (call inside a transaction)."""
    counts = {pk: Counter(term[:64] for term in terms) for pk, terms in rows}
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
            StatementTerm(statement_id=pk, term_id=term_ids[term], weight=round(posting_weight(tf, len(rows_terms)), 4))
            for (pk, rows_terms) in rows
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
