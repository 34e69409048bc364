"""Whole-corpus GET /api/graph/ against its floor, side by side in one run.

The floor is the same rows fetched with one plain SQL query per table and serialised with orjson.
The endpoint is timed through the full Django stack (middleware, token auth, DRF), in process.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/bench_graph.py --generate
    DATABASE_URL=postgres://... python bench/bench_graph.py --generate

--generate migrates the database and runs `generate_corpus` (20,000 claims, 50,000 links) first.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

import orjson  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

FLOOR_SQL = [
    "SELECT id, title, outlet, reliability FROM sources_source ORDER BY id",
    "SELECT id, text, source_id, speaker FROM claims_claim ORDER BY id",
    "SELECT id, claim_id, evidence_claim_id, stance FROM evidence_evidencelink ORDER BY id",
]


def floor() -> bytes:
    tables = []
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql)
            tables.append(cursor.fetchall())
    return orjson.dumps({"sources": tables[0], "claims": tables[1], "links": tables[2]})


def endpoint_client() -> tuple[Client, dict]:
    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_HOST="localhost"), {"Authorization": f"Token {token.key}"}


def endpoint(client, headers, query="") -> bytes:
    response = client.get(f"/api/graph/{query}", headers=headers)
    assert response.status_code == 200, response.status_code
    return response.content


def timed(func, *args) -> tuple[float, int]:
    started = time.perf_counter()
    size = len(func(*args))
    return time.perf_counter() - started, size


def peak_memory(func, *args) -> int:
    tracemalloc.start()
    func(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generate", action="store_true", help="migrate and generate the corpus first")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if args.generate:
        call_command("migrate", verbosity=0)
        call_command("generate_corpus")
    counts = {sql.split("FROM ")[1].split()[0]: None for sql in FLOOR_SQL}
    with connection.cursor() as cursor:
        for table in counts:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - table names are constants above
            counts[table] = cursor.fetchone()[0]
    client, headers = endpoint_client()
    endpoint(client, headers)  # warm up: role cache, imports, SQLite page cache
    floor()

    floor_times, endpoint_times = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        floor_seconds, floor_bytes = timed(floor)
        endpoint_seconds, endpoint_bytes = timed(endpoint, client, headers)
        floor_times.append(floor_seconds)
        endpoint_times.append(endpoint_seconds)
    request_started.disconnect(reset_queries)  # Django empties the query log when a request starts
    with CaptureQueriesContext(connection) as queries:
        endpoint(client, headers)
    all_queries = [q["sql"] for q in queries.captured_queries]
    graph_queries = [sql for sql in all_queries if "auth" not in sql]
    graphml_seconds, graphml_bytes = timed(endpoint, client, headers, "?format=graphml")

    floor_median, endpoint_median = statistics.median(floor_times), statistics.median(endpoint_times)
    print(f"database: {connection.vendor}; rows: {counts}")
    print(f"runs: {args.runs} (interleaved); times are medians, min in brackets")
    print(
        f"floor    (3 SQL + orjson): {floor_median * 1000:8.1f} ms [{min(floor_times) * 1000:.1f}]  {floor_bytes:,} B"
    )
    print(
        f"/api/graph/ (full stack): {endpoint_median * 1000:8.1f} ms [{min(endpoint_times) * 1000:.1f}]  "
        f"{endpoint_bytes:,} B"
    )
    print(f"ratio endpoint/floor: {endpoint_median / floor_median:.2f}x (target <= 2.00x)")
    print(f"queries per request: {len(all_queries)} total, {len(graph_queries)} for the graph")
    floor_peak, endpoint_peak = peak_memory(floor), peak_memory(endpoint, client, headers)
    print(f"peak Python memory (tracemalloc): floor {floor_peak / 2**20:.1f} MiB, ", end="")
    print(f"endpoint {endpoint_peak / 2**20:.1f} MiB")
    print(f"?format=graphml: {graphml_seconds * 1000:.1f} ms, {graphml_bytes:,} B")


if __name__ == "__main__":
    main()
