"""Suggested evidence reviewed by keyboard on the claim page. The suggestions come from the real pipeline:
the sources are processed, indexed and matched to the existing claim in-process (CELERY_TASK_ALWAYS_EAGER)
as each one is saved."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from claims.services import claim_create
from evidence.models import EvidenceLink, Suggestion, SuggestionReview
from evidence.selectors import suggestions_for_claim
from evidence.tasks import claim_compute_suggestions
from sources.services import source_create
from tests.browser.conftest import assert_no_horizontal_scroll, log_in, screenshot
from tests.evidence.corpus import CLAIM
from tests.evidence.corpus import TEXTS as CORPUS
from tests.factories import AnalystFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {name: CORPUS[name] for name in ("denial", "paraphrase", "unrelated")}


def focused_index(page) -> int:
    return int(page.evaluate("document.activeElement.id").removeprefix("suggestion-"))


def move_to(page, index: int) -> None:
    while (at := focused_index(page)) != index:
        page.keyboard.press("j" if at < index else "k")
    assert focused_index(page) == index


def position_of(claim, source_id: int, start: int) -> int:
    spans = [(s.source_id, s.start) for s in suggestions_for_claim(claim=claim, limit=20)]
    return spans.index((source_id, start))


def test_accept_as_denies_and_reject_by_keyboard(page):
    analyst = AnalystFactory(username="ana")
    home, _ = source_create(title="Ledger report", text=CLAIM + " The convoy carried grain.", created_by=analyst)
    claim = claim_create(source=home, start=0, end=len(CLAIM), created_by=analyst)
    sources = {
        name: source_create(title=f"{name.title()} report", outlet="Wire", text=text, created_by=analyst)[0]
        for name, text in TEXTS.items()
    }
    suggested = list(suggestions_for_claim(claim=claim, limit=20))
    denial = next(s for s in suggested if s.source_id == sources["denial"].pk)
    paraphrase = next(s for s in suggested if s.source_id == sources["paraphrase"].pk)
    assert denial.text.startswith("The Kestrel agency denied")

    log_in(page, "ana")
    page.goto(f"/claims/{claim.pk}/")
    assert page.text_content("#rollup") == "single-source"
    items = page.locator("#suggestion-list > li.suggestion")
    assert items.count() == len(suggested)
    assert items.nth(0).locator(".statement").text_content() == suggested[0].text[:400]
    assert_no_horizontal_scroll(page)
    page.locator("#suggestions").scroll_into_view_if_needed()
    screenshot(page, "20-claim-suggestions")

    # Focus the list, walk to the denial with j, and press d: linked as denying, the roll-up turns contested.
    page.focus("#suggestion-0")
    move_to(page, position_of(claim, denial.source_id, denial.start))
    page.keyboard.press("d")
    page.wait_for_selector("#rollup.rollup-contested")
    assert page.text_content("#rollup") == "contested"
    link = EvidenceLink.objects.get(claim=claim)
    assert (link.stance, link.from_suggestion, link.evidence_claim.quote) == ("denies", True, denial.text)
    assert denial.text[:60] in page.text_content(".evidence-group.no")
    assert items.count() == len(suggested) - 1
    assert "Linked: Denial report denies this claim." in page.text_content("#suggestion-status")

    # The focus stays in the list: walk to the paraphrase and reject it with x.
    move_to(page, position_of(claim, paraphrase.source_id, paraphrase.start))
    page.keyboard.press("x")
    expect(items).to_have_count(len(suggested) - 2)
    review = SuggestionReview.objects.get(claim=claim, source=sources["paraphrase"])
    assert (review.decision, review.start) == ("rejected", paraphrase.start)
    assert paraphrase.text not in page.text_content("#suggestions")
    assert page.text_content("#rollup") == "contested"
    assert EvidenceLink.objects.count() == 1
    assert_no_horizontal_scroll(page)
    screenshot(page, "21-claim-suggestions-reviewed")

    # Still there after a reload: the rejection is remembered, the link stored.
    page.reload()
    assert paraphrase.text not in page.text_content("#suggestions")
    assert page.text_content("#rollup") == "contested"


def test_the_list_fills_in_by_itself_once_a_worker_has_computed_it(page):
    analyst = AnalystFactory(username="ana")
    home, _ = source_create(title="Ledger report", text=CLAIM + " The convoy carried grain.", created_by=analyst)
    source_create(title="Denial report", outlet="Wire", text=TEXTS["denial"], created_by=analyst)
    claim = claim_create(source=home, start=0, end=len(CLAIM), created_by=analyst)
    computed = list(suggestions_for_claim(claim=claim, limit=20))
    assert computed
    # As a claim is between its creation and its worker's task: nothing stored, never computed.
    Suggestion.objects.filter(claim=claim).delete()
    Claim.objects.filter(pk=claim.pk).update(suggestions_computed_at=None)

    log_in(page, "ana")
    page.goto(f"/claims/{claim.pk}/")
    expect(page.locator("#no-suggestions")).to_contain_text("a worker is computing suggestions")
    claim_compute_suggestions.run(claim.pk)
    items = page.locator("#suggestion-list > li.suggestion")
    expect(items).to_have_count(len(computed), timeout=10_000)
    assert items.nth(0).locator(".statement").text_content() == computed[0].text[:400]
    assert page.locator("#suggestions[hx-trigger]").count() == 0
