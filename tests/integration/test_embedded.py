"""The embedded default, as `make run` starts it: SQLite, no Redis, a worker on the folder broker,
and a web server that answers at once while the worker runs spaCy."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.integration.conftest import PROJECT_DIR, Process, base_env, free_port, start_worker, wait_for

pytestmark = pytest.mark.integration


def _request(url: str, token: str | None = None, data: dict | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture
def embedded_stack(tmp_path):
    env = base_env(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        BROKER_DIR=str(tmp_path / "broker"),
        REDIS_URL="",
        SECRET_KEY="embedded-tests",
        DJANGO_SUPERUSER_USERNAME="boss",
        DJANGO_SUPERUSER_PASSWORD="boss-password-123",
    )

    def manage(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("migrate", "--noinput", "-v0")
    manage("ensure_superuser")
    token = manage("drf_create_token", "boss").split()[2]
    port = free_port()
    web = Process(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env,
        tmp_path / "web.log",
    )
    worker = start_worker(env, tmp_path / "worker.log")
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _ping(base), timeout=60, what="the web server", process=web)
    yield base, token, worker
    web.stop()
    worker.stop()


def _ping(base: str) -> bool:
    try:
        return _request(f"{base}/api/sources/")[0] == 401
    except OSError:
        return False


def test_embedded_mode_processes_sources_in_the_background(embedded_stack):
    base, token, worker = embedded_stack
    assert _request(f"{base}/api/sources/")[0] == 401, "anonymous requests are refused"

    status, created = _request(
        f"{base}/api/sources/",
        token,
        {"title": "Envoy", "text": "The envoy proposed secret talks in 2014. Officials in Moscow denied it later."},
    )
    assert status == 201
    assert created["status"] in ("pending", "processing"), "the request does not wait for spaCy"

    def proposed():
        return _request(f"{base}/api/sources/{created['id']}/", token)[1]["status"] == "proposed"

    wait_for(proposed, timeout=90, what="the embedded worker", process=worker)
    status, proposals = _request(f"{base}/api/proposals/?source={created['id']}", token)
    assert status == 200
    assert any("secret talks in 2014" in p["text"] for p in proposals["results"])

    status, again = _request(f"{base}/api/sources/", token, {"title": "Copy", "text": created["text"]})
    assert status == 200 and again["id"] == created["id"], "the same text returns the existing source"
