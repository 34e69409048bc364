"""Train the stance model on the public training splits and write evidence/suggestions/stance_model.json.

    manage.py train_stance [--data ../shared/stance-train] [--folds 5] [--no-write]

Reports grouped cross-validation scores first, then fits on everything and writes the JSON weights. The
folds keep a topic out of training while it is tested, as the benchmarks' test splits do: an Emergent claim
with all its headlines; for FNC-1, a topic is a set of headlines and bodies joined by related pairs (a
headline and the bodies that discuss, agree with or deny it), with the unrelated pairs of those bodies.
Folds by body alone let a headline be seen in training with other bodies, and scored the old linear model
0.852 where topic folds gave it 0.793. The short model's word features are pruned in each fold as in the
shipped model.
Needs scikit-learn (a development dependency); inference does not.
"""

import csv
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evidence.suggestions import stance_features as sf
from evidence.suggestions import stance_model as sm
from evidence.suggestions.stance import words_of

FNC_LABELS = {"agree": "corroborates", "disagree": "denies", "discuss": "neutral", "unrelated": "unrelated"}
EMERGENT_LABELS = {"for": "corroborates", "against": "denies", "observing": "neutral"}
VOCABULARY = 8000
# The short model keeps a word feature only if some class weighs it at least this much: a third of the words
# go, for a loss of about 0.0005 in grouped-CV accuracy (0.003 at 0.05).
SHORT_MIN_WEIGHT = 0.02
# The article model's trees: a fixed number of rounds (no early stopping on a random split) so that two runs
# write the same model. Grouped CV: 200 rounds at a rate of 0.05 scored 0.857 / 0.650 (FNC score / macro-F1),
# 100 at 0.1 0.853 / 0.645, 300 at 0.05 0.856 / 0.647, 100 at 0.1 with 31 leaves 0.856 / 0.637.
LONG_TREES = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "early_stopping": False}
LONG_SCORES = "long (FNC-1 train, grouped by topic)"


def fnc_score(gold: list[str], predicted: list[str]) -> float:
    """The FNC-1 competition score as a share of the best possible."""
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25
        if g != "unrelated":
            score += 0.5 if g == p else 0.0
            score += 0.25 if p != "unrelated" else 0.0
    return score / best


def macro_f1(gold: list[str], predicted: list[str], classes: list[str]) -> float:
    scores = []
    for label in classes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def fnc_topics(pairs: list[tuple[str, str, str]]) -> dict[str, str]:
    """{body id: its topic} for FNC-1 (headline, body id, label) pairs: bodies and headlines joined by a
    related pair are one topic (unrelated pairs join everything to everything, so they do not count)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for headline, body, label in pairs:
        root(("body", body))
        if label != "unrelated":
            parent[root(("headline", headline))] = root(("body", body))
    return {body: root(("body", body))[1] for _, body, _ in pairs}


def export_trees(model) -> dict:
    """A fitted HistGradientBoostingClassifier as the flat node arrays of stance_model.BoostedTrees, its
    classes in CLASSES order. Thresholds keep every digit (a feature value can lie right at one: rounding them to
    ten digits moved a probability by 0.08); leaf values keep seven."""
    order = [str(c) for c in model.classes_]
    if not set(order) <= set(sm.CLASSES):
        raise CommandError(f"Unknown classes {order}")
    classes = [c for c in sm.CLASSES if c in order]
    baseline = np.ravel(model._baseline_prediction)
    if len(order) == 2:  # a binary model keeps one logit: the second class's, against 0 for the first
        baseline = np.array([0.0, baseline[0]])
    exported: dict[str, Any] = {
        "classes": classes,
        "baseline": [float(baseline[order.index(c)]) for c in classes],
        **{key: [] for key in ("tree_class", "roots", "feature", "threshold", "left", "right", "value")},
    }
    depth = 0
    for iteration in model._predictors:
        for k, predictor in enumerate(iteration):
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise CommandError("Categorical splits are not supported by BoostedTrees.")
            offset = len(exported["feature"])
            exported["tree_class"].append(classes.index(order[k if len(order) > 2 else 1]))
            exported["roots"].append(offset)
            leaf = nodes["is_leaf"].astype(bool)
            exported["feature"] += np.where(leaf, -1, nodes["feature_idx"]).tolist()
            exported["threshold"] += np.where(leaf, 0.0, nodes["num_threshold"]).tolist()
            exported["left"] += np.where(leaf, -1, nodes["left"].astype(np.int64) + offset).tolist()
            exported["right"] += np.where(leaf, -1, nodes["right"].astype(np.int64) + offset).tolist()
            exported["value"] += [float(f"{v:.7g}") for v in np.where(leaf, nodes["value"], 0.0)]
            depth = max(depth, int(nodes["depth"].max()))
    exported["depth"] = depth
    return exported


class Command(BaseCommand):
    help = "Train the stance model on FNC-1 and Emergent training data; write its JSON weights."

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(Path(settings.BASE_DIR).parent / "shared" / "stance-train"))
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--c-short", type=float, default=0.2)
        parser.add_argument("--no-write", action="store_true")

    def handle(self, *args, data: str, folds: int, c_short: float, no_write: bool, **options):
        try:
            from scipy.sparse import csr_matrix, hstack
            from sklearn.ensemble import HistGradientBoostingClassifier
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import GroupKFold
            from sklearn.utils.class_weight import compute_sample_weight
        except ImportError as exc:
            raise CommandError("Training needs scikit-learn: pip install -r requirements-dev.txt") from exc
        root = Path(data)
        fnc, emergent = self._read(root)
        idf, default_idf = self._idf(fnc, emergent)

        def long_matrix(pairs):
            return np.asarray([sf.pair_features(claim, text, idf, default_idf) for claim, text, _, _ in pairs])

        def short_matrix(pairs):
            dense, rows, cols, vocabulary = [], [], [], {}
            for i, (claim, text, _, _) in enumerate(pairs):
                d, tokens = sf.short_features(claim, text)
                dense.append(d)
                for token in sorted(tokens):
                    rows.append(i)
                    cols.append(vocabulary.setdefault(token, len(vocabulary)))
            words = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pairs), len(vocabulary)))
            return np.asarray(dense), words, list(vocabulary)

        def fit_short(dense, words, labels):
            x = hstack([csr_matrix(dense), words]).tocsr()
            model = LogisticRegression(C=c_short, max_iter=3000).fit(x, labels)
            word_weights = model.coef_[:, dense.shape[1] :]
            word_weights[:, np.abs(word_weights).max(axis=0) < SHORT_MIN_WEIGHT] = 0.0
            return model

        def predict_short(model, dense, words):
            return model.predict(hstack([csr_matrix(dense), words]).tocsr())

        def fit_long(dense, labels):
            # FNC-1 is judged by a score that rewards the rare classes, and by macro-F1: each class weighs
            # the square root of its inverse share, halfway between the data's own shares and balanced.
            weights = compute_sample_weight("balanced", labels) ** 0.5
            return HistGradientBoostingClassifier(**LONG_TREES).fit(dense, labels, sample_weight=weights)

        results: dict[str, dict[str, Any]] = {}
        for name, pairs in (("long", fnc), ("short", emergent)):
            self.stderr.write(f"{name}: {len(pairs)} pairs, extracting features")
            labels = np.asarray([label for _, _, label, _ in pairs])
            groups = np.asarray([group for _, _, _, group in pairs])
            predicted = np.empty(len(pairs), dtype=object)
            if name == "long":
                dense = long_matrix(pairs)
                for train, test in GroupKFold(n_splits=folds).split(dense, labels, groups):
                    predicted[test] = fit_long(dense[train], labels[train]).predict(dense[test])
            else:
                dense, words, vocabulary = short_matrix(pairs)
                for train, test in GroupKFold(n_splits=folds).split(dense, labels, groups):
                    model = fit_short(dense[train], words[train], labels[train])
                    predicted[test] = predict_short(model, dense[test], words[test])
            gold, guess = [str(g) for g in labels], [str(p) for p in predicted]
            accuracy = sum(g == p for g, p in zip(gold, guess, strict=True)) / len(gold)
            classes = sorted(set(gold))
            results[name] = {
                "pairs": len(pairs),
                "groups": len(set(groups)),
                "cv_folds": folds,
                "cv_accuracy": round(accuracy, 4),
                "cv_macro_f1": round(macro_f1(gold, guess, classes), 4),
                "cv_f1": {label: round(macro_f1(gold, guess, [label]), 4) for label in classes},
            }
            if name == "long":
                results[name]["cv_fnc_score"] = round(fnc_score(gold, guess), 4)
            self.stderr.write(f"{name}: {results[name]}")
            if name == "long":
                trees = fit_long(dense, labels)
                results[name]["model"] = export_trees(trees)
                check = dense[:: max(1, len(dense) // 500)]
                exported = sm.BoostedTrees.from_json(results[name]["model"])
                gap = np.abs(np.asarray([exported.probabilities(row) for row in check]) - trees.predict_proba(check))
                if gap.max() > 1e-4:
                    raise CommandError(f"The exported trees are {gap.max():.2g} off scikit-learn's probabilities.")
            else:
                model = fit_short(dense, words, labels)
                results[name]["model"] = self._export(model, dense.shape[1], vocabulary)

        artifact = {
            "version": 3,  # 3: the long model is trees
            "classes": sm.CLASSES,
            "short_classes": results["short"]["model"]["classes"],
            "idf": idf,
            "default_idf": default_idf,
            "short": results["short"].pop("model"),
            "long": results["long"].pop("model"),
            "scores": {
                LONG_SCORES: results["long"],
                "short (Emergent train)": results["short"],
            },
        }
        if not no_write:
            sm.ARTIFACT.write_text(json.dumps(artifact, separators=(",", ":")))
            self.stderr.write(f"wrote {sm.ARTIFACT} ({sm.ARTIFACT.stat().st_size:,} bytes)")
        self.stderr.write(json.dumps(artifact["scores"], indent=2))

    def _read(self, root: Path):
        try:
            with (root / "fnc-1" / "train_bodies.csv").open(encoding="utf-8") as f:
                bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
            with (root / "fnc-1" / "train_stances.csv").open(encoding="utf-8") as f:
                rows = [(row["Headline"], row["Body ID"], FNC_LABELS[row["Stance"]]) for row in csv.DictReader(f)]
            topics = fnc_topics(rows)
            fnc = [(headline, bodies[body], label, topics[body]) for headline, body, label in rows]
            with (root / "emergent" / "emergent_train.csv").open(encoding="utf-8") as f:
                emergent = [
                    (
                        row["claimHeadline"],
                        row["articleHeadline"],
                        EMERGENT_LABELS[row["articleHeadlineStance"]],
                        row["claimId"],
                    )
                    for row in csv.DictReader(f)
                ]
        except FileNotFoundError as exc:
            raise CommandError(f"Training data not found: {exc.filename}") from exc
        return fnc, emergent

    def _idf(self, fnc, emergent) -> tuple[dict[str, float], float]:
        documents = {text for pair in fnc for text in pair[:2]} | {text for pair in emergent for text in pair[:2]}
        df: Counter[str] = Counter()
        for text in documents:
            df.update(set(sf.stems(words_of(text))))
        total = len(documents)
        # Ties broken by the stem itself, so that two runs write the same model.
        kept = dict(sorted(df.items(), key=lambda item: (-item[1], item[0]))[:VOCABULARY])
        return {stem: round(math.log((1 + total) / (1 + n)) + 1, 3) for stem, n in kept.items()}, round(
            math.log((1 + total) / 2) + 1, 3
        )

    def _export(self, model, dense_count: int, vocabulary: list[str]) -> dict:
        """The linear model's weights in CLASSES order, and of its vocabulary only the words some class weighs.
        Its features are used as they are (all lie in [0, 1]): mean 0, scale 1."""
        coef = model.coef_
        if coef.shape[0] == 1:  # two classes: sklearn keeps one row
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = model.intercept_ if len(model.intercept_) > 1 else np.array([-1, 1]) * model.intercept_[0] / 2
        order = list(model.classes_)
        classes = [c for c in sm.CLASSES if c in order]
        rows = [order.index(c) for c in classes]
        sparse = coef[rows, dense_count:]
        exported = {
            "classes": classes,
            "mean": [0.0] * dense_count,
            "scale": [1.0] * dense_count,
            "dense": np.round(coef[rows, :dense_count], 4).tolist(),
            "intercept": np.round(intercept[rows], 4).tolist(),
        }
        kept = np.flatnonzero(np.abs(sparse).max(axis=0) > 0)
        exported["vocabulary"] = [vocabulary[i] for i in kept]
        exported["sparse"] = np.round(sparse[:, kept], 3).tolist()
        return exported
