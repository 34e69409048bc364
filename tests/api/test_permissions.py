"""Anonymous requests get 401 everywhere; viewers read but cannot write; analysts write."""

import pytest

READS = [
    "/api/sources/",
    "/api/proposals/",
    "/api/claims/",
    "/api/evidence/",
    "/api/graph/",
    "/api/export/claims.jsonl",
]
WRITES = [
    ("post", "/api/sources/", {"title": "T", "text": "Some text."}),
    ("post", "/api/claims/", {"source": 1, "start": 0, "end": 4}),
    ("post", "/api/evidence/", {"claim": 1, "evidence_claim": 2, "stance": "denies"}),
    ("patch", "/api/claims/1/", {"text": "x"}),
    ("delete", "/api/claims/1/", None),
    ("patch", "/api/sources/1/", {"title": "x"}),
    ("delete", "/api/sources/1/", None),
    ("patch", "/api/evidence/1/", {"note": "x"}),
    ("delete", "/api/evidence/1/", None),
    ("post", "/api/proposals/1/accept/", {}),
    ("post", "/api/proposals/1/reject/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*READS, "/api/claims/1/", "/api/claims/1/annotation/", "/api/sources/1/"])
def test_anonymous_reads_get_401(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_anonymous_writes_get_401(api_client, method, url, body):
    assert getattr(api_client, method)(url, body, format="json").status_code == 401


@pytest.mark.parametrize("url", READS)
def test_viewer_reads(viewer_api, corpus, url):
    assert viewer_api.get(url).status_code == 200


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_viewer_writes_get_403(viewer_api, corpus, method, url, body):
    assert getattr(viewer_api, method)(url, body, format="json").status_code == 403


def test_token_authentication(client, analyst, corpus):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=analyst)
    response = client.get("/api/claims/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert client.get("/api/claims/", headers={"Authorization": "Token wrong"}).status_code == 401


def test_session_authentication(client, viewer, corpus):
    client.force_login(viewer)
    assert client.get("/api/sources/").status_code == 200


def test_health_needs_a_login_and_checks_database_and_broker(api_client, viewer_api, db):
    assert api_client.get("/api/health/").status_code == 401
    response = viewer_api.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_health_reports_an_unreachable_redis(viewer_api, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = viewer_api.get("/api/health/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("unreachable")


def test_health_reports_a_missing_broker_folder(viewer_api, settings, tmp_path):
    settings.REDIS_URL = ""  # embedded mode: the broker is a folder
    settings.BROKER_DIR = tmp_path / "nowhere"
    response = viewer_api.get("/api/health/")
    assert response.status_code == 503
    assert "not a writable folder" in response.json()["broker"]


def test_schema_and_docs_need_a_login_and_are_local(api_client, viewer, db):
    assert api_client.get("/api/schema/?format=json").status_code == 401
    assert api_client.get("/api/docs/").status_code == 401
    api_client.force_authenticate(viewer)
    schema = api_client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/graph/" in schema.json()["paths"]
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    script = api_client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
