from pathlib import Path

import pytest
from celery.signals import task_prerun
from rest_framework.test import APIClient

from tests.factories import AnalystFactory, UserFactory, ViewerFactory

SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture
def seed_texts() -> dict[str, str]:
    """The shared seed articles, read at run time (the project never copies them)."""
    return {path.stem.split("_")[0]: path.read_text() for path in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture
def analyst(db):
    return AnalystFactory(username="ana")


@pytest.fixture
def viewer(db):
    return ViewerFactory(username="vic")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def analyst_api(analyst):
    client = APIClient()
    client.force_authenticate(analyst)
    return client


@pytest.fixture
def viewer_api(viewer):
    client = APIClient()
    client.force_authenticate(viewer)
    return client


@pytest.fixture
def tasks_run():
    """(task name, first argument) of every task run while the test runs, in order."""
    ran = []

    def record(sender=None, args=None, **kwargs):
        ran.append((sender.name.rsplit(".", 1)[-1], args[0]))

    task_prerun.connect(record)
    yield ran
    task_prerun.disconnect(record)
