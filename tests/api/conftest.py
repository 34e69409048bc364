import pytest
from rest_framework.test import APIClient

from claims.services import claim_create
from evidence.services import evidence_link_create
from sources.services import source_create

TEXTS = {
    "wire": "Officials said the convoy crossed the border in 2018. Moscow denied it on Monday.",
    "daily": "Peskov declared the report a fake. The convoy crossed the border in 2018, residents said.",
    "weekly": "Analysts think the convoy crossed in 2018. Kabulov offered talks in 2014.",
}


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def _claim(source, phrase: str, **kwargs):
    start = source.text.index(phrase)
    return claim_create(source=source, start=start, end=start + len(phrase), **kwargs)


@pytest.fixture
def corpus(analyst):
    """Three sources with a claim each: `daily` corroborates `wire`, `weekly` qualifies it, and a
    denial in `wire` contests the daily's Peskov claim."""
    sources = {
        key: source_create(title=key.title(), text=text, outlet=key, created_by=analyst)[0]
        for key, text in TEXTS.items()
    }
    claims = {
        "convoy": _claim(sources["wire"], "Officials said the convoy crossed the border in 2018.", created_by=analyst),
        "denial": _claim(sources["wire"], "Moscow denied it on Monday.", speaker="Moscow", created_by=analyst),
        "residents": _claim(
            sources["daily"], "The convoy crossed the border in 2018, residents said.", created_by=analyst
        ),
        "peskov": _claim(sources["daily"], "Peskov declared the report a fake.", speaker="Peskov"),
        "analysts": _claim(sources["weekly"], "Analysts think the convoy crossed in 2018."),
    }
    links = {
        "corroborates": evidence_link_create(
            claim=claims["convoy"], evidence_claim=claims["residents"], stance="corroborates", created_by=analyst
        ),
        "qualifies": evidence_link_create(
            claim=claims["convoy"], evidence_claim=claims["analysts"], stance="qualifies"
        ),
        "denies": evidence_link_create(claim=claims["peskov"], evidence_claim=claims["denial"], stance="denies"),
    }
    return {"sources": sources, "claims": claims, "links": links}
