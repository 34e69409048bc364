"""The claim page's suggested evidence: the stored suggestions listed best first, accepted or rejected
through the page's endpoints (htmx answers with the changed parts, a plain post goes back to the page)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import SUGGESTIONS_WAIT, Claim
from evidence.models import EvidenceLink, SuggestionReview
from evidence.services import suggestions_store
from evidence.suggestions.suggest import SuggestedStatement
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOME = "Officials said the convoy crossed the border in 2018. The convoy carried grain."
OTHER = "Moscow denied that the convoy crossed the border. Residents saw the convoy cross in 2019."
DENIAL = "Moscow denied that the convoy crossed the border."
SEEN = "Residents saw the convoy cross in 2019."
HTMX = {"HTTP_HX_REQUEST": "true"}


def _suggested(source, phrase: str, **kwargs) -> SuggestedStatement:
    start = source.text.index(phrase)
    defaults = {"claim_id": None, "conflict": False, "conflict_note": ""}
    return SuggestedStatement(
        source_id=source.pk, start=start, end=start + len(phrase), text=phrase, **{**defaults, **kwargs}
    )


@pytest.fixture
def stored():
    home = SourceFactory(text=HOME, title="Ledger report")
    other = SourceFactory(text=OTHER, title="Monitor denial", outlet="Monitor")
    claim = ClaimFactory(source=home, start=0, end=HOME.index(" The convoy carried"))
    suggestions_store(
        claim_id=claim.pk,
        suggested=[
            _suggested(other, SEEN, stance="corroborates", score=0.4, conflict=True, conflict_note="2018 vs 2019"),
            _suggested(other, DENIAL, stance="denies", score=0.8),
        ],
    )
    return {"claim": claim, "other": other}


def span(stored, phrase: str, **extra) -> dict:
    start = stored["other"].text.index(phrase)
    return {"source": stored["other"].pk, "start": start, "end": start + len(phrase), **extra}


def suggestions_html(html: str) -> str:
    return html.split('<section id="suggestions"', 1)[1].split("</section>", 1)[0]


def test_lists_stored_suggestions_best_first_with_stance_score_and_conflict(analyst_client, stored):
    html = suggestions_html(analyst_client.get(f"/claims/{stored['claim'].pk}/").content.decode())
    assert "Suggested evidence" in html
    assert html.index(DENIAL) < html.index(SEEN)
    assert "Monitor denial" in html and "score 0.80" in html and "score 0.40" in html
    assert 'class="stance stance-denies">denies<' in html
    assert 'class="badge conflict-badge">conflict</span> 2018 vs 2019' in html
    assert html.count('data-key="c"') == 2 and 'data-keys="1"' in html
    assert 'value="denies" class="no suggested"' in html


def test_a_claim_not_yet_computed_says_so_and_asks_again_until_it_is(analyst_client):
    claim = ClaimFactory()
    opening = '<section id="suggestions"'
    page = analyst_client.get(f"/claims/{claim.pk}/").content.decode()
    assert "a worker is computing suggestions for this claim" in suggestions_html(page)
    assert f'hx-get="/claims/{claim.pk}/suggestions/" hx-trigger="every 3s"' in page.split(opening, 1)[1][:300]
    suggestions_store(claim_id=claim.pk, suggested=[])
    section = analyst_client.get(f"/claims/{claim.pk}/suggestions/").content.decode()
    assert section.startswith(opening) and "hx-trigger" not in section
    assert "No suggestions left to review for this claim" in section


def test_a_claim_whose_suggestions_never_came_says_so_and_stops_asking(analyst_client):
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(created_at=timezone.now() - SUGGESTIONS_WAIT - timedelta(seconds=1))
    section = analyst_client.get(f"/claims/{claim.pk}/suggestions/").content.decode()
    assert "hx-trigger" not in section and "its task was probably lost" in section
    assert f"manage.py index_sources --source {claim.source_id}" in section


def test_the_section_alone_lists_what_is_stored_in_a_fixed_number_of_queries(
    analyst_client, stored, django_assert_num_queries
):
    # Session, user, groups; the claim; its suggestions.
    with django_assert_num_queries(5):
        section = analyst_client.get(f"/claims/{stored['claim'].pk}/suggestions/").content.decode()
    assert section.index(DENIAL) < section.index(SEEN) and "hx-trigger" not in section
    assert analyst_client.get("/claims/999999/suggestions/").status_code == 404


def test_viewers_see_the_list_without_controls(viewer_client, stored):
    html = suggestions_html(viewer_client.get(f"/claims/{stored['claim'].pk}/").content.decode())
    assert DENIAL in html
    assert "<form" not in html and "data-keys" not in html and 'tabindex="0"' not in html


def test_claim_page_reads_the_suggestions_in_one_query(analyst_client, stored, django_assert_num_queries):
    # Session, user, groups; the claim; its evidence; its history (claim, links); the suggestions.
    with django_assert_num_queries(8):
        assert analyst_client.get(f"/claims/{stored['claim'].pk}/").status_code == 200


def test_accept_by_htmx_links_the_span_and_updates_the_page_parts(analyst_client, analyst, stored):
    claim = stored["claim"]
    response = analyst_client.post(
        f"/claims/{claim.pk}/suggestions/accept/", span(stored, DENIAL, stance="denies"), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    evidence = Claim.objects.get(source=stored["other"], quote=DENIAL)
    link = EvidenceLink.objects.get(claim=claim, evidence_claim=evidence)
    assert (link.stance, link.from_suggestion, link.created_by) == ("denies", True, analyst)
    assert html.startswith('<section id="suggestions"')
    assert "Linked: Monitor denial denies this claim." in html
    assert suggestions_html(html).count('class="suggestion"') == 1 and SEEN in suggestions_html(html)
    assert '<span id="rollup" class="rollup rollup-contested" hx-swap-oob="true">' in html
    assert '<div id="evidence-groups" class="evidence-groups" hx-swap-oob="true">' in html
    assert f'href="/claims/{evidence.pk}/"' in html.split('id="evidence-groups"', 1)[1]


def test_accept_with_another_stance_than_suggested(analyst_client, stored):
    claim = stored["claim"]
    analyst_client.post(f"/claims/{claim.pk}/suggestions/accept/", span(stored, SEEN, stance="qualifies"), **HTMX)
    assert EvidenceLink.objects.get(claim=claim).stance == "qualifies"


def test_reject_by_htmx_removes_the_item_and_is_remembered(analyst_client, stored):
    claim = stored["claim"]
    response = analyst_client.post(f"/claims/{claim.pk}/suggestions/reject/", span(stored, DENIAL), **HTMX)
    assert response.status_code == 200
    assert DENIAL not in suggestions_html(response.content.decode())
    assert SuggestionReview.objects.get(claim=claim).decision == "rejected"
    assert not EvidenceLink.objects.exists()
    assert DENIAL not in suggestions_html(analyst_client.get(f"/claims/{claim.pk}/").content.decode())


def test_plain_form_posts_go_back_to_the_page(analyst_client, stored):
    claim = stored["claim"]
    response = analyst_client.post(f"/claims/{claim.pk}/suggestions/accept/", span(stored, SEEN, stance="corroborates"))
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/#suggestions"
    response = analyst_client.post(f"/claims/{claim.pk}/suggestions/reject/", span(stored, DENIAL))
    assert response.status_code == 302
    page = analyst_client.get(response["Location"]).content.decode()
    assert "it will not be suggested again" in page and "No suggestions left to review for this claim" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stance": "agrees"}, "Select a valid choice"),
        ({"start": "x"}, "Enter a whole number"),
        ({"source": 999999}, "No such source"),
        ({"end": 10_000}, "inside the source"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_input_is_a_400_with_the_message(analyst_client, stored, change, message, htmx):
    claim = stored["claim"]
    data = {**span(stored, DENIAL, stance="denies"), **change}
    response = analyst_client.post(f"/claims/{claim.pk}/suggestions/accept/", data, **(HTMX if htmx else {}))
    assert response.status_code == 400
    assert message in suggestions_html(response.content.decode())
    assert not EvidenceLink.objects.exists()


def test_a_span_of_the_claims_own_source_is_refused(analyst_client, stored):
    claim = stored["claim"]
    data = {"source": claim.source_id, "start": 0, "end": 5}
    response = analyst_client.post(f"/claims/{claim.pk}/suggestions/reject/", data, **HTMX)
    assert response.status_code == 400 and "different source" in response.content.decode()


def test_viewers_get_403_and_nothing_changes(viewer_client, stored):
    claim = stored["claim"]
    for action, data in (("accept", span(stored, DENIAL, stance="denies")), ("reject", span(stored, DENIAL))):
        assert viewer_client.post(f"/claims/{claim.pk}/suggestions/{action}/", data, **HTMX).status_code == 403
    assert not EvidenceLink.objects.exists() and not SuggestionReview.objects.exists()


def test_get_is_refused_and_unknown_claims_are_404(analyst_client, stored):
    assert analyst_client.get(f"/claims/{stored['claim'].pk}/suggestions/accept/").status_code == 405
    assert analyst_client.post("/claims/999999/suggestions/reject/", span(stored, DENIAL)).status_code == 404
