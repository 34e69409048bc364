"""Playwright driving Debian's Chromium against Django's live server.

Playwright's sync API runs an event loop in this thread, so Django's async-safety check would refuse
the ORM calls the tests make between page actions; they are plain synchronous calls, so it is off.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
PASSWORD = "pw-for-tests"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups: made by a data migration, which a transactional test's flush removes."""
    from django.contrib.auth.models import Group

    from config.roles import ROLES

    for name in ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def page(browser, live_server):
    """A 1280x800 page that fails the test on a script error or a Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" and "favicon.ico" not in (message.location or {}).get("url", "")
            else None
        ),
    )
    page.problems = problems
    yield page
    context.close()
    assert not problems, problems


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("form.logout")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def assert_no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"{page.url} is {width}px wide"


def wait_idle(page) -> None:
    page.wait_for_selector('#reader[data-busy="0"]', state="attached")
