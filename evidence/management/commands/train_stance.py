"""Train the stance model on the public training splits and write evidence/suggestions/stance_model.json.

    manage.py train_stance [--data ../shared/stance-train] [--folds 5] [--no-write]

Reports grouped cross-validation scores first (folds by FNC-1 body and by Emergent claim, so no article
or claim is in both a training and a test fold; the short model's word features pruned in each fold as in
the shipped model), then fits on everything and writes the JSON weights.
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


class Command(BaseCommand):
    help = "Train the stance model on FNC-1 and Emergent training data; write its JSON weights."

    def add_arguments(self, parser):
        parser.add_argument("--data", default=str(Path(settings.BASE_DIR).parent / "shared" / "stance-train"))
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--c-long", type=float, default=0.5)
        parser.add_argument("--c-short", type=float, default=0.2)
        parser.add_argument("--no-write", action="store_true")

    def handle(self, *args, data: str, folds: int, c_long: float, c_short: float, no_write: bool, **options):
        try:
            from scipy.sparse import csr_matrix, hstack
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import GroupKFold
        except ImportError as exc:
            raise CommandError("Training needs scikit-learn: pip install -r requirements-dev.txt") from exc
        root = Path(data)
        fnc, emergent = self._read(root)
        idf, default_idf = self._idf(fnc, emergent)

        def long_matrix(pairs):
            dense, rows, cols = [], [], []
            for i, (claim, text, _, _) in enumerate(pairs):
                d, sparse = sf.pair_features(claim, text, idf, default_idf)
                dense.append(d)
                rows += [i] * len(sparse)
                cols += sparse
            hashed = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pairs), sf.HASH_BUCKETS))
            return np.asarray(dense), hashed, None

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

        def fit(dense, sparse, labels, c, balanced, min_weight):
            if balanced:
                mean, scale = dense.mean(axis=0), dense.std(axis=0)
                scale[scale == 0] = 1.0
            else:
                mean, scale = np.zeros(dense.shape[1]), np.ones(dense.shape[1])
            x = hstack([csr_matrix((dense - mean) / scale), sparse]).tocsr()
            model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
            model.fit(x, labels)
            if min_weight:
                word_weights = model.coef_[:, dense.shape[1] :]
                word_weights[:, np.abs(word_weights).max(axis=0) < min_weight] = 0.0
            return model, mean, scale

        results: dict[str, dict[str, Any]] = {}
        # FNC-1 is judged by a score that rewards the rare classes (and by macro-F1): balanced weights,
        # standardized features; Emergent by accuracy: the data's own class shares, and features that all
        # lie in [0, 1] already, as they are.
        models = (
            ("long", fnc, long_matrix, c_long, True, 0.0),
            ("short", emergent, short_matrix, c_short, False, SHORT_MIN_WEIGHT),
        )
        for name, pairs, matrix, c, balanced, min_weight in models:
            self.stderr.write(f"{name}: {len(pairs)} pairs, extracting features")
            dense, sparse, vocabulary = matrix(pairs)
            labels = np.asarray([label for _, _, label, _ in pairs])
            groups = np.asarray([group for _, _, _, group in pairs])
            predicted = np.empty(len(pairs), dtype=object)
            for train, test in GroupKFold(n_splits=folds).split(dense, labels, groups):
                model, mean, scale = fit(dense[train], sparse[train], labels[train], c, balanced, min_weight)
                x = hstack([csr_matrix((dense[test] - mean) / scale), sparse[test]]).tocsr()
                predicted[test] = model.predict(x)
            gold, guess = [str(g) for g in labels], [str(p) for p in predicted]
            accuracy = sum(g == p for g, p in zip(gold, guess, strict=True)) / len(gold)
            classes = sorted(set(gold))
            results[name] = {
                "pairs": len(pairs),
                "cv_folds": folds,
                "cv_accuracy": round(accuracy, 4),
                "cv_macro_f1": round(macro_f1(gold, guess, classes), 4),
                "cv_f1": {label: round(macro_f1(gold, guess, [label]), 4) for label in classes},
            }
            if name == "long":
                results[name]["cv_fnc_score"] = round(fnc_score(gold, guess), 4)
            self.stderr.write(f"{name}: {results[name]}")
            model, mean, scale = fit(dense, sparse, labels, c, balanced, min_weight)
            results[name]["model"] = self._export(model, mean, scale, dense.shape[1], vocabulary)

        artifact = {
            "version": 2,
            "classes": sm.CLASSES,
            "short_classes": results["short"]["model"]["classes"],
            "idf": idf,
            "default_idf": default_idf,
            "short": results["short"].pop("model"),
            "long": results["long"].pop("model"),
            "scores": {
                "long (FNC-1 train, grouped by body)": results["long"],
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
                fnc = [
                    (row["Headline"], bodies[row["Body ID"]], FNC_LABELS[row["Stance"]], row["Body ID"])
                    for row in csv.DictReader(f)
                ]
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

    def _export(self, model, mean, scale, dense_count: int, vocabulary: list[str] | None) -> dict:
        """The model's weights in CLASSES order; of a vocabulary, only the words some class weighs."""
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
            "mean": np.round(mean, 5).tolist(),
            "scale": np.round(scale, 5).tolist(),
            "dense": np.round(coef[rows, :dense_count], 4).tolist(),
            "intercept": np.round(intercept[rows], 4).tolist(),
        }
        if vocabulary is not None:
            kept = np.flatnonzero(np.abs(sparse).max(axis=0) > 0)
            exported["vocabulary"] = [vocabulary[i] for i in kept]
            sparse = sparse[:, kept]
        exported["sparse"] = np.round(sparse, 3).tolist()
        return exported
