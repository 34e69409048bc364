"""The analyst's loop in a real browser: add a source, review its proposals by keyboard, link evidence,
see the roll-up change, find the claims in the graph. Proposals come from the real pipeline (spaCy),
run in-process when the source is saved (CELERY_TASK_ALWAYS_EAGER)."""

import re

import pytest

from claims.models import Claim, ClaimProposal, ProposalStatus
from claims.services import REVIEW_PIPELINE
from evidence.models import EvidenceLink
from sources.models import Source
from tests.browser.conftest import assert_no_horizontal_scroll, log_in, screenshot, wait_idle
from tests.factories import AnalystFactory, ViewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DENIAL = (
    "Kremlin denies paying militants\n\n"
    "The Kremlin spokesman called the bounty story a fake on Monday. "
    "He said Moscow had never paid anyone to attack American soldiers."
)


def next_word_start(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def prev_word_end(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


def pending_in_order(source: Source) -> list[ClaimProposal]:
    return list(source.proposals.filter(status=ProposalStatus.PENDING).order_by("start", "end", "id"))


def add_source(page, *, title: str, outlet: str, text: str) -> Source:
    page.goto("/sources/new/")
    page.fill("#id_text", text)
    page.fill("#id_title", title)
    page.fill("#id_outlet", outlet)
    page.click("form.new-source button[type=submit]")
    page.wait_for_url(re.compile(r"/sources/\d+/$"), timeout=120_000)
    page.wait_for_selector("#article .seg.p")
    return Source.objects.get(title=title)


def focus_text(page) -> str:
    return page.text_content("#focus-text")


def press(page, key: str) -> None:
    page.keyboard.press(key)
    wait_idle(page)


def test_review_and_link_loop(page, seed_texts):
    AnalystFactory(username="ana")
    log_in(page, "ana")

    page.goto("/sources/new/")
    assert_no_horizontal_scroll(page)
    screenshot(page, "02-new-source")
    source = add_source(page, title="Seed article", outlet="Seed outlet", text=seed_texts["000"])
    assert source.proposals.count() > 10
    text = source.text

    # j: the first proposal; a: accept it.
    first = pending_in_order(source)[0]
    press(page, "j")
    assert focus_text(page) == first.text
    press(page, "a")
    assert page.text_content("#review-message") == "Accepted."
    first.refresh_from_db()
    assert first.status == ProposalStatus.ACCEPTED
    assert Claim.objects.get(proposal=first).quote == first.text

    # r: reject the next pending one; u: undo; r again.
    second = pending_in_order(source)[0]
    assert focus_text(page) == second.text
    press(page, "r")
    second.refresh_from_db()
    assert second.status == ProposalStatus.REJECTED
    press(page, "u")
    second.refresh_from_db()
    assert second.status == ProposalStatus.PENDING
    assert focus_text(page) == second.text
    press(page, "r")
    second.refresh_from_db()
    assert second.status == ProposalStatus.REJECTED

    # Shift+→ moves the start a word on, Alt+← the end a word back; a accepts the new span.
    third = pending_in_order(source)[0]
    assert focus_text(page) == third.text
    url = page.url
    press(page, "Shift+ArrowRight")
    press(page, "Alt+ArrowLeft")
    assert page.url == url, "Alt+← must not navigate back"
    start, end = next_word_start(text, third.start), prev_word_end(text, third.end)
    assert focus_text(page) == text[start:end]
    assert page.is_visible("#focus-edited")
    screenshot(page, "03-reader-nudged")
    press(page, "a")
    third.refresh_from_db()
    assert third.status == ProposalStatus.EDITED
    assert Claim.objects.get(proposal=third).quote == text[start:end]

    # s splits the next proposal at the cursor (→ moves it a word); both halves are then reviewed.
    fourth = pending_in_order(source)[0]
    assert focus_text(page) == fourth.text
    press(page, "ArrowRight")
    press(page, "s")
    fourth.refresh_from_db()
    assert fourth.status == ProposalStatus.REJECTED
    parts = list(source.proposals.filter(pipeline=REVIEW_PIPELINE).order_by("start"))
    assert len(parts) == 2
    assert parts[0].start == fourth.start and parts[1].end == fourth.end
    assert focus_text(page) == parts[0].text
    press(page, "a")
    assert Claim.objects.filter(proposal=parts[0]).exists()

    counts = page.text_content("#review-counts")
    assert counts.startswith("5/")  # first, second, third, fourth (split away) and its first half
    assert page.get_attribute("#review-progress", "value") == "5"
    assert_no_horizontal_scroll(page)
    screenshot(page, "04-reader-reviewed")

    # A second source denies the first claim: link it from the claim's page.
    denial_source = add_source(page, title="Kremlin denial", outlet="Wire", text=DENIAL)
    claim = Claim.objects.get(proposal=first)
    page.goto(f"/claims/{claim.pk}/")
    assert page.text_content("#rollup") == "single-source"
    page.fill("#evidence-q", "fake bounty")
    page.wait_for_selector("#statements li")
    statement = page.locator("#statements li").first
    assert "called the bounty story a fake" in statement.text_content()
    statement.get_by_role("button", name="Denies").click()
    page.wait_for_selector("#rollup.rollup-contested")
    assert page.text_content("#rollup") == "contested"
    link = EvidenceLink.objects.get(claim=claim)
    assert (link.stance, link.evidence_source_id) == ("denies", denial_source.pk)
    assert "called the bounty story a fake" in page.text_content(".evidence-group.no")
    assert_no_horizontal_scroll(page)
    screenshot(page, "05-claim-contested")

    # The graph holds both claims; clicking a claim opens it.
    page.goto("/graph/")
    page.wait_for_selector('#graph[data-ready="1"]')
    nodes = page.evaluate("window.corroborateGraph.nodes(\"[kind = 'claim']\").map((node) => node.id())")
    assert {f"claim-{claim.pk}", f"claim-{link.evidence_claim_id}"} <= set(nodes)
    edge = page.evaluate("window.corroborateGraph.edges().map((edge) => edge.data('stance'))")
    assert edge == ["denies"]
    assert_no_horizontal_scroll(page)
    screenshot(page, "06-graph")
    page.evaluate(f"window.corroborateGraph.$('#claim-{claim.pk}').emit('tap')")
    page.wait_for_url(re.compile(rf"/claims/{claim.pk}/$"))

    for path, name in [
        ("/", "01-home"),
        ("/claims/", "07-claims"),
        ("/matrix/", "08-matrix"),
        ("/search/?q=Taliban", "09-search"),
        (f"/sources/{source.pk}/", "10-reader"),
    ]:
        page.goto(path)
        assert_no_horizontal_scroll(page)
        screenshot(page, name)
    page.goto("/matrix/")
    assert page.locator("td.cell .cell-mark.no").count() == 2


def test_a_viewer_reads_but_cannot_decide(page):
    analyst = AnalystFactory(username="ana")
    ViewerFactory(username="vic")
    from sources.services import source_create

    source, _ = source_create(title="Report", text="Officials said the convoy crossed in 2018.", created_by=analyst)
    log_in(page, "vic")
    page.goto(f"/sources/{source.pk}/")
    page.wait_for_selector("#article .seg.p")
    assert page.locator("button[data-action]").count() == 0
    page.keyboard.press("j")
    page.keyboard.press("a")
    assert page.text_content("#review-message") == "Viewers read; analysts review."
    assert not Claim.objects.exists()
    screenshot(page, "11-reader-viewer")
