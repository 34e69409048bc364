from claims.models import Claim, ProposalStatus
from tests.factories import ProposalFactory


def test_list_with_filters(analyst_api, db, django_assert_num_queries):
    low = ProposalFactory(score=0.2)
    high = ProposalFactory(score=0.9, status=ProposalStatus.REJECTED)
    assert analyst_api.get("/api/proposals/").json()["count"] == 2
    assert [p["id"] for p in analyst_api.get("/api/proposals/?min_score=0.5").json()["results"]] == [high.pk]
    assert [p["id"] for p in analyst_api.get(f"/api/proposals/?source={low.source_id}").json()["results"]] == [low.pk]
    assert [p["id"] for p in analyst_api.get("/api/proposals/?status=rejected").json()["results"]] == [high.pk]
    assert analyst_api.get("/api/proposals/?min_score=2").status_code == 400
    assert analyst_api.get("/api/proposals/?source=abc").status_code == 400
    ProposalFactory.create_batch(10)
    with django_assert_num_queries(2):  # count + page (the user's role was looked up above)
        analyst_api.get("/api/proposals/")


def test_accept_as_proposed(analyst_api, db):
    proposal = ProposalFactory()
    response = analyst_api.post(f"/api/proposals/{proposal.pk}/accept/")
    assert response.status_code == 201
    claim = response.json()
    assert claim["quote"] == proposal.text and claim["status"] == "single-source"
    assert response["ETag"] == '"1"'
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    again = analyst_api.post(f"/api/proposals/{proposal.pk}/accept/")
    assert again.status_code == 200 and again.json()["id"] == claim["id"]


def test_accept_edited(analyst_api, db):
    proposal = ProposalFactory()
    start = proposal.source.text.index("the convoy")
    body = {"start": start, "end": proposal.end, "text": "The convoy crossed in 2018."}
    response = analyst_api.post(f"/api/proposals/{proposal.pk}/accept/", body, format="json")
    assert response.status_code == 201
    assert response.json()["start"] == start and response.json()["text"] == body["text"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EDITED


def test_accept_with_bad_offsets_changes_nothing(analyst_api, db):
    proposal = ProposalFactory()
    for body in ({"start": 10, "end": 5}, {"start": -1}, {"end": 10_000}, {"start": "x"}):
        response = analyst_api.post(f"/api/proposals/{proposal.pk}/accept/", body, format="json")
        assert response.status_code == 400, body
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not Claim.objects.exists()


def test_reject(analyst_api, analyst, db):
    proposal = ProposalFactory()
    response = analyst_api.post(f"/api/proposals/{proposal.pk}/reject/")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["decided_by"] == analyst.pk


def test_unknown_proposal_is_404(analyst_api, db):
    assert analyst_api.post("/api/proposals/999/accept/").status_code == 404
    assert analyst_api.post("/api/proposals/99999999999999999999999/accept/").status_code == 404
