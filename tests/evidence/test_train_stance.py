"""Training the stance model: topic folds for FNC-1, and trees exported so that numpy alone decides as
scikit-learn does."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from evidence.management.commands.train_stance import LONG_TREES, export_trees, fnc_topics
from evidence.suggestions.stance_model import CLASSES, BoostedTrees


def test_fnc_topics_join_headlines_and_bodies_through_related_pairs_only():
    pairs = [
        ("Meteorite hits Managua", "1", "corroborates"),
        ("Meteorite hits Managua", "2", "neutral"),
        ("Rocker found alive", "3", "denies"),
        ("Rocker found alive", "1", "unrelated"),
        ("Meteorite hits Managua", "4", "unrelated"),
    ]
    topics = fnc_topics(pairs)
    assert topics["1"] == topics["2"]
    assert len({topics["1"], topics["3"], topics["4"]}) == 3


def _data(classes: list[str], rows: int = 600) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    x = rng.random((rows, 6))
    x[:, 3] = rng.integers(0, 3, rows)  # few distinct values: thresholds sit right beside data values
    score = x[:, 0] + 0.5 * x[:, 1] - 0.3 * x[:, 3] + 0.1 * rng.standard_normal(rows)
    edges = np.quantile(score, np.linspace(0, 1, len(classes) + 1)[1:-1])
    return x, np.asarray(classes)[np.searchsorted(edges, score)]


@pytest.mark.parametrize("classes", [CLASSES, ["corroborates", "denies"]])
def test_exported_trees_give_scikit_learns_probabilities(classes):
    x, y = _data(classes)
    model = HistGradientBoostingClassifier(**{**LONG_TREES, "max_iter": 30}).fit(x, y)
    trees = BoostedTrees.from_json(export_trees(model))
    ours = np.asarray([trees.probabilities(row.tolist()) for row in x])
    np.testing.assert_allclose(ours, model.predict_proba(x), atol=1e-5)
    # ...and on values the model never saw, beyond both ends of every feature's range
    unseen = np.vstack([x[:50] * 3 - 1, x[:50] * 0.5])
    np.testing.assert_allclose(
        [trees.probabilities(row.tolist()) for row in unseen], model.predict_proba(unseen), atol=1e-5
    )
