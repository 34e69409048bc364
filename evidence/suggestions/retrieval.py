"""Finding the statements of other sources that talk about what a claim says.

The query is the claim's own terms, plus at a small weight those of the sentence before it (and of the
rest of its sentence when the claim is a clause), which name what "it" or "the allegations" refer to.

Two stages. The database ranks statements by BM25 over the postings of the claim's rarest terms, reading
at most POSTING_BUDGET postings, so the cost of a query stops growing with the corpus once common terms
are skipped (they carry little weight anyway). The few hundred statements it returns are then re-scored
in Python with every query term, the share of the candidate's own information the claim covers, and
boosts for shared entities and numbers; questions and headings count less. When a local paraphrase model
is configured (EVIDENCE_EMBEDDER, see evidence.suggestions.embeddings), its ranking by similarity to the
claim is fused with that one.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db import connection

from claims.models import Claim
from evidence.models import IndexTerm, Statement, StatementKind, StatementTerm
from evidence.suggestions.conflicts import YEAR
from evidence.suggestions.embeddings import load_embedder
from evidence.suggestions.index import CONTEXT_WEIGHT, TOTAL_TERM, idf, posting_weight
from evidence.suggestions.stance import cues_of

# At 100,000 claims (bench/bench_suggestions.py corpus, PostgreSQL) a budget of 15,000 kept 99.6% of the
# top-10 suggestions and every first suggestion of a budget of 30,000, at two thirds of its p95 time.
POSTING_BUDGET = 15_000
CONTEXT_POSTING_BUDGET = 3_000
# Query weight of a term that only the sentences around the claim hold (the one before it, and the
# rest of its own sentence when the claim is a clause): it says what the claim is about without saying
# it. A claim that leans on them (opens with "It", "They", "This"; denies or doubts "the report") takes
# more from them.
CONTEXT_QUERY_WEIGHT = 0.1
LEANING_CONTEXT_QUERY_WEIGHT = 0.4
ANAPHORS = frozenset(["it", "this", "that", "these", "those", "he", "she", "they", "such", "both"])
# A question or a heading asserts nothing, so it neither states nor denies a claim; it still shows
# where nothing better does.
NOT_ASSERTED_WEIGHT = 0.8
HEADING_WORDS = 12
# Reciprocal rank fusion's constant (Cormack, Clarke and Buettcher 2009), as published, not tuned here.
FUSION_K = 60
# The paraphrase model reorders the lexical ranking's best this many (encoding costs 7-10 ms a sentence);
# on both golds, 60 finds what 140 found, at half the cost of a claim whose candidates are new.
EMBEDDING_DEPTH = 60
FETCH = 100
# The claim's own source holds the best matches of all (the claim itself); fetch this many more.
OWN_SOURCE_SLACK = 40
CANDIDATE_FIELDS = (
    "pk",
    "source_id",
    "start",
    "end",
    "text",
    "claim_id",
    "kind",
    "terms",
    "lemmas",
    "entities",
    "numbers",
    "context_years",
    "context_terms",
)


@dataclass
class Candidate:
    statement_id: int
    source_id: int
    start: int
    end: int
    text: str
    claim_id: int | None
    kind: str
    terms: list[str]
    lemmas: list[str]
    entities: list[dict]
    numbers: list[str]
    context_years: list[str]
    context_terms: list[str]
    retrieval: float = 0.0
    score: float = 0.0
    stance: str = ""
    stance_score: float = 0.0
    conflict: bool = False
    conflict_note: str = ""
    features: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    terms: list[str]
    lemmas: list[str]
    entities: list[dict]
    numbers: list[str]
    context_years: list[str]
    text: str
    context_terms: list[str] = field(default_factory=list)
    leans_on_context: bool = False

    @classmethod
    def of(cls, statement: Statement) -> "Query":
        """The claim's statement as a query, with the terms of the sentences around it (one query)."""
        cues = cues_of(statement.text)
        return cls(
            terms=statement.terms.split(),
            lemmas=statement.lemmas.split(),
            entities=statement.entities,
            numbers=statement.numbers,
            context_years=statement.context_years,
            text=statement.text,
            context_terms=[*statement.context_terms.split(), *_terms_before(statement)],
            leans_on_context=statement.lemmas.split(" ", 1)[0] in ANAPHORS or cues.denial or cues.hedge,
        )

    def weights(self) -> dict[str, float]:
        """{term: weight}: the claim's own terms by count, then what its context adds."""
        weights: dict[str, float] = dict(Counter(self.terms))
        share = LEANING_CONTEXT_QUERY_WEIGHT if self.leans_on_context else CONTEXT_QUERY_WEIGHT
        for term in self.context_terms:
            weights.setdefault(term, share)
        return weights


def _terms_before(statement: Statement) -> list[str]:
    """Terms of the sentence a clause sits in, and of the sentence before it."""
    rows = (
        Statement.objects.filter(source_id=statement.source_id, kind=StatementKind.SENTENCE, start__lt=statement.start)
        .order_by("-start")
        .values_list("end", "terms")[:2]
    )
    terms: list[str] = []
    for end, sentence_terms in rows:
        terms += sentence_terms.split()
        if end <= statement.start:
            break
    return terms


def term_frequencies(terms: list[str]) -> tuple[dict[str, tuple[int, int]], int]:
    """{term: (id, df)} for the query's known terms, and the number of statements indexed."""
    rows = IndexTerm.objects.filter(term__in={*terms, TOTAL_TERM}).values_list("term", "pk", "df")
    found = {term: (pk, df) for term, pk, df in rows}
    total = found.pop(TOTAL_TERM, (0, 0))[1]
    return found, total


def _ranked_by_database(
    weights: dict[int, float], limit: int, *, claims_of_other_sources_than: int | None = None
) -> list[tuple[int, float]]:
    """(statement id, partial BM25) best first, from the postings of the given term ids; optionally only
    statements that are claims of sources other than the one given."""
    if not weights:
        return []
    posting = StatementTerm._meta.db_table
    case = " ".join("WHEN %s THEN %s" for _ in weights)
    params: list = [value for pair in weights.items() for value in pair]
    params += list(weights)
    join = where = ""
    if claims_of_other_sources_than is not None:
        join = f"JOIN {Statement._meta.db_table} s ON s.id = p.statement_id"
        where = "AND s.claim_id IS NOT NULL AND s.source_id <> %s"
        params.append(claims_of_other_sources_than)
    sql = (
        f"SELECT p.statement_id, SUM(p.weight * CASE p.term_id {case} END) AS score FROM {posting} p {join} "  # noqa: S608
        f"WHERE p.term_id IN ({', '.join('%s' for _ in weights)}) {where} "
        "GROUP BY p.statement_id ORDER BY score DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _query_weights(
    query_tf: Mapping[str, float], frequencies: dict[str, tuple[int, int]], idfs: dict[str, float], budget: int
) -> dict[int, float]:
    """{term id: query weight} for the rarest query terms whose postings fit in `budget`. The terms of the
    claim's context (weighted below 1) come after its own and spend at most CONTEXT_POSTING_BUDGET: they
    are there to find a rare name the claim only refers to."""
    weights: dict[int, float] = {}
    present = sorted((item for item in frequencies.items() if item[0] in query_tf), key=lambda item: item[1][1])
    own = [item for item in present if query_tf[item[0]] >= 1]
    context = [item for item in present if query_tf[item[0]] < 1]
    for terms, allowed in ((own, budget), (context, CONTEXT_POSTING_BUDGET)):
        allowed = min(allowed, budget)
        for term, (pk, df) in terms:
            if weights and df > allowed:
                break
            allowed -= df
            budget -= df
            weights[pk] = round(idfs[term] * query_tf[term], 4)
    return weights


def claims_matching(
    *, statement_ids: list[int], limit: int, per_statement: int = 5, threshold: float = 0.35
) -> list[int]:
    """Claims of other sources that some of the given statements may be evidence for, best first: the
    claims whose suggestions are worth recomputing when these statements arrive."""
    sources = Statement.objects.filter(pk__in=statement_ids).values("source_id")
    if not Claim.objects.exclude(source_id__in=sources).exists():
        # No other source has claims yet (the usual state while a corpus is being imported): one query, on
        # the claims table, which stops at its first row (the statements' would be scanned for claim ids).
        return []
    statements = list(Statement.objects.filter(pk__in=statement_ids).only("pk", "source_id", "terms"))
    all_terms = {term for statement in statements for term in statement.terms.split()}
    frequencies, total = term_frequencies(list(all_terms))
    if total == 0:
        return []
    idfs = {term: idf(df, total) for term, (_, df) in frequencies.items()}
    best: dict[int, float] = {}
    for statement in statements:
        query_tf = Counter(statement.terms.split())
        own = sum(idfs.get(term, 0.0) * n * posting_weight(n, sum(query_tf.values())) for term, n in query_tf.items())
        weights = _query_weights(query_tf, frequencies, idfs, POSTING_BUDGET // 4)
        ranked = _ranked_by_database(weights, per_statement, claims_of_other_sources_than=statement.source_id)
        for statement_id, score in ranked:
            if own and score / own >= threshold:
                best[statement_id] = max(best.get(statement_id, 0.0), score / own)
    ordered = sorted(best, key=best.__getitem__, reverse=True)
    claim_of = dict(Statement.objects.filter(pk__in=ordered).values_list("pk", "claim_id"))
    claim_ids: list[int] = []
    for statement_id in ordered:
        claim_id = claim_of.get(statement_id)
        if claim_id is not None and claim_id not in claim_ids:
            claim_ids.append(claim_id)
    return claim_ids[:limit]


def candidates_for(query: Query, *, exclude_source_id: int, limit: int = FETCH) -> list[Candidate]:
    """Statements of other sources that share the claim's words, scored in [0, 1], best first."""
    query_tf = query.weights()
    frequencies, total = term_frequencies(list(query_tf))
    if not frequencies or total == 0:
        return []
    idfs = {term: idf(df, total) for term, (_, df) in frequencies.items()}
    weights = _query_weights(query_tf, frequencies, idfs, POSTING_BUDGET)
    ranked = _ranked_by_database(weights, limit + OWN_SOURCE_SLACK)
    ids = [pk for pk, _ in ranked]
    rows = Statement.objects.filter(pk__in=ids).exclude(source_id=exclude_source_id).values_list(*CANDIDATE_FIELDS)
    partial = dict(ranked)
    candidates = [_candidate(row, partial[row[0]]) for row in rows]
    for candidate in candidates:
        rescore(query, query_tf, idfs, candidate)
    candidates.sort(key=lambda c: (-c.score, c.source_id, c.start))
    embedder = embedding_model()
    if embedder is not None and candidates:
        head = candidates[:EMBEDDING_DEPTH]
        _fuse_with_embeddings(query, head, embedder)
        candidates[:EMBEDDING_DEPTH] = head
    return candidates[:limit]


def _fuse_with_embeddings(query: Query, candidates: list[Candidate], embedder) -> None:
    """Reorder candidates (sorted best first) by reciprocal rank fusion of their lexical rank and their rank
    by cosine similarity to the claim, then hand the lexical scores out again in the new order: the scores
    keep the scale the thresholds and boosts after this were set on, and only the order changes."""
    vectors = embedder([query.text, *(c.text for c in candidates)])
    similarities = vectors[1:] @ vectors[0]
    by_similarity = sorted(range(len(candidates)), key=lambda i: -similarities[i])
    fused = [1.0 / (FUSION_K + i) for i in range(len(candidates))]
    for rank, i in enumerate(by_similarity):
        fused[i] += 1.0 / (FUSION_K + rank)
        candidates[i].features["embedding"] = float(similarities[i])
    scores = [c.score for c in candidates]
    candidates[:] = [candidates[i] for i in sorted(range(len(candidates)), key=lambda i: -fused[i])]
    for candidate, score in zip(candidates, scores, strict=True):
        candidate.score = score


def _candidate(row: tuple, retrieval: float) -> Candidate:
    pk, source_id, start, end, text, claim_id, kind, terms, lemmas, entities, numbers, years, context_terms = row
    return Candidate(
        statement_id=pk,
        source_id=source_id,
        start=start,
        end=end,
        text=text,
        claim_id=claim_id,
        kind=kind,
        terms=terms.split(),
        lemmas=lemmas.split(),
        entities=entities,
        numbers=numbers,
        context_years=years,
        context_terms=context_terms.split(),
        retrieval=retrieval,
    )


def rescore(query: Query, query_tf: dict[str, float], idfs: dict[str, float], candidate: Candidate) -> None:
    """Score in [0, 1]: BM25 against the claim's own BM25, how much of the candidate the claim covers,
    and shared entities and numbers."""
    candidate_tf = Counter(candidate.terms)
    context_tf = Counter(candidate.context_terms)
    length = max(1, len(candidate.terms))
    bm25 = 0.0
    for term, weight in query_tf.items():
        if term not in idfs:
            continue
        if term in candidate_tf:
            bm25 += idfs[term] * weight * posting_weight(candidate_tf[term], length)
        elif term in context_tf:
            bm25 += idfs[term] * weight * posting_weight(context_tf[term], length) * CONTEXT_WEIGHT
    own_tf = Counter(query.terms)
    best = sum(
        idfs[term] * count * posting_weight(count, len(query.terms)) for term, count in own_tf.items() if term in idfs
    )
    relevance = min(1.0, bm25 / best) if best else 0.0
    covered = _covered(query_tf, idfs, candidate.terms)
    query_entities = {e["text"] for e in query.entities}
    shared_entities = len(query_entities & {e["text"] for e in candidate.entities})
    shared = set(query.numbers) & set(candidate.numbers)
    shared_years = sum(1 for n in shared if YEAR.fullmatch(n))
    shared_numbers = len(shared) - shared_years
    candidate.features.update(
        relevance=relevance, covered=covered, shared_entities=shared_entities, shared_numbers=len(shared)
    )
    # A number two statements share ("15,000", "29155") is rarer than any word; a year less so.
    boost = min(0.12, 0.04 * shared_entities) + min(0.2, 0.1 * shared_numbers) + min(0.1, 0.05 * shared_years)
    candidate.score = min(1.0, 0.6 * relevance + 0.2 * covered + boost)
    if not _asserts(candidate):
        candidate.score *= NOT_ASSERTED_WEIGHT


def _asserts(candidate: Candidate) -> bool:
    """False for a question, and for a short sentence of the parse that ends without a full stop: a
    heading or a caption ("From political ties to arms supply"). A proposal or a claim is a clause cut
    out of a sentence and may end anywhere."""
    ending = candidate.text.rstrip(" \"'\u201d\u2019")
    if ending.endswith("?"):
        return False
    return (
        candidate.kind != StatementKind.SENTENCE
        or ending.endswith((".", "!"))
        or len(candidate.text.split()) >= HEADING_WORDS
    )


def _covered(query_tf: dict[str, float], idfs: dict[str, float], terms: list[str]) -> float:
    """The share of the candidate's information the claim holds, each term weighed by its idf. A term the
    claim lacks has no known df here; it counts as much as the claim's rarest term, so that a headline of
    common words ("Russia and the Taliban") does not look covered."""
    if not idfs or not terms:
        return 0.0
    unknown = max(idfs.values())
    held = sum(idfs[term] * min(1.0, query_tf[term]) for term in terms if term in idfs and term in query_tf)
    return held / sum(idfs.get(term, unknown) for term in terms)


@cache
def embedding_model():
    """The optional paraphrase model: settings.EVIDENCE_EMBEDDER names a callable (list[str]) -> unit vectors.

    Nothing is configured by default and everything works without it.
    """
    path = getattr(settings, "EVIDENCE_EMBEDDER", "")
    return load_embedder(path) if path else None
