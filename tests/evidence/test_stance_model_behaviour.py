"""What the shipped stance model must get right, whatever its exact probabilities."""

import json

import pytest

from evidence.suggestions.scoring import stance_score
from evidence.suggestions.stance_features import SHORT_FEATURES, short_features
from evidence.suggestions.stance_model import ARTIFACT, StanceModel, is_short, stance_model

CLAIM = "A meteorite landed in Nicaragua."
ARTICLE_CLAIM = "The Kestrel agency paid the Northwind militia to attack the convoy."


@pytest.fixture(scope="module")
def model() -> StanceModel:
    found = stance_model()
    assert found is not None, "evidence/suggestions/stance_model.json is missing: run manage.py train_stance"
    return found


def _best(probabilities: dict[str, float]) -> str:
    return max((k for k in probabilities if not k.startswith("_")), key=probabilities.__getitem__)


@pytest.mark.parametrize(
    "headline",
    [
        "Nicaragua meteorite is a hoax, scientists say",
        "Scientists deny that a meteorite landed in Nicaragua",
        "No, a meteorite did not land in Nicaragua",
        "Fake: Nicaragua meteorite photos debunked",
    ],
)
def test_a_refuting_headline_denies(model, headline):
    assert _best(model.predict(CLAIM, headline)) == "denies"
    assert stance_score(CLAIM, headline)[0] == "denies"


@pytest.mark.parametrize(
    "headline",
    [
        "Meteorite reportedly lands in Nicaragua",
        "Meteorite may have hit Nicaragua's capital, officials say",
        "Did a meteorite land in Nicaragua?",
        "Nicaragua meteorite: unconfirmed reports of a crater near Managua",
    ],
)
def test_a_hedged_headline_takes_no_side(model, headline):
    assert _best(model.predict(CLAIM, headline)) == "neutral"
    assert stance_score(CLAIM, headline)[0] in {"neutral", "qualifies"}


@pytest.mark.parametrize(
    "headline",
    ["Meteorite strikes Nicaragua, leaving a 12-metre crater", "Meteorite crashes near Managua, Nicaragua"],
)
def test_a_plain_report_corroborates(model, headline):
    probabilities = model.predict(CLAIM, headline)
    assert _best(probabilities) == "corroborates"
    assert probabilities["denies"] < 0.2


def test_a_headline_about_something_else_is_unrelated():
    assert stance_score(CLAIM, "Farmers sold apples at the market on Sunday.")[0] == "unrelated"


def _article(*sentences: str) -> str:
    """The sentences repeated into a text long enough for the article model."""
    article = " ".join(list(sentences) * 8)
    assert not is_short(article)
    return article


def test_an_article_about_something_else_is_unrelated(model):
    article = _article(
        "The city council approved a new budget for road repairs on Tuesday.",
        "Council members said the potholes on Main Street would be fixed by the summer.",
        "Residents welcomed the plan, though some asked for more cycle lanes.",
    )
    assert _best(model.predict(ARTICLE_CLAIM, article)) == "unrelated"
    assert stance_score(ARTICLE_CLAIM, article)[0] == "unrelated"


def test_an_article_about_the_claim_is_related(model):
    article = _article(
        "The Kestrel agency paid the Northwind militia to attack the convoy, officials said.",
        "Payments from the agency to the militia were made weeks before the attack on the convoy.",
        "Investigators traced the money from Kestrel to Northwind commanders.",
    )
    assert model.predict(ARTICLE_CLAIM, article)["unrelated"] < 0.5


def test_short_features_are_bounded_and_ordered():
    dense, tokens = short_features(CLAIM, "Meteorite reportedly lands in Nicaragua? Officials deny it")
    assert len(dense) == len(SHORT_FEATURES)
    assert all(0.0 <= value <= 1.0 for value in dense)
    features = dict(zip(SHORT_FEATURES, dense, strict=True))
    assert features["hedge"] == features["refute"] == features["hedge_early"] == 1.0
    assert {"w:reportedly", "k:report", "k:denial", "m:question"} <= tokens


def test_artifact_records_grouped_cv_above_the_goals():
    """The artifact's own cross-validation, so that a retrained model that falls short is noticed."""
    scores = json.loads(ARTIFACT.read_text())["scores"]
    emergent = scores["short (Emergent train)"]
    fnc = scores["long (FNC-1 train, grouped by topic)"]
    assert emergent["cv_accuracy"] > 0.733
    assert fnc["cv_fnc_score"] > 0.8202
    assert fnc["cv_macro_f1"] > 0.60


@pytest.mark.parametrize(
    "sentence",
    [
        "Reports that the Kestrel agency paid the Northwind militia remain unsubstantiated, officials said.",
        "A spokesman said the intelligence about Kestrel payments to the Northwind militia is being checked.",
        "Analysts are sceptical that the Kestrel agency paid the militia to attack the convoy.",
    ],
)
def test_a_sentence_that_doubts_the_claim_qualifies_it(model, sentence):
    assert is_short(sentence)
    assert _best(model.predict(ARTICLE_CLAIM, sentence)) in {"neutral", "corroborates"}  # what the rule overrides
    assert stance_score(ARTICLE_CLAIM, sentence)[0] == "qualifies"


def test_a_sentence_that_says_the_claim_is_unverified_qualifies_it(model):
    sentence = "The intelligence about Kestrel payments to the Northwind militia has not been verified, officials said."
    assert stance_score(ARTICLE_CLAIM, sentence)[0] == "qualifies"


def test_a_sentence_that_reports_without_doubting_is_not_made_to_qualify():
    sentence = "The Kestrel agency reportedly paid the Northwind militia to attack the convoy, a newspaper said."
    assert stance_score(ARTICLE_CLAIM, sentence)[0] != "qualifies"
