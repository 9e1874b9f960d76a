"""Which comments a person should read rather than trust to suggestions.

NHS analysts found that machine coding went wrong most often on long comments and on comments
about many things at once, and that a comment mixing praise and criticism needed a human eye. A
comment is flagged as complex when it is long (more than 50 words), has many codes (more than
5, suggested or given), or mixes sentiment; each flag says which of these it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

LONG_WORDS = 50
MANY_CODES = 5

Why = Literal["long", "many codes", "mixed sentiment"]
_MESSAGES: dict[Why, str] = {
    "long": f"it is long (over {LONG_WORDS} words)",
    "many codes": f"it has many codes (over {MANY_CODES})",
    "mixed sentiment": "it mixes praise and criticism",
}


@dataclass(frozen=True, slots=True)
class Complexity:
    """Why a comment is complex; empty when it is not."""

    reasons: tuple[Why, ...]

    @property
    def complex(self) -> bool:
        return bool(self.reasons)

    @property
    def message(self) -> str:
        if not self.reasons:
            return ""
        return "Read this one yourself: " + "; ".join(_MESSAGES[r] for r in self.reasons) + "."


def word_count(text: str) -> int:
    """Words as a reader counts them, between spaces: a batch of a million comments is
    counted in a second this way, where splitting each into the model's tokens took twenty."""
    return len(text.split())


def complexity(text: str, *, codes: int = 0, mixed: bool = False) -> Complexity:
    """Whether one comment is complex, given how many codes it has and whether it is mixed."""
    reasons: list[Why] = []
    if word_count(text) > LONG_WORDS:
        reasons.append("long")
    if codes > MANY_CODES:
        reasons.append("many codes")
    if mixed:
        reasons.append("mixed sentiment")
    return Complexity(reasons=tuple(reasons))


def complex_comments(
    texts: Sequence[str],
    *,
    codes: Sequence[int] | npt.NDArray[np.integer] | None = None,
    mixed: Sequence[bool] | npt.NDArray[np.bool_] | None = None,
) -> list[Complexity]:
    """`complexity` for a batch: `codes[i]` codes and `mixed[i]` for comment i (default none)."""
    n = len(texts)
    code_counts = np.zeros(n, dtype=np.int64) if codes is None else np.asarray(codes)
    mixed_flags = np.zeros(n, dtype=bool) if mixed is None else np.asarray(mixed, dtype=bool)
    if len(code_counts) != n or len(mixed_flags) != n:
        raise ValueError("There must be one code count and one mixed flag per comment.")
    return [
        complexity(text, codes=int(code_counts[i]), mixed=bool(mixed_flags[i]))
        for i, text in enumerate(texts)
    ]
