"""The batch scorer's decision for one (claim, text) pair: the trained model, with the rules for doubt.

`text` may be a sentence, a headline or a whole article. Five answers: corroborates, denies, qualifies,
neutral (about the claim, taking no side) and unrelated.
"""

from evidence.suggestions.stance import cues_of, rule_stance, words_of
from evidence.suggestions.stance_features import STOP_WORDS
from evidence.suggestions.stance_model import is_short, stance_model

# Below this confidence, a text that hedges is read as qualifying the claim rather than as the model's guess;
# a text the model reads as neutral or agreeing qualifies the claim when it doubts it (stance.DOUBT_WORDS).
UNSURE = 0.5


def stance_score(claim: str, text: str) -> tuple[str, float]:
    """(stance, confidence in [0, 1])."""
    model = stance_model()
    if model is None:
        ruled = rule_stance(claim, text, relevance=1.0)
        return ruled if ruled is not None else ("corroborates", 0.5)
    probabilities = model.predict(claim, text)
    cover = probabilities.pop("_cover")
    text_cues = cues_of(text)
    if (
        cover == 0
        and probabilities["unrelated"] == 0
        and not (text_cues.denial or text_cues.hedge)
        and _is_a_sentence(text)
        and not _shares_a_root(claim, text)
    ):
        # The short model knows no `unrelated`; a sentence sharing no word with the claim and not pushing
        # back on something is taken to be about something else. Not a headline: headlines name their
        # story by a nickname or a pun ("Crabzilla", "Cold Turkey") as often as by its words.
        return "unrelated", 0.6
    stance = max(probabilities, key=probabilities.__getitem__)
    confidence = probabilities[stance]
    claim_hedges = cues_of(claim).hedge
    if confidence < UNSURE and stance != "unrelated" and text_cues.hedge and not claim_hedges:
        return "qualifies", round(1 - confidence, 4)
    unverified = stance == "denies" and text_cues.unverified and not text_cues.denial
    if (
        (stance in ("neutral", "corroborates") or unverified)
        and text_cues.doubt
        and not claim_hedges
        and is_short(text)
    ):
        # A sentence or a headline about the claim that doubts it ("the reports remain unsubstantiated",
        # "is being checked"), or says it is unverified, which the model may take for a denial ("has not
        # been verified"); in an article, one doubting word says little about the whole.
        return "qualifies", round(confidence, 4)
    return stance, round(confidence, 4)


ROOT_LETTERS = 5


def _shares_a_root(claim: str, text: str) -> bool:
    """Whether a content word of the text and one of the claim (of four letters or more) begin alike: in
    their first ROOT_LETTERS letters, or the whole of a four-letter one. The model's six-letter stems part inflections
    ("aborted" / "aborts", "organs" / "organ") and compounds ("crab" / "Crabzilla"): over Emergent's
    training pairs, all of which are about their claim, 45 of 2,071 share no stem, 16 of them such."""

    def roots(words: list[str]) -> set[str]:
        return {word[:ROOT_LETTERS] for word in words if len(word) >= 4 and word not in STOP_WORDS}

    claim_roots, text_roots = roots(words_of(claim)), roots(words_of(text))
    return any(a.startswith(b) or b.startswith(a) for a in claim_roots for b in text_roots)


def _is_a_sentence(text: str) -> bool:
    """Ends as a sentence does (a full stop or an exclamation mark, perhaps inside quotation marks);
    18 of Emergent's 2,071 training headlines do."""
    return text.rstrip(" \"'\u201d\u2019").endswith((".", "!"))
