"""Theme discovery: groups of similar comments that the codebook does not cover yet.

Given comments nobody has coded (or that no code fits), it finds clusters of comments about the
same thing, and for each one its most typical comments (those nearest its centre) and the words
that set it apart from the rest, so that an analyst can read a few, name it and turn it into a
code in one step.

How: TF-IDF over words and word pairs (common function words left out), reduced to 100
dimensions by a truncated SVD (latent semantic analysis, so that "nurse" and "nurses", or
"parking" and "car park", pull the same way), then mini-batch k-means on the unit-length
vectors (so on cosine similarity). Everything is seeded, so the same comments and seed give the
same themes. It runs in seconds on 100,000 comments on two cores (see bench/suggest_speed.py).

Empty and non-English comments are left out and listed, never put into a theme.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans  # type: ignore[import-untyped]
from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    ENGLISH_STOP_WORDS,
    TfidfVectorizer,
)

from .features import normalise
from .language import check_texts

DIMENSIONS = 100
MOST_THEMES = 30


@dataclass(frozen=True, slots=True)
class Theme:
    """One cluster of comments. Indices refer to the list of comments given to `discover`.

    `closeness[i]` is how like the theme's centre `members[i]` is: the cosine similarity of the
    two in the reduced space, from 0 (nothing in common) to 1 (the centre itself).
    """

    members: tuple[int, ...]
    closeness: tuple[float, ...]
    typical: tuple[int, ...]
    words: tuple[str, ...]
    cohesion: float

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def label(self) -> str:
        """A first name for the theme, from its most distinctive words."""
        return ", ".join(self.words[:3])


@dataclass(frozen=True, slots=True)
class Discovery:
    themes: tuple[Theme, ...]
    skipped: tuple[int, ...]
    seed: int


def default_theme_count(n: int) -> int:
    """About one theme per few dozen comments for small sets, never more than 30."""
    return max(2, min(MOST_THEMES, round(math.sqrt(n / 20))))


def discover(
    texts: Sequence[str],
    *,
    themes: int | None = None,
    seed: int = 0,
    typical: int = 5,
    words: int = 8,
) -> Discovery:
    """Group `texts` into themes (by default `default_theme_count` of them), largest first."""
    readable = [i for i, reason in enumerate(check_texts(texts)) if reason is None]
    skipped = tuple(sorted(set(range(len(texts))) - set(readable)))
    wanted = default_theme_count(len(readable)) if themes is None else themes
    if wanted < 1:
        raise ValueError("Ask for at least one theme.")
    if len(readable) < 2 * wanted or len(readable) < 4:
        raise ValueError(
            f"Too few comments to find {wanted} themes: {len(readable)} can be read; "
            f"at least {max(4, 2 * wanted)} are needed."
        )
    documents = [normalise(texts[i]) for i in readable]
    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        stop_words=sorted(ENGLISH_STOP_WORDS),
        dtype=np.float32,
    )
    try:
        tfidf: sp.csr_matrix = vectoriser.fit_transform(documents)
    except ValueError as error:  # every word is a stop word or appears once
        raise ValueError("The comments share too few words to group them.") from error
    vocabulary = vectoriser.get_feature_names_out()
    dimensions = min(DIMENSIONS, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if dimensions >= 2:
        svd = TruncatedSVD(n_components=dimensions, algorithm="randomized", random_state=seed)
        reduced = svd.fit_transform(tfidf)
    else:
        reduced = tfidf.toarray()
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    points = (reduced / norms).astype(np.float64)
    kmeans = MiniBatchKMeans(
        n_clusters=wanted,
        random_state=seed,
        n_init=3,
        batch_size=4096,
        max_no_improvement=20,
    )
    assignment: npt.NDArray[np.int64] = kmeans.fit_predict(points).astype(np.int64)
    centres = kmeans.cluster_centers_

    # Distinctive words: mean TF-IDF inside the theme minus mean outside it, among words used
    # by at least two of the theme's comments.
    membership = sp.csr_matrix(
        (np.ones(len(assignment)), (assignment, np.arange(len(assignment)))),
        shape=(wanted, len(assignment)),
    )
    sums = np.asarray((membership @ tfidf).todense())
    presence = np.asarray((membership @ (tfidf > 0).astype(np.float32)).todense())
    sizes = np.bincount(assignment, minlength=wanted).astype(np.float64)
    total = sums.sum(axis=0)

    found: list[Theme] = []
    for theme in range(wanted):
        rows = np.flatnonzero(assignment == theme)
        if not len(rows):
            continue
        inside = sums[theme] / sizes[theme]
        outside = (total - sums[theme]) / max(len(assignment) - sizes[theme], 1.0)
        lift = np.where(presence[theme] >= min(2, len(rows)), inside - outside, -np.inf)
        top = [int(j) for j in np.argsort(-lift, kind="stable")[: words * 2] if lift[j] > 0]
        chosen = _without_overlaps([str(vocabulary[j]) for j in top])[:words]
        centre = centres[theme] / (np.linalg.norm(centres[theme]) or 1.0)
        similarity = points[rows] @ centre
        order = rows[np.argsort(-similarity, kind="stable")]
        typical_rows: list[int] = []
        seen: set[str] = set()
        for row in order:
            text = " ".join(documents[row].split())
            if text in seen:
                continue
            seen.add(text)
            typical_rows.append(readable[row])
            if len(typical_rows) == typical:
                break
        found.append(
            Theme(
                members=tuple(readable[row] for row in rows),
                closeness=tuple(float(max(0.0, min(1.0, value))) for value in similarity),
                typical=tuple(typical_rows),
                words=tuple(chosen),
                cohesion=float(similarity.mean()),
            )
        )
    found.sort(key=lambda t: (-t.size, t.members[0]))
    return Discovery(themes=tuple(found), skipped=skipped, seed=seed)


def _without_overlaps(terms: list[str]) -> list[str]:
    """Drop a single word when a pair containing it ranks higher ("car park" hides "park")."""
    kept: list[str] = []
    for term in terms:
        if any(term in other.split() for other in kept if " " in other):
            continue
        kept.append(term)
    return kept
