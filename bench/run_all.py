"""Run every benchmark, one after another, each in a database of its own; `make bench` calls this
inside .ci/with-services (throwaway PostgreSQL and Redis). Output also goes to bench/results/."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PROJECT_DIR, ensure_database

RESULTS = PROJECT_DIR / "bench" / "results"


def database(name: str) -> str:
    """A PostgreSQL database of its own for one benchmark (created if missing)."""
    url = urlparse(os.environ["DATABASE_URL"])
    own = urlunparse(url._replace(path=f"/{name}"))
    previous = os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = own
    try:
        ensure_database()
    finally:
        os.environ["DATABASE_URL"] = previous
    return own


def run(name: str, args: list[str], env: dict[str, str]) -> None:
    started = time.monotonic()
    print(f"== {name}: {' '.join(args)}", flush=True)
    result = subprocess.run(
        [sys.executable, *args], cwd=PROJECT_DIR, env={**os.environ, **env}, capture_output=True, text=True
    )
    output = result.stdout + (f"\n[stderr]\n{result.stderr[-4000:]}" if result.returncode else "")
    (RESULTS / f"{name}.txt").write_text(output)
    print(output, f"({time.monotonic() - started:.0f}s, exit {result.returncode})", flush=True)


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Run through .ci/with-services (make bench): the benchmarks need PostgreSQL and Redis.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="corroborate-bench-"))
    local = {"DJANGO_SETTINGS_MODULE": "config.settings.local", "SECRET_KEY": "benchmarks"}
    run("pipeline", ["bench/bench_pipeline.py"], {**local, "DATABASE_URL": database("bench_pipeline")})
    run("graph", ["bench/bench_graph.py", "--generate"], {**local, "DATABASE_URL": database("bench_graph")})
    run("api_load", ["bench/bench_api_load.py"], {**local, "DATABASE_URL": database("bench_api")})
    run("reader", ["bench/bench_reader.py"], {"DATABASE_URL": f"sqlite:///{scratch / 'reader.sqlite3'}"})
    run("graph_page", ["bench/bench_graph_page.py"], {})
    run("suggestions", ["bench/bench_suggestions.py"], {**local, "DATABASE_URL": database("bench_suggestions")})


if __name__ == "__main__":
    main()
