"""Adding sources, editing claims, linking evidence, and what the list pages show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Claim
from evidence.models import EvidenceLink
from sources.models import Source, SourceStatus
from tests.factories import ClaimFactory, ProposalFactory

pytestmark = pytest.mark.django_db


# --- New source --------------------------------------------------------------------------------------


def test_paste_a_source(analyst_client, analyst):
    response = analyst_client.post(
        "/sources/new/", {"title": "Pasted", "text": "Moscow denied it.", "outlet": "Wire", "reliability": "B"}
    )
    source = Source.objects.get()
    assert response["Location"] == f"/sources/{source.pk}/"
    assert (source.title, source.outlet, source.reliability, source.created_by) == ("Pasted", "Wire", "B", analyst)


def test_pasting_the_same_text_again_opens_the_existing_source(analyst_client):
    analyst_client.post("/sources/new/", {"title": "One", "text": "Moscow denied it.", "reliability": "F"})
    response = analyst_client.post("/sources/new/", {"title": "Two", "text": "Moscow denied it.", "reliability": "F"})
    assert Source.objects.count() == 1
    assert response["Location"] == f"/sources/{Source.objects.get().pk}/"


def test_upload_an_html_source_shows_its_extracted_text(analyst_client):
    html = b"<html><head><title>Page title</title></head><body><article><p>Kabulov denied the report on Monday, "
    html += b"saying it was invented.</p><script>alert(1)</script></article></body></html>"
    analyst_client.post("/sources/new/", {"file": SimpleUploadedFile("page.html", html), "reliability": "F"})
    source = Source.objects.get()
    assert source.format == "text/html"
    assert "Kabulov denied" in source.text
    reader = analyst_client.get(f"/sources/{source.pk}/").content.decode()
    assert "alert(1)" not in reader.split('id="article"')[1].split("</div>")[0]


def test_an_unsupported_upload_is_refused_on_the_form(analyst_client):
    response = analyst_client.post("/sources/new/", {"file": SimpleUploadedFile("x.pdf", b"%PDF"), "reliability": "F"})
    assert response.status_code == 200
    assert "unsupported file type" in response.content.decode()
    assert not Source.objects.exists()


def test_a_url_source_is_left_to_a_worker(analyst_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = analyst_client.post("/sources/new/", {"url": "https://example.org/a", "reliability": "F"})
    source = Source.objects.get()
    assert source.status == SourceStatus.FETCHING
    assert response["Location"] == f"/sources/{source.pk}/"
    assert len(callbacks) == 1
    reader = analyst_client.get(f"/sources/{source.pk}/").content.decode()
    assert "A worker is fetching" in reader


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste the text, choose a file, or give a URL"),
        ({"text": "Some text."}, "A pasted text needs a title."),
        ({"url": "ftp://example.org/a"}, "Only http and https URLs can be used."),
    ],
)
def test_new_source_form_errors(analyst_client, data, message):
    response = analyst_client.post("/sources/new/", {"reliability": "F", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


# --- Claim page --------------------------------------------------------------------------------------


def test_linking_a_statement_that_is_not_a_claim_yet_makes_it_one(analyst_client, corpus, analyst):
    claim = corpus["claim"]
    statement = ProposalFactory(source=corpus["third"], start=0, end=8, text=corpus["third"].text[:8])
    page = analyst_client.get(f"/claims/{claim.pk}/?q={statement.text.split()[0]}").content.decode()
    assert statement.text in page
    response = analyst_client.post(
        f"/claims/{claim.pk}/evidence/",
        {"source": statement.source_id, "start": statement.start, "end": statement.end, "stance": "qualifies"},
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(stance="qualifies")
    assert (link.claim, link.evidence_claim.quote, link.created_by) == (claim, statement.text, analyst)


def test_roll_up_changes_when_a_denial_is_removed(analyst_client, corpus):
    claim, link = corpus["claim"], corpus["link"]
    assert 'id="rollup" class="rollup rollup-contested"' in analyst_client.get(f"/claims/{claim.pk}/").content.decode()
    response = analyst_client.post(f"/claims/{claim.pk}/evidence/{link.pk}/delete/")
    assert response.status_code == 302
    page = analyst_client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="rollup" class="rollup rollup-corroborated"' in page
    assert "removed the link to" in page


def test_a_link_is_removed_only_through_a_claim_it_touches(analyst_client, corpus):
    unrelated = ClaimFactory()
    response = analyst_client.post(f"/claims/{unrelated.pk}/evidence/{corpus['link'].pk}/delete/")
    assert response.status_code == 404
    assert EvidenceLink.objects.filter(pk=corpus["link"].pk).exists()


def test_evidence_from_the_same_source_is_refused_on_the_page(analyst_client, corpus):
    claim = corpus["claim"]
    moscow = claim.source.text.index("Moscow")
    response = analyst_client.post(
        f"/claims/{claim.pk}/evidence/",
        {"source": claim.source_id, "start": moscow, "end": len(claim.source.text), "stance": "denies"},
    )
    assert response.status_code == 400
    assert "different source" in response.content.decode()


def test_claim_page_shows_quote_in_paragraph_evidence_groups_and_history(analyst_client, corpus):
    claim = corpus["claim"]
    page = analyst_client.get(f"/claims/{claim.pk}/").content.decode()
    assert f"<mark>{claim.quote}</mark>" in page
    denying, corroborating = page.split("Denying")[1].split("Corroborating")
    assert corpus["other"].quote in denying
    assert corpus["echo"].quote in corroborating
    assert "created the claim" in page
    assert "linked" in page


def test_edit_and_delete_a_claim(analyst_client, corpus):
    claim = corpus["claim"]
    response = analyst_client.post(f"/claims/{claim.pk}/edit/", {"text": "Reworded", "speaker": "Officials"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.speaker) == ("Reworded", "Officials")
    assert "changed the wording and speaker" in analyst_client.get(f"/claims/{claim.pk}/").content.decode()
    response = analyst_client.post(f"/claims/{claim.pk}/delete/")
    assert response["Location"] == f"/sources/{claim.source_id}/"
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_evidence_search_fragment_marks_linked_claims(analyst_client, corpus):
    html = analyst_client.get(f"/claims/{corpus['claim'].pk}/evidence/search/?q=convoy").content.decode()
    assert html.startswith('<div id="statements">')
    assert "Already linked." in html
    assert corpus["claim"].source.title not in html


# --- Lists -------------------------------------------------------------------------------------------


def test_claim_filters(analyst_client, corpus):
    def listed(query):
        return list(analyst_client.get(f"/claims/?{query}").context["page"].object_list)

    assert {c.pk for c in listed("status=contested")} == {corpus["claim"].pk, corpus["other"].pk}
    assert {c.pk for c in listed(f"source={corpus['second'].pk}")} == {corpus["other"].pk}
    assert listed("q=nothing-like-this") == []
    sorted_claims = listed("sort=contested")
    assert sorted_claims[0].pk == corpus["claim"].pk
    assert analyst_client.get("/claims/?sort=bogus").status_code == 200


def test_matrix_marks_what_each_source_says(analyst_client, corpus):
    context = analyst_client.get("/matrix/").context
    row = next(row for row in context["table"] if row["claim"].pk == corpus["claim"].pk)
    cells = {cell["source"].pk: cell for cell in row["cells"]}
    assert cells[corpus["first"].pk]["asserts"]
    assert cells[corpus["second"].pk]["stances"] == ["denies"]
    assert cells[corpus["third"].pk]["stances"] == ["corroborates"]
    assert context["table"][0]["claim"].pk == corpus["claim"].pk


def test_graph_data_has_nodes_and_stances(analyst_client, corpus):
    data = analyst_client.get("/graph/data/").json()
    claim_ids = {row[0] for row in data["claims"]}
    assert claim_ids == {corpus["claim"].pk, corpus["other"].pk, corpus["echo"].pk}
    assert {row[3] for row in data["links"]} == {"denies", "corroborates"}
    statuses = {row[0]: row[3] for row in data["claims"]}
    assert statuses[corpus["claim"].pk] == "contested"
    everything = analyst_client.get("/graph/data/?scope=all").json()
    assert len(everything["claims"]) == Claim.objects.count()
    assert analyst_client.get("/graph/data/?depth=9").status_code == 400


def test_search_finds_sources_and_claims(analyst_client, corpus):
    context = analyst_client.get("/search/?q=convoy 2018").context
    assert len(context["sources"]) == Source.objects.count()
    _before, match, _after = context["sources"][0][1]
    assert match.lower() == "convoy"
    assert len(context["claims"]) == Claim.objects.count()
