"""Suggested codes that learn from the team's coding.

`train_suggester` takes the comments a team has coded and the codes each one was given (any
number per comment: the same code serves a codebook used one code at a time and one used many at
a time) and returns a `CodeSuggester`, which gives the rest of the comments their likely codes,
each with a confidence (a calibrated probability).

How it decides, per code:

- A code needs `min_examples` coded comments before it is suggested at all (5 by default: with
  fewer, five-fold cross-validation cannot hold any out, so nothing can be said about how well it
  works). `CodeReport.needed` says how many more each code needs.
- Otherwise a ridge model scores every comment, out of fold for the coded ones, and the code's
  threshold is set on those out-of-fold scores to meet the lead's `Target` (F-beta, or a recall
  to reach). The same scores give the code's cross-validated precision and recall, so the page
  can show which codes to trust. Moving the target needs no retraining (`retarget`).
- A comment that is empty or not in English gets no suggestions and a reason instead.

The model stores as a NumPy `.npz` of plain arrays with a JSON header (`to_bytes`), which loads
without unpickling anything, and suggests the same codes every time for the same text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import numpy.typing as npt

from .features import FeatureSettings, Featuriser, LinearScorer
from .language import COUNTS, READABLE, REASONS, Reason, judge_counts, reason_message, word_flags
from .linear import (
    BoolArray,
    Calibration,
    Float64Array,
    FloatArray,
    Target,
    calibrate,
    operating_point,
    out_of_fold_scores,
    ridge,
)

FORMAT = "coproduce.suggest/1"
# A code with a cross-validated F1 below this is too weakly learnt to say which comments are
# uncertain for it.
RELIABLE_F1 = 0.2
MIN_EXAMPLES = 5
BATCH = 20_000


@dataclass(frozen=True, slots=True)
class Settings:
    """How a suggester is trained."""

    min_examples: int = MIN_EXAMPLES
    alpha: float = 3.0
    folds: int = 5
    seed: int = 0
    features: FeatureSettings = field(default_factory=FeatureSettings)

    def __post_init__(self) -> None:
        if self.folds < 2:
            raise ValueError("At least two folds are needed to check the model.")
        if self.min_examples < self.folds:
            raise ValueError("A code needs at least one example in each fold.")


@dataclass(frozen=True, slots=True)
class CodeReport:
    """What the suggester knows about one code of the codebook."""

    code: str
    examples: int
    needed: int
    learnt: bool
    threshold: float | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None

    @property
    def message(self) -> str:
        if self.needed:
            return (
                f"Not suggested yet: code {self.needed} more "
                f"{'comment' if self.needed == 1 else 'comments'} with it "
                f"({self.examples} coded so far, {self.examples + self.needed} needed)."
            )
        if not self.learnt:
            return (
                "Not suggested: the comments coded with it are not told apart from the others "
                "by their words yet. Coding more examples may help."
            )
        return (
            f"Cross-validated on the team's coding: {round(100 * (self.precision or 0))}% of "
            f"suggestions right, {round(100 * (self.recall or 0))}% of its comments found."
        )


@dataclass(frozen=True, slots=True)
class Suggestion:
    code: str
    confidence: float


@dataclass(frozen=True, slots=True)
class CommentSuggestions:
    """The suggestions for one comment, most confident first, or why there are none."""

    suggestions: tuple[Suggestion, ...]
    reason: Reason | None = None

    @property
    def message(self) -> str:
        return reason_message(self.reason)


@dataclass(frozen=True, slots=True)
class Scored:
    """A batch of comments scored: one row per comment, one column per learnt code."""

    codes: tuple[str, ...]
    scores: FloatArray
    probabilities: FloatArray
    suggested: BoolArray
    reasons: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return len(self.reasons)

    def reason(self, row: int) -> Reason | None:
        """Why comment `row` got no suggestions, if it was not read."""
        return REASONS[int(self.reasons[row])]

    def comments(self) -> Iterator[CommentSuggestions]:
        for row in range(len(self.reasons)):
            reason = self.reason(row)
            if reason is not None:
                yield CommentSuggestions(suggestions=(), reason=reason)
                continue
            columns = np.flatnonzero(self.suggested[row])
            probabilities = self.probabilities[row, columns]
            order = np.argsort(-probabilities, kind="stable")
            yield CommentSuggestions(
                suggestions=tuple(
                    Suggestion(code=self.codes[columns[i]], confidence=float(probabilities[i]))
                    for i in order
                )
            )


class _WordFlags:
    """For each word the featuriser has met, what it counts towards in the language check
    (`language.COUNTS`), a word the model learnt counting as familiar. Kept in step with the
    featuriser, as its scorer is."""

    def __init__(self, featuriser: Featuriser) -> None:
        self.featuriser = featuriser
        self.generation = -1
        self.table = np.zeros((0, len(COUNTS)), dtype=np.float32)

    def rows(self) -> npt.NDArray[np.float32]:
        f = self.featuriser
        met = f.words_met()
        if self.generation != f.generation:
            self.table = np.zeros((0, len(COUNTS)), dtype=np.float32)
            self.generation = f.generation
        done = len(self.table)
        if done < len(met):
            new = np.array(
                [word_flags(word, f.word_index) for word in met[done:]], dtype=np.float32
            ).reshape(-1, len(COUNTS))
            self.table = np.vstack([self.table, new])
        return self.table


class CodeSuggester:
    """A trained suggester for one codebook. Build one with `train_suggester` or `from_bytes`."""

    def __init__(
        self,
        *,
        codebook: tuple[str, ...],
        examples: dict[str, int],
        learnt: tuple[str, ...],
        featuriser: Featuriser,
        weights: FloatArray,
        intercept: FloatArray,
        calibrations: tuple[Calibration, ...],
        oof_scores: FloatArray,
        oof_labels: BoolArray,
        settings: Settings,
        target: Target,
    ) -> None:
        self.codebook = codebook
        self.examples = examples
        self.learnt = learnt
        self.featuriser = featuriser
        self.weights = weights.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.calibrations = calibrations
        self.oof_scores = oof_scores.astype(np.float32)
        self.oof_labels = oof_labels.astype(bool)
        self.settings = settings
        self.target = target
        self.operating = tuple(
            operating_point(self.oof_scores[:, k], self.oof_labels[:, k], target)
            for k in range(len(learnt))
        )
        self.thresholds = np.array([point.threshold for point in self.operating], dtype=np.float32)
        self._slopes = np.array([c.slope for c in calibrations], dtype=np.float64)
        self._offsets = np.array([c.offset for c in calibrations], dtype=np.float64)
        self._scorer = LinearScorer(featuriser, self.weights, self.intercept)
        self._flags = _WordFlags(featuriser)

    # Reading the model

    def reports(self) -> list[CodeReport]:
        """One report per code of the codebook, in codebook order."""
        column = {code: k for k, code in enumerate(self.learnt)}
        found: list[CodeReport] = []
        for code in self.codebook:
            examples = self.examples.get(code, 0)
            needed = max(0, self.settings.min_examples - examples)
            k = column.get(code)
            if k is None:
                found.append(CodeReport(code=code, examples=examples, needed=needed, learnt=False))
                continue
            point = self.operating[k]
            found.append(
                CodeReport(
                    code=code,
                    examples=examples,
                    needed=0,
                    learnt=True,
                    threshold=float(
                        self.calibrations[k].probability(np.array([point.threshold]))[0]
                    ),
                    precision=point.precision,
                    recall=point.recall,
                    f1=point.f1,
                )
            )
        return found

    def retarget(self, target: Target) -> CodeSuggester:
        """The same model with each code's threshold moved to meet `target`. No retraining."""
        return CodeSuggester(
            codebook=self.codebook,
            examples=self.examples,
            learnt=self.learnt,
            featuriser=self.featuriser,
            weights=self.weights,
            intercept=self.intercept,
            calibrations=self.calibrations,
            oof_scores=self.oof_scores,
            oof_labels=self.oof_labels,
            settings=self.settings,
            target=target,
        )

    # Suggesting

    def raw_scores(self, texts: Sequence[str]) -> FloatArray:
        """The ridge scores, one column per learnt code (what thresholds apply to)."""
        return self._scorer.scores(texts)

    def score(self, texts: Sequence[str]) -> Scored:
        """Probabilities and suggestions for a batch of comments, as arrays."""
        parts = [self._score_batch(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        if not parts:
            k = len(self.learnt)
            return Scored(
                codes=self.learnt,
                scores=np.zeros((0, k), dtype=np.float32),
                probabilities=np.zeros((0, k), dtype=np.float32),
                suggested=np.zeros((0, k), dtype=bool),
                reasons=np.zeros(0, dtype=np.int8),
            )
        return Scored(
            codes=self.learnt,
            scores=np.vstack([part.scores for part in parts]),
            probabilities=np.vstack([part.probabilities for part in parts]),
            suggested=np.vstack([part.suggested for part in parts]),
            reasons=np.concatenate([part.reasons for part in parts]),
        )

    def _score_batch(self, texts: Sequence[str]) -> Scored:
        f = self.featuriser
        encoded = f.encode(texts)
        scores = self._scorer.scores_encoded(encoded)
        reasons = judge_counts(f.counts(encoded) @ self._flags.rows())
        readable = reasons == READABLE
        z = np.clip(scores * self._slopes + self._offsets, -30, 30)
        probabilities = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        suggested = (scores >= self.thresholds) & readable[:, None]
        return Scored(
            codes=self.learnt,
            scores=scores,
            probabilities=probabilities,
            suggested=suggested,
            reasons=reasons,
        )

    def distances(self, scored: Scored) -> Float64Array:
        """How far each score lies from its code's threshold, in units of the spread of that
        code's out-of-fold scores, so that codes compare on one scale: near 0 is a coin toss.

        Codes the model barely tells apart (cross-validated F1 under `RELIABLE_F1`) count as
        infinitely far: every comment is "near" their threshold, and what they need is more
        coded examples, not a closer look at any one comment.
        """
        spread = self.oof_scores.std(axis=0).astype(np.float64)
        spread[spread == 0] = 1.0
        distance = np.abs(
            (scored.scores.astype(np.float64) - self.thresholds.astype(np.float64)) / spread
        )
        weak = np.array([point.f1 < RELIABLE_F1 for point in self.operating], dtype=bool)
        distance[:, weak] = np.inf
        return distance

    def certainty(self, scored: Scored) -> Float64Array:
        """Per comment, the distance of its nearest call (`distances`), for reviewing the least
        certain first; infinite for a comment that was not read or has no code to weigh."""
        if not scored.codes or not len(scored):
            return np.full(len(scored), np.inf)
        nearest = self.distances(scored).min(axis=1)
        nearest[scored.reasons != READABLE] = np.inf
        return nearest

    def suggest(self, texts: Sequence[str]) -> list[CommentSuggestions]:
        """The suggestions for each comment, most confident first."""
        return list(self.score(texts).comments())

    # Storing

    def to_bytes(self) -> bytes:
        """The model as a NumPy .npz: arrays, and a JSON header stored as bytes."""
        featuriser_meta, featuriser_arrays = self.featuriser.to_arrays()
        meta = {
            "format": FORMAT,
            "codebook": list(self.codebook),
            "examples": self.examples,
            "learnt": list(self.learnt),
            "settings": {**asdict(self.settings), "features": asdict(self.settings.features)},
            "target": asdict(self.target),
            "featuriser": featuriser_meta,
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            pairs=featuriser_arrays["pairs"],
            idf=featuriser_arrays["idf"],
            weights=self.weights,
            intercept=self.intercept,
            slopes=self._slopes,
            offsets=self._offsets,
            oof_scores=self.oof_scores,
            oof_labels=np.packbits(self.oof_labels, axis=0),
            oof_rows=np.array([self.oof_labels.shape[0]], dtype=np.int64),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CodeSuggester:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError("This is not a stored code suggester, or it is from another version.")
        settings_meta = dict(meta["settings"])
        settings = Settings(
            **{**settings_meta, "features": FeatureSettings(**settings_meta["features"])}
        )
        learnt = tuple(str(code) for code in meta["learnt"])
        rows = int(arrays["oof_rows"][0])
        labels = np.unpackbits(arrays["oof_labels"], axis=0, count=rows).astype(bool)
        return cls(
            codebook=tuple(str(code) for code in meta["codebook"]),
            examples={str(code): int(n) for code, n in meta["examples"].items()},
            learnt=learnt,
            featuriser=Featuriser.from_arrays(
                meta["featuriser"], {"pairs": arrays["pairs"], "idf": arrays["idf"]}
            ),
            weights=arrays["weights"],
            intercept=arrays["intercept"],
            calibrations=tuple(
                Calibration(slope=float(a), offset=float(b))
                for a, b in zip(arrays["slopes"], arrays["offsets"], strict=True)
            ),
            oof_scores=arrays["oof_scores"],
            oof_labels=labels.reshape(rows, len(learnt)),
            settings=settings,
            target=Target(**meta["target"]),
        )


def _label_matrix(
    codings: Sequence[Collection[str]], codebook: tuple[str, ...]
) -> npt.NDArray[np.bool_]:
    column = {code: k for k, code in enumerate(codebook)}
    labels = np.zeros((len(codings), len(codebook)), dtype=bool)
    for row, codes in enumerate(codings):
        for code in codes:
            labels[row, column[code]] = True
    return labels


def train_suggester(
    texts: Sequence[str],
    codings: Sequence[Collection[str]],
    *,
    codebook: Iterable[str] | None = None,
    settings: Settings | None = None,
    target: Target | None = None,
) -> CodeSuggester:
    """Learn to suggest codes from coded comments.

    `codings[i]` holds the codes given to `texts[i]` (empty if it was read and given none).
    `codebook` lists every code, including those with no examples yet, so that each gets a
    report; by default it is the codes used. A coding that uses a code outside the codebook is
    refused (the codebook changed while the training data was gathered).
    """
    settings = settings or Settings()
    target = target or Target()
    if len(texts) != len(codings):
        raise ValueError("There must be one set of codes for each comment.")
    used = sorted({code for codes in codings for code in codes})
    book = tuple(dict.fromkeys(codebook)) if codebook is not None else tuple(used)
    unknown = sorted(set(used) - set(book))
    if unknown:
        raise ValueError(
            "Some comments are coded with codes that are not in the codebook: " + ", ".join(unknown)
        )
    featuriser = Featuriser.fit(texts, settings.features)
    features = featuriser.transform(texts)
    # A comment without a single known word teaches nothing.
    usable = np.diff(features.indptr) > 0
    features = features[usable]
    labels = _label_matrix(codings, book)[usable]
    counts = labels.sum(axis=0)
    examples = {code: int(counts[k]) for k, code in enumerate(book)}
    candidates = [
        k
        for k, code in enumerate(book)
        if examples[code] >= settings.min_examples and len(labels) - examples[code] >= 1
    ]
    candidate_labels = labels[:, candidates]
    oof = out_of_fold_scores(
        features, candidate_labels, alpha=settings.alpha, n_folds=settings.folds, seed=settings.seed
    )
    calibrations = [calibrate(oof[:, j], candidate_labels[:, j]) for j in range(len(candidates))]
    # A code whose scores do not rise with its presence out of fold has not been learnt.
    keep = [j for j, c in enumerate(calibrations) if c.slope > 0]
    kept = [candidates[j] for j in keep]
    weights, intercept = ridge(features, np.where(labels[:, kept], 1.0, -1.0), alpha=settings.alpha)
    return CodeSuggester(
        codebook=book,
        examples=examples,
        learnt=tuple(book[k] for k in kept),
        featuriser=featuriser,
        weights=weights.astype(np.float32),
        intercept=intercept.astype(np.float32),
        calibrations=tuple(calibrations[j] for j in keep),
        oof_scores=oof[:, keep],
        oof_labels=candidate_labels[:, keep],
        settings=settings,
        target=target,
    )
