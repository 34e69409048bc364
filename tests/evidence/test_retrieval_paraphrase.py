"""Retrieval beyond shared words: paraphrase families, markup, a claim that leans on the sentence
before it, repeated passages, the order of the list, and what a headline or a question is worth."""

from collections import Counter

import pytest

from claims.nlp.model import get_nlp
from evidence.suggestions.analysis import analyse_tokens
from evidence.suggestions.index import claim_statement, source_index
from evidence.suggestions.retrieval import Candidate, Query, rescore
from evidence.suggestions.suggest import suggestions_compute
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

FILLER = (
    "The harvest festival in the valley drew record crowds this autumn. Farmers sold apples and pears at the market."
)


def _source(text: str):
    source = SourceFactory(text=text)
    source_index(source_id=source.pk)
    return source


def _claim(text: str, quote: str):
    source = _source(text)
    start = text.index(quote)
    return ClaimFactory(source=source, start=start, end=start + len(quote))


def _suggested(claim):
    return suggestions_compute(claim=claim, statement=claim_statement(claim=claim))


def _terms(text: str) -> list[str]:
    doc = get_nlp()(text)
    return analyse_tokens(doc, doc.ents).terms


def test_paraphrase_in_other_words_outranks_a_sentence_sharing_only_names():
    _source(FILLER)
    other = _source(
        "Kestrel staff toured the valley farms of the hill country last spring. "
        "Insurgents received weapons supplied by the agency."
    )
    claim = _claim(
        "The Kestrel agency sold rifles to the hill militia in the valley. The talks went on.",
        "The Kestrel agency sold rifles to the hill militia in the valley.",
    )
    first = next(s for s in _suggested(claim) if s.source_id == other.pk)
    assert first.text.startswith("Insurgents received weapons")


def test_markup_and_hyphenated_compounds_index_as_plain_words():
    marked = _terms("Officials <u>said</u> the U.S.-backed guards were <u>killed</u> at the depot.")
    plain = _terms("Officials said the U.S.-backed guards were killed at the depot.")
    assert not any("<" in term or ">" in term for term in marked)
    assert "americ" in marked and "kill" in marked
    assert set(marked) == set(plain)


def test_military_and_militant_are_different_terms():
    assert set(_terms("The military patrol stopped.")) & set(_terms("The militant patrol stopped.")) == {
        "patrol",
        "stop",
    }


def test_a_name_in_two_words_indexes_as_one_term():
    terms = _terms("Troops of the United States and three service members left the base.")
    assert terms.count("americ") == 1 and terms.count("troop") == 2
    assert not {"united", "states", "servic", "member"} & set(terms)


def test_a_claim_opening_with_a_pronoun_finds_what_its_sentence_before_names():
    _source(FILLER)
    referent = _source("The Kestrel agency bankrolled the Northwind militia through a trading company.")
    claim = _claim(
        "Investigators traced the Kestrel agency's transfers to the Northwind militia. "
        "It gave their commanders a large sum before the winter.",
        "It gave their commanders a large sum before the winter.",
    )
    assert referent.pk in {s.source_id for s in _suggested(claim)}


def test_a_passage_a_source_prints_twice_is_suggested_once():
    _source(FILLER)
    timeline = _source(
        "2016\nThe Northwind militia attacks the river convoy.\n2017\nFloods close the river road.\n"
        "2016\nThe Northwind militia attacks the river convoy.\n2017\nFloods close the river road."
    )
    claim = _claim(
        "The Northwind militia attacked the river convoy in 2016, officials said. The harvest was late.",
        "The Northwind militia attacked the river convoy in 2016, officials said.",
    )
    from_timeline = [s.text for s in _suggested(claim) if s.source_id == timeline.pk]
    assert from_timeline.count("The Northwind militia attacks the river convoy.") == 1


def _candidate(source_id: int, text: str, terms: list[str]) -> Candidate:
    return Candidate(
        statement_id=source_id,
        source_id=source_id,
        start=0,
        end=len(text),
        text=text,
        claim_id=None,
        kind="sentence",
        terms=terms,
        lemmas=[],
        entities=[],
        numbers=[],
        context_years=[],
        context_terms=[],
    )


def _query(terms: list[str]) -> Query:
    return Query(terms=terms, lemmas=[], entities=[], numbers=[], context_years=[], text="")


def test_a_headline_of_common_words_is_covered_less_than_a_sentence_sharing_rare_ones():
    query = _query(["russia", "taliba", "kestre", "convoy"])
    idfs = {"russia": 0.5, "taliba": 0.5, "kestre": 5.0, "convoy": 5.0}
    headline = _candidate(1, "Why Russia courts the Taliban", ["russia", "taliba", "court", "reason"])
    sentence = _candidate(2, "Kestrel shadowed the convoy", ["kestre", "convoy", "shadow", "road"])
    for candidate in (headline, sentence):
        rescore(query, Counter(query.terms), idfs, candidate)
    assert headline.features["covered"] < 0.2
    assert sentence.features["covered"] >= 0.5


def test_a_question_counts_less_than_the_same_words_stated():
    query = _query(["kestre", "agency", "pay", "northw", "milita"])
    idfs = dict.fromkeys(query.terms, 3.0)
    asked = _candidate(1, "Did the Kestrel agency pay the Northwind militia?", list(query.terms))
    stated = _candidate(2, "The Kestrel agency paid the Northwind militia.", list(query.terms))
    for candidate in (asked, stated):
        rescore(query, Counter(query.terms), idfs, candidate)
    assert asked.score < stated.score


def _scored(source_id: int, start: int, text: str, score: float, relevance: float) -> Candidate:
    candidate = _candidate(source_id, text, [])
    candidate.start, candidate.end = start, start + len(text)
    candidate.score = score
    candidate.features["relevance"] = relevance
    return candidate


# A source's text and the claim made in it, for the tests that hand suggestions_compute their candidates.
PAID = ("The Kestrel agency paid the Northwind militia. Rain fell.", "The Kestrel agency paid the Northwind militia.")


@pytest.fixture
def retrieved(monkeypatch):
    """suggestions_compute over the given candidates instead of the index's."""
    found: list[Candidate] = []
    monkeypatch.setattr("evidence.suggestions.suggest.candidates_for", lambda query, **kwargs: list(found))
    return found


def test_scores_fall_along_the_list_so_the_stored_order_is_the_spread_order(retrieved):
    claim = _claim(*PAID)
    retrieved += [
        _scored(101, 0, "Kestrel paid the militia, a report said.", 0.60, 0.6),
        _scored(101, 100, "Kestrel money reached Northwind.", 0.50, 0.5),
        _scored(102, 0, "Northwind fighters were paid by Kestrel.", 0.48, 0.5),
    ]
    suggested = _suggested(claim)
    assert [s.source_id for s in suggested] == [101, 102, 101]
    assert [s.score for s in suggested] == sorted((s.score for s in suggested), reverse=True)


def test_a_doubt_sharing_little_with_the_claim_stays_below_a_corroboration(retrieved):
    claim = _claim(*PAID)
    retrieved += [
        _scored(101, 0, "Northwind fighters took money from Kestrel for raids.", 0.36, 0.45),
        _scored(102, 0, "It is unclear whether the agency plays any role in the valley.", 0.30, 0.13),
    ]
    suggested = _suggested(claim)
    assert [(s.source_id, s.stance) for s in suggested] == [(101, "corroborates"), (102, "qualifies")]


def test_a_heading_counts_less_than_the_same_words_stated():
    query = _query(["kestre", "agency", "pay", "northw", "milita"])
    idfs = dict.fromkeys(query.terms, 3.0)
    heading = _candidate(1, "Kestrel agency pays Northwind militia", list(query.terms))
    stated = _candidate(2, "The Kestrel agency paid the Northwind militia.", list(query.terms))
    clause = _candidate(3, "the Kestrel agency paid the Northwind militia", list(query.terms))
    clause.kind = "proposal"
    for candidate in (heading, stated, clause):
        rescore(query, Counter(query.terms), idfs, candidate)
    assert heading.score < stated.score == clause.score
