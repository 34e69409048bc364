import pytest
from django.core.management import CommandError, call_command

from sources.models import SourceStatus
from sources.services import source_create, source_create_from_url

pytestmark = pytest.mark.django_db


def test_queues_pending_sources_and_waits(capsys):
    source, _ = source_create(title="Convoy", text="Officials said the convoy crossed the border in 2018.")
    call_command("propose_claims", "--wait", "--timeout", "30")
    source.refresh_from_db()
    assert source.status == SourceStatus.PROPOSED and source.proposals.exists()
    assert "Processed 1 source(s), 0 failed." in capsys.readouterr().out


def test_requeues_a_url_source_whose_fetch_was_never_queued(capsys):
    """As after a broker outage: the source was recorded but its fetch task never ran."""
    source = source_create_from_url(url="http://127.0.0.1:9/report.html")
    assert source.status == SourceStatus.FETCHING
    call_command("propose_claims", "--wait", "--timeout", "30")
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILED
    assert source.error.startswith("Not fetched:")
    out = capsys.readouterr().out
    assert "Queued 1 source(s)." in out and f"Source {source.pk} failed: Not fetched:" in out


def test_unknown_source_id_is_an_error():
    with pytest.raises(CommandError, match="No source with id 999"):
        call_command("propose_claims", "--source", "999")
