from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Source, SourceStatus
from tests.factories import SourceFactory


def test_create_from_text_then_same_text_returns_it(analyst_api, db):
    body = {"title": "Wire", "text": "The convoy crossed in 2018.", "reliability": "B", "published_at": "2024-05-01"}
    created = analyst_api.post("/api/sources/", body, format="json")
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    assert created.json()["reliability"] == "B"
    again = analyst_api.post("/api/sources/", {**body, "title": "Other"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]


def test_create_from_url_alone_is_left_to_a_worker(analyst_api, db, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("sources.tasks.source_fetch.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_api.post("/api/sources/", {"url": "https://example.org/story"}, format="json")
    assert response.status_code == 202
    data = response.json()
    assert data["status"] == "fetching" and data["url"] == "https://example.org/story"
    assert queued == [data["id"]]


def test_create_from_url_refuses_other_schemes(analyst_api, db):
    response = analyst_api.post("/api/sources/", {"url": "ftp://example.org/a.txt"}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    assert analyst_api.post("/api/sources/", {"url": "file:///etc/passwd"}, format="json").status_code == 400
    assert not Source.objects.exists()


def test_list_retrieve_patch(analyst_api, corpus):
    wire = corpus["sources"]["wire"]
    listed = analyst_api.get("/api/sources/?ordering=title")
    assert [row["title"] for row in listed.json()["results"]] == ["Daily", "Weekly", "Wire"]
    assert analyst_api.get("/api/sources/?ordering=text").status_code == 400
    assert "text" not in listed.json()["results"][0]
    detail = analyst_api.get(f"/api/sources/{wire.pk}/")
    assert detail.json()["text"] == wire.text
    patched = analyst_api.patch(f"/api/sources/{wire.pk}/", {"reliability": "A", "outlet": "Wire"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["reliability"] == "A" and patched.json()["outlet"] == "Wire"


def test_put_is_not_offered(analyst_api, corpus):
    wire = corpus["sources"]["wire"]
    assert analyst_api.put(f"/api/sources/{wire.pk}/", {"title": "x"}, format="json").status_code == 405


def test_filters(analyst_api, corpus):
    SourceFactory(status=SourceStatus.FAILED, error="boom")
    failed = analyst_api.get("/api/sources/?status=failed").json()
    assert failed["count"] == 1 and failed["results"][0]["error"] == "boom"
    assert analyst_api.get("/api/sources/?status=nonsense").status_code == 400


def test_delete_cited_source_needs_force(analyst_api, corpus):
    wire = corpus["sources"]["wire"]
    refused = analyst_api.delete(f"/api/sources/{wire.pk}/")
    assert refused.status_code == 409
    assert refused.json()["links"] == 3
    assert Source.objects.filter(pk=wire.pk).exists()
    assert analyst_api.delete(f"/api/sources/{wire.pk}/?force=maybe").status_code == 400
    assert analyst_api.delete(f"/api/sources/{wire.pk}/?force=true").status_code == 204
    assert not Source.objects.filter(pk=wire.pk).exists()


def test_delete_uncited_source(analyst_api, db):
    source = SourceFactory()
    assert analyst_api.delete(f"/api/sources/{source.pk}/").status_code == 204


def test_list_query_count_is_constant(analyst_api, corpus, django_assert_num_queries):
    analyst_api.get("/api/sources/")  # the role look-up is cached per user object
    with CaptureQueriesContext(connection) as few:
        analyst_api.get("/api/sources/")
    SourceFactory.create_batch(20)
    with django_assert_num_queries(len(few)):
        assert analyst_api.get("/api/sources/").json()["count"] == 23
