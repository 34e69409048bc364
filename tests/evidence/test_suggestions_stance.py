"""Stance rules, conflicts, the trained model's artifact and the batch scorer's I/O contract."""

import io
import json
import sys

import pytest
from django.core.management import call_command

from evidence.suggestions.conflicts import conflict_between
from evidence.suggestions.scoring import stance_score
from evidence.suggestions.stance import rule_stance
from evidence.suggestions.stance_features import DENSE_FEATURES, pair_features
from evidence.suggestions.stance_model import ARTIFACT, stance_model

CLAIM = "The Kestrel agency paid the Northwind militia to attack the convoy."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The agency denied paying the militia.", "denies"),
        ("A spokesman called the story a fake.", "denies"),
        ("No such payments existed, the agency said.", "denies"),
        ("The report remains unsubstantiated.", "qualifies"),
        ("Officials said the claim is being checked.", "qualifies"),
        # Unverified is doubt, not denial, though it holds a negation.
        ("The intelligence about the payments has not been verified.", "qualifies"),
        ("The newspaper could not independently confirm the payments to the militia.", "qualifies"),
        ("The payments, if they existed, would break the ceasefire.", "qualifies"),
    ],
)
def test_rules_read_denial_and_doubt(text, expected):
    assert rule_stance(CLAIM, text, relevance=0.6)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "There is no doubt that the Kestrel agency paid the Northwind militia to attack the convoy.",
        "Without a doubt the Kestrel agency paid the Northwind militia, officials said.",
        "Investigators never doubted that the Kestrel agency paid the Northwind militia.",
    ],
)
def test_certainty_worded_with_doubt_neither_qualifies_nor_denies(text):
    assert rule_stance(CLAIM, text, relevance=0.8) is None


def test_two_denials_agree():
    assert rule_stance("The agency denied the payments.", "Officials denied the payments too.", relevance=0.7) == (
        "corroborates",
        0.75,
    )


@pytest.mark.parametrize("text", ["No payment program existed, the agency said.", "No secret meeting ever took place."])
def test_saying_the_thing_never_was_is_a_denial(text):
    # Read from the words alone, not from a negation that needs the two texts to be about the same thing.
    assert rule_stance(CLAIM, text, relevance=0.3)[0] == "denies"
    # So a denial worded that way agrees with a denial worded otherwise.
    assert rule_stance(text, "The agency denied paying the militia.", relevance=0.3)[0] == "corroborates"
    # Doubting the allegation it denies leans its way without denying the denial.
    assert rule_stance(text, "Reports of the payments remain unsubstantiated.", relevance=0.3)[0] == "qualifies"


def test_a_verification_refused_is_doubt_and_a_denial_refused_is_not():
    assert (
        rule_stance(CLAIM, "The agency did not confirm the payments to the militia.", relevance=0.8)[0] == "qualifies"
    )
    assert rule_stance(CLAIM, "The agency did not deny the payments to the militia.", relevance=0.8)[0] != "qualifies"


def test_negated_predicate_denies_only_when_about_the_same_thing():
    text = "The Kestrel agency did not pay the Northwind militia."
    assert rule_stance(CLAIM, text, relevance=0.8)[0] == "denies"
    assert rule_stance(CLAIM, text, relevance=0.2) is None


def test_conflict_on_years_and_numbers():
    assert conflict_between(["2019"], [], ["2014"], [], relevance=0.8) == "2019 vs 2014"
    assert conflict_between([], ["2019"], ["2014"], [], relevance=0.8) == "2019 vs 2014"
    assert conflict_between(["2019"], [], ["2019", "25"], [], relevance=0.8) == ""
    assert conflict_between(["25"], [], ["40"], [], relevance=0.8) == "25 vs 40"
    assert conflict_between(["2019"], [], ["2014"], [], relevance=0.2) == ""


def test_artifact_is_small_json_with_its_scores():
    assert ARTIFACT.stat().st_size < 1_500_000  # 1.24 MB: 8,000 idf weights, 13,138 words, 800 trees
    data = json.loads(ARTIFACT.read_text())
    assert set(data["scores"]) == {"long (FNC-1 train, grouped by topic)", "short (Emergent train)"}
    model = stance_model()
    probabilities = model.predict(CLAIM, "The agency denied paying the militia, calling it a hoax.")
    assert abs(sum(v for k, v in probabilities.items() if not k.startswith("_")) - 1) < 1e-6


def _score(monkeypatch, capsys, lines: list[str]) -> list[str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    call_command("score_stance")
    return capsys.readouterr().out.splitlines()


def test_score_stance_answers_one_line_per_input_in_order(monkeypatch, capsys):
    article = " ".join(["The Kestrel agency paid the Northwind militia to attack the convoy, officials said."] * 30)
    pairs = [
        {"claim": CLAIM, "text": "The Kestrel agency denied paying the Northwind militia, calling it a fake."},
        {"claim": CLAIM, "text": "Kestrel paid Northwind fighters to attack the convoy, officials confirmed."},
        {"claim": CLAIM, "text": article},
        {"claim": CLAIM, "text": "Farmers sold apples at the market."},
    ]
    out = _score(monkeypatch, capsys, [json.dumps(p) for p in pairs])
    assert len(out) == len(pairs)
    answers = [json.loads(line) for line in out]
    for answer in answers:
        assert set(answer) == {"stance", "score"}
        assert answer["stance"] in {"corroborates", "denies", "qualifies", "neutral", "unrelated"}
        assert 0 <= answer["score"] <= 1
    assert answers[0]["stance"] == "denies"
    assert answers[3]["stance"] == "unrelated"


@pytest.mark.parametrize(
    ("text", "unrelated"),
    [
        ("Farmers sold apples at the market.", True),
        # A headline names its story by a nickname as often as by its words.
        ("Spymasters and their hired guns: the inside story", False),
        # A sentence that shares only a root with the claim ("Northwind" / "north") is about it.
        ("Fighters from the north ambushed trucks at dawn.", False),
    ],
)
def test_unrelated_is_a_sentence_sharing_no_word_with_the_claim(text, unrelated):
    assert (stance_score(CLAIM, text)[0] == "unrelated") is unrelated


def test_score_stance_keeps_order_past_a_bad_line(monkeypatch, capsys):
    good = json.dumps({"claim": CLAIM, "text": "The agency denied it."})
    out = _score(monkeypatch, capsys, [good, "not json", json.dumps({"claim": CLAIM}), good])
    assert len(out) == 4
    assert "error" in json.loads(out[1]) and "error" in json.loads(out[2])
    assert json.loads(out[0]) == json.loads(out[3])


def _features(claim: str, text: str) -> dict[str, float]:
    model = stance_model()
    return dict(zip(DENSE_FEATURES, pair_features(claim, text, model.idf, model.default_idf), strict=True))


def test_article_features_read_the_sentences_about_the_claim():
    unrelated = "Farmers sold apples at the market. The weather was mild. Prices rose a little this spring."
    reported = (
        f"{unrelated} The Kestrel agency reportedly paid the Northwind militia to attack the convoy. "
        "Officials say the Kestrel agency may have paid the Northwind militia for the convoy attack."
    )
    refuted = (
        "The Kestrel agency never paid the Northwind militia to attack the convoy. "
        f"The story that the agency paid the militia is a hoax. {unrelated}"
    )
    assert _features(CLAIM, unrelated)["related_count"] == 0
    hedged = _features(CLAIM, reported)
    assert hedged["related_count"] == 2 and hedged["related_share"] == pytest.approx(2 / 5)
    assert hedged["related_hedge"] == 1 and hedged["related_refute"] == 0
    assert hedged["best_first"] == 0 and hedged["best_position"] >= 3 / 5
    denied = _features(CLAIM, refuted)
    assert denied["best_first"] == 1 and denied["opening_cover"] > 0.8
    assert denied["related_refute"] > 0 and denied["top3_negated"] > 0
    assert denied["cos_second"] > 0 and denied["cos_top3"] >= denied["cos_third"]
