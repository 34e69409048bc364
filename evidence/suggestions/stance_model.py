"""The trained stance model: two models over the features of a (claim, text) pair.

Each has its own features (evidence.suggestions.stance_features). `long`, for an article, is gradient-boosted
trees over the dense features of a pair, trained on FNC-1's headline/body pairs: trees, because what a
feature means depends on the others (a hedge in the passage that matches the claim says "discuss" only when
the article is about the claim), and so they carry over to topics not seen in training better than a linear
model over words did. `short`, for a sentence or a headline, is a linear softmax over words and cues, trained
on Emergent's claim/headline pairs, where the words of the headline itself say most. Both live in
stance_model.json, written by `manage.py train_stance`; inference needs only numpy.
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


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max())
    return exp / exp.sum()


@dataclass(frozen=True)
class LinearSoftmax:
    """A softmax over standardized dense features and named word features (those of the vocabulary)."""

    mean: np.ndarray
    scale: np.ndarray
    dense: np.ndarray  # (classes, dense features)
    words: np.ndarray  # (classes, vocabulary entries)
    intercept: np.ndarray
    vocabulary: dict[str, int]

    @classmethod
    def from_json(cls, data: dict) -> "LinearSoftmax":
        def array(key: str) -> np.ndarray:
            return np.asarray(data[key], dtype=np.float64)

        return cls(
            mean=array("mean"),
            scale=array("scale"),
            dense=array("dense"),
            words=array("sparse"),
            intercept=array("intercept"),
            vocabulary={word: i for i, word in enumerate(data["vocabulary"])},
        )

    def probabilities(self, dense: list[float], tokens: set[str]) -> np.ndarray:
        x = (np.asarray(dense) - self.mean) / self.scale
        known = [self.vocabulary[t] for t in tokens if t in self.vocabulary]
        return _softmax(self.dense @ x + self.words[:, known].sum(axis=1) + self.intercept)


@dataclass(frozen=True)
class BoostedTrees:
    """Gradient-boosted trees as scikit-learn's HistGradientBoostingClassifier fits them, held as flat node
    arrays (one tree per iteration and class): a sample goes left where its feature is at most the node's
    threshold; a class's logit is its baseline plus the values of the leaves its trees reach."""

    baseline: np.ndarray  # (classes,)
    tree_class: np.ndarray  # (trees,) which class's logit each tree adds to
    roots: np.ndarray  # (trees,) index of each tree's root node
    feature: np.ndarray  # (nodes,) feature tested (0 at a leaf, whose threshold is inf)
    threshold: np.ndarray
    left: np.ndarray  # a leaf points at itself
    right: np.ndarray
    value: np.ndarray  # a leaf's value, 0 elsewhere
    depth: int

    @classmethod
    def from_json(cls, data: dict) -> "BoostedTrees":
        feature = np.asarray(data["feature"], dtype=np.int64)
        nodes = np.arange(len(feature))
        leaf = feature < 0
        return cls(
            baseline=np.asarray(data["baseline"], dtype=np.float64),
            tree_class=np.asarray(data["tree_class"], dtype=np.int64),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.where(leaf, 0, feature),
            threshold=np.where(leaf, np.inf, np.asarray(data["threshold"], dtype=np.float64)),
            left=np.where(leaf, nodes, np.asarray(data["left"], dtype=np.int64)),
            right=np.where(leaf, nodes, np.asarray(data["right"], dtype=np.int64)),
            value=np.asarray(data["value"], dtype=np.float64),
            depth=int(data["depth"]),
        )

    def probabilities(self, dense: list[float]) -> np.ndarray:
        x = np.asarray(dense, dtype=np.float64)
        node = self.roots
        for _ in range(self.depth):  # every tree steps down at once; a leaf stays where it is
            node = np.where(x[self.feature[node]] <= self.threshold[node], self.left[node], self.right[node])
        return _softmax(
            self.baseline + np.bincount(self.tree_class, weights=self.value[node], minlength=len(self.baseline))
        )


@dataclass(frozen=True)
class StanceModel:
    idf: dict[str, float]
    default_idf: float
    classes: list[str]
    short: LinearSoftmax
    long: BoostedTrees
    short_classes: list[str]

    def predict(self, claim: str, text: str) -> dict[str, float]:
        """{stance: probability, "_cover": share of the claim's words in the text}; the short model knows
        no `unrelated` (its probability is then 0)."""
        if is_short(text):
            dense, tokens = short_features(claim, text)
            result = dict.fromkeys(self.classes, 0.0)
            probabilities = self.short.probabilities(dense, tokens)
            result.update(zip(self.short_classes, map(float, probabilities), strict=True))
            result["_cover"] = dense[SHORT_FEATURES.index("claim_cover")]
            return result
        dense = pair_features(claim, text, self.idf, self.default_idf)
        result = dict(zip(self.classes, map(float, self.long.probabilities(dense)), strict=True))
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
        long=BoostedTrees.from_json(data["long"]),
        short_classes=data["short_classes"],
    )
