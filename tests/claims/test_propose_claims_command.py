from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sources.models import Source, SourceStatus
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


def test_requeues_a_source_whose_worker_died_processing_it_long_ago(settings, monkeypatch, capsys):
    """As when a worker took a source along with another's (sources_take_waiting) and died, and the source's
    own task was never queued: nothing is left to redeliver it."""
    monkeypatch.setattr("sources.services.enqueue", lambda *args: None)
    stale, _ = source_create(title="Stale", text="Officials said the convoy crossed the border in 2018.")
    recent, _ = source_create(title="Recent", text="Moscow denied the report about the convoy on Monday.")
    monkeypatch.undo()
    long_ago = timezone.now() - timedelta(seconds=settings.PROPOSAL_STALE_SECONDS + 60)
    Source.objects.filter(pk=stale.pk).update(status=SourceStatus.PROCESSING, updated_at=long_ago)
    Source.objects.filter(pk=recent.pk).update(status=SourceStatus.PROCESSING, updated_at=timezone.now())

    call_command("propose_claims", "--wait", "--timeout", "30")

    assert "Queued 1 source(s)." in capsys.readouterr().out
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == SourceStatus.PROPOSED and stale.proposals.exists()
    assert recent.status == SourceStatus.PROCESSING and not recent.proposals.exists()


def test_unknown_source_id_is_an_error():
    with pytest.raises(CommandError, match="No source with id 999"):
        call_command("propose_claims", "--source", "999")
