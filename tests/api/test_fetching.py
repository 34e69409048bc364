"""Sources from a URL: the worker's fetcher refuses internal addresses on every hop."""

import http.server
import ipaddress
import threading

import pytest

from sources import fetching
from sources.fetching import FetchRefused, address_refused, fetch_page
from sources.models import Source, SourceStatus
from sources.services import source_create_from_url, source_fetch_run

ARTICLE = "<html><head><title>Border report</title></head><body><article><p>{}</p></article></body></html>"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "240.0.0.1",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "ff02::1",
    ],
)
def test_internal_addresses_are_refused(address):
    assert address_refused(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass(address):
    assert not address_refused(address)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "not a public address"),
        ("http://localhost:8000/admin", "not a public address"),
        ("http://[::1]/", "not a public address"),
        ("http://169.254.169.254/latest/meta-data/", "not a public address"),
        ("http://2130706433/", "not a public address"),
        ("ftp://example.org/file", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("http://user:pw@example.org/", "user name or password"),
    ],
)
def test_refused_urls(url, reason):
    with pytest.raises(FetchRefused, match=reason):
        fetch_page(url)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site(monkeypatch):
    """A web server on 127.0.0.1, which (for these tests only) counts as public. Every other
    internal address is still refused."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    real = fetching.address_refused
    monkeypatch.setattr(
        fetching, "address_refused", lambda a: ipaddress.ip_address(a) != ipaddress.ip_address("127.0.0.1") and real(a)
    )
    _Handler.routes = {}
    yield f"http://127.0.0.1:{server.server_port}", _Handler.routes
    server.shutdown()


def test_fetch_follows_a_redirect_and_extracts_text(local_site):
    base, routes = local_site
    text = "Officials said the convoy crossed the border in 2018, according to three witnesses. " * 3
    routes["/old"] = (301, {"Location": "/story"}, b"")
    routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.format(text).encode())
    page = fetch_page(f"{base}/old")
    assert page.url == f"{base}/story" and "convoy crossed" in page.body


def test_a_redirect_to_an_internal_address_is_refused(local_site):
    base, routes = local_site
    routes["/go"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254"):
        fetch_page(f"{base}/go")
    routes["/go6"] = (302, {"Location": "http://[::1]:22/"}, b"")
    with pytest.raises(FetchRefused, match="not a public address"):
        fetch_page(f"{base}/go6")


def test_size_and_type_limits(local_site, settings):
    base, routes = local_site
    settings.SOURCE_FETCH_MAX_BYTES = 100
    routes["/big"] = (200, {"Content-Type": "text/plain"}, b"x" * 500)
    with pytest.raises(FetchRefused, match="limit"):
        fetch_page(f"{base}/big")
    routes["/pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF")
    with pytest.raises(FetchRefused, match="application/pdf"):
        fetch_page(f"{base}/pdf")
    routes["/loop"] = (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchRefused, match="redirects"):
        fetch_page(f"{base}/loop")


def test_slow_server_hits_the_time_limit(settings, monkeypatch):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    monkeypatch.setattr(fetching, "address_refused", lambda a: False)
    settings.SOURCE_FETCH_TIMEOUT = 0.5
    try:
        with pytest.raises(FetchRefused, match=r"Timeout|too long"):
            fetch_page(f"http://127.0.0.1:{listener.getsockname()[1]}/")
    finally:
        listener.close()


def test_task_stores_the_page_then_is_idempotent(local_site, db, django_capture_on_commit_callbacks, monkeypatch):
    base, routes = local_site
    text = "The convoy crossed the border in 2018, three witnesses told reporters on Tuesday. " * 3
    routes["/story"] = (200, {"Content-Type": "text/html"}, ARTICLE.format(text).encode())
    proposals = []
    monkeypatch.setattr("claims.tasks.source_propose_claims.delay", proposals.append)
    source = source_create_from_url(url=f"{base}/story")
    assert source.status == SourceStatus.FETCHING
    with django_capture_on_commit_callbacks(execute=True):
        source_fetch_run(source_id=source.pk)
    source.refresh_from_db()
    assert source.status == SourceStatus.PENDING and "convoy crossed" in source.text
    assert source.title == "Border report" and proposals == [source.pk]
    assert source_fetch_run(source_id=source.pk) is None  # a second delivery changes nothing
    again = source_create_from_url(url=f"{base}/story", title="Mine")
    source_fetch_run(source_id=again.pk)
    again.refresh_from_db()
    assert again.status == SourceStatus.FAILED and f"already source {source.pk}" in again.error


def test_refused_fetch_shows_as_failed_through_the_api(analyst_api, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = analyst_api.post("/api/sources/", {"url": "http://127.0.0.1:9/secret"}, format="json")
    assert created.status_code == 202
    source = analyst_api.get(f"/api/sources/{created.json()['id']}/").json()
    assert source["status"] == "failed"
    assert "not a public address" in source["error"]
    assert Source.objects.get().text  # the placeholder never violates the non-empty text rule
