"""The suggestion endpoints: list a claim's stored suggestions, accept one (as suggested or with another
stance) and reject one. Suggestions are stored with the service the task uses, not computed here."""

from datetime import datetime

import pytest

from claims.models import Claim
from evidence.models import EvidenceLink, SuggestionReview
from evidence.services import suggestions_store
from evidence.suggestions.suggest import SuggestedStatement
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOME = "Officials said the convoy crossed the border in 2018. The convoy carried grain."
OTHER = "Moscow denied that the convoy crossed the border. Residents saw the convoy cross in 2018."


def _span(source, phrase: str) -> dict:
    start = source.text.index(phrase)
    return {"source": source.pk, "start": start, "end": start + len(phrase)}


def _suggested(span: dict, *, text: str, stance: str, score: float, claim_id=None, conflict_note: str = ""):
    return SuggestedStatement(
        source_id=span["source"],
        start=span["start"],
        end=span["end"],
        text=text,
        claim_id=claim_id,
        stance=stance,
        score=score,
        conflict=bool(conflict_note),
        conflict_note=conflict_note,
    )


@pytest.fixture
def stored():
    """A claim with two stored suggestions from another source: a denial (a plain sentence) ranked first,
    and a corroboration that is already a claim, flagged as a conflict."""
    home = SourceFactory(text=HOME)
    other = SourceFactory(text=OTHER, title="Monitor")
    claim = ClaimFactory(source=home, start=0, end=HOME.index(" The convoy carried"))
    denial_text = "Moscow denied that the convoy crossed the border."
    denial = _span(other, denial_text)
    seen = _span(other, "Residents saw the convoy cross in 2018.")
    seen_claim = ClaimFactory(source=other, start=seen["start"], end=seen["end"])
    suggestions_store(
        claim_id=claim.pk,
        suggested=[
            _suggested(denial, text=denial_text, stance="denies", score=0.9),
            _suggested(
                seen,
                text="Residents saw the convoy cross in 2018.",
                stance="corroborates",
                score=0.6,
                claim_id=seen_claim.pk,
                conflict_note="2018 vs 2019",
            ),
        ],
    )
    return {"claim": claim, "other": other, "denial": denial, "seen": seen, "seen_claim": seen_claim}


def url(claim, tail: str = "") -> str:
    return f"/api/claims/{claim.pk}/suggestions/{tail}"


def test_list_best_first_with_span_claim_and_conflict(analyst_api, stored):
    response = analyst_api.get(url(stored["claim"]))
    assert response.status_code == 200
    first, second = response.json()
    assert first == {
        **stored["denial"],
        "text": "Moscow denied that the convoy crossed the border.",
        "claim": None,
        "stance": "denies",
        "score": 0.9,
        "conflict": False,
        "note": "",
    }
    assert second["claim"] == stored["seen_claim"].pk
    assert (second["stance"], second["conflict"], second["note"]) == ("corroborates", True, "2018 vs 2019")


def test_limit(analyst_api, stored):
    assert len(analyst_api.get(url(stored["claim"]), {"limit": 1}).json()) == 1
    assert len(analyst_api.get(url(stored["claim"]), {"limit": ""}).json()) == 2


@pytest.mark.parametrize("limit", ["0", "51", "-1", "ten", "1.5", "9" * 30])
def test_bad_limit_is_a_400(analyst_api, stored, limit):
    response = analyst_api.get(url(stored["claim"]), {"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_no_stored_suggestions_is_an_empty_list(analyst_api):
    assert analyst_api.get(url(ClaimFactory())).json() == []


def test_a_client_can_tell_not_computed_yet_from_none_found(analyst_api):
    claim = ClaimFactory()
    pending = analyst_api.get(url(claim))
    assert pending.json() == [] and "Suggestions-Computed-At" not in pending.headers
    assert analyst_api.get(f"/api/claims/{claim.pk}/").json()["suggestions_computed_at"] is None
    suggestions_store(claim_id=claim.pk, suggested=[])
    computed = analyst_api.get(url(claim))
    stamp = analyst_api.get(f"/api/claims/{claim.pk}/").json()["suggestions_computed_at"]
    assert computed.json() == [] and stamp is not None
    assert datetime.fromisoformat(computed.headers["Suggestions-Computed-At"]) == datetime.fromisoformat(
        stamp.replace("Z", "+00:00")
    )
    # Bookkeeping, not an edit: no history row, and the ETag a client holds stays valid.
    claim.refresh_from_db()
    assert claim.version == 1 and claim.history.count() == 1


def test_unknown_claim_is_a_404(analyst_api):
    assert analyst_api.get("/api/claims/999999/suggestions/").status_code == 404
    assert analyst_api.post("/api/claims/999999/suggestions/reject/", {}, format="json").status_code == 404


def test_list_query_count_does_not_grow_with_suggestions(analyst_api, stored, django_assert_num_queries):
    # The claim, then its suggestions (span claims and exclusions are subqueries).
    with django_assert_num_queries(2):
        assert len(analyst_api.get(url(stored["claim"])).json()) == 2


def test_accept_as_suggested_makes_the_span_a_claim_and_links_it(analyst_api, analyst, stored):
    claim = stored["claim"]
    response = analyst_api.post(url(claim, "accept/"), stored["denial"], format="json")
    assert response.status_code == 201
    body = response.json()
    evidence = Claim.objects.get(source=stored["other"], start=stored["denial"]["start"])
    assert body["claim"] == claim.pk and body["evidence_claim"] == evidence.pk
    assert (body["stance"], body["from_suggestion"], body["created_by"]) == ("denies", True, analyst.username)
    assert response["ETag"] == '"1"'
    assert [item["start"] for item in analyst_api.get(url(claim)).json()] == [stored["seen"]["start"]]
    assert analyst_api.get(f"/api/claims/{claim.pk}/").json()["status"] == "contested"


def test_accept_with_another_stance(analyst_api, stored):
    response = analyst_api.post(
        url(stored["claim"], "accept/"), {**stored["seen"], "stance": "qualifies"}, format="json"
    )
    assert response.status_code == 201
    link = EvidenceLink.objects.get(pk=response.json()["id"])
    assert (link.evidence_claim_id, link.stance) == (stored["seen_claim"].pk, "qualifies")


def test_accepting_a_span_that_is_not_suggested_needs_a_stance(analyst_api, stored):
    span = {**stored["denial"], "end": stored["denial"]["end"] - 1}
    response = analyst_api.post(url(stored["claim"], "accept/"), span, format="json")
    assert response.status_code == 400 and "stance" in response.json()
    response = analyst_api.post(url(stored["claim"], "accept/"), {**span, "stance": "denies"}, format="json")
    assert response.status_code == 201


def test_accepting_twice_is_a_400(analyst_api, stored):
    body = {**stored["seen"], "stance": "corroborates"}
    assert analyst_api.post(url(stored["claim"], "accept/"), body, format="json").status_code == 201
    response = analyst_api.post(url(stored["claim"], "accept/"), body, format="json")
    assert response.status_code == 400 and "evidence_claim" in response.json()


def test_reject_is_remembered(analyst_api, stored):
    claim = stored["claim"]
    response = analyst_api.post(url(claim, "reject/"), stored["denial"], format="json")
    assert response.status_code == 204
    assert [item["start"] for item in analyst_api.get(url(claim)).json()] == [stored["seen"]["start"]]
    review = SuggestionReview.objects.get(claim=claim)
    assert (review.decision, review.start) == ("rejected", stored["denial"]["start"])
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stance": "agrees"}, "stance"),
        ({"stance": None}, "stance"),
        ({"stance": ""}, "stance"),
        ({"source": 999999}, "source"),
        ({"source": "x"}, "source"),
        ({"start": -1}, "start"),
        ({"start": "a"}, "start"),
        ({"end": 2**40}, "end"),
        ({"end": 10_000}, "end"),
        ({"start": 5, "end": 5}, "end"),
    ],
)
@pytest.mark.parametrize("action", ["accept/", "reject/"])
def test_bad_span_or_stance_is_a_400_with_the_field(analyst_api, stored, change, field, action):
    if action == "reject/" and field == "stance":
        return
    body = {**stored["denial"], "stance": "denies", **change} if action == "accept/" else {**stored["denial"], **change}
    response = analyst_api.post(url(stored["claim"], action), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("action", ["accept/", "reject/"])
def test_a_span_of_the_claims_own_source_is_a_400(analyst_api, stored, action):
    claim = stored["claim"]
    body = {"source": claim.source_id, "start": 0, "end": 5, "stance": "denies"}
    response = analyst_api.post(url(claim, action), body, format="json")
    assert response.status_code == 400 and "source" in response.json()


@pytest.mark.parametrize("body", [[], "span", None])
def test_a_body_that_is_not_an_object_is_a_400(analyst_api, stored, body):
    response = analyst_api.post(url(stored["claim"], "accept/"), body, format="json")
    assert response.status_code == 400


def test_viewers_read_but_cannot_decide(viewer_api, stored):
    assert viewer_api.get(url(stored["claim"])).status_code == 200
    for action in ("accept/", "reject/"):
        assert viewer_api.post(url(stored["claim"], action), stored["denial"], format="json").status_code == 403
    assert not EvidenceLink.objects.exists() and not SuggestionReview.objects.exists()


def test_anonymous_is_a_401(api_client, stored):
    assert api_client.get(url(stored["claim"])).status_code == 401
    assert api_client.post(url(stored["claim"], "reject/"), stored["denial"], format="json").status_code == 401


def test_documented_in_the_schema(analyst_api):
    paths = analyst_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "limit" in [p["name"] for p in paths["/api/claims/{id}/suggestions/"]["get"]["parameters"]]
    assert "201" in paths["/api/claims/{id}/suggestions/accept/"]["post"]["responses"]
    assert "204" in paths["/api/claims/{id}/suggestions/reject/"]["post"]["responses"]
