"""The processing path: a source goes pending -> processing -> proposed (or failed), idempotently."""

import pytest

from claims.models import ClaimProposal, ProposalStatus
from claims.services import proposal_accept, proposal_reject, proposals_generate_for_source
from claims.tasks import source_propose_claims
from sources.models import SourceStatus
from sources.services import source_create, source_reprocess

pytestmark = pytest.mark.django_db

TEXT = (
    "Officials said the convoy crossed the border in 2018.\n"
    "Moscow denied the report on Monday. The envoy proposed secret talks in 2014."
)


def _source(text=TEXT):
    source, _ = source_create(title="Convoy", text=text)
    return source


def test_processing_writes_proposals_with_exact_offsets(settings):
    source = _source()
    added = proposals_generate_for_source(source_id=source.id)
    source.refresh_from_db()
    assert source.status == SourceStatus.PROPOSED and source.processed_at is not None
    proposals = list(source.proposals.all())
    assert added == len(proposals) >= 3
    for proposal in proposals:
        assert source.text[proposal.start : proposal.end] == proposal.text
        assert proposal.text == proposal.text.strip()
        assert 0 <= proposal.score <= 1
        assert (proposal.pipeline, proposal.pipeline_version) != ("", "")
    entity_labels = {entity["label"] for p in proposals for entity in p.entities}
    assert "DATE" in entity_labels


def test_queued_on_commit_and_run_by_the_task(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        source, _ = source_create(title="Convoy", text=TEXT)
    source.refresh_from_db()
    assert source.status == SourceStatus.PROPOSED
    assert source.proposals.exists()


def test_second_run_of_the_same_version_adds_nothing():
    source = _source()
    first = proposals_generate_for_source(source_id=source.id)
    assert proposals_generate_for_source(source_id=source.id) == 0
    assert source.proposals.count() == first


def test_redelivery_after_a_worker_died_mid_source_leaves_one_set():
    """A worker killed after marking the source processing, before writing: the redelivered task runs."""
    source = _source()
    source.status = SourceStatus.PROCESSING
    source.save()
    source_propose_claims.apply(args=[source.id])
    count = source.proposals.count()
    source_propose_claims.apply(args=[source.id])
    source.refresh_from_db()
    assert count > 0 and source.proposals.count() == count
    assert source.status == SourceStatus.PROPOSED


def test_reprocessing_a_processed_source_keeps_it_proposed(django_capture_on_commit_callbacks):
    source = _source()
    proposals_generate_for_source(source_id=source.id)
    with django_capture_on_commit_callbacks(execute=True):
        source_reprocess(source=source)
    source.refresh_from_db()
    assert source.status == SourceStatus.PROPOSED


def test_new_pipeline_version_adds_proposals_and_keeps_decisions(settings, analyst):
    source = _source()
    proposals_generate_for_source(source_id=source.id)
    first, second = source.proposals.all()[:2]
    claim = proposal_accept(proposal=first, user=analyst)
    proposal_reject(proposal=second, user=analyst)

    settings.CLAIM_PROPOSER = "tests.claims.proposer_v2"
    added = proposals_generate_for_source(source_id=source.id)
    assert added > 0
    assert source.proposals.filter(pipeline="sentences", pipeline_version="2").count() == added
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ProposalStatus.ACCEPTED and second.status == ProposalStatus.REJECTED
    assert first.claims.get() == claim


def test_unprocessable_source_fails_with_reason_and_others_keep_flowing(settings):
    settings.SPACY_MAX_PARAGRAPH_CHARS = 1_000
    bad = _source("word " * 400)
    good = _source()
    source_propose_claims.apply(args=[bad.id])
    source_propose_claims.apply(args=[good.id])
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == SourceStatus.FAILED
    assert "1,999 characters long with no line break" in bad.error
    assert good.status == SourceStatus.PROPOSED


def test_unexpected_error_marks_failed_without_raising(settings):
    settings.CLAIM_PROPOSER = "tests.claims.proposer_broken"
    source = _source()
    result = source_propose_claims.apply(args=[source.id])
    assert result.successful()
    source.refresh_from_db()
    assert source.status == SourceStatus.FAILED
    assert source.error == "RuntimeError: parser exploded"
    assert not ClaimProposal.objects.exists()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Divers found 43 graves near the weir at Kessel.", True),
        ("Divers Find 43 Graves Near The Weir At Kessel.", False),
        ("Divers find 43 graves near the weir at Kessel", False),
    ],
)
def test_a_text_of_one_sentence_is_no_headline(text, kept):
    # Its title is its only line; a headline heads something, so a sentence alone is the claim, unless it is
    # written as a headline (title case, or no full stop).
    source, _ = source_create(title=text, text=text)
    proposals_generate_for_source(source_id=source.id)
    assert list(source.proposals.values_list("text", flat=True)) == ([text] if kept else [])


def test_task_for_a_deleted_source_is_a_no_op():
    assert source_propose_claims.apply(args=[987654]).get() == 0


@pytest.mark.parametrize(
    ("title", "text", "first_line_kept"),
    [
        ("Convoy", TEXT, True),
        # A first line ending with a full stop is a headline when a byline follows it, else the story's lead.
        ("Officials said the convoy crossed the border in 2018", TEXT.replace("\n", "\nBy Lena Voss\n"), False),
        ("Officials said the convoy crossed the border in 2018", TEXT, True),
    ],
)
def test_first_line_is_dropped_only_when_it_repeats_the_title(title, text, first_line_kept):
    source, _ = source_create(title=title, text=text)
    proposals_generate_for_source(source_id=source.id)
    texts = set(source.proposals.values_list("text", flat=True))
    assert ("Officials said the convoy crossed the border in 2018." in texts) is first_line_kept
    assert "Moscow denied the report on Monday." in texts
