"""Claim-proposal throughput: the whole pipeline against raw spaCy, side by side in one run.

    make bench            (all benchmarks, throwaway PostgreSQL + Redis)
    .ci/with-services .venv/bin/python bench/bench_pipeline.py --docs 200 --memory-docs 1000

1. raw:     `nlp.pipe` over the paragraphs of N articles in this process, with the model as spaCy ships
            it (the floor the issue names); and raw_indexed: the same with the attribute ruler the
            workers use (SPACY_INDEXED_ATTRIBUTE_RULES), so that one/raw_indexed is what the pipeline
            adds to its own parse. raw_whole: `nlp.pipe(texts)` as a newcomer would call it, whole
            articles at spaCy's default batch size (1,000), for reference: slower than the paragraphs
            in batches of SPACY_BATCH_SIZE, so the goal's ratio is taken against `raw`.
2. one:     import the N articles through `source_create`, queued together as `import_sources` queues
            them (PROPOSAL_BATCH_SOURCES per task, on Redis), and time until one real Celery worker
            process has stored every source's proposals (and its evidence index).
   single:  the same with one task per source, as the API and the browser queue them.
3. two:     the same with two worker processes.
4. memory:  peak RSS of a worker child after 100 and after M documents.
Steps 1-3 are repeated in --rounds rounds, back to back, because the machine is shared and noisy: a
ratio is taken within a round, and the report gives each round's and their medians.
Reported: docs/s for each and the ratios one/raw and two/one.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Worker, peak_rss_mib, setup_django, synthetic_articles, worker_children


def raw_pipe_seconds(texts: list[str], *, indexed_attribute_rules: bool = False, whole_texts: bool = False) -> float:
    """`nlp.pipe` over the texts' paragraphs in batches of SPACY_BATCH_SIZE, as the workers run it; with
    `whole_texts`, `nlp.pipe(texts)` with spaCy's defaults (whole articles, its default batch size)."""
    from django.conf import settings

    from claims.nlp.model import load_pipeline
    from claims.nlp.spans import paragraphs

    nlp = load_pipeline(settings.SPACY_MODEL, indexed_attribute_rules=indexed_attribute_rules)
    nlp("warm up")
    if whole_texts:
        docs = nlp.pipe(texts)
    else:
        jobs = [paragraph for text in texts for _, paragraph in paragraphs(text)]
        docs = nlp.pipe(jobs, batch_size=settings.SPACY_BATCH_SIZE)
    started = time.perf_counter()
    for _ in docs:
        pass
    return time.perf_counter() - started


def clear_sources() -> None:
    from sources.models import Source

    Source.objects.all().delete()


def import_and_wait(texts: list[str], tag: str, *, together: bool = True) -> float:
    """Import the texts as an import does (queued together, PROPOSAL_BATCH_SOURCES per task), or one task
    per source as the API and the browser queue them, and time until every one is processed."""
    from contextlib import nullcontext

    from sources.models import Source, SourceStatus
    from sources.services import source_create, sources_queued_together

    started = time.perf_counter()
    with sources_queued_together() if together else nullcontext():
        ids = [source_create(title=f"{tag} {i}", text=f"{tag}\n{text}")[0].id for i, text in enumerate(texts)]
    while Source.objects.filter(pk__in=ids).exclude(status__in=[SourceStatus.PROPOSED, SourceStatus.FAILED]).exists():
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    failed = Source.objects.filter(pk__in=ids, status=SourceStatus.FAILED).count()
    if failed:
        raise RuntimeError(f"{failed} sources failed")
    return elapsed


def run_workers(concurrency: int, texts: list[str], tag: str, log_dir: Path, *, together: bool = True) -> float:
    worker = Worker(concurrency, log_dir / f"worker-{tag}.log")
    try:
        worker.wait_ready()
        import_and_wait(texts[:4], f"{tag}-warm", together=False)  # each child loads spaCy once before timing
        return import_and_wait(texts, tag, together=together)
    finally:
        worker.stop()


def memory_profile(total: int, log_dir: Path) -> dict[str, float]:
    worker = Worker(1, log_dir / "worker-memory.log")
    texts = synthetic_articles(total, seed=99)
    try:
        worker.wait_ready()
        import_and_wait(texts[:100], "mem-a")
        [child] = worker_children(worker.process.pid)
        at_100 = peak_rss_mib(child)
        import_and_wait(texts[100:], "mem-b")
        return {"peak_rss_mib_at_100": round(at_100, 1), f"peak_rss_mib_at_{total}": round(peak_rss_mib(child), 1)}
    finally:
        worker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--memory-docs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    setup_django()
    from django.conf import settings

    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL (run through .ci/with-services) so workers share a real broker.")
    from claims.nlp.pipeline import active_proposer

    texts = synthetic_articles(args.docs)
    words = sum(len(t.split()) for t in texts)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    rounds = []
    for number in range(args.rounds):
        clear_sources()
        raw = raw_pipe_seconds(texts)
        raw_indexed = raw_pipe_seconds(texts, indexed_attribute_rules=settings.SPACY_INDEXED_ATTRIBUTE_RULES)
        raw_whole = raw_pipe_seconds(texts, whole_texts=True)
        one = run_workers(1, texts, f"one{number}", log_dir)
        clear_sources()
        single = run_workers(1, texts, f"single{number}", log_dir, together=False)
        clear_sources()
        two = run_workers(2, texts, f"two{number}", log_dir)
        clear_sources()
        rounds.append(
            {
                "raw_nlp_pipe_docs_per_s": round(args.docs / raw, 2),
                "raw_nlp_pipe_indexed_attribute_rules_docs_per_s": round(args.docs / raw_indexed, 2),
                "raw_nlp_pipe_whole_texts_default_batch_docs_per_s": round(args.docs / raw_whole, 2),
                "pipeline_1_worker_docs_per_s": round(args.docs / one, 2),
                "pipeline_1_worker_one_task_per_source_docs_per_s": round(args.docs / single, 2),
                "pipeline_2_workers_docs_per_s": round(args.docs / two, 2),
                "ratio_1_worker_vs_raw": round(raw / one, 3),
                "ratio_1_worker_vs_raw_indexed_attribute_rules": round(raw_indexed / one, 3),
                "ratio_1_worker_vs_raw_whole_texts_default_batch": round(raw_whole / one, 3),
                "ratio_1_worker_one_task_per_source_vs_raw": round(raw / single, 3),
                "ratio_2_workers_vs_1": round(one / two, 3),
            }
        )
        print(json.dumps({"round": number + 1, **rounds[-1]}), file=sys.stderr, flush=True)
    memory = memory_profile(args.memory_docs, log_dir) if args.memory_docs else {}
    clear_sources()
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "proposer": f"{active_proposer().NAME} {active_proposer().VERSION}",
        "docs": args.docs,
        "words": words,
        "batch_sources": settings.PROPOSAL_BATCH_SOURCES,
        "rounds": rounds,
        "median": {key: statistics.median(r[key] for r in rounds) for key in rounds[0]} if rounds else {},
        **memory,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
