"""Sentiment on a three-point scale, learnt from the team's own labels.

The scale is the one NHS analysts of patient feedback settled on: positive, neutral or mixed,
negative. A team labels some comments (or imports a score, see `sentiment_from_score`), and the
model learns from those exactly as code suggestion does: it is the same engine with the three
points as its codes, except that a comment always gets exactly one point, the most probable, with
that probability as its confidence. Too few labelled examples of a point are reported in the same
way as for a code, and no sentiment is given until every point can be learnt.

`mixed` tells apart "neutral" from "mixed" where the page needs to (complex comments): a comment
is mixed when the model finds both praise and criticism in it, in different clauses or together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .language import REASONS, Reason, reason_message
from .linear import Target
from .model import CodeReport, CodeSuggester, Settings, train_suggester

Sentiment = Literal["positive", "neutral or mixed", "negative"]
SENTIMENTS: tuple[Sentiment, ...] = ("positive", "neutral or mixed", "negative")

# A comment is mixed when it is at least this likely to be positive and to be negative.
MIXED_AT = 0.3
_CLAUSES = re.compile(r"[.!?;\n]+|\b(?:but|however|although|though|except|apart from)\b", re.I)


def sentiment_from_score(value: str | int | float, *, scale: int = 5) -> Sentiment | None:
    """A signed score (-scale = most critical, +scale = most positive) on the three-point scale.

    Below zero is negative, zero is neutral or mixed, above zero is positive. Anything that is
    not a number within the scale is None (not labelled), so a typo is never taught as a label.
    The NHS development data scores criticality from -5 to +5 this way.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not np.isfinite(number) or abs(number) > scale:
        return None
    if number < 0:
        return "negative"
    if number > 0:
        return "positive"
    return "neutral or mixed"


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """The sentiment of one comment, or why there is none."""

    sentiment: Sentiment | None
    confidence: float
    mixed: bool
    reason: Reason | None = None

    @property
    def message(self) -> str:
        return reason_message(self.reason)


@dataclass(frozen=True, slots=True)
class SentimentQuality:
    """Cross-validated figures on the team's labels (out of fold)."""

    accuracy: float
    macro_f1: float
    per_point: dict[str, tuple[float, float]]  # point: (precision, recall)


class SentimentModel:
    """Three-point sentiment. Build with `train_sentiment` or `from_bytes`."""

    def __init__(self, core: CodeSuggester) -> None:
        if set(core.codebook) != set(SENTIMENTS):
            raise ValueError("A sentiment model's codes must be the three sentiment points.")
        self.core = core
        self._columns = [core.learnt.index(point) for point in SENTIMENTS if point in core.learnt]

    @property
    def ready(self) -> bool:
        """Whether every point of the scale has been learnt."""
        return len(self._columns) == len(SENTIMENTS)

    def reports(self) -> list[CodeReport]:
        return self.core.reports()

    def quality(self) -> SentimentQuality | None:
        """Accuracy, macro-F1 and per-point precision and recall, out of fold."""
        if not self.ready:
            return None
        core = self.core
        probabilities = np.column_stack(
            [core.calibrations[k].probability(core.oof_scores[:, k]) for k in self._columns]
        )
        labels = core.oof_labels[:, self._columns]
        labelled = labels.any(axis=1)
        predicted = probabilities[labelled].argmax(axis=1)
        truth = labels[labelled].argmax(axis=1)
        per_point: dict[str, tuple[float, float]] = {}
        f1s = []
        for j, point in enumerate(SENTIMENTS):
            hits = float(np.sum((predicted == j) & (truth == j)))
            flagged = float(np.sum(predicted == j))
            actual = float(np.sum(truth == j))
            precision = hits / flagged if flagged else 0.0
            recall = hits / actual if actual else 0.0
            per_point[point] = (precision, recall)
            f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        return SentimentQuality(
            accuracy=float(np.mean(predicted == truth)) if len(truth) else 0.0,
            macro_f1=float(np.mean(f1s)),
            per_point=per_point,
        )

    def probabilities(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int8]]:
        """Per comment, the probability of each point (summing to 1), and why any was not read."""
        scored = self.core.score(texts)
        if not self.ready:
            raise ValueError("Every point of the scale needs enough labelled examples first.")
        raw = scored.probabilities[:, self._columns].astype(np.float64)
        total = raw.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0
        return (raw / total).astype(np.float32), scored.reasons

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        """The sentiment of each comment, with its confidence and whether it is mixed."""
        probabilities, reasons = self.probabilities(texts)
        mixed = self.mixed(texts, probabilities)
        results: list[SentimentResult] = []
        for row in range(len(texts)):
            reason = REASONS[int(reasons[row])]
            if reason is not None:
                results.append(
                    SentimentResult(sentiment=None, confidence=0.0, mixed=False, reason=reason)
                )
                continue
            best = int(np.argmax(probabilities[row]))
            results.append(
                SentimentResult(
                    sentiment=SENTIMENTS[best],
                    confidence=float(probabilities[row, best]),
                    mixed=bool(mixed[row]),
                )
            )
        return results

    def mixed(
        self, texts: Sequence[str], probabilities: npt.NDArray[np.float32] | None = None
    ) -> npt.NDArray[np.bool_]:
        """Whether each comment holds both praise and criticism.

        Either the whole comment is likely enough to be both, or one of its clauses (split at
        full stops and at "but", "however", "although"...) is positive and another negative.
        """
        if probabilities is None:
            probabilities, _ = self.probabilities(texts)
        positive = SENTIMENTS.index("positive")
        negative = SENTIMENTS.index("negative")
        mixed = (probabilities[:, positive] >= MIXED_AT) & (probabilities[:, negative] >= MIXED_AT)
        owners: list[int] = []
        clauses: list[str] = []
        for row, text in enumerate(texts):
            parts = [part for part in _CLAUSES.split(text) if part and part.strip()]
            if len(parts) > 1:
                owners.extend([row] * len(parts))
                clauses.extend(parts)
        if clauses:
            clause_probabilities, reasons = self.probabilities(clauses)
            best = clause_probabilities.argmax(axis=1)
            confident = (clause_probabilities.max(axis=1) >= 0.5) & (reasons == 0)
            owner = np.asarray(owners)
            has_positive = np.zeros(len(texts), dtype=bool)
            has_negative = np.zeros(len(texts), dtype=bool)
            has_positive[owner[confident & (best == positive)]] = True
            has_negative[owner[confident & (best == negative)]] = True
            mixed |= has_positive & has_negative
        return mixed

    def to_bytes(self) -> bytes:
        return self.core.to_bytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> SentimentModel:
        return cls(CodeSuggester.from_bytes(data))


def train_sentiment(
    texts: Sequence[str],
    labels: Sequence[Sentiment | None],
    *,
    settings: Settings | None = None,
) -> SentimentModel:
    """Learn sentiment from labelled comments (None: not labelled, left out)."""
    if len(texts) != len(labels):
        raise ValueError("There must be one label (or None) for each comment.")
    unknown = {label for label in labels if label is not None and label not in SENTIMENTS}
    if unknown:
        raise ValueError("Sentiment must be one of: " + ", ".join(SENTIMENTS))
    kept = [(text, label) for text, label in zip(texts, labels, strict=True) if label is not None]
    core = train_suggester(
        [text for text, _ in kept],
        [{label} for _, label in kept],
        codebook=SENTIMENTS,
        settings=settings,
        target=Target(),
    )
    return SentimentModel(core)
