"""Suggestions for one claim at 1k / 10k / 100k claims, and the batch stance scorer's throughput.

    .venv/bin/python bench/bench_suggestions.py [--sizes 1000 10000 100000] [--queries 200]
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_suggestions.py     (PostgreSQL)

Without DATABASE_URL it works in a throwaway SQLite file, never in the development database.

The corpus is synthetic: the seed paragraphs are parsed once, and each claim is one of their sentences
with a quarter of its terms swapped for words drawn from a Zipf-distributed vocabulary of 50,000, and
its numbers changed, so that the corpus has the long tail of words a real one has. Claims, their
sources and statements are bulk-inserted; postings go through the index's own writer. Each size adds to
the previous one. For each size, `suggestions_compute` (retrieval, stance, conflicts, as the task runs
it) is timed for random claims: p50 and p95 in milliseconds. Then `score_stance` pairs per second, for
sentence pairs and for headline/article pairs. With --embedder (the optional paraphrase model installed,
`make embeddings`): the encoder's sentences per second, and suggestions at the largest size with it, each
query's candidates encoded afresh unless an earlier query met them (the worker keeps their vectors).
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import seed_paragraphs, setup_django

PER_SOURCE = 20


def templates() -> list[tuple[str, object]]:
    """(sentence, Analysed) for every sentence of the seed paragraphs."""
    from claims.nlp.model import get_nlp
    from evidence.suggestions.analysis import analyse_tokens

    nlp = get_nlp()
    found = []
    for doc in nlp.pipe(seed_paragraphs()):
        for sent in doc.sents:
            analysis = analyse_tokens(sent, sent.ents)
            if len(analysis.terms) >= 5:
                found.append((sent.text, analysis))
    return found


def grow(corpus_from: int, corpus_to: int, pool, rng: random.Random) -> None:
    from claims.models import Claim
    from evidence.models import Statement, StatementKind
    from evidence.suggestions.index import _postings_add
    from sources.models import Source
    from sources.services import source_content_hash

    vocabulary = [f"zq{n}" for n in range(50_000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    for first in range(corpus_from, corpus_to, 5000):
        last = min(corpus_to, first + 5000)
        sources = Source.objects.bulk_create(
            [
                Source(title=f"bench {n}", text=f"bench source {n}", content_hash=source_content_hash(f"bench {n}"))
                for n in range(first // PER_SOURCE, (last - 1) // PER_SOURCE + 1)
                if not Source.objects.filter(title=f"bench {n}").exists()
            ]
        )
        by_title = {s.title: s.pk for s in sources} | dict(
            Source.objects.filter(title__startswith="bench ").values_list("title", "pk")
        )
        rows = []
        for n in range(first, last):
            text, analysis = rng.choice(pool)
            swapped = rng.choices(vocabulary, weights=weights, k=len(analysis.terms))
            terms = [new if rng.random() < 0.25 else old for old, new in zip(analysis.terms, swapped, strict=True)]
            numbers = [str(rng.randint(1990, 2024))] if analysis.numbers else []
            rows.append((by_title[f"bench {n // PER_SOURCE}"], n, text, terms, numbers, analysis))
        claims = Claim.objects.bulk_create(
            [Claim(source_id=source_id, start=n, end=n + 1, quote=text, text=text) for source_id, n, text, *_ in rows]
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    source_id=source_id,
                    start=n,
                    end=n + 1,
                    text=text,
                    kind=StatementKind.CLAIM,
                    claim_id=claim.pk,
                    terms=" ".join(terms),
                    lemmas=" ".join(analysis.lemmas),
                    entities=analysis.entities,
                    numbers=numbers,
                )
                for claim, (source_id, n, text, terms, numbers, analysis) in zip(claims, rows, strict=True)
            ],
            batch_size=1000,
        )
        _postings_add([(s.pk, s.terms.split(), []) for s in statements])


def time_suggestions(queries: int, rng: random.Random) -> dict:
    from claims.models import Claim
    from evidence.models import Statement
    from evidence.suggestions.suggest import suggestions_compute

    top = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked = []
    while len(picked) < queries:
        claim = Claim.objects.select_related("source").filter(pk__lte=rng.randint(1, top)).order_by("-pk").first()
        if claim is not None:
            picked.append(claim)
    statements = {s.claim_id: s for s in Statement.objects.filter(claim_id__in=[c.pk for c in picked])}
    suggestions_compute(claim=picked[0], statement=statements[picked[0].pk])  # warm caches and the model
    timings = []
    for claim in picked:
        started = time.perf_counter()
        suggestions_compute(claim=claim, statement=statements[claim.pk], limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "queries": len(timings),
    }


def stance_throughput(pool, rng: random.Random) -> dict:
    from evidence.suggestions.scoring import stance_score

    sentences = [text for text, _ in pool]
    articles = [" ".join(rng.sample(sentences, 25)) for _ in range(50)]
    results = {}
    for label, texts, count in (("sentence_pairs_per_s", sentences, 2000), ("article_pairs_per_s", articles, 300)):
        pairs = [(rng.choice(sentences), rng.choice(texts)) for _ in range(count)]
        started = time.perf_counter()
        for claim, text in pairs:
            stance_score(claim, text)
        results[label] = round(count / (time.perf_counter() - started))
    return results


def embedder_costs(pool, queries: int, rng: random.Random) -> dict:
    from django.conf import settings

    from evidence.suggestions import embeddings
    from evidence.suggestions.retrieval import embedding_model

    sentences = [text for text, _ in pool][:500]
    embeddings.encoder()
    started = time.perf_counter()
    embeddings.encoder().encode(sentences)
    report = {"encoded_sentences_per_s": round(len(sentences) / (time.perf_counter() - started))}
    settings.EVIDENCE_EMBEDDER = "evidence.suggestions.embeddings.encode"
    embedding_model.cache_clear()
    try:
        report["suggestions"] = time_suggestions(queries, rng)
    finally:
        settings.EVIDENCE_EMBEDDER = ""
        embedding_model.cache_clear()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embedder", action="store_true", help="Also time the optional paraphrase model.")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-suggestions-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    setup_django()
    from django.db import connection

    rng = random.Random(11)
    pool = templates()
    report: dict = {"database": connection.vendor, "template_sentences": len(pool), "sizes": {}}
    size = 0
    for target in sorted(args.sizes):
        started = time.perf_counter()
        grow(size, target, pool, rng)
        size = target
        report["sizes"][target] = {
            "insert_s": round(time.perf_counter() - started, 1),
            **time_suggestions(args.queries, rng),
        }
        print(json.dumps({target: report["sizes"][target]}), file=sys.stderr)
    sizes = sorted(report["sizes"])
    if len(sizes) >= 2:
        report["p95_ratio_largest_to_previous"] = round(
            report["sizes"][sizes[-1]]["p95_ms"] / report["sizes"][sizes[-2]]["p95_ms"], 2
        )
    report["score_stance"] = stance_throughput(pool, rng)
    if args.embedder:
        report["with_embedder_at_largest_size"] = embedder_costs(pool, min(args.queries, 50), rng)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
