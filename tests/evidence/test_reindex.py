"""Deleting a source takes its statements out of the document frequencies; `index_sources` rebuilds a
source's index with the current analysis, as a fresh index would be, keeping its statement rows."""

import os
import subprocess
import sys
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from claims.services import proposal_reject
from evidence.models import (
    EvidenceLink,
    IndexTerm,
    Statement,
    StatementKind,
    StatementTerm,
    Suggestion,
    SuggestionReview,
)
from evidence.services import suggestion_accept, suggestion_reject
from evidence.suggestions import index
from evidence.suggestions.index import TOTAL_TERM, source_index, source_reindex, source_statements_delete
from evidence.suggestions.suggest import suggestions_compute
from evidence.tasks import claim_compute_suggestions, source_reindex_statements
from sources.models import SourceStatus
from sources.services import source_delete
from tests.evidence.corpus import CLAIM, TEXTS
from tests.factories import ClaimFactory, ProposalFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Border officials said a convoy of trucks crossed into the province in 2018.\n"
    "The defence ministry denied that any convoy had crossed, calling the report a fabrication. "
    "Analysts believe the route is likely used for smuggling."
)


def _source(text: str, status=SourceStatus.PROPOSED):
    source = SourceFactory(text=text, status=status)
    source_index(source_id=source.pk)
    return source


def _document_frequencies() -> dict[str, int]:
    """{term: df} for the terms some statement counts (a term whose df fell to 0 keeps its row)."""
    return dict(IndexTerm.objects.filter(df__gt=0).values_list("term", "df"))


def _counted_from_postings() -> dict[str, int]:
    """What the document frequencies should be: the postings of each term, and the statements."""
    counted = dict(
        StatementTerm.objects.values("term_id").annotate(n=Count("*")).values_list("term__term", "n").order_by()
    )
    if Statement.objects.exists():
        counted[TOTAL_TERM] = Statement.objects.count()
    return counted


def _index_of(source) -> dict:
    """A source's index, by span and term string (ids differ between two builds)."""
    fields = ("text", "kind", "claim_id", "proposal_id", "terms", "lemmas", "entities", "numbers")
    fields += ("context_terms", "context_years")
    statements = {
        (statement.start, statement.end): {name: getattr(statement, name) for name in fields}
        for statement in Statement.objects.filter(source=source)
    }
    postings = set(
        StatementTerm.objects.filter(statement__source=source).values_list(
            "statement__start", "statement__end", "term__term", "weight"
        )
    )
    return {"statements": statements, "postings": postings}


def _old_analysis(monkeypatch):
    """Analyse as an older release might have: other terms, no entities."""
    real = index._analyse

    def old(doc, part):
        analysis = real(doc, part)
        return replace(analysis, terms=[f"old{term}"[:8] for term in analysis.terms] + ["obsolete"], entities=[])

    monkeypatch.setattr(index, "_analyse", old)


# --- Deleting a source ----------------------------------------------------------------------------------


def test_deleting_a_source_lowers_the_document_frequencies_and_the_statement_count():
    _source(TEXTS["denial"])
    _source(TEXTS["paraphrase"])
    before = _document_frequencies()
    doomed = _source(TEXT)
    assert _document_frequencies() != before

    source_delete(source=doomed)

    assert not Statement.objects.filter(source_id=doomed.pk).exists()
    assert _document_frequencies() == before
    assert _document_frequencies() == _counted_from_postings()


def _admin_deletes(client, admin_user, doomed: list, *, one_by_one: bool) -> None:
    client.force_login(admin_user)
    if one_by_one:
        for source in doomed:
            response = client.post(f"/admin/sources/source/{source.pk}/delete/", {"post": "yes"})
            assert response.status_code == 302
    else:
        response = client.post(
            "/admin/sources/source/",
            {"action": "delete_selected", "_selected_action": [source.pk for source in doomed], "post": "yes"},
        )
        assert response.status_code == 302


@pytest.mark.parametrize("one_by_one", [True, False], ids=["delete page", "delete selected action"])
def test_deleting_sources_in_the_admin_lowers_the_document_frequencies(client, admin_user, one_by_one):
    _source(TEXTS["denial"])
    before = _document_frequencies()
    doomed = [_source(TEXT), _source(TEXTS["paraphrase"])]

    _admin_deletes(client, admin_user, doomed, one_by_one=one_by_one)

    assert not Statement.objects.filter(source_id__in=[source.pk for source in doomed]).exists()
    assert _document_frequencies() == before == _counted_from_postings()


def test_deleting_the_only_source_leaves_every_frequency_at_zero():
    source = _source(TEXT)
    assert IndexTerm.objects.get(term=TOTAL_TERM).df == Statement.objects.count() > 0

    source_delete(source=source)

    assert not StatementTerm.objects.exists()
    assert set(IndexTerm.objects.values_list("df", flat=True)) == {0}


def test_deleting_a_cited_source_with_force_lowers_the_frequencies_too():
    home = _source(CLAIM + " The convoy carried grain.")
    claim = ClaimFactory(source=home, start=0, end=len(CLAIM))
    cited = _source(TEXTS["conflict"])
    suggestion_accept(claim=claim, source=cited, start=0, end=cited.text.index(",") + 1, user=None, stance="qualifies")

    source_delete(source=cited, force=True)

    assert not Statement.objects.filter(source_id=cited.pk).exists()
    assert _document_frequencies() == _counted_from_postings()


# --- Rebuilding a source's index ----------------------------------------------------------------------


def _fresh_index(source) -> dict:
    source_statements_delete(source_id=source.pk)
    source_index(source_id=source.pk)
    return _index_of(source)


def test_a_rebuild_after_the_analysis_changed_gives_the_index_a_fresh_one_would(monkeypatch):
    other = _source(TEXTS["denial"])
    _old_analysis(monkeypatch)
    source = _source(TEXT)
    # A proposal indexed then, inside a sentence, and rejected since: a span a fresh index would not have.
    stale = ProposalFactory(source=source, start=TEXT.index("a convoy"), end=TEXT.index(" in 2018"))
    source_index(source_id=source.pk)
    stale_statement = Statement.objects.get(source=source, start=stale.start, end=stale.end)
    proposal_reject(proposal=stale, user=None)
    # A claim made since, not indexed yet: a span a fresh index would have.
    claim = ClaimFactory(source=source, start=TEXT.index("Analysts"), end=len(TEXT))
    monkeypatch.undo()
    old, other_index = _index_of(source), _index_of(other)
    kept_ids = {(s.start, s.end): s.pk for s in Statement.objects.filter(source=source)}

    source_reindex(source_id=source.pk)
    rebuilt = _index_of(source)

    assert rebuilt != old
    assert not IndexTerm.objects.filter(term="obsolete", df__gt=0).exists()
    assert not Statement.objects.filter(pk=stale_statement.pk).exists()
    assert rebuilt["statements"][(claim.start, claim.end)]["kind"] == StatementKind.CLAIM
    for statement in Statement.objects.filter(source=source):
        if (statement.start, statement.end) in kept_ids:
            assert statement.pk == kept_ids[(statement.start, statement.end)], "an indexed span keeps its row"
    assert _document_frequencies() == _counted_from_postings()
    after_rebuild = _document_frequencies()

    assert _fresh_index(source) == rebuilt
    assert _document_frequencies() == after_rebuild
    assert _index_of(other) == other_index


def test_a_rebuild_twice_changes_nothing():
    source = _source(TEXT)
    ProposalFactory(source=source, start=TEXT.index("a convoy"), end=TEXT.index(" in 2018"))
    source_reindex(source_id=source.pk)
    once, frequencies = _index_of(source), _document_frequencies()
    ids = sorted(Statement.objects.filter(source=source).values_list("pk", flat=True))

    source_reindex(source_id=source.pk)

    assert _index_of(source) == once
    assert _document_frequencies() == frequencies == _counted_from_postings()
    assert sorted(Statement.objects.filter(source=source).values_list("pk", flat=True)) == ids


def test_rejections_and_links_survive_a_rebuild(monkeypatch):
    home = _source(CLAIM + " The convoy carried grain.")
    claim = ClaimFactory(source=home, start=0, end=len(CLAIM))
    _old_analysis(monkeypatch)
    denial, paraphrase, conflict = _source(TEXTS["denial"]), _source(TEXTS["paraphrase"]), _source(TEXTS["conflict"])
    monkeypatch.undo()
    rejected_span = (0, TEXTS["paraphrase"].index(".") + 1)
    linked_span = (0, TEXTS["denial"].index(".") + 1)  # a sentence, indexed as one before it is a claim
    suggestion_reject(claim=claim, source=paraphrase, start=rejected_span[0], end=rejected_span[1], user=None)
    link = suggestion_accept(
        claim=claim, source=denial, start=linked_span[0], end=linked_span[1], user=None, stance="denies"
    )
    linked = Statement.objects.get(source=denial, start=linked_span[0], end=linked_span[1])
    reviews = list(SuggestionReview.objects.order_by("pk").values())

    source_reindex(source_id=denial.pk)
    source_reindex(source_id=paraphrase.pk)
    source_reindex(source_id=conflict.pk)

    assert list(SuggestionReview.objects.order_by("pk").values()) == reviews
    assert EvidenceLink.objects.filter(pk=link.pk, claim=claim, evidence_claim=link.evidence_claim).exists()
    statement = Statement.objects.get(source=denial, start=linked_span[0], end=linked_span[1])
    assert statement.pk == linked.pk and statement.kind == StatementKind.CLAIM
    assert statement.claim_id == link.evidence_claim_id
    assert "obsolete" not in statement.terms.split()
    suggested = suggestions_compute(claim=claim, statement=index.claim_statement(claim=claim))
    assert any(s.source_id == conflict.pk for s in suggested), "the rebuilt index matches the claim's terms"
    assert not any(
        s.source_id == paraphrase.pk and s.start < rejected_span[1] and s.end > rejected_span[0] for s in suggested
    ), "a rejected span is not suggested again"


def test_the_task_rebuilds_only_processed_sources(monkeypatch):
    _old_analysis(monkeypatch)
    source = _source(TEXT)
    pending = _source(TEXTS["unrelated"], status=SourceStatus.PENDING)
    monkeypatch.undo()

    assert source_reindex_statements.delay(pending.pk).get() == 0
    assert "obsolete" in Statement.objects.filter(source=pending).first().terms
    assert source_reindex_statements.delay(source.pk).get() == Statement.objects.filter(source=source).count()
    assert "obsolete" not in " ".join(Statement.objects.filter(source=source).values_list("terms", flat=True))
    assert source_reindex_statements.delay(10**6).get() == 0


def test_a_rebuild_recomputes_the_suggestions_it_may_change(monkeypatch):
    home = _source(CLAIM + " The convoy carried grain.")
    claim = ClaimFactory(source=home, start=0, end=len(CLAIM))
    _old_analysis(monkeypatch)
    other = _source(TEXTS["paraphrase"])
    monkeypatch.undo()
    claim_compute_suggestions(claim.pk)
    assert not Suggestion.objects.filter(claim=claim, source=other).exists(), "the old analysis shares no term"

    source_reindex_statements.delay(other.pk).get()

    assert Suggestion.objects.filter(claim=claim, source=other).exists()
    Suggestion.objects.filter(claim=claim).delete()
    source_reindex_statements.delay(home.pk).get()  # the claim's own source: its claims are recomputed
    assert Suggestion.objects.filter(claim=claim, source=other).exists()


# --- The command --------------------------------------------------------------------------------------


def test_the_command_rebuilds_the_sources_named(monkeypatch):
    _old_analysis(monkeypatch)
    first, second, untouched = _source(TEXT), _source(TEXTS["denial"]), _source(TEXTS["paraphrase"])
    monkeypatch.undo()

    call_command("index_sources", "--source", str(first.pk), "--source", str(second.pk), stdout=(out := StringIO()))

    assert "Queued 2 source(s)." in out.getvalue()
    for source in (first, second):
        assert "obsolete" not in " ".join(Statement.objects.filter(source=source).values_list("terms", flat=True))
    assert "obsolete" in " ".join(Statement.objects.filter(source=untouched).values_list("terms", flat=True))


def test_the_command_with_all_and_wait_rebuilds_every_processed_source_here(monkeypatch):
    _old_analysis(monkeypatch)
    _source(TEXT)
    _source(TEXTS["denial"])
    monkeypatch.undo()

    call_command("index_sources", "--all", "--wait", stdout=(out := StringIO()), stderr=StringIO())

    assert f"Re-indexed 2 source(s), {Statement.objects.count()} statement(s)." in out.getvalue()
    assert "obsolete" not in " ".join(Statement.objects.values_list("terms", flat=True))
    assert _document_frequencies() == _counted_from_postings()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((), "Name the sources to re-index with --source ID (repeatable), or give --all."),
        (("--source", "999999", "--source", "999998"), "No source with id 999998, 999999."),
        (("--all", "--source", "1"), "Give --source ID or --all, not both."),
    ],
)
def test_the_command_refuses_bad_input(arguments, message):
    with pytest.raises(CommandError) as refused:
        call_command("index_sources", *arguments)
    assert str(refused.value) == message


def test_the_command_refuses_a_source_not_processed_yet():
    pending = SourceFactory(status=SourceStatus.PENDING)
    with pytest.raises(CommandError, match=rf"Source\(s\) {pending.pk} not processed yet"):
        call_command("index_sources", "--source", str(pending.pk))


def test_the_command_without_arguments_exits_non_zero():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "manage.py", "index_sources"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Name the sources to re-index" in done.stderr
