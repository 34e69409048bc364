"""Latency of GET /api/claims/{id}/ and of a filtered claim list under concurrent load.

gunicorn (2 sync workers) serves the app on PostgreSQL; a second process sends requests from
several threads over keep-alive connections on loopback, bounded in count and time.

    .ci/with-services .venv/bin/python bench/bench_api_load.py [--threads 8] [--requests 2000]

The database named in DATABASE_URL gets the generated corpus (20,000 claims, 50,000 links) if it
has no claims yet.
"""

import argparse
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PROJECT_DIR, free_port, setup_django


def _client(port: int, token: str, paths: list[str], count: int, deadline: float, out) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    latencies = []
    errors = 0
    for path in random.Random(os.getpid() + threading.get_ident()).choices(paths, k=count):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        errors += response.status != 200
    out.extend(latencies)
    out.append(-float(errors) - 1)  # marker: -(errors + 1)


def _load(port: int, token: str, paths: list[str], threads: int, total: int, seconds: float, queue) -> None:
    """Runs in a second process: `threads` clients share `total` requests and `seconds` of time."""
    deadline = time.monotonic() + seconds
    results: list[list[float]] = [[] for _ in range(threads)]
    workers = [
        threading.Thread(target=_client, args=(port, token, paths, total // threads, deadline, results[n]))
        for n in range(threads)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = [value for result in results for value in result if value >= 0]
    errors = sum(-int(value) - 1 for result in results for value in result if value < 0)
    queue.put({"latencies": latencies, "errors": errors, "elapsed": elapsed})


def measure(port: int, token: str, paths: list[str], threads: int, total: int, seconds: float) -> dict:
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_load, args=(port, token, paths, threads, total, seconds, queue))
    process.start()
    result = queue.get(timeout=seconds + 120)
    process.join()
    latencies = sorted(result["latencies"])
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": result["errors"],
        "requests_per_s": round(len(latencies) / result["elapsed"], 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p95_ms": round(quantiles[94] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()

    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from claims.models import Claim

    if not Claim.objects.exists():
        call_command("generate_corpus")
    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    token = Token.objects.get_or_create(user=user)[0].key
    claim_ids = list(Claim.objects.values_list("id", flat=True)[:5000])
    speakers = [s for s in Claim.objects.exclude(speaker="").values_list("speaker", flat=True).distinct()[:20]]

    port = free_port()
    log = open(Path("/tmp") / "bench-api-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/health/")
                break
            except OSError:
                time.sleep(0.1)
        detail_paths = [f"/api/claims/{claim_id}/" for claim_id in claim_ids]
        list_paths = [f"/api/claims/?{urlencode({'status': 'contested', 'speaker': s})}" for s in speakers or [""]]
        list_paths += [f"/api/claims/?source={n}&ordering=-created_at" for n in range(1, 50)]
        measure(port, token, detail_paths[:200], args.threads, 200, 20)  # warm both workers' connections
        result = {
            "machine": f"{os.cpu_count()} cores; gunicorn 2 workers and the load process share them",
            "threads": args.threads,
            "claims": Claim.objects.count(),
            "claim_detail": measure(port, token, detail_paths, args.threads, args.requests, args.seconds),
            "filtered_list": measure(port, token, list_paths, args.threads, args.requests, args.seconds),
        }
        print(json.dumps(result, indent=2))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main()
