from claims.models import Claim
from evidence.models import EvidenceLink


def test_create_between_claims(analyst_api, corpus):
    claims = corpus["claims"]
    body = {"claim": claims["analysts"].pk, "evidence_claim": claims["denial"].pk, "stance": "denies", "note": "No."}
    response = analyst_api.post("/api/evidence/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["stance"] == "denies" and data["note"] == "No." and data["created_by"] == "ana"
    assert response["ETag"] == '"1"'
    status = analyst_api.get(f"/api/claims/{claims['analysts'].pk}/").json()["status"]
    assert status == "contested"


def test_create_for_a_span_makes_the_claim(analyst_api, corpus):
    claim = corpus["claims"]["convoy"]
    weekly = corpus["sources"]["weekly"]
    phrase = "Kabulov offered talks in 2014."
    start = weekly.text.index(phrase)
    body = {"claim": claim.pk, "source": weekly.pk, "start": start, "end": start + len(phrase), "stance": "qualifies"}
    response = analyst_api.post("/api/evidence/", body, format="json")
    assert response.status_code == 201
    evidence_claim = Claim.objects.get(pk=response.json()["evidence_claim"])
    assert evidence_claim.quote == phrase and evidence_claim.source_id == weekly.pk


def test_span_form_refusal_writes_nothing(analyst_api, corpus):
    claim = corpus["claims"]["convoy"]
    wire = corpus["sources"]["wire"]
    before = Claim.objects.count()
    body = {"claim": claim.pk, "source": wire.pk, "start": 54, "end": 81, "stance": "denies"}
    response = analyst_api.post("/api/evidence/", body, format="json")
    assert response.status_code == 400 and "source" in response.json()
    daily = corpus["sources"]["daily"]
    body = {"claim": claim.pk, "source": daily.pk, "start": 0, "end": 34, "stance": "sideways"}
    assert analyst_api.post("/api/evidence/", body, format="json").status_code == 400
    assert Claim.objects.count() == before


def test_list_filter_retrieve_patch_delete(analyst_api, corpus):
    link = corpus["links"]["denies"]
    claim = corpus["claims"]["peskov"]
    rows = analyst_api.get(f"/api/evidence/?claim={claim.pk}").json()["results"]
    assert [row["id"] for row in rows] == [link.pk]
    assert analyst_api.get("/api/evidence/?stance=qualifies").json()["count"] == 1
    url = f"/api/evidence/{link.pk}/"
    etag = analyst_api.get(url)["ETag"]
    patched = analyst_api.patch(url, {"stance": "qualifies"}, format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 200 and patched["ETag"] == '"2"'
    stale = analyst_api.patch(url, {"note": "late"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert analyst_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    link.refresh_from_db()
    assert link.note == "" and link.stance == "qualifies"
    assert analyst_api.delete(url, HTTP_IF_MATCH=patched["ETag"]).status_code == 204
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()


def test_list_query_count_is_constant(analyst_api, corpus, django_assert_num_queries):
    from evidence.services import evidence_link_create

    analyst_api.get("/api/evidence/")
    with django_assert_num_queries(2):
        analyst_api.get("/api/evidence/")
    claims = corpus["claims"]
    evidence_link_create(claim=claims["analysts"], evidence_claim=claims["denial"], stance="denies")
    evidence_link_create(claim=claims["analysts"], evidence_claim=claims["peskov"], stance="denies")
    with django_assert_num_queries(2):
        assert analyst_api.get("/api/evidence/").json()["count"] == 5
