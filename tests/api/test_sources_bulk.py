"""POST /api/sources/bulk/: several sources in one request, all or none, parsed together."""

import pytest

from sources.models import Source, SourceStatus
from tests.factories import SourceFactory

TEXTS = [
    "Officials said the convoy crossed the border in 2011.",
    "Moscow denied the report about the convoy on Monday.",
    "Inspectors counted 40 trucks at the crossing.",
]


@pytest.mark.django_db(transaction=True)
def test_sources_are_created_in_order_and_parsed_together(analyst_api, tasks_run, settings):
    settings.PROPOSAL_BATCH_SOURCES = 10
    known = SourceFactory(text=TEXTS[2], status=SourceStatus.PROPOSED)
    body = {"sources": [{"title": f"Report {n}", "text": text, "outlet": "Wire"} for n, text in enumerate(TEXTS)]}

    response = analyst_api.post("/api/sources/bulk/", body, format="json")

    assert response.status_code == 201
    items = response.json()
    assert [item["created"] for item in items] == [True, True, False]
    assert [item["source"]["title"] for item in items] == ["Report 0", "Report 1", known.title]
    new_ids = [item["source"]["id"] for item in items[:2]]
    assert tasks_run == [("sources_propose_claims", new_ids)]  # one task for both, none for the known text
    for source in Source.objects.filter(pk__in=new_ids):
        assert source.status == SourceStatus.PROPOSED and source.outlet == "Wire"


def test_one_bad_source_refuses_them_all_and_names_it(analyst_api, db):
    body = {"sources": [{"title": "Fine", "text": TEXTS[0]}, {"title": "Blank", "text": " \n "}]}

    response = analyst_api.post("/api/sources/bulk/", body, format="json")

    assert response.status_code == 400
    assert "Source 1: text:" in str(response.json())
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sources": []}, "sources"),
        ({"sources": [{"title": "No text"}]}, "sources"),
        ({"sources": "not a list"}, "sources"),
        ({}, "sources"),
        ([{"title": "A", "text": "B"}], "non_field_errors"),
    ],
)
def test_malformed_requests_are_refused(analyst_api, db, body, field):
    response = analyst_api.post("/api/sources/bulk/", body, format="json")

    assert response.status_code == 400 and field in response.json()
    assert not Source.objects.exists()


def test_more_sources_than_the_limit_are_refused(analyst_api, db, settings):
    too_many = settings.API_BULK_SOURCES_MAX + 1
    body = {"sources": [{"title": f"T{n}", "text": f"Text number {n}."} for n in range(too_many)]}

    response = analyst_api.post("/api/sources/bulk/", body, format="json")

    assert response.status_code == 400 and "sources" in response.json()
    assert not Source.objects.exists()


def test_viewers_and_strangers_cannot_create(viewer_api, api_client, db):
    body = {"sources": [{"title": "A", "text": TEXTS[0]}]}

    assert viewer_api.post("/api/sources/bulk/", body, format="json").status_code == 403
    assert api_client.post("/api/sources/bulk/", body, format="json").status_code == 401
    assert not Source.objects.exists()
