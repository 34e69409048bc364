import csv
import io

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.services import claim_create
from tests.factories import SourceFactory


def test_fields_are_exactly_the_contract(analyst_api, corpus):
    claim = corpus["claims"]["convoy"]
    response = analyst_api.get(f"/api/claims/{claim.pk}/")
    assert response.status_code == 200
    assert set(response.json()) == {
        "id",
        "source",
        "start",
        "end",
        "quote",
        "text",
        "speaker",
        "kind",
        "entities",
        "status",
        "created_by",
        "created_at",
        "suggestions_computed_at",
    }
    assert response.json()["status"] == "corroborated"
    assert response.json()["created_by"] == "ana"
    assert response["ETag"] == f'"{claim.version}"'


def test_create_and_quote_is_the_slice(analyst_api, db):
    source = SourceFactory()
    start = source.text.index("Moscow")
    body = {"source": source.pk, "start": start, "end": len(source.text), "speaker": "Moscow"}
    response = analyst_api.post("/api/claims/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["quote"] == source.text[start:] == data["text"]
    assert data["speaker"] == "Moscow" and data["status"] == "single-source"
    assert response["ETag"] == '"1"'


def test_status_roll_up_and_filters(analyst_api, corpus):
    claims = corpus["claims"]

    def ids(query):
        response = analyst_api.get(f"/api/claims/?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("status=contested") == {claims["peskov"].pk, claims["denial"].pk}
    assert ids("status=corroborated") == {claims["convoy"].pk, claims["residents"].pk}
    assert ids("status=single-source") == {claims["analysts"].pk}
    assert ids(f"source={corpus['sources']['wire'].pk}") == {claims["convoy"].pk, claims["denial"].pk}
    assert ids("speaker=peskov") == {claims["peskov"].pk}
    assert ids("q=convoy 2018") == {claims["convoy"].pk, claims["residents"].pk, claims["analysts"].pk}
    assert ids("q=nothing-like-this") == set()


def test_entity_filter(analyst_api, db):
    source = SourceFactory(text="Dmitry Peskov spoke. Kabulov answered.")
    peskov = [{"text": "Dmitry Peskov", "label": "PERSON", "start": 0, "end": 13}]
    kabulov = [{"text": "Kabulov", "label": "PERSON", "start": 21, "end": 28}]
    claim_create(source=source, start=0, end=20, entities=peskov)
    claim_create(source=source, start=21, end=38, entities=kabulov)
    rows = analyst_api.get("/api/claims/?entity=dmitry peskov").json()["results"]
    assert [row["start"] for row in rows] == [0]
    assert analyst_api.get("/api/claims/?entity=PERSON").json()["count"] == 0


def test_ordering_is_whitelisted(analyst_api, corpus):
    rows = analyst_api.get("/api/claims/?ordering=id").json()["results"]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert analyst_api.get("/api/claims/?ordering=-start,id").status_code == 200
    refused = analyst_api.get("/api/claims/?ordering=quote")
    assert refused.status_code == 400 and "ordering" in refused.json()
    assert analyst_api.get("/api/claims/?ordering=source__text").status_code == 400
    assert analyst_api.get("/api/claims/?status=bogus").status_code == 400


def test_pagination(analyst_api, corpus):
    page = analyst_api.get("/api/claims/?page_size=2").json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert analyst_api.get("/api/claims/?page=99").status_code == 404


def test_patch_and_delete(analyst_api, corpus):
    claim = corpus["claims"]["analysts"]
    response = analyst_api.patch(f"/api/claims/{claim.pk}/", {"text": "Analysts date it to 2018."}, format="json")
    assert response.status_code == 200
    assert response.json()["text"] == "Analysts date it to 2018."
    assert response["ETag"] == '"2"'
    assert analyst_api.delete(f"/api/claims/{claim.pk}/").status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_stale_if_match_is_412_and_changes_nothing(analyst_api, corpus):
    claim = corpus["claims"]["analysts"]
    url = f"/api/claims/{claim.pk}/"
    etag = analyst_api.get(url)["ETag"]
    first = analyst_api.patch(url, {"speaker": "Analysts"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    second = analyst_api.patch(url, {"speaker": "Lost"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert analyst_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert analyst_api.patch(url, {"speaker": "x"}, format="json", HTTP_IF_MATCH="garbage").status_code == 412
    claim.refresh_from_db()
    assert claim.speaker == "Analysts" and claim.version == 2
    assert analyst_api.delete(url, HTTP_IF_MATCH=first["ETag"]).status_code == 204


def test_csv_export(analyst_api, corpus):
    response = analyst_api.get("/api/claims/?format=csv&status=contested")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["speaker"] for row in rows} == {"Peskov", "Moscow"}
    assert {row["status"] for row in rows} == {"contested"}


def test_jsonl_export_streams_every_claim(analyst_api, corpus):
    response = analyst_api.get("/api/export/claims.jsonl")
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    rows = [orjson.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(rows) == 5 and rows[0]["status"] == "corroborated"
    assert analyst_api.get("/api/export/claims.jsonl?status=nope").status_code == 400
    only = b"".join(analyst_api.get("/api/export/claims.jsonl?speaker=peskov").streaming_content)
    assert len(only.splitlines()) == 1


def test_web_annotation(analyst_api, corpus):
    claim = corpus["claims"]["denial"]
    response = analyst_api.get(f"/api/claims/{claim.pk}/annotation/")
    assert response.status_code == 200
    assert response["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    annotation = response.json()
    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["type"] == "Annotation"
    quote, position = annotation["target"]["selector"]
    text = claim.source.text
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == text[position["start"] : position["end"]]
    assert text.endswith(quote["prefix"] + quote["exact"] + quote["suffix"])
    assert position == {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}
    assert annotation["body"]["value"] == claim.text
    as_json = analyst_api.get(f"/api/claims/{claim.pk}/annotation/", HTTP_ACCEPT="application/json")
    assert as_json.status_code == 200 and as_json["Content-Type"] == "application/json"
    assert analyst_api.get("/api/claims/9999/annotation/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/api/claims/", "/api/claims/?status=contested&q=the", "/api/claims/?format=csv", "/api/export/claims.jsonl"],
)
def test_query_count_does_not_grow(analyst_api, corpus, url, django_assert_num_queries):
    def fetch():
        response = analyst_api.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    fetch()
    with CaptureQueriesContext(connection) as few:
        fetch()
    source = SourceFactory(text=" ".join(f"The convoy line {n}." for n in range(30)))
    for n in range(30):
        start = source.text.index(f"The convoy line {n}.")
        claim_create(source=source, start=start, end=start + len(f"The convoy line {n}."))
    with django_assert_num_queries(len(few)):
        fetch()
