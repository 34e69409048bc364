"""The trained stance model: a linear softmax over the features of a (claim, text) pair.

Two models with their own features (evidence.suggestions.stance_features): `long`, for an article, is
trained on FNC-1's headline/body pairs; `short`, for a sentence or a headline, on Emergent's
claim/headline pairs. The weights live in stance_model.json, written by `manage.py train_stance`;
inference needs only numpy.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from evidence.suggestions.stance import words_of
from evidence.suggestions.stance_features import DENSE_FEATURES, SHORT_FEATURES, pair_features, short_features

ARTIFACT = Path(__file__).with_name("stance_model.json")
CLASSES = ["corroborates", "denies", "neutral", "unrelated"]
# A text of at most this many words is a sentence or a headline, for the short model.
SHORT_WORDS = 45


@dataclass(frozen=True)
class LinearSoftmax:
    mean: np.ndarray
    scale: np.ndarray
    dense: np.ndarray  # (classes, dense features)
    sparse: np.ndarray  # (classes, hash buckets or vocabulary entries)
    intercept: np.ndarray
    vocabulary: dict[str, int] | None = None  # for a model of named word features rather than hashed ones

    @classmethod
    def from_json(cls, data: dict) -> "LinearSoftmax":
        def array(key: str) -> np.ndarray:
            return np.asarray(data[key], dtype=np.float64)

        words = data.get("vocabulary")
        return cls(
            mean=array("mean"),
            scale=array("scale"),
            dense=array("dense"),
            sparse=array("sparse"),
            intercept=array("intercept"),
            vocabulary={word: i for i, word in enumerate(words)} if words is not None else None,
        )

    def probabilities(self, dense: list[float], sparse: list[int]) -> np.ndarray:
        x = (np.asarray(dense) - self.mean) / self.scale
        logits = self.dense @ x + self.sparse[:, sparse].sum(axis=1) + self.intercept
        logits -= logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def word_probabilities(self, dense: list[float], tokens: set[str]) -> np.ndarray:
        vocabulary = self.vocabulary or {}
        return self.probabilities(dense, [vocabulary[t] for t in tokens if t in vocabulary])


@dataclass(frozen=True)
class StanceModel:
    idf: dict[str, float]
    default_idf: float
    classes: list[str]
    short: LinearSoftmax
    long: LinearSoftmax
    short_classes: list[str]

    def predict(self, claim: str, text: str) -> dict[str, float]:
        """{stance: probability, "_cover": share of the claim's words in the text}; the short model knows
        no `unrelated` (its probability is then 0)."""
        if is_short(text):
            dense, tokens = short_features(claim, text)
            result = dict.fromkeys(self.classes, 0.0)
            probabilities = self.short.word_probabilities(dense, tokens)
            result.update(zip(self.short_classes, map(float, probabilities), strict=True))
            result["_cover"] = dense[SHORT_FEATURES.index("claim_cover")]
            return result
        dense, sparse = pair_features(claim, text, self.idf, self.default_idf)
        result = dict(zip(self.classes, map(float, self.long.probabilities(dense, sparse)), strict=True))
        result["_cover"] = dense[DENSE_FEATURES.index("cover_all")]
        return result


def is_short(text: str) -> bool:
    return len(words_of(text)) <= SHORT_WORDS


@cache
def stance_model() -> StanceModel | None:
    """The shipped model, or None when the artifact has not been trained yet."""
    if not ARTIFACT.exists():
        return None
    data = json.loads(ARTIFACT.read_text())
    return StanceModel(
        idf=data["idf"],
        default_idf=data["default_idf"],
        classes=data["classes"],
        short=LinearSoftmax.from_json(data["short"]),
        long=LinearSoftmax.from_json(data["long"]),
        short_classes=data["short_classes"],
    )
