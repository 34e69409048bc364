"""Hostile markup in a source renders as inert text everywhere it is shown."""

import re

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.factories import AnalystFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    "<script>window.__pwned = 'script'</script> Officials said the convoy crossed the border in 2018. "
    '<img src="x" onerror="window.__pwned = \'img\'"> Moscow denied it on Monday.'
)


def test_script_and_img_onerror_in_a_source_are_inert(page):
    AnalystFactory(username="ana")
    log_in(page, "ana")
    page.goto("/sources/new/")
    page.fill("#id_text", HOSTILE)
    page.fill("#id_title", "<b>Hostile</b> <script>window.__pwned = 'title'</script>")
    page.click("form.new-source button[type=submit]")
    page.wait_for_url(re.compile(r"/sources/\d+/$"), timeout=120_000)
    page.wait_for_selector("#article .seg.p")

    assert page.evaluate("window.__pwned") is None
    assert page.locator("#article script, #article img, h1 b, h1 script").count() == 0
    assert page.text_content("#article") == HOSTILE
    assert "<script>" in page.text_content("h1")

    # Accepting puts the markup in the claims list and on the claim's page: still text.
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector('#reader[data-busy="0"]', state="attached")
    page.wait_for_selector("#source-claims li a")
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "12-injection-reader")
    page.click("#source-claims li a")
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main script, main img").count() == 0
    page.goto("/search/?q=pwned")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main script, main img").count() == 0
