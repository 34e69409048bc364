"""Server-side render time of the source reader for a 10,000-word source with 300 proposals.

    .venv/bin/python bench/bench_reader.py [--runs 20]

Builds the source in a throwaway SQLite database (or DATABASE_URL), then times GET /sources/<id>/
through Django's test client, logged in as an analyst: queries per render, and the median and
95th-percentile time of the whole request and of the reader's context alone. Prints the figures.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(database: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DATABASE_URL"] = database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_source(words: int, proposals: int, claims: int):
    from claims.models import Claim, ClaimProposal
    from sources.models import Source
    from sources.services import source_content_hash

    sentence = "Officials in the northern province said the convoy crossed the border near the river at dawn"
    per = len(sentence.split()) + 2
    text = " ".join(f"{sentence} number {i}." for i in range(words // per + 1))
    source = Source.objects.create(
        title="Bench source", text=text, content_hash=source_content_hash(text), status="proposed"
    )
    starts = [i for i in range(len(text)) if text.startswith("Officials", i)][:proposals]
    made = ClaimProposal.objects.bulk_create(
        ClaimProposal(
            source=source,
            start=start,
            end=text.index(".", start) + 1,
            text=text[start : text.index(".", start) + 1],
            score=(n % 10) / 10,
            entities=[{"text": "Officials", "label": "NORP", "start": start, "end": start + 9}],
            pipeline="bench",
            pipeline_version="1",
            status="accepted" if n < claims else "pending",
        )
        for n, start in enumerate(starts)
    )
    Claim.objects.bulk_create(
        Claim(source=source, start=p.start, end=p.end, quote=p.text, text=p.text, proposal=p) for p in made[:claims]
    )
    return source


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--proposals", type=int, default=300)
    parser.add_argument("--claims", type=int, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup(f"sqlite:///{folder}/bench.sqlite3")
        from django.db import connection
        from django.test import Client

        from sources.views import reader_context
        from tests.factories import AnalystFactory

        source = build_source(args.words, args.proposals, args.claims)
        client = Client(HTTP_HOST="localhost")
        client.force_login(AnalystFactory(username="bench"))
        url = f"/sources/{source.pk}/"
        client.get(url)  # warm the template cache

        queries = []
        # Counted with a wrapper: the request_started signal empties the connection's query log.
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            response = client.get(url)
        assert response.status_code == 200

        request_ms, context_ms = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            request_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            reader_context(source)
            context_ms.append((time.perf_counter() - started) * 1000)

        print(
            f"source: {len(source.text.split()):,} words, {len(source.text):,} characters, "
            f"{source.proposals.count()} proposals, {source.claims.count()} claims"
        )
        print(f"database: {connection.vendor}; runs: {args.runs}")
        print(f"queries per render: {len(queries)} (limit 10)")
        print(f"response size: {len(response.content) / 1024:.0f} KiB")
        print(
            f"whole request: median {statistics.median(request_ms):.1f} ms, p95 {percentile(request_ms, 0.95):.1f} ms"
        )
        print(
            f"reader context: median {statistics.median(context_ms):.1f} ms, p95 {percentile(context_ms, 0.95):.1f} ms"
        )


if __name__ == "__main__":
    main()
