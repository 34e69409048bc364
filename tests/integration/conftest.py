"""Real servers and processes for the integration suites: no test doubles here."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for(settings_dict) -> str:
    """A DATABASE_URL that reaches the database the tests are using (pytest-django's test database)."""
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class Process:
    """A child process whose output goes to a log file that a failing test can show."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._log_file = log.open("w")
        self.popen = subprocess.Popen(
            args, cwd=PROJECT_DIR, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text()

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log_file.close()


def base_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.update(overrides)
    return env


def start_worker(env: dict[str, str], log: Path, concurrency: int = 1) -> Process:
    args = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--concurrency={concurrency}", "-l", "info"]
    return Process(args, env, log)


def wait_for(predicate, timeout: float, what: str, process: Process | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.popen.poll() is not None:
            pytest.fail(f"process exited while waiting for {what}:\n{process.output()[-3000:]}")
        time.sleep(0.25)
    detail = f"\n{process.output()[-3000:]}" if process is not None else ""
    pytest.fail(f"timed out after {timeout}s waiting for {what}{detail}")
