"""Searching sources (the search page): full-text and ranked on PostgreSQL, substrings on SQLite."""

import pytest
from django.db import connection

from sources.models import SEARCH_TEXT_CHARS
from sources.selectors import sources_matching
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the full-text index and its ranking are PostgreSQL's"
)


def _titles(words: str) -> list[str]:
    return [source.title for source in sources_matching(words=words)]


def test_every_word_must_be_there():
    SourceFactory(title="Convoy", text="The convoy crossed the border in 2018.")
    SourceFactory(title="Other year", text="The convoy crossed the border in 2019.")
    assert _titles("convoy 2018") == ["Convoy"]


@postgresql_only
def test_words_match_by_their_stems_and_a_title_ranks_first():
    SourceFactory(title="Harbour report", text="A bounty was paid for each crate. Customs officers saw it.")
    SourceFactory(title="Bounties on the coast", text="Customs officers talked to the press on Monday.")
    SourceFactory(title="Weather", text="It rained on the coast all week.")
    assert _titles("bounties customs") == ["Bounties on the coast", "Harbour report"]


@postgresql_only
def test_the_search_reads_the_gin_index():
    SourceFactory(title="Convoy", text="The convoy crossed the border in 2018.")
    queryset = sources_matching(words="convoy")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "source_search" in plan


@postgresql_only
def test_a_long_source_is_searched_in_its_opening_only():
    filler = "The harbour was quiet that day. " * (2 * SEARCH_TEXT_CHARS // 32)
    SourceFactory(title="Long log", text="Smugglers landed crates at dawn. " + filler + "Zanzibar.")
    assert _titles("smugglers") == ["Long log"]
    assert _titles("zanzibar") == []
