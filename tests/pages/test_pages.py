"""Every page, served to analysts and viewers, with its query count pinned."""

import re
from html import unescape

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimProposal
from sources.services import source_content_hash
from tests.factories import ClaimFactory, ProposalFactory, SourceFactory

pytestmark = pytest.mark.django_db


def page_urls(corpus) -> dict[str, str]:
    claim, first = corpus["claim"], corpus["first"]
    return {
        "home": "/",
        "home rows": "/sources/rows/",
        "new source": "/sources/new/",
        "reader": f"/sources/{first.pk}/",
        "reader status": f"/sources/{first.pk}/status/",
        "claims": "/claims/",
        "claims filtered": f"/claims/?status=contested&sort=contested&q=convoy&entity=Moscow&source={first.pk}",
        "claim": f"/claims/{claim.pk}/",
        "claim with search": f"/claims/{claim.pk}/?q=convoy",
        "evidence search": f"/claims/{claim.pk}/evidence/search/?q=convoy",
        "graph": "/graph/",
        "graph data": "/graph/data/",
        "graph data, all": "/graph/data/?scope=all",
        "graph data, source": f"/graph/data/?source={first.pk}",
        "graph data, neighbourhood": f"/graph/data/?claim={claim.pk}&depth=2",
        "matrix": "/matrix/",
        "matrix sorted": "/matrix/?linked=on&sort=corroborated",
        "search": "/search/?q=convoy",
        "search empty": "/search/",
    }


# Session, user and the user's groups are the first three queries of every page.
QUERIES = {
    "home": 6,
    "home rows": 5,
    "new source": 3,
    "reader": 6,
    "reader status": 4,
    "claims": 6,
    "claims filtered": 5,
    "claim": 8,
    "claim with search": 10,
    "evidence search": 7,
    "graph": 4,
    "graph data": 5,
    "graph data, all": 5,
    "graph data, source": 5,
    "graph data, neighbourhood": 7,
    "matrix": 7,
    "matrix sorted": 7,
    "search": 5,
    "search empty": 3,
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_page_query_counts_are_pinned(analyst_client, corpus, django_assert_num_queries, name):
    url = page_urls(corpus)[name]
    with django_assert_num_queries(QUERIES[name]):
        response = analyst_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("name", list(QUERIES))
def test_viewers_can_read_every_page_but_the_new_source_form(viewer_client, corpus, name):
    response = viewer_client.get(page_urls(corpus)[name])
    assert response.status_code == (403 if name == "new source" else 200)


@pytest.mark.parametrize("url", ["/", "/claims/", "/graph/", "/matrix/", "/search/?q=x", "/sources/new/"])
def test_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_has_a_csrf_token_and_logs_in(client, analyst):
    response = client.get("/accounts/login/")
    assert b"csrfmiddlewaretoken" in response.content
    client.handler.enforce_csrf_checks = True
    token = response.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/", {"username": "ana", "password": "pw-for-tests", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_is_a_post(analyst_client):
    response = analyst_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert analyst_client.get("/").status_code == 302


def test_pages_send_a_strict_content_security_policy(analyst_client, corpus):
    policy = analyst_client.get(f"/sources/{corpus['first'].pk}/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_viewers_see_no_edit_controls(viewer_client, corpus):
    reader = viewer_client.get(f"/sources/{corpus['first'].pk}/").content.decode()
    assert 'data-action="accept"' not in reader
    assert "accept-above" not in reader
    assert 'data-can-edit="0"' in reader
    claim = viewer_client.get(f"/claims/{corpus['claim'].pk}/?q=convoy").content.decode()
    assert "Add evidence" not in claim
    assert "Remove link" not in claim
    assert "Delete the claim" not in claim
    home = viewer_client.get("/").content.decode()
    assert reverse("source-new") not in home


def test_analysts_see_edit_controls(analyst_client, corpus):
    reader = analyst_client.get(f"/sources/{corpus['first'].pk}/").content.decode()
    assert 'data-action="accept"' in reader
    assert 'data-can-edit="1"' in reader
    claim = analyst_client.get(f"/claims/{corpus['claim'].pk}/").content.decode()
    assert "Add evidence" in claim
    assert "Remove link" in claim


def writes(corpus) -> list[tuple[str, dict]]:
    first, claim, link = corpus["first"], corpus["claim"], corpus["link"]
    proposal = corpus["proposals"][2]
    return [
        ("/sources/new/", {"title": "T", "text": "Some text."}),
        (f"/sources/{first.pk}/proposals/{proposal.pk}/accept/", {}),
        (f"/sources/{first.pk}/proposals/{proposal.pk}/reject/", {}),
        (f"/sources/{first.pk}/proposals/{proposal.pk}/reopen/", {}),
        (f"/sources/{first.pk}/proposals/{proposal.pk}/split/", {"at": proposal.start + 7}),
        (f"/sources/{first.pk}/proposals/{proposal.pk}/merge/", {"other": corpus["proposals"][0].pk}),
        (f"/sources/{first.pk}/accept-above/", {"score": "0"}),
        (f"/sources/{first.pk}/claims/", {"start": 0, "end": 6}),
        (f"/sources/{first.pk}/claims/{claim.pk}/delete/", {}),
        (f"/claims/{claim.pk}/edit/", {"text": "New wording"}),
        (f"/claims/{claim.pk}/delete/", {}),
        (f"/claims/{claim.pk}/evidence/", {"source": corpus["third"].pk, "start": 0, "end": 8, "stance": "denies"}),
        (f"/claims/{claim.pk}/evidence/{link.pk}/delete/", {}),
    ]


def test_the_server_refuses_every_write_of_a_viewer(viewer_client, corpus):
    before = (Claim.objects.count(), ClaimProposal.objects.filter(status="pending").count())
    for url, data in writes(corpus):
        response = viewer_client.post(url, data, HTTP_ACCEPT="application/json")
        assert response.status_code == 403, url
    assert (Claim.objects.count(), ClaimProposal.objects.filter(status="pending").count()) == before
    assert corpus["link"].__class__.objects.filter(pk=corpus["link"].pk).exists()


def test_writes_are_refused_to_get(analyst_client, corpus):
    for url, _data in writes(corpus)[1:]:
        assert analyst_client.get(url).status_code == 405, url


# --- Escaping --------------------------------------------------------------------------------------


HOSTILE = 'Officials said <script>alert("x")</script> and <img src=x onerror="alert(1)"> crossed in 2018.'


def test_source_text_is_always_escaped(analyst_client, analyst):
    source = SourceFactory(title="<b>Bold</b> title", text=HOSTILE, content_hash=source_content_hash(HOSTILE))
    ProposalFactory(source=source, start=0, end=len(HOSTILE), text=HOSTILE)
    claim = ClaimFactory(source=source, start=0, end=len(HOSTILE), quote=HOSTILE, text=HOSTILE)
    for url in [f"/sources/{source.pk}/", f"/claims/{claim.pk}/", "/claims/", "/search/?q=script", "/matrix/", "/"]:
        html = analyst_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "<b>Bold</b>" not in html, url
    reader = analyst_client.get(f"/sources/{source.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in reader
    # The review data for the script is JSON that cannot close its <script> element.
    assert "</script>" not in reader.split('id="review-data"')[1].split("</script>")[0]


# --- The reader at size ----------------------------------------------------------------------------


def long_source(words: int = 10_000, proposals: int = 300, claims: int = 60):
    sentence = "Officials in the northern province said the convoy crossed the border near the river at dawn."
    per = len(sentence.split()) + 1
    text = " ".join(f"{sentence[:-1]} number {i}." for i in range(words // per))
    source = SourceFactory(title="A long report", text=text, content_hash=source_content_hash(text))
    starts = [i for i in range(len(text)) if text.startswith("Officials", i)]
    rows = []
    for index, start in enumerate(starts[:proposals]):
        end = text.index(".", start) + 1
        rows.append(
            ClaimProposal(
                source=source,
                start=start,
                end=end,
                text=text[start:end],
                score=(index % 10) / 10,
                entities=[{"text": "Officials", "label": "NORP", "start": start, "end": start + 9}],
                pipeline="test",
                pipeline_version="1",
                status="accepted" if index < claims else "pending",
            )
        )
    made = ClaimProposal.objects.bulk_create(rows)
    Claim.objects.bulk_create(
        Claim(source=source, start=p.start, end=p.end, quote=p.text, text=p.text, proposal=p) for p in made[:claims]
    )
    return source


def test_reader_of_a_10000_word_source_with_300_proposals_takes_at_most_10_queries(
    analyst_client, django_assert_max_num_queries
):
    source = long_source()
    assert len(source.text.split()) >= 9_900
    assert source.proposals.count() == 300
    with django_assert_max_num_queries(10):
        response = analyst_client.get(f"/sources/{source.pk}/")
    article = response.content.decode().split('<div id="article"', 1)[1].split("</div>", 1)[0]
    assert article.count('class="seg p ') == 240
    assert article.count('class="seg c"') == 60


def test_reader_segments_rebuild_the_text_exactly(analyst_client, corpus):
    first = corpus["first"]
    html = analyst_client.get(f"/sources/{first.pk}/").content.decode()
    article = html.split('<div id="article"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    assert unescape(re.sub(r"<[^>]+>", "", article)) == first.text


def test_status_poll_asks_for_a_reload_once_proposals_are_in(analyst_client, corpus):
    first = corpus["first"]
    response = analyst_client.get(f"/sources/{first.pk}/status/?was=processing")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()
    first.status = "processing"
    first.save()
    response = analyst_client.get(f"/sources/{first.pk}/status/?was=pending")
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_home_polls_only_while_a_source_is_in_flight(analyst_client, corpus):
    assert "hx-trigger" not in analyst_client.get("/").content.decode()
    SourceFactory(status="processing")
    assert 'hx-trigger="every 2s"' in analyst_client.get("/").content.decode()


def test_home_lists_contested_claims(analyst_client, corpus):
    html = analyst_client.get("/").content.decode()
    assert reverse("claim-detail", args=[corpus["claim"].pk]) in html.split("Contested claims")[1]


def test_missing_objects_are_404(analyst_client):
    for url in ["/sources/999/", "/claims/999/", "/sources/999/status/", "/claims/999/evidence/search/?q=x"]:
        assert analyst_client.get(url).status_code == 404, url
