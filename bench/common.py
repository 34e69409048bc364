"""Shared set-up for the benchmarks: a database to work in, the seed articles, a worker process."""

import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR.parent / "shared" / "seeds"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def setup_django() -> None:
    sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_paragraphs() -> list[str]:
    """Body paragraphs of the shared seed articles (read at run time, never copied)."""
    paragraphs = []
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
        paragraphs.extend(line for line in lines[1:] if len(line) > 80)
    return paragraphs


def synthetic_articles(count: int, paragraphs_per_article: int = 6, seed: int = 7) -> list[str]:
    """Articles assembled from seed paragraphs in a random order, each made unique by a dateline."""
    rng = random.Random(seed)
    pool = seed_paragraphs()
    articles = []
    for number in range(count):
        body = rng.sample(pool, min(paragraphs_per_article, len(pool)))
        articles.append(f"Bulletin {number}\n" + "\n".join(body))
    return articles


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.extend(int(child) for child in text)
    return children


class Worker:
    """A real Celery worker (prefork) on the broker in REDIS_URL."""

    def __init__(self, concurrency: int, log: Path, max_tasks_per_child: int | None = None):
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--concurrency={concurrency}",
            "-l",
            os.environ.get("BENCH_WORKER_LOG_LEVEL", "warning"),
        ]
        if max_tasks_per_child:
            args.append(f"--max-tasks-per-child={max_tasks_per_child}")
        self.log = log.open("w")
        self.process = subprocess.Popen(args, cwd=PROJECT_DIR, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        from config.celery_app import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if app.control.ping(timeout=0.5):
                return
        raise RuntimeError("worker did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()
