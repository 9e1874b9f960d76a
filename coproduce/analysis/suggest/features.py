"""Turning comments into numbers: TF-IDF over words, word pairs and pieces of words.

Three kinds of feature, learnt from the coded comments:

- words ("parking") and pairs of neighbouring words ("car park", "not listened"), which carry
  most of the meaning;
- pieces of words, two to five characters long, taken from each word with a space either side
  (" park", "arki", "king "), so that "parking", "parked" and the misspelt "parkin" share
  something, as do "nurse" and "nurses". Patient comments are short and often misspelt, and these
  pieces are worth a few points of F1 on the rarer codes.

Each feature's count is multiplied by its inverse document frequency, and each block (words with
pairs; pieces) is divided by the square root of the sum of squared IDFs of its occurrences: for a
comment in which no feature repeats that is exactly scaling to unit length, and it can be worked
out without first finding the repeats, which is what makes suggesting fast (see `LinearScorer`).
The two blocks are then put side by side with equal weight. Only features seen in at least
`min_df` coded comments are kept.

Speed matters more here than anywhere else in the engine: a million comments must be scored in
seconds on two cores. So a batch of comments is split into words by one regular expression over
the whole batch, each distinct word is looked up once (the pieces of a word are worked out the
first time it is met and remembered), and everything after that is NumPy and sparse matrix
products over the whole batch.

The vocabulary is stored as plain lists of strings and integer arrays (`to_arrays`), never as
pickled objects, so a stored model can be loaded without running anything from the file.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# Comments in a batch are joined with this character, which the tokeniser returns as a token of
# its own so that one pass finds where each comment ends.
_SEPARATOR = "\x00"
_TOKEN = re.compile(r"\w+(?:'\w+)?|\x00")
# Words longer than this are almost always links or strings of characters: their pieces would
# only add noise and time.
_LONGEST_WORD = 30
# The featuriser remembers the words it has met; past this many it starts again, so a stream of
# millions of comments with endless misspellings cannot grow it without bound.
_REMEMBERED_WORDS = 200_000


def _empty(rows: int, columns: int) -> sp.csr_matrix:
    return sp.csr_matrix(
        (
            np.zeros(0, dtype=np.float32),
            np.zeros(0, dtype=np.int32),
            np.zeros(rows + 1, dtype=np.int32),
        ),
        shape=(rows, columns),
    )


def normalise(text: str) -> str:
    """Lower case, with Unicode compatibility forms and curly apostrophes made plain."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return text.lower()


def tokens(text: str) -> list[str]:
    """The words of one comment, as the featuriser sees them."""
    return [token for token in _TOKEN.findall(normalise(text)) if token != _SEPARATOR]


def pieces(word: str, shortest: int, longest: int) -> list[str]:
    """The pieces of one word, padded with a space either side, shortest first."""
    padded = f" {word} "
    found: list[str] = []
    for n in range(shortest, min(longest, len(padded)) + 1):
        found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return found


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """How comments are featurised. Stored with the model, so that it featurises the same way."""

    min_df: int = 2
    word_pairs: bool = True
    piece_min: int = 2
    piece_max: int = 5

    @property
    def uses_pieces(self) -> bool:
        return self.piece_max >= self.piece_min > 0


@dataclass(frozen=True, slots=True)
class Encoded:
    """A batch of comments as the words the featuriser has met: `words[starts[i]:starts[i+1]]`
    are comment i's, as ids into the featuriser's table of remembered words."""

    starts: IntArray
    words: IntArray
    generation: int

    @property
    def n(self) -> int:
        return len(self.starts) - 1


class Featuriser:
    """A fitted vocabulary with its IDF weights: comments in, a sparse matrix out."""

    def __init__(
        self,
        settings: FeatureSettings,
        words: list[str],
        pairs: IntArray,
        piece_list: list[str],
        idf: FloatArray,
    ) -> None:
        self.settings = settings
        self.words = words
        self.pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        self.piece_list = piece_list
        self.idf = np.asarray(idf, dtype=np.float32)
        self.n_words = len(words)
        self.n_pairs = len(self.pairs)
        self.n_word_features = self.n_words + self.n_pairs
        if len(self.idf) != self.n_word_features + len(piece_list):
            raise ValueError("The IDF weights do not match the vocabulary.")
        self.word_index = {word: i for i, word in enumerate(words)}
        self.piece_index = {piece: i + self.n_word_features for i, piece in enumerate(piece_list)}
        self.pair_keys = self.pairs[:, 0] * self.n_words + self.pairs[:, 1]
        if np.any(np.diff(self.pair_keys) <= 0):
            raise ValueError("Word pairs must be stored sorted and without repeats.")
        self._forget()

    @property
    def n_features(self) -> int:
        return len(self.idf)

    # Fitting

    @classmethod
    def fit(cls, texts: Sequence[str], settings: FeatureSettings | None = None) -> Featuriser:
        settings = settings or FeatureSettings()
        documents = [tokens(text) for text in texts]
        word_df: Counter[str] = Counter()
        for document in documents:
            word_df.update(set(document))
        words = sorted(word for word, df in word_df.items() if df >= settings.min_df)
        index = {word: i for i, word in enumerate(words)}
        n_words = len(words)

        pair_df: Counter[int] = Counter()
        if settings.word_pairs:
            for document in documents:
                ids = [index.get(word, -1) for word in document]
                pair_df.update({a * n_words + b for a, b in itertools.pairwise(ids) if a >= 0 <= b})
        pair_keys = sorted(key for key, df in pair_df.items() if df >= settings.min_df)
        pairs = np.array(
            [(key // n_words, key % n_words) for key in pair_keys], dtype=np.int64
        ).reshape(-1, 2)

        piece_list: list[str] = []
        piece_counts: list[int] = []
        if settings.uses_pieces:
            pieces_of: dict[str, set[str]] = {}
            piece_df: Counter[str] = Counter()
            for document in documents:
                seen: set[str] = set()
                for word in set(document):
                    if len(word) > _LONGEST_WORD:
                        continue
                    found = pieces_of.get(word)
                    if found is None:
                        found = set(pieces(word, settings.piece_min, settings.piece_max))
                        pieces_of[word] = found
                    seen |= found
                piece_df.update(seen)
            piece_list = sorted(piece for piece, df in piece_df.items() if df >= settings.min_df)
            piece_counts = [piece_df[piece] for piece in piece_list]

        df = np.concatenate(
            [
                np.array([word_df[word] for word in words], dtype=np.float64),
                np.array([pair_df[key] for key in pair_keys], dtype=np.float64),
                np.array(piece_counts, dtype=np.float64),
            ]
        )
        n = len(documents)
        # Smoothed IDF, as scikit-learn computes it.
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        return cls(settings, words, pairs, piece_list, idf)

    # The words met so far

    def _forget(self) -> None:
        self.generation = getattr(self, "generation", -1) + 1
        self._ids: dict[str, int] = {_SEPARATOR: 0}
        self._met: list[str] = [_SEPARATOR]
        self._word_of: list[int] = [-1]
        self._piece_starts: list[int] = [0, 0]
        self._piece_columns: list[int] = []
        self._arrays: tuple[IntArray, IntArray, IntArray] | None = None

    def _remember(self, new_words: set[str]) -> None:
        settings = self.settings
        for word in sorted(new_words):
            self._ids[word] = len(self._word_of)
            self._met.append(word)
            self._word_of.append(self.word_index.get(word, -1))
            if settings.uses_pieces and len(word) <= _LONGEST_WORD:
                index = self.piece_index
                self._piece_columns.extend(
                    index[piece]
                    for piece in pieces(word, settings.piece_min, settings.piece_max)
                    if piece in index
                )
            self._piece_starts.append(len(self._piece_columns))
        self._arrays = None

    def words_met(self) -> list[str]:
        """The words remembered so far, by id (id 0 is the separator between comments)."""
        return self._met

    def remembered(self) -> tuple[IntArray, IntArray, IntArray]:
        """For each remembered word: its word column (-1 if none), and where its piece columns
        start in the flat array of piece columns (one more entry than words)."""
        if self._arrays is None:
            self._arrays = (
                np.asarray(self._word_of, dtype=np.int64),
                np.asarray(self._piece_starts, dtype=np.int64),
                np.asarray(self._piece_columns, dtype=np.int64),
            )
        return self._arrays

    def encode(self, texts: Sequence[str]) -> Encoded:
        """The batch as ids of remembered words, meeting any new words on the way."""
        n = len(texts)
        joined = _SEPARATOR.join(texts)
        if joined.count(_SEPARATOR) != max(n - 1, 0):
            joined = _SEPARATOR.join(text.replace(_SEPARATOR, " ") for text in texts)
        found = _TOKEN.findall(normalise(joined))
        ids = list(map(self._ids.get, found))
        if None in ids:
            unseen = {token for token, i in zip(found, ids, strict=True) if i is None}
            if len(self._ids) + len(unseen) > _REMEMBERED_WORDS:
                # Start again, with this batch's words only (the batch itself may be larger).
                self._forget()
                unseen = set(found) - self._ids.keys()
            self._remember(unseen)
            ids = list(map(self._ids.__getitem__, found))
        array = np.asarray(ids, dtype=np.int64)
        separators = array == 0
        comment_of = np.cumsum(separators)[~separators]
        words = array[~separators]
        starts = np.zeros(n + 1, dtype=np.int64)
        if n:
            np.cumsum(np.bincount(comment_of, minlength=n), out=starts[1:])
        return Encoded(starts=starts, words=words, generation=self.generation)

    def counts(self, encoded: Encoded) -> sp.csr_matrix:
        """Comment x remembered word: how often each comment uses each word (repeats allowed)."""
        n_remembered = len(self._word_of)
        return sp.csr_matrix(
            (np.ones(len(encoded.words), dtype=np.float32), encoded.words, encoded.starts),
            shape=(encoded.n, n_remembered),
        )

    def pair_counts(self, encoded: Encoded) -> sp.csr_matrix:
        """Comment x word pair in the vocabulary: how often each comment uses each pair."""
        n = encoded.n
        if not (self.settings.word_pairs and self.n_pairs) or len(encoded.words) < 2:
            return _empty(n, self.n_pairs)
        word_of, _, _ = self.remembered()
        columns = word_of[encoded.words]
        comment_of = np.repeat(np.arange(n), np.diff(encoded.starts))
        first, second = columns[:-1], columns[1:]
        usable = (comment_of[:-1] == comment_of[1:]) & (first >= 0) & (second >= 0)
        keys = first[usable] * self.n_words + second[usable]
        at = np.searchsorted(self.pair_keys, keys)
        at[at == self.n_pairs] = 0
        known = self.pair_keys[at] == keys
        rows = comment_of[:-1][usable][known]
        return sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, at[known])),
            shape=(n, self.n_pairs),
        )

    def word_map(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Remembered word x feature: its word column, and its piece columns."""
        word_of, piece_starts, piece_columns = self.remembered()
        n_remembered = len(word_of)
        has_word = word_of >= 0
        words = sp.csr_matrix(
            (
                np.ones(int(has_word.sum()), dtype=np.float32),
                (np.flatnonzero(has_word), word_of[has_word]),
            ),
            shape=(n_remembered, self.n_features),
        )
        piece_map = sp.csr_matrix(
            (np.ones(len(piece_columns), dtype=np.float32), piece_columns, piece_starts),
            shape=(n_remembered, self.n_features),
        )
        return words, piece_map

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """One row per comment: weighted words and pairs, and weighted pieces, side by side."""
        encoded = self.encode(texts)
        counts = self.counts(encoded)
        word_map, piece_map = self.word_map()
        pair_counts = self.pair_counts(encoded)
        pair_part = sp.csr_matrix(
            (pair_counts.data, pair_counts.indices + self.n_words, pair_counts.indptr),
            shape=(encoded.n, self.n_features),
        )
        blocks = [counts @ word_map + pair_part]
        if self.settings.uses_pieces:
            blocks.append(counts @ piece_map)
        scale = np.float32(1.0 / np.sqrt(len(blocks)))
        matrix = _empty(encoded.n, self.n_features)
        for block in blocks:
            block = sp.csr_matrix(block, dtype=np.float32)
            block.sum_duplicates()
            weights = self.idf[block.indices]
            row_of = np.repeat(np.arange(encoded.n), np.diff(block.indptr))
            norms = np.sqrt(
                np.bincount(row_of, weights=block.data * weights * weights, minlength=encoded.n)
            )
            norms[norms == 0] = 1.0
            block.data = (block.data * weights / norms[row_of] * scale).astype(np.float32)
            matrix = matrix + block
        return sp.csr_matrix(matrix, dtype=np.float32)

    # Storing

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """JSON-ready metadata and NumPy arrays that `from_arrays` rebuilds this from."""
        meta = {
            "min_df": self.settings.min_df,
            "word_pairs": self.settings.word_pairs,
            "piece_min": self.settings.piece_min,
            "piece_max": self.settings.piece_max,
            "words": self.words,
            "pieces": self.piece_list,
        }
        return meta, {"pairs": self.pairs, "idf": self.idf}

    @classmethod
    def from_arrays(cls, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> Featuriser:
        settings = FeatureSettings(
            min_df=int(meta["min_df"]),
            word_pairs=bool(meta["word_pairs"]),
            piece_min=int(meta["piece_min"]),
            piece_max=int(meta["piece_max"]),
        )
        return cls(
            settings,
            [str(word) for word in meta["words"]],
            np.asarray(arrays["pairs"], dtype=np.int64),
            [str(piece) for piece in meta["pieces"]],
            np.asarray(arrays["idf"], dtype=np.float32),
        )


class LinearScorer:
    """Scores of a linear model over the featuriser's features, without building the features.

    The score of a comment is (sum of word and pair rows of W, each times its IDF, divided by
    the comment's word-block norm + the same for pieces) / sqrt(2) + intercept. Every word's
    share of that (its word row, the sum of its piece rows, and the squares of their IDFs) is
    worked out once, the first time the word is met, so scoring a batch is one sparse product of
    (comment x word) counts with those per-word rows.
    """

    def __init__(self, featuriser: Featuriser, weights: FloatArray, intercept: FloatArray) -> None:
        if weights.shape[0] != featuriser.n_features:
            raise ValueError("The weights do not match the featuriser.")
        self.featuriser = featuriser
        self.n_outputs = weights.shape[1]
        idf = featuriser.idf.astype(np.float32)
        weighted = weights.astype(np.float32) * idf[:, None]
        self._weighted = weighted
        self._squares = idf * idf
        f = featuriser
        self._pair_rows = np.hstack(
            [
                weighted[f.n_words : f.n_word_features],
                self._squares[f.n_words : f.n_word_features, None],
            ]
        )
        self.intercept = intercept.astype(np.float32)
        self._table = np.zeros((1, 2 * self.n_outputs + 2), dtype=np.float32)
        self._generation = -1

    def _rows(self) -> FloatArray:
        """Per remembered word: word-block row, word-block square, piece row, piece square."""
        f = self.featuriser
        word_of, piece_starts, piece_columns = f.remembered()
        if self._generation != f.generation:
            self._table = np.zeros((0, 2 * self.n_outputs + 2), dtype=np.float32)
            self._generation = f.generation
        done = len(self._table)
        if done == len(word_of):
            return self._table
        k = self.n_outputs
        new = np.zeros((len(word_of) - done, 2 * k + 2), dtype=np.float32)
        columns = word_of[done:]
        has_word = columns >= 0
        new[has_word, :k] = self._weighted[columns[has_word]]
        new[has_word, k] = self._squares[columns[has_word]]
        starts = piece_starts[done:]
        lengths = np.diff(starts)
        if lengths.sum():
            flat = piece_columns[starts[0] : starts[-1]]
            owner = np.repeat(np.arange(len(lengths)), lengths)
            spread = sp.csr_matrix(
                (np.ones(len(flat), dtype=np.float32), (owner, np.arange(len(flat)))),
                shape=(len(lengths), len(flat)),
            )
            new[:, k + 1 : 2 * k + 1] = spread @ self._weighted[flat]
            new[:, 2 * k + 1] = spread @ self._squares[flat]
        self._table = np.vstack([self._table, new])
        return self._table

    def scores(self, texts: Sequence[str]) -> FloatArray:
        return self.scores_encoded(self.featuriser.encode(texts))

    def scores_encoded(self, encoded: Encoded) -> FloatArray:
        f = self.featuriser
        if encoded.generation != f.generation:
            raise ValueError("The featuriser has forgotten the words of this batch.")
        table = self._rows()
        sums = f.counts(encoded) @ table
        k = self.n_outputs
        if f.n_pairs:
            sums[:, : k + 1] += f.pair_counts(encoded) @ self._pair_rows
        blocks = 2 if f.settings.uses_pieces else 1
        word_norm = np.sqrt(sums[:, k])
        word_norm[word_norm == 0] = 1.0
        result = sums[:, :k] / word_norm[:, None]
        if blocks == 2:
            piece_norm = np.sqrt(sums[:, 2 * k + 1])
            piece_norm[piece_norm == 0] = 1.0
            result += sums[:, k + 1 : 2 * k + 1] / piece_norm[:, None]
            result *= np.float32(1.0 / np.sqrt(2.0))
        return (result + self.intercept).astype(np.float32)
