"""The numerical core shared by code suggestion and sentiment: one ridge model per output,
scores out of fold, calibration and thresholds.

Ridge regression (least squares with a penalty on the size of the weights) is solved for every
code at once, in its dual form: with n coded comments the unknowns are an n x codes matrix
however large the vocabulary, and each step of conjugate gradients is two sparse products. That
is what makes training on 20,000 comments take seconds where a kernel SVC takes hours. Ridge
scores are not probabilities, so each code gets a logistic calibration (Platt scaling) fitted on
scores that the model gave comments it was not trained on (out of fold); the same out-of-fold
scores choose each code's threshold and give its cross-validated precision and recall.

Everything here is deterministic: the folds come from a seeded shuffle, and the solver has no
randomness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float32]
Float64Array = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def ridge(
    features: sp.csr_matrix,
    targets: Float64Array,
    *,
    alpha: float,
    weights: Float64Array | None = None,
    scales: Float64Array | None = None,
    tolerance: float = 1e-3,
    max_steps: int = 200,
) -> tuple[Float64Array, Float64Array]:
    """Weights and intercepts minimising |XW + b - T|^2 + alpha (|W|^2 + |b|^2), per column.

    Solved as (X X' + 11' + alpha I) A = T by conjugate gradients on all columns together, then
    W = X'A and b = 1'A (the intercept is a feature of value 1 in every row).
    """
    x = sp.csr_matrix(features, dtype=np.float64)
    xt = sp.csr_matrix(x.T)
    t = np.asarray(targets, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] != x.shape[0]:
        raise ValueError("There must be one row of targets per row of features.")
    k = t.shape[1]
    if x.shape[0] == 0 or k == 0:
        return np.zeros((x.shape[1], k)), np.zeros(k)

    penalty = alpha if weights is None else alpha / np.asarray(weights, dtype=np.float64)

    squares = None if scales is None else np.asarray(scales, dtype=np.float64) ** 2

    def apply(v: Float64Array) -> Float64Array:
        inner = xt @ v if squares is None else squares * (xt @ v)
        product: Float64Array = x @ inner + v.sum(axis=0, keepdims=True) + penalty * v
        return product

    dual = np.zeros_like(t)
    residual = t.copy()
    direction = residual.copy()
    squared = (residual * residual).sum(axis=0)
    stop = (tolerance**2) * squared
    for _ in range(max_steps):
        applied = apply(direction)
        curvature = (direction * applied).sum(axis=0)
        step = np.divide(squared, curvature, out=np.zeros_like(squared), where=curvature > 0)
        dual += direction * step
        residual -= applied * step
        new_squared = (residual * residual).sum(axis=0)
        if np.all(new_squared <= stop):
            break
        ratio = np.divide(new_squared, squared, out=np.zeros_like(squared), where=squared > 0)
        direction = residual + direction * ratio
        squared = new_squared
    found: Float64Array = xt @ dual if squares is None else squares * (xt @ dual)
    return found, dual.sum(axis=0)


def folds(labels: BoolArray, n_folds: int, seed: int) -> IntArray:
    """A fold number for each row, stratified by each row's rarest label.

    Rows with a rare code are spread evenly over the folds, so every fold sees some of them;
    rows without any label form a stratum of their own. Seeded, so always the same split.
    """
    n = labels.shape[0]
    counts = labels.sum(axis=0)
    # Rarest label of each row (codes ordered by count, then position, for ties).
    order = np.lexsort((np.arange(labels.shape[1]), counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    masked = np.where(labels, rank[None, :], len(order))
    stratum = masked.min(axis=1) if labels.shape[1] else np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(n)
    ordered = shuffled[np.argsort(stratum[shuffled], kind="stable")]
    assignment = np.empty(n, dtype=np.int64)
    # Deal each stratum round the folds, starting where the last one left off, so fold sizes
    # differ by at most one.
    assignment[ordered] = np.arange(n) % n_folds
    return assignment


def out_of_fold_scores(
    features: sp.csr_matrix,
    labels: BoolArray,
    *,
    alpha: float,
    n_folds: int,
    seed: int,
) -> FloatArray:
    """For each row, the scores of a model trained without the row's fold."""
    targets = np.where(labels, 1.0, -1.0)
    assignment = folds(labels, n_folds, seed)
    scores = np.zeros(labels.shape, dtype=np.float32)
    for fold in range(n_folds):
        held = assignment == fold
        if not held.any() or held.all():
            continue
        weights, intercept = ridge(features[~held], targets[~held], alpha=alpha)
        scores[held] = features[held] @ weights + intercept
    return scores


@dataclass(frozen=True, slots=True)
class Calibration:
    """p = 1 / (1 + exp(-(slope * score + offset)))."""

    slope: float
    offset: float

    def probability(self, scores: npt.NDArray[np.floating]) -> FloatArray:
        z = np.clip(self.slope * np.asarray(scores, dtype=np.float64) + self.offset, -30, 30)
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def calibrate(scores: npt.NDArray[np.floating], labels: BoolArray) -> Calibration:
    """Platt scaling: a logistic fit of the labels on the scores, by Newton's method.

    The targets are Platt's smoothed ones ((positives + 1) / (positives + 2) for a positive),
    so a code with a handful of examples does not get probabilities of exactly 0 or 1.
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    positives = int(y.sum())
    negatives = len(y) - positives
    target = np.where(y, (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0))
    slope, offset = 1.0, float(np.log((positives + 1.0) / (negatives + 1.0)))
    for _ in range(100):
        z = np.clip(slope * s + offset, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        gradient = p - target
        w = p * (1 - p) + 1e-12
        hessian = np.array(
            [[np.sum(w * s * s), np.sum(w * s)], [np.sum(w * s), np.sum(w)]]
        ) + 1e-9 * np.eye(2)
        delta = np.linalg.solve(hessian, [np.sum(gradient * s), np.sum(gradient)])
        slope -= float(delta[0])
        offset -= float(delta[1])
        if np.max(np.abs(delta)) < 1e-9:
            break
    return Calibration(slope=slope, offset=offset)


@dataclass(frozen=True, slots=True)
class Target:
    """Where each code's threshold goes, chosen on out-of-fold scores.

    `beta` weighs recall against precision (F-beta): 1 treats them alike, 2 counts recall twice
    as much, 0.5 half. If `recall` is given instead, each code's threshold is the highest one
    that finds at least that share of the code's comments out of fold.
    """

    beta: float = 1.0
    recall: float | None = None

    def __post_init__(self) -> None:
        if self.beta <= 0:
            raise ValueError("beta must be positive.")
        if self.recall is not None and not 0 < self.recall <= 1:
            raise ValueError("The target recall must be between 0 and 1.")


@dataclass(frozen=True, slots=True)
class Operating:
    """A code's threshold and what it gave out of fold."""

    threshold: float
    precision: float
    recall: float
    f1: float


def operating_point(
    scores: npt.NDArray[np.floating], labels: BoolArray, target: Target
) -> Operating:
    """The threshold for one code that meets `target` on these out-of-fold scores."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    positives = int(y.sum())
    if positives == 0 or len(s) == 0:
        return Operating(threshold=float("inf"), precision=0.0, recall=0.0, f1=0.0)
    order = np.argsort(-s, kind="stable")
    ranked = s[order]
    hits = y[order]
    # Only where the score changes can a threshold fall.
    last_of_run = np.append(ranked[1:] != ranked[:-1], True)
    true_positives = np.cumsum(hits)[last_of_run]
    flagged = (np.arange(len(ranked)) + 1)[last_of_run]
    values = ranked[last_of_run]
    precision = true_positives / flagged
    recall = true_positives / positives
    if target.recall is not None:
        index = int(np.argmax(recall >= target.recall - 1e-12))
    else:
        b2 = target.beta * target.beta
        denominator = b2 * precision + recall
        f_beta = np.divide(
            (1 + b2) * precision * recall,
            denominator,
            out=np.zeros_like(precision),
            where=denominator > 0,
        )
        index = int(np.argmax(f_beta))
    # Halfway to the next lower score, so a new comment scoring a little under the lowest one
    # taken is treated as the out-of-fold comments were.
    below = values[index + 1] if index + 1 < len(values) else values[index] - 1.0
    threshold = float((values[index] + below) / 2.0)
    p, r = float(precision[index]), float(recall[index])
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return Operating(threshold=threshold, precision=p, recall=r, f1=f1)
