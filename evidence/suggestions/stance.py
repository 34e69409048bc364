"""What a statement says about a claim: corroborates, denies or qualifies it (and, for the batch scorer,
whether it is about the claim at all).

The rules read the words: a denial or rejection ("denied", "a fake", "no such program existed") on one
side and not the other means the statement denies the claim (two denials of the same allegation agree;
doubt about the allegation a claim denies qualifies it);
doubt and hedging ("unsubstantiated", "being checked") qualify it; a negated predicate the claim
asserts denies it when the two are clearly about the same thing. The trained model (stance_model.py)
decides what the rules leave open, and whether a text is related to the claim at all.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")

DENIAL_WORDS = frozenset(
    [
        "deny",
        "denies",
        "denied",
        "denying",
        "denial",
        "denials",
        "reject",
        "rejects",
        "rejected",
        "rejecting",
        "rejection",
        "refute",
        "refutes",
        "refuted",
        "refuting",
        "rebut",
        "rebuts",
        "rebutted",
        "dismiss",
        "dismisses",
        "dismissed",
        "dismissing",
        "debunk",
        "debunks",
        "debunked",
        "debunking",
        "fake",
        "fakes",
        "hoax",
        "hoaxes",
        "fabricated",
        "fabrication",
        "fabrications",
        "concocted",
        "baseless",
        "groundless",
        "nonsense",
        "ridiculous",
        "absurd",
        "untrue",
        "falsehood",
        "falsehoods",
        "lie",
        "lies",
        "lying",
        "bogus",
        "slander",
        "disinformation",
    ]
)
DENIAL_PHRASES = (
    "no such",
    "not true",
    "never happened",
    "did not happen",
    "didn't happen",
    "no evidence",
    "no proof",
    "not credible",
    "did not find",
    "false story",
    "is false",
    "was false",
    "were false",
)
# "No bounty program existed", "no meeting took place": the thing alleged never was.
NONEXISTENCE = re.compile(r"\bno (?:[a-z]+ ){1,2}(?:ever )?(?:existed|exists|took place|happened|occurred)\b")
# Hedges that cast doubt on whether a claim is true, rather than only report it ("reportedly",
# "unconfirmed reports of"): what the issue calls qualifying. The batch scorer answers `qualifies` for a
# sentence its model reads as taking no side when it says one of these.
DOUBT_WORDS = frozenset(
    [
        "unsubstantiated",
        "uncorroborated",
        "unproven",
        "doubt",
        "doubts",
        "doubted",
        "doubtful",
        "sceptical",
        "skeptical",
        "questionable",
        "disputed",
        "inconclusive",
    ]
)
DOUBT_PHRASES = (
    "being checked",
    "being verified",
    "being investigated",
    "could not confirm",
    "cannot confirm",
    "can't confirm",
    "could not be confirmed",
    "could not be verified",
    "not be verified",
)
HEDGE_WORDS = DOUBT_WORDS | {"unverified", "unconfirmed", "unclear", "anecdotal", "fuzzy", "speculative", "speculation"}
HEDGE_PHRASES = (
    *DOUBT_PHRASES,
    "being examined",
    "not clear",
    "lacks detailed",
    "lacks reliable",
    "hard to see",
    "a leap",
    "remains to be seen",
    "is it true",
)
NEGATIONS = frozenset(["not", "n't", "no", "never", "neither", "nor", "none", "nobody", "nothing", "without", "cannot"])


# Verification not given, without the claim being denied ("has not been verified", "could not independently
# confirm", "if true", "if it existed"): doubt, though it holds a negation.
UNVERIFIED = re.compile(
    r"\b(?:not|n't|never|yet to)(?: (?:been|be|yet|independently|immediately|officially|publicly|fully))* "
    r"(?:verif|confirm|corroborat|substantiat|prove[dn]?\b)|"
    r"\bif (?:true|confirmed|accurate)\b|\bif (?:it|they|the \w+) (?:is|are|was|were) (?:true|accurate)\b|"
    r"\bif (?:it|they|such \w+) (?:existed|exists)\b"
)


@dataclass(frozen=True)
class Cues:
    denial: bool
    hedge: bool
    negations: int
    doubt: bool
    unverified: bool = False


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("n\u2019t", " n't").replace("n't", " n't"))


# Phrases made of doubt and negation words that say the opposite: certainty ("there is no doubt that").
CERTAINTY = re.compile(r"\b(?:(?:no|little|never) |without (?:a |any )?|beyond (?:any |all )?)doubt(?:s|ed)?\b")


@lru_cache(maxsize=8192)
def cues_of(text: str) -> Cues:
    text = CERTAINTY.sub(" ", text.lower())
    words = words_of(text)
    joined = " ".join(words)
    padded = f" {text} "
    denial = (
        any(word in DENIAL_WORDS for word in words)
        or any(f" {p}" in padded for p in DENIAL_PHRASES)
        or bool(NONEXISTENCE.search(text))
    )
    hedge = any(word in HEDGE_WORDS for word in words) or any(p in joined or p in padded for p in HEDGE_PHRASES)
    negations = sum(1 for word in words if word in NEGATIONS or word == "n't")
    unverified = bool(UNVERIFIED.search(text))
    doubt = (
        unverified
        or any(word in DOUBT_WORDS for word in words)
        or any(p in joined or p in padded for p in DOUBT_PHRASES)
    )
    return Cues(denial=denial, hedge=hedge, negations=negations, doubt=doubt, unverified=unverified)


def rule_stance(claim_text: str, text: str, *, relevance: float) -> tuple[str, float] | None:
    """(stance, confidence) when the words settle it, else None. `relevance` in [0, 1] says how surely the
    two texts are about the same thing (a negation only counts then)."""
    claim, other = cues_of(claim_text), cues_of(text)
    if other.denial != claim.denial:
        if claim.denial and (other.doubt or other.hedge):
            return "qualifies", 0.6  # doubting the allegation a claim denies leans its way without saying so
        return "denies", 0.85
    if other.denial and claim.denial:
        return "corroborates", 0.75
    if (other.hedge or other.doubt) and not (claim.hedge or claim.doubt):
        return "qualifies", 0.75
    if relevance >= 0.5 and (other.negations > 0) != (claim.negations > 0) and not other.denial:
        return "denies", 0.6
    return None
