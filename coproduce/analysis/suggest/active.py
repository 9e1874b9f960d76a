"""Which uncoded comments to ask the team about first (active learning).

A coder's time is best spent where the model is least sure: a comment whose score for some code
sits right at that code's threshold will teach the model more, once coded, than a hundred it
already gets right. So comments are ranked by how close their nearest call is (uncertainty
sampling, measured from the score to the code's threshold in units of the code's spread of
scores).

Codes that cannot be suggested yet because they have too few examples need something else: for
those, the comments most like the few coded examples (cosine similarity to their average, in the
model's own features) are put in front of the coder, so that the examples the code needs are
found quickly. Near-identical comments are asked about once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .features import tokens
from .language import READABLE
from .model import CodeSuggester

# At most this share of the questions go to finding examples for codes that have too few.
FOR_NEW_CODES = 0.25


@dataclass(frozen=True, slots=True)
class Question:
    """Ask about comment `index`, and why."""

    index: int
    code: str
    uncertainty: float
    reason: str


def _key(text: str) -> str:
    return " ".join(tokens(text))


def ask_first(
    model: CodeSuggester,
    texts: Sequence[str],
    *,
    n: int = 20,
    examples: Mapping[str, Sequence[str]] | None = None,
) -> list[Question]:
    """Up to `n` comments from `texts` (the uncoded ones) to ask the team to code, best first.

    `examples` gives, for codes that still need examples, the texts already coded with them.
    """
    if n < 1 or not texts:
        return []
    scored = model.score(texts)
    readable = scored.reasons == READABLE
    chosen: list[Question] = []
    taken: set[str] = set()

    def take(index: int, code: str, uncertainty: float, reason: str) -> None:
        key = _key(texts[index])
        if key in taken:
            return
        taken.add(key)
        chosen.append(Question(index=index, code=code, uncertainty=uncertainty, reason=reason))

    reports = {report.code: report for report in model.reports()}
    needing = {
        code: coded
        for code, coded in (examples or {}).items()
        if coded and code in reports and reports[code].needed > 0
    }
    if needing:
        share = max(1, int(n * FOR_NEW_CODES))
        candidates = np.flatnonzero(readable)
        features = model.featuriser.transform([texts[int(i)] for i in candidates])
        rankings = []
        for code, coded in sorted(needing.items()):
            centre = np.asarray(model.featuriser.transform(list(coded)).mean(axis=0)).ravel()
            similarity = features @ centre
            rankings.append((code, candidates[np.argsort(-similarity, kind="stable")]))
        # Take turns between the codes, so each gets its share.
        position = 0
        while len(chosen) < share and position < len(candidates):
            for code, ranked in rankings:
                if len(chosen) >= share:
                    break
                need = reports[code].needed
                take(
                    int(ranked[position]),
                    code,
                    1.0,
                    f"Looks like {code}, which needs {need} more coded "
                    f"{'example' if need == 1 else 'examples'} before it can be suggested.",
                )
            position += 1

    if scored.codes:
        distance = model.distances(scored)
        nearest = distance.argmin(axis=1)
        closeness = distance[np.arange(len(texts)), nearest]
        closeness[~readable] = np.inf
        for index in np.argsort(closeness, kind="stable"):
            if len(chosen) >= n or not np.isfinite(closeness[index]):
                break
            code = scored.codes[int(nearest[index])]
            probability = float(scored.probabilities[index, nearest[index]])
            take(
                int(index),
                code,
                float(np.exp(-closeness[index])),
                f"Unsure whether this is {code} ({round(100 * probability)}% likely).",
            )
    return chosen[:n]
