"""The statement index: one row per sentence, proposal and claim of a source, with its postings.

Why an inverted-index table rather than PostgreSQL full-text search: the same tables and the same
ranking run on SQLite (the embedded mode) and on PostgreSQL, the terms are spaCy lemmas (computed
once, in a task), and the ranking query can bound its cost by reading the postings of the rarest query
terms only (see retrieval.py), which `ts_rank` cannot: it reads every matching row. The postings are
covered by one composite index, so ranking reads the index alone.

A source is analysed during the claim pipeline's own parse (SourceAnalyser), so it is parsed once; a
re-index parses it here, in a worker, outside any transaction. Either way the writes are one short
transaction that adds only the spans not indexed yet, so running it twice on a source adds nothing.
A rebuild (`manage.py index_sources`, after the analysis changed) rewrites a source's statements in place
and replaces its postings; deleting a source takes its postings out of the document frequencies.
"""

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection, transaction

from claims.models import Claim, ClaimProposal, ProposalStatus
from claims.nlp.model import get_nlp
from claims.nlp.spans import paragraphs, trim
from config.bulk_insert import array_literal, bulk_insert
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


_KIND_RANK: dict[str, int] = {StatementKind.SENTENCE: 0, StatementKind.PROPOSAL: 1, StatementKind.CLAIM: 2}


def posting_weight(tf: int, length: int) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / AVERAGE_TERMS))


def source_spans(source: Source) -> list[SpanToIndex]:
    """The claims and live proposals of a source (sentences are added by the parse)."""
    return sources_spans([source.pk]).get(source.pk, [])


def sources_spans(source_ids: list[int]) -> dict[int, list[SpanToIndex]]:
    """{source id: its claims and live proposals}, in two queries whatever the number of sources."""
    spans: dict[int, list[SpanToIndex]] = {}
    for source_id, pk, start, end in Claim.objects.filter(source_id__in=source_ids).values_list(
        "source_id", "pk", "start", "end"
    ):
        spans.setdefault(source_id, []).append(SpanToIndex(start, end, StatementKind.CLAIM, claim_id=pk))
    for source_id, pk, start, end in (
        ClaimProposal.objects.filter(source_id__in=source_ids)
        .exclude(status=ProposalStatus.REJECTED)
        .values_list("source_id", "pk", "start", "end")
    ):
        spans.setdefault(source_id, []).append(SpanToIndex(start, end, StatementKind.PROPOSAL, proposal_id=pk))
    return spans


@dataclass(frozen=True)
class ParsedSpan:
    span: SpanToIndex
    analysis: Analysed
    context_years: list[str]
    context_terms: list[str]


class SourceAnalyser:
    """Collects the index's analyses from paragraphs parsed elsewhere, so a source is parsed once.

    Call `add_doc` for each paragraph in text order, inside the parse's memory zone (the analyses keep
    strings only), then `result()`. Context: the years of the sentence before a span and of its own
    sentence up to its start (a statement may be dated there), and, for a statement that denies or
    doubts, the terms of the sentence before it, which is what "denied the allegations" or "called it
    a fake" refers to.
    """

    def __init__(self, text: str, spans: Iterable[SpanToIndex] = (), *, sentences: bool):
        self.text = text
        self.spans = list(spans)
        self.sentences = sentences
        self.docs_seen = 0
        self._offsets_seen: set[int] = set()
        self._parts: list[tuple[SpanToIndex, Analysed]] = []
        self._sentence_starts: list[int] = []
        self._sentence_terms: list[list[str]] = []

    def add_doc(self, doc, offset: int, extra_spans: Iterable[SpanToIndex] = ()) -> None:
        if offset in self._offsets_seen:  # a paragraph parsed again (a batch that failed and was split up)
            return
        self._offsets_seen.add(offset)
        text = self.text
        self.docs_seen += 1
        end_of_doc = offset + len(doc.text)
        sentences: dict[tuple[int, int], Analysed] = {}
        for sent in doc.sents:
            start, end = trim(text, offset + sent.start_char, offset + sent.end_char)
            analysis = sentences[(start, end)] = _analyse(doc, sent)
            self._sentence_starts.append(offset + sent.start_char)
            self._sentence_terms.append(analysis.terms)
            if self.sentences and start < end and any(ch.isalpha() for ch in text[start:end]):
                self._parts.append((SpanToIndex(start, end, StatementKind.SENTENCE), analysis))
        for span in [*self.spans, *extra_spans]:
            if not offset <= span.start < end_of_doc:
                continue
            span_analysis = sentences.get((span.start, span.end))  # most proposals are whole sentences
            if span_analysis is None:
                part = doc.char_span(span.start - offset, min(span.end, end_of_doc) - offset, alignment_mode="expand")
                span_analysis = _analyse(doc, part) if part is not None else None
            if span_analysis is not None:
                self._parts.append((span, span_analysis))

    def add_proposed(self, doc, offset: int, proposed) -> None:
        """The claim pipeline's `on_doc` hook: a paragraph with the spans just proposed in it."""
        self.add_doc(doc, offset, [SpanToIndex(span.start, span.end, StatementKind.PROPOSAL) for span in proposed])

    def result(self) -> dict[tuple[int, int], ParsedSpan]:
        """{(start, end): ParsedSpan}; where spans coincide, a claim wins over a proposal over a sentence."""
        text, starts, terms = self.text, self._sentence_starts, self._sentence_terms
        found: dict[tuple[int, int], ParsedSpan] = {}
        for span, analysis in self._parts:
            previous = found.get((span.start, span.end))
            if previous is not None and _KIND_RANK[span.kind] <= _KIND_RANK[previous.span.kind]:
                continue
            own_sentence = bisect_right(starts, span.start) - 1
            before = max(0, own_sentence - 1)
            years = years_in(text[starts[before] : span.start]) if starts else []
            cues = cues_of(text[span.start : span.end])
            context_terms = terms[before] if (cues.denial or cues.hedge) and own_sentence > 0 else []
            found[(span.start, span.end)] = ParsedSpan(span, analysis, years, list(context_terms))
        return found


def analyse_source(text: str, spans: Iterable[SpanToIndex], *, sentences: bool) -> dict[tuple[int, int], ParsedSpan]:
    """Parse a source (only the paragraphs that hold a wanted span, or all of them with `sentences`)
    and analyse its spans; see SourceAnalyser."""
    analyser = SourceAnalyser(text, spans, sentences=sentences)
    wanted = [
        (paragraph, offset)
        for offset, paragraph in paragraphs(text)
        if sentences or any(span.start < offset + len(paragraph) and span.end > offset for span in analyser.spans)
    ]
    nlp = get_nlp()
    with nlp.memory_zone():
        for doc, offset in nlp.pipe(wanted, as_tuples=True):
            analyser.add_doc(doc, offset)
    return analyser.result()


def _analyse(doc, part) -> Analysed:
    return analyse_tokens(part, part.ents)


def statements_write(
    *, source_id: int, analysed: dict[tuple[int, int], ParsedSpan], locked_text: str | None = None
) -> list[int]:
    """Store the spans of a source that are not statements yet, and relink the ones that are.

    Returns the ids of the statements added. Holds the source's row lock, so two workers indexing one
    source cannot both add the same postings; a caller that holds it already in this transaction (the
    claim pipeline's store) passes the source's text as `locked_text`, and the row is not read again.
    Inside a caller's transaction it adds no savepoint of its own: a failure undoes the caller's (the
    claim pipeline's index writes run in one, see evidence.tasks.source_index_from_parse).
    """
    with transaction.atomic(savepoint=False):
        if locked_text is None:
            source = Source.objects.select_for_update().only("text").filter(pk=source_id).first()
            if source is None:
                return []
            locked_text = source.text
        existing = {(s.start, s.end): s for s in Statement.objects.filter(source_id=source_id)}
        new: list[tuple[int, int, ParsedSpan]] = []
        for (start, end), parsed in sorted(analysed.items()):
            statement = existing.get((start, end))
            if statement is not None:
                _relink(statement, parsed.span)
            else:
                new.append((start, end, parsed))
        if not new:
            return []
        ids = bulk_insert(
            Statement,
            [
                {
                    "source_id": source_id,
                    "start": start,
                    "end": end,
                    "text": locked_text[start:end],
                    **_analysis_values(parsed),
                }
                for start, end, parsed in new
            ],
        )
        _postings_add(
            [(pk, parsed.analysis.terms, parsed.context_terms) for pk, (_, _, parsed) in zip(ids, new, strict=True)]
        )
        return ids


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
    Written with two statements in plain SQL: a source brings a few hundred postings, and building a
    model instance for each cost more than the parse of a paragraph.
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
    term_ids = _document_frequencies_add(df_increase)
    _postings_insert(
        [
            (
                pk,
                term_ids[term],
                round(posting_weight(tf, lengths[pk]) * (CONTEXT_WEIGHT if term in context[pk] else 1.0), 4),
            )
            for pk in counts
            for term, tf in counts[pk].items()
        ]
    )


def _document_frequencies_add(increases: Counter[str]) -> dict[str, int]:
    """Add to the document frequency of each term, creating the terms not seen yet, in one upsert per
    chunk; returns {term: id}. Terms are taken in sorted order, so two workers indexing at once lock the
    shared rows (the commonest terms, the statement count) in the same order and cannot deadlock."""
    table = connection.ops.quote_name(IndexTerm._meta.db_table)
    terms = sorted(increases)
    ids: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (term, df) SELECT term, n FROM unnest(%s::varchar[], %s::int[]) AS u(term, n) "  # noqa: S608
                f"ORDER BY term ON CONFLICT (term) DO UPDATE SET df = {table}.df + EXCLUDED.df RETURNING term, id",
                [array_literal(terms), array_literal([increases[term] for term in terms])],
            )
            ids.update(cursor.fetchall())
            return ids
        for chunk in (terms[i : i + 400] for i in range(0, len(terms), 400)):
            values = ", ".join("(%s, %s)" for _ in chunk)
            cursor.execute(
                f"INSERT INTO {table} (term, df) VALUES {values} "  # noqa: S608
                "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df RETURNING term, id",
                [value for term in chunk for value in (term, increases[term])],
            )
            ids.update(cursor.fetchall())
    return ids


def _postings_insert(postings: list[tuple[int, int, float]]) -> None:
    """Insert (statement id, term id, weight) rows."""
    table = connection.ops.quote_name(StatementTerm._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement_ids, term_ids, weights = zip(*postings, strict=True) if postings else ((), (), ())
            cursor.execute(
                f"INSERT INTO {table} (statement_id, term_id, weight) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::float8[])",
                [array_literal(statement_ids), array_literal(term_ids), array_literal(weights)],
            )
        else:
            cursor.executemany(f"INSERT INTO {table} (statement_id, term_id, weight) VALUES (%s, %s, %s)", postings)  # noqa: S608


# --- Removing and rebuilding a source's statements ---------------------------------------------------

# The fields of a statement a rebuild rewrites; its span, source and text never change.
_REBUILT_FIELDS = (
    "kind",
    "claim",
    "proposal",
    "terms",
    "lemmas",
    "entities",
    "numbers",
    "context_terms",
    "context_years",
)


def source_statements_delete(*, source_id: int) -> int:
    """Delete a source's statements with their postings, and lower the document frequencies they counted.

    Call before deleting the source: Django's cascade would drop the postings and leave the frequencies
    as they were. Holds the source's row lock, so no index write adds a statement meanwhile. Returns the
    number of statements deleted.
    """
    with transaction.atomic():
        if not Source.objects.select_for_update().filter(pk=source_id).values_list("pk").first():
            return 0
        _source_postings_remove(source_id)
        _, deleted = Statement.objects.filter(source_id=source_id).delete()
    return deleted.get(Statement._meta.label, 0)


def source_reindex(*, source_id: int) -> int:
    """Rebuild a source's index with the current analysis: parse it (outside any transaction), then
    `statements_replace`. Returns the number of statements the source now has."""
    source = Source.objects.filter(pk=source_id).only("text").first()
    if source is None:
        return 0
    analysed = analyse_source(source.text, source_spans(source), sentences=True)
    return statements_replace(source_id=source_id, analysed=analysed)


def statements_replace(*, source_id: int, analysed: dict[tuple[int, int], ParsedSpan]) -> int:
    """Make a source's statements exactly `analysed`, as a fresh index of it would be.

    A span already indexed keeps its row, so its id, and gets its analysis, kind and links rewritten; a
    span no longer analysed (a proposal rejected since) is deleted, a new one added. Every posting of the
    source is written again and the document frequencies follow, so the same analyses twice give the same
    index. Suggestions, reviews and links name spans or claims, not statement rows: none is touched.
    """
    with transaction.atomic():
        source = Source.objects.select_for_update().filter(pk=source_id).only("text").first()
        if source is None:
            return 0
        _terms_lock(source_id, analysed.values())
        _source_postings_remove(source_id)
        existing = {(s.start, s.end): s for s in Statement.objects.filter(source_id=source_id)}
        Statement.objects.filter(pk__in=[s.pk for key, s in existing.items() if key not in analysed]).delete()
        changed, new = [], []
        for (start, end), parsed in sorted(analysed.items()):
            values = _analysis_values(parsed)
            statement = existing.get((start, end))
            if statement is None:
                new.append(Statement(source_id=source_id, start=start, end=end, text=source.text[start:end], **values))
            elif any(getattr(statement, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(statement, name, value)
                changed.append(statement)
        Statement.objects.bulk_update(changed, _REBUILT_FIELDS, batch_size=500)
        Statement.objects.bulk_create(new, batch_size=500)
        statements = [s for key, s in existing.items() if key in analysed] + new
        _postings_add(
            [
                (s.pk, analysed[(s.start, s.end)].analysis.terms, analysed[(s.start, s.end)].context_terms)
                for s in statements
            ]
        )
        return len(statements)


def _analysis_values(parsed: ParsedSpan) -> dict:
    """A statement's fields that come from its analysis and links (all but its source, span and text)."""
    span, analysis = parsed.span, parsed.analysis
    return {
        "kind": span.kind,
        "claim_id": span.claim_id,
        "proposal_id": span.proposal_id,
        "terms": " ".join(analysis.terms),
        "lemmas": " ".join(analysis.lemmas),
        "entities": analysis.entities,
        "numbers": analysis.numbers,
        "context_terms": " ".join(parsed.context_terms),
        "context_years": parsed.context_years,
    }


def _terms_lock(source_id: int, analysed: Iterable[ParsedSpan]) -> None:
    """Lock, in one statement and in term order, every term row a rebuild of the source will change: the
    terms its postings hold now and those it will hold (created at df 0 if new). The removal and the
    additions that follow then wait for no other worker, which could otherwise hold a row one of them
    needs while waiting for a row locked by the other."""
    terms = {TOTAL_TERM}
    for parsed in analysed:
        terms.update(term[:64] for term in (*parsed.analysis.terms, *parsed.context_terms))
    terms.update(
        IndexTerm.objects.filter(
            pk__in=StatementTerm.objects.filter(statement__source_id=source_id).values("term_id")
        ).values_list("term", flat=True)
    )
    _document_frequencies_add(Counter(dict.fromkeys(terms, 0)))


def _source_postings_remove(source_id: int) -> None:
    """Delete the postings of a source's statements and take them out of the document frequencies, and
    the statements out of the statement count (call inside a transaction holding the source's row lock).

    The term rows are locked in term order first, as `_document_frequencies_add` takes them, so that two
    workers cannot deadlock. A frequency stops at 0 rather than fail the delete on the column's check.
    """
    terms = connection.ops.quote_name(IndexTerm._meta.db_table)
    postings = connection.ops.quote_name(StatementTerm._meta.db_table)
    statements = connection.ops.quote_name(Statement._meta.db_table)
    of_source = f"SELECT id FROM {statements} WHERE source_id = %s"  # noqa: S608
    removed = (
        f"SELECT term_id, count(*) AS n FROM {postings} WHERE statement_id IN ({of_source}) GROUP BY term_id "  # noqa: S608
        f"UNION ALL SELECT id, (SELECT count(*) FROM {statements} WHERE source_id = %s) FROM {terms} WHERE term = %s"
    )
    params: list[int | str] = [source_id, source_id, TOTAL_TERM]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT id FROM {terms} WHERE id IN (SELECT term_id FROM ({removed}) AS r) ORDER BY term FOR UPDATE",  # noqa: S608
                params,
            )
        cursor.execute(
            f"UPDATE {terms} SET df = CASE WHEN {terms}.df > r.n THEN {terms}.df - r.n ELSE 0 END "  # noqa: S608
            f"FROM ({removed}) AS r WHERE {terms}.id = r.term_id",
            params,
        )
        cursor.execute(f"DELETE FROM {postings} WHERE statement_id IN ({of_source})", [source_id])  # noqa: S608


def source_index(*, source_id: int) -> list[int]:
    """Index every sentence, proposal and claim of a source. Returns the ids of the statements added."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return []
    analysed = analyse_source(source.text, source_spans(source), sentences=True)
    return statements_write(source_id=source_id, analysed=analysed)


def source_index_analysed(
    *, source_id: int, analyser: SourceAnalyser, proposal_ids: dict[tuple[int, int], int]
) -> list[int]:
    """Index a source from analyses collected during its claim-proposal parse, inside the transaction
    that stored its proposals (and holds its row lock); `proposal_ids` gives their ids by span."""
    analysed = {
        key: replace(parsed, span=replace(parsed.span, proposal_id=proposal_ids.get(key)))
        if parsed.span.kind == StatementKind.PROPOSAL and parsed.span.proposal_id is None
        else parsed
        for key, parsed in analyser.result().items()
    }
    return statements_write(source_id=source_id, analysed=analysed, locked_text=analyser.text)


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
