"""Features of a (claim, text) pair for the stance model (see stance_model).

For an article (the `long` model, FNC-1): similarity of the claim to the text, to its opening and to its
best-matching sentences, how many sentences are about the claim and where the best one stands, the share of
the claim's words and word pairs the text (and its first 255 characters) repeats, numbers shared or in
conflict, and the cues (hedges, reporting, denial, negation, falsity) of the claim, the opening, the best
passage, the sentences about the claim and the whole text. No words of the claim or the text themselves:
those name a topic, and a new topic is what the model meets in use. For a sentence or a headline (the `short`
model, Emergent), where the wording of the headline itself says most (Ferreira & Vlachos 2016): its words
and word pairs, whether it reports ("reportedly", "sources say"), hedges ("may", "allegedly") or refutes
("hoax", "denies", "not"), how early such a word comes (in a headline, a stand-in for its distance from
the root of the parse), and how much of the claim it repeats.
"""

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from evidence.suggestions.stance import DENIAL_WORDS, HEDGE_WORDS, NEGATIONS, cues_of, words_of

STEM = 6

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
    ]
)
# Cue words by kind. Reporting, hedging, speculating and planning leave a claim open
# (Emergent's "observing"); negation, falsity and denial push back on it.
HEDGE_CUES = {
    "report": "reportedly reported reports report sources source according insider insiders",
    "modal": "may might could would possibly possible perhaps maybe probably likely potential potentially",
    "allege": (
        "allegedly alleged alleges allegation allegations claim claims claimed claiming rumor rumors rumour"
        " rumours rumored rumoured purportedly purported supposedly speculation speculate speculated"
    ),
    "seem": "apparently appears appear appeared seems seem seemingly suspected suspect suspects believed believe",
    "plan": (
        "expected expects expect plans plan planning considering consider talks eyes mulls weighs predicted"
        " predicts predict forecast forecasts analyst analysts hints hint suggests suggest suggested whether if"
    ),
    "doubt": " ".join(sorted(HEDGE_WORDS)),
}
REFUTE_CUES = {
    "negation": " ".join(sorted(NEGATIONS | {"n't", "nope"})),
    "falsity": (
        "fake fakes faked false falsely untrue myth myths bogus hoax hoaxes hoaxed hoaxer fabricated satire"
        " satirical prank pranked spoof parody scam photoshopped photoshop busted rubbish nonsense baseless"
    ),
    "denial": " ".join(sorted(DENIAL_WORDS)) + " retract retracts retracted retraction quash quashes quashed",
}
CUE_KINDS: dict[str, tuple[str, ...]] = {}
for _kind, _cues in itertools.chain(HEDGE_CUES.items(), REFUTE_CUES.items()):
    for _word in _cues.split():
        CUE_KINDS[_word] = (*CUE_KINDS.get(_word, ()), _kind)
CUE_KIND_NAMES = [*HEDGE_CUES, *REFUTE_CUES]
HEDGE_KINDS = frozenset(HEDGE_CUES)
REFUTE_KINDS = frozenset({"falsity", "denial"})
NEGATION_KIND = frozenset({"negation"})
HEDGES = frozenset(word for cues in HEDGE_CUES.values() for word in cues.split())
REFUTES = frozenset(word for cues in REFUTE_CUES.values() for word in cues.split())
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER = re.compile(r"^\d+$")
# A sentence whose similarity to the claim passes this is about it (FNC-1 training pairs: a related body has
# two such sentences on average and none in a fifth of pairs, an unrelated one none in 99.4%).
RELATED = 0.25
OPENING = 255  # characters: the lead, as FNC-1's own baseline reads it
DENSE_FEATURES = [
    "cos_all",
    "cos_best",
    "cos_head",
    "cover_all",
    "cover_best",
    "bigram_cover",
    "numbers_shared",
    "numbers_conflict",
    "text_length",
    "claim_denial",
    "claim_hedge",
    "claim_negated",
    "claim_question",
    "text_denial_share",
    "best_denial",
    "head_denial",
    "text_hedge_share",
    "best_hedge",
    "head_hedge",
    "best_negated",
    "denial_mismatch",
    "negation_mismatch",
    "cos_second",
    "cos_third",
    "cos_top3",
    "related_share",
    "related_count",
    "best_position",
    "best_first",
    "related_hedge",
    "related_refute",
    "related_negated",
    "top3_hedge",
    "top3_refute",
    "top3_negated",
    "opening_cover",
    "opening_bigram_cover",
    "sentence_count",
    *(f"{where}_{kind}" for where in ("text", "head", "best", "claim") for kind in CUE_KIND_NAMES),
    "bias",
]


def cue_kinds(words: list[str]) -> set[str]:
    return {kind for word in words for kind in CUE_KINDS.get(word, ())}


def stems(words: list[str]) -> list[str]:
    return [word[:STEM] for word in words if word not in STOP_WORDS and len(word) > 1]


@dataclass(frozen=True)
class TextView:
    """What the features need of a text, computed once per text (FNC-1 bodies repeat)."""

    sentences: tuple[str, ...]
    sentence_stems: tuple[tuple[str, ...], ...]
    all_stems: tuple[str, ...]
    word_count: int
    denial_share: float
    hedge_share: float
    kind_shares: tuple[float, ...]  # per CUE_KIND_NAMES, the share of sentences with a cue of that kind
    head_kinds: frozenset[str]
    sentence_kinds: tuple[frozenset[str], ...]
    opening_stems: tuple[str, ...]  # of the first OPENING characters, where a headline's words come first


@lru_cache(maxsize=4096)
def text_view(text: str) -> TextView:
    sentences = tuple(s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s) or (text,)
    sentence_stems = tuple(tuple(stems(words_of(s))) for s in sentences)
    all_stems = tuple(stem for ss in sentence_stems for stem in ss)
    cues = [cues_of(s) for s in sentences]
    kinds = [frozenset(cue_kinds(words_of(s))) for s in sentences]
    return TextView(
        sentences,
        sentence_stems,
        all_stems,
        sum(len(words_of(s)) for s in sentences),
        denial_share=sum(c.denial for c in cues) / len(sentences),
        hedge_share=sum(c.hedge for c in cues) / len(sentences),
        kind_shares=tuple(sum(kind in k for k in kinds) / len(sentences) for kind in CUE_KIND_NAMES),
        head_kinds=frozenset().union(*kinds[:2]),
        sentence_kinds=tuple(kinds),
        opening_stems=tuple(stems(words_of(text[:OPENING]))),
    )


_VECTORS: dict[tuple[int, str], tuple[list[dict[str, float]], dict[str, float]]] = {}


def _text_vectors(text: str, view: TextView, idf: dict[str, float], default_idf: float):
    """The text's sentence vectors and whole-text vector, kept for texts seen again (FNC-1 bodies)."""
    key = (id(idf), text)
    found = _VECTORS.get(key)
    if found is None:
        if len(_VECTORS) > 2048:
            _VECTORS.clear()
        found = (
            [_vector(ss, idf, default_idf) for ss in view.sentence_stems],
            _vector(view.all_stems, idf, default_idf),
        )
        _VECTORS[key] = found
    return found


def _vector(stems_: tuple[str, ...] | list[str], idf: dict[str, float], default_idf: float) -> dict[str, float]:
    counts = Counter(stems_)
    vector = {stem: (1 + math.log(n)) * idf.get(stem, default_idf) for stem, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {stem: v / norm for stem, v in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def pair_features(claim: str, text: str, idf: dict[str, float], default_idf: float) -> list[float]:
    """The features of a pair, DENSE_FEATURES in order."""
    claim_words = words_of(claim)
    claim_stems = stems(claim_words)
    claim_set = set(claim_stems)
    view = text_view(text)
    claim_vector = _vector(claim_stems, idf, default_idf)
    sentence_vectors, text_vector = _text_vectors(text, view, idf, default_idf)
    cosines = [_cosine(claim_vector, vector) for vector in sentence_vectors]
    best = max(range(len(cosines)), key=cosines.__getitem__)
    head = [stem for ss in view.sentence_stems[:2] for stem in ss]
    best_window = " ".join(view.sentences[max(0, best - 1) : best + 2])
    all_set = set(view.all_stems)
    best_set = set(view.sentence_stems[best])
    claim_bigrams = set(itertools.pairwise(claim_stems))
    text_bigrams = set(zip(view.all_stems, view.all_stems[1:], strict=False))
    claim_numbers = {s for s in claim_stems if _NUMBER.match(s)}
    text_numbers = {s for s in view.all_stems if _NUMBER.match(s)}
    claim_cues = cues_of(claim)
    best_cues = cues_of(best_window)
    head_cues = cues_of(" ".join(view.sentences[:2]))
    best_kinds = cue_kinds(words_of(best_window))
    claim_kinds = cue_kinds(claim_words)
    ranked = sorted(range(len(cosines)), key=lambda i: -cosines[i])
    top = [cosines[i] for i in ranked[:3]] + [0.0] * (3 - min(3, len(ranked)))
    related = [i for i, cosine in enumerate(cosines) if cosine > RELATED]
    opening_set = set(view.opening_stems)
    opening_bigrams = set(itertools.pairwise(view.opening_stems))

    def share(sentences: list[int], kinds: frozenset[str]) -> float:
        return sum(bool(view.sentence_kinds[i] & kinds) for i in sentences) / len(sentences) if sentences else 0.0

    dense = [
        _cosine(claim_vector, text_vector),
        cosines[best],
        _cosine(claim_vector, _vector(head, idf, default_idf)),
        len(claim_set & all_set) / max(1, len(claim_set)),
        len(claim_set & best_set) / max(1, len(claim_set)),
        len(claim_bigrams & text_bigrams) / max(1, len(claim_bigrams)),
        len(claim_numbers & text_numbers) / max(1, len(claim_numbers)),
        float(bool(claim_numbers) and bool(text_numbers) and not claim_numbers & text_numbers),
        math.log1p(view.word_count) / 8,
        float(claim_cues.denial),
        float(claim_cues.hedge),
        float(claim_cues.negations > 0),
        float("?" in claim),
        view.denial_share,
        float(best_cues.denial),
        float(head_cues.denial),
        view.hedge_share,
        float(best_cues.hedge),
        float(head_cues.hedge),
        float(best_cues.negations > 0),
        float(best_cues.denial != claim_cues.denial),
        float((best_cues.negations > 0) != (claim_cues.negations > 0)),
        top[1],
        top[2],
        sum(top) / 3,
        len(related) / len(cosines),
        float(len(related)),
        best / len(cosines),
        float(best == 0),
        share(related, HEDGE_KINDS),
        share(related, REFUTE_KINDS),
        share(related, NEGATION_KIND),
        share(ranked[:3], HEDGE_KINDS),
        share(ranked[:3], REFUTE_KINDS),
        share(ranked[:3], NEGATION_KIND),
        len(claim_set & opening_set) / max(1, len(claim_set)),
        len(claim_bigrams & opening_bigrams) / max(1, len(claim_bigrams)),
        float(len(cosines)),
        *view.kind_shares,
        *(float(kind in view.head_kinds) for kind in CUE_KIND_NAMES),
        *(float(kind in best_kinds) for kind in CUE_KIND_NAMES),
        *(float(kind in claim_kinds) for kind in CUE_KIND_NAMES),
        1.0,
    ]
    return dense


MARKS = {
    "?": "question",
    "!": "exclamation",
    ":": "colon",
    "'": "quote",
    '"': "quote",
    "\u2018": "quote",
    "\u201c": "quote",
}
EARLY = 4
SHORT_FEATURES = [
    "hedge",
    "refute",
    "hedge_count",
    "refute_count",
    "hedge_first",
    "hedge_early",
    "refute_first",
    "refute_early",
    "attributed",
    "claim_cover",
    "text_precision",
    "length",
    "negation_mismatch",
    "negated_text_only",
    "claim_refutes",
    "refute_mismatch",
]


def short_features(claim: str, text: str) -> tuple[list[float], set[str]]:
    """Dense features (SHORT_FEATURES, in order, each in [0, 1]) and the word features of a short text."""
    words = words_of(text)
    claim_words = words_of(claim)
    n = max(1, len(words))
    hedges = [i for i, word in enumerate(words) if word in HEDGES]
    refutes = [i for i, word in enumerate(words) if word in REFUTES]
    colon = text.find(":")
    claim_set, text_set = set(stems(claim_words)), set(stems(words))
    shared = len(claim_set & text_set)
    claim_negated = any(word in NEGATIONS for word in claim_words)
    text_negated = any(word in NEGATIONS for word in words)
    claim_refutes = any(word in REFUTES for word in claim_words)
    dense = [
        float(bool(hedges)),
        float(bool(refutes)),
        min(3, len(hedges)) / 3,
        min(3, len(refutes)) / 3,
        1 - hedges[0] / n if hedges else 0.0,
        float(bool(hedges) and hedges[0] < EARLY),
        1 - refutes[0] / n if refutes else 0.0,
        float(bool(refutes) and refutes[0] < EARLY),
        float(colon >= 0 and len(words_of(text[:colon])) <= 3),
        shared / max(1, len(claim_set)),
        shared / max(1, len(text_set)),
        min(40, len(words)) / 40,
        float(claim_negated != text_negated),
        float(text_negated and not claim_negated),
        float(claim_refutes),
        float(claim_refutes != bool(refutes)),
    ]
    tokens = {"w:" + word for word in words}
    tokens.update("n:" + word for word in words if word[:STEM] not in claim_set)  # what the text adds
    tokens.update(f"b:{a}_{b}" for a, b in itertools.pairwise(["<s>", *words, "</s>"]))
    tokens.update("m:" + name for mark, name in MARKS.items() if mark in text)
    tokens.update("k:" + kind for word in words for kind in CUE_KINDS.get(word, ()))
    return dense, tokens
