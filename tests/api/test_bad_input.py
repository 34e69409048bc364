"""Every kind of bad request is a 4xx with a field-level message, and writes nothing."""

import pytest

from claims.models import Claim
from evidence.models import EvidenceLink
from sources.models import Source


@pytest.fixture
def counts():
    def snapshot():
        return Source.objects.count(), Claim.objects.count(), EvidenceLink.objects.count()

    return snapshot


def _post_raw(client, url, body: bytes, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize("url", ["/api/sources/", "/api/claims/", "/api/evidence/"])
@pytest.mark.parametrize("body", [b"{not json", b'{"title": "x",}', b"\xff\xfe", b"[1, 2]", b'"text"', b"42", b"null"])
def test_malformed_or_non_object_json(analyst_api, corpus, counts, url, body):
    before = counts()
    response = _post_raw(analyst_api, url, body)
    assert response.status_code == 400, response.content
    assert counts() == before


def test_oversized_body_is_413(analyst_api, db, settings, counts):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = analyst_api.post("/api/sources/", {"title": "Big", "text": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert counts() == (0, 0, 0)


def test_text_over_the_source_limit(analyst_api, db, settings):
    settings.SOURCE_MAX_CHARS = 100
    response = analyst_api.post("/api/sources/", {"title": "Long", "text": "word " * 50}, format="json")
    assert response.status_code == 400 and "text" in response.json()


def test_unsupported_media_type(analyst_api, db):
    response = _post_raw(analyst_api, "/api/sources/", b"title=x&text=y", "application/x-www-form-urlencoded")
    assert response.status_code == 415


SOURCE_CASES = [
    ({}, "title"),
    ({"title": "T"}, "text"),
    ({"title": "T", "text": ""}, "text"),
    ({"title": "T", "text": "   "}, "text"),
    ({"title": ["T"], "text": "Some text."}, "title"),
    ({"title": "T", "text": 12}, None),
    ({"title": "T", "text": "Some text.", "reliability": "Z"}, "reliability"),
    ({"title": "T", "text": "Some text.", "published_at": "yesterday"}, "published_at"),
    ({"title": "T", "text": "Some text.", "url": "not a url"}, "url"),
    ({"title": "T", "text": "Nul \x00 inside."}, "text"),
    ({"url": "javascript:alert(1)"}, "url"),
]


@pytest.mark.parametrize(("body", "field"), SOURCE_CASES)
def test_bad_sources(analyst_api, db, body, field):
    response = analyst_api.post("/api/sources/", body, format="json")
    if field is None:  # DRF accepts a number for a text field; it is stored as its text
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Source.objects.exists()


def _claim_cases(corpus):
    wire = corpus["sources"]["wire"]
    length = len(wire.text)
    return [
        ({"start": 0, "end": 5}, "source"),
        ({"source": wire.pk, "end": 5}, "start"),
        ({"source": wire.pk, "start": 0}, "end"),
        ({"source": wire.pk, "start": -1, "end": 5}, "start"),
        ({"source": wire.pk, "start": 0, "end": -5}, "end"),
        ({"source": wire.pk, "start": 20, "end": 10}, "end"),
        ({"source": wire.pk, "start": 10, "end": 10}, "end"),
        ({"source": wire.pk, "start": 0, "end": length + 1}, "end"),
        ({"source": wire.pk, "start": "zero", "end": 5}, "start"),
        ({"source": wire.pk, "start": 1.5, "end": 5}, "start"),
        ({"source": wire.pk, "start": True, "end": 5}, "start"),
        ({"source": wire.pk, "start": None, "end": 5}, "start"),
        ({"source": wire.pk, "start": 0, "end": 10**30}, "end"),
        ({"source": 999_999, "start": 0, "end": 5}, "source"),
        ({"source": 10**40, "start": 0, "end": 5}, "source"),
        ({"source": "abc", "start": 0, "end": 5}, "source"),
        ({"source": [wire.pk], "start": 0, "end": 5}, "source"),
        ({"source": wire.pk, "start": 0, "end": 53}, "start"),  # already a claim
        ({"source": wire.pk, "start": 0, "end": 5, "kind": "rumour"}, "kind"),
        ({"source": wire.pk, "start": 0, "end": 5, "speaker": "x" * 201}, "speaker"),
    ]


def test_bad_claims(analyst_api, corpus, counts):
    before = counts()
    for body, field in _claim_cases(corpus):
        response = analyst_api.post("/api/claims/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())
    assert counts() == before


def test_bad_claim_edits(analyst_api, corpus):
    claim = corpus["claims"]["convoy"]
    url = f"/api/claims/{claim.pk}/"
    for body, field in [
        ({"start": -3}, "start"),
        ({"start": 40, "end": 20}, "end"),
        ({"end": 10_000}, "end"),
        ({"start": 54, "end": 81}, "start"),  # the span of another claim
        ({"kind": 5}, "kind"),
    ]:
        response = analyst_api.patch(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()
    claim.refresh_from_db()
    assert (claim.start, claim.end, claim.version) == (0, 53, 1)


def test_bad_evidence(analyst_api, corpus, counts):
    claims, sources = corpus["claims"], corpus["sources"]
    convoy, denial, residents, analysts = (claims[k].pk for k in ("convoy", "denial", "residents", "analysts"))
    before = counts()
    cases = [
        ({"evidence_claim": residents, "stance": "denies"}, "claim"),
        ({"claim": convoy, "stance": "denies"}, "evidence_claim"),
        ({"claim": convoy, "evidence_claim": analysts}, "stance"),
        ({"claim": convoy, "evidence_claim": convoy, "stance": "denies"}, "evidence_claim"),
        ({"claim": convoy, "evidence_claim": denial, "stance": "denies"}, "evidence_claim"),
        ({"claim": convoy, "evidence_claim": residents, "stance": "denies"}, "evidence_claim"),
        ({"claim": residents, "evidence_claim": convoy, "stance": "denies"}, "evidence_claim"),
        ({"claim": convoy, "evidence_claim": 424242, "stance": "denies"}, "evidence_claim"),
        ({"claim": 424242, "evidence_claim": convoy, "stance": "denies"}, "claim"),
        ({"claim": denial, "evidence_claim": analysts, "stance": "maybe"}, "stance"),
        ({"claim": denial, "evidence_claim": analysts, "stance": ["denies"]}, "stance"),
        ({"claim": convoy, "source": sources["daily"].pk, "start": 5, "end": 2, "stance": "denies"}, "end"),
        ({"claim": convoy, "source": sources["daily"].pk, "start": -1, "end": 2, "stance": "denies"}, "start"),
        ({"claim": convoy, "source": sources["daily"].pk, "start": 0, "end": 10**6, "stance": "denies"}, "end"),
        ({"claim": convoy, "source": 424242, "start": 0, "end": 5, "stance": "denies"}, "source"),
        ({"claim": convoy, "source": sources["wire"].pk, "start": 54, "end": 81, "stance": "denies"}, "source"),
        ({"claim": convoy, "source": sources["daily"].pk, "end": 5, "stance": "denies"}, "start"),
    ]
    for body, field in cases:
        response = analyst_api.post("/api/evidence/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), (body, response.json())
    assert counts() == before


def test_bad_evidence_edit(analyst_api, corpus):
    link = corpus["links"]["denies"]
    response = analyst_api.patch(f"/api/evidence/{link.pk}/", {"stance": "loves"}, format="json")
    assert response.status_code == 400 and "stance" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/claims/abc/",
        "/api/claims/99999999999999999999999999/",
        "/api/claims/-1/",
        "/api/claims/424242/",
        "/api/sources/424242/",
        "/api/evidence/424242/",
        "/api/claims/?source=99999999999999999999999999",
        "/api/claims/?page=abc",
        "/api/graph/?claim=99999999999999999999999999",
        "/api/graph/?depth=-1",
        "/api/proposals/?min_score=abc",
    ],
)
def test_bad_urls_are_4xx(analyst_api, corpus, url):
    status = analyst_api.get(url).status_code
    assert 400 <= status < 500 or (url.startswith("/api/claims/?source=") and status == 200)
