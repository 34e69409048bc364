"""The indexed attribute rules give every token the tag, POS, morphology, lemma and dependency that
spaCy's own attribute ruler gives it."""

import pytest
import spacy
from django.conf import settings
from django.test import override_settings
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

from claims.nlp import attribute_rules
from claims.nlp.model import get_nlp, load_pipeline
from claims.nlp.spans import paragraphs

ANNOTATIONS = [TAG, POS, MORPH, LEMMA, DEP]

# Sentences that reach the English rules of two tokens, with regexes and with dependencies.
WRITTEN = [
    "Y'all ain't seen nothin' yet, and they're gonna say it wasn't them.",
    "I can't confirm it; you won't either. But, but the minister said so.",
    "She's the envoy who'd met them in 2019 and 'll meet them again.",
    "Gotta go: the talks, they say, are wanna-be negotiations.\n\n   \t  ",
    "",
]


@pytest.fixture(scope="module")
def stock():
    return load_pipeline(settings.SPACY_MODEL, indexed_attribute_rules=False)


@pytest.fixture(scope="module")
def indexed():
    return load_pipeline(settings.SPACY_MODEL, indexed_attribute_rules=True)


def test_the_shipped_model_gets_the_indexed_rules(stock, indexed):
    assert "match" in vars(indexed.get_pipe("attribute_ruler"))
    assert "match" not in vars(stock.get_pipe("attribute_ruler"))


def test_every_token_of_the_seeds_and_written_sentences_is_annotated_the_same(stock, indexed, seed_texts):
    texts = [paragraph for text in seed_texts.values() for _, paragraph in paragraphs(text)] + WRITTEN
    tokens = 0
    for ours, theirs in zip(indexed.pipe(texts), stock.pipe(texts), strict=True):
        assert [t.text for t in ours] == [t.text for t in theirs]
        assert ours.to_array(ANNOTATIONS).tolist() == theirs.to_array(ANNOTATIONS).tolist(), ours.text[:80]
        tokens += len(ours)
    assert tokens > 5000


def test_rules_of_every_supported_kind_match_as_spacys_matcher_does():
    def pipeline():
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "the"}]], {"LEMMA": "the-1"})
        ruler.add([[{"LOWER": {"IN": ["the", "a"]}}]], {"LEMMA": "article"})  # a later rule wins
        ruler.add([[{"ORTH": {"NOT_IN": ["The", "a", "."]}, "IS_PUNCT": False}]], {"NORM": "word"})
        ruler.add([[{"LOWER": {"REGEX": "^gon+$"}}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)
        ruler.add([[{"LOWER": {"REGEX": "^gon+$"}}, {"LOWER": "na"}]], {"LEMMA": "go"}, index=0)
        ruler.add([[{"IS_PUNCT": True}], [{"TEXT": "also"}]], {"LEMMA": "p"})
        return nlp

    stock, indexed = pipeline(), pipeline()
    assert attribute_rules.speed_up(indexed)
    text = "The cat and a dog are gonna , also gonnn na . the Na"
    ours, theirs = indexed(text), stock(text)
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
    assert [t.norm_ for t in ours] == [t.norm_ for t in theirs]
    assert [t.lemma_ for t in ours][:4] == ["article", "", "", "article"]
    assert [t.lemma_ for t in ours][6:] == ["go", "to", "p", "p", "go", "to", "p", "article", ""]


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param([{"LOWER": "very", "OP": "+"}], id="a quantifier"),
        pytest.param([{"LENGTH": {">=": 3}}], id="a comparison"),
        pytest.param([{"ENT_TYPE": "GPE"}], id="an attribute not read here"),
        pytest.param([{"IS_SPACE": "yes"}], id="a flag given a string"),
    ],
)
def test_a_ruler_with_a_rule_of_another_kind_keeps_spacys_matcher(pattern):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "the"}]], {"LEMMA": "the"})
    ruler.add([pattern], {"LEMMA": "other"})
    assert not attribute_rules.speed_up(nlp)
    assert "match" not in vars(ruler)


def test_the_setting_turns_the_index_off():
    with override_settings(SPACY_INDEXED_ATTRIBUTE_RULES=False):
        assert "match" not in vars(get_nlp().get_pipe("attribute_ruler"))
    assert "match" in vars(get_nlp().get_pipe("attribute_ruler"))
