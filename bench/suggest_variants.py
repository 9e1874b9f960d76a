"""What else was tried to raise the macro-F1 of suggested codes, on the folds of suggest_quality.

    .venv/bin/python bench/suggest_variants.py [--data PATH] [--jobs 2] [--only NAME,...]
                                               [--out PATH] [--encoder FOLDER]

The same development data, labels, five outer folds (stratified, seed 0) and pooled macro-F1
as `suggest_quality.py`, for Coproduce's engine only (no baseline, so it takes minutes, not an
hour). Each variant changes one thing in how the ridge models are trained, featurised or
thresholded, and is built here from the engine's own parts (`Featuriser`, `ridge`, `folds`,
`operating_point`), so that the engine itself stays as shipped:

- `shipped`: `train_suggester` with default settings (the figure suggest_quality reports);
- `averaged folds`: the five inner fold models averaged instead of one model retrained on
  everything, so the scores thresholds are set on and the scores they are used on come from
  models trained on the same amount of data;
- `inner folds drawn with seed 1` and `2`: as `averaged folds` with the inner folds shuffled
  differently, which changes nothing but how comments fall into folds: the noise to expect;
- `alpha 1`, `alpha 10`, `best alpha a code` (of 1, 3, 10, by out-of-fold F1);
- `balanced weights`: each comment weighted by the inverse of its class's share for each code
  (to the power 0.5 and 1);
- feature settings: `min_df 1`, `pieces 2-6`, `pieces 3-5`, `no pieces`;
- `stacked`: a second ridge over every code's out-of-fold score, and that blended 50/50 with
  the first;
- `with parent category`: each code's score plus a share of its category's (the development
  data's broader `label`) score;
- `smoothed thresholds`: F1 for choosing thresholds computed with a few imaginary errors added,
  so thresholds resting on a handful of comments are not chosen;
- `top code always`: the code nearest its threshold suggested even when none passes;
- `question as a word`: the survey question a comment answers added to it as a word;
- `blended with another kind of model`: the ridge scores blended with those of a softmax over
  all the codes (logistic regression) or of complement naive Bayes, trained on the same folds;
- `static embeddings`: 256 dimensions of WordLlama's token vectors averaged over each
  comment, beside the TF-IDF (only if the optional `wordllama` package is installed; its files
  are read directly, nothing downloads);
- `sentence embeddings`: all-MiniLM-L6-v2's 384-dimensional sentence vectors beside the
  TF-IDF (only with `--encoder FOLDER`; see `sentence_encoder.py`);
- `thresholds set on the test fold`: not a model but a ceiling. Each code's threshold is chosen
  on the held-out fold itself, to show how much better thresholds alone could do.

Prints a table and writes bench/results/suggest-variants.json (or --out).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from suggest_quality import DEFAULT_DATA, f1s, load  # noqa: E402

from coproduce.analysis.suggest import train_suggester  # noqa: E402
from coproduce.analysis.suggest.features import FeatureSettings, Featuriser  # noqa: E402
from coproduce.analysis.suggest.linear import (  # noqa: E402
    Target,
    folds,
    operating_point,
    ridge,
)

DEFAULT_OUT = ROOT / "bench" / "results" / "suggest-variants.json"
Matrix = np.ndarray
Fitted = tuple[Matrix, Matrix, Matrix]  # out-of-fold scores, test scores, labels trained on


# The pieces every variant is built from


def featurise(
    train: list[str], test: list[str], settings: FeatureSettings | None = None
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    featuriser = Featuriser.fit(train, settings or FeatureSettings())
    return featuriser.transform(train), featuriser.transform(test)


def learnable(labels: Matrix, least: int = 5) -> list[int]:
    return [k for k in range(labels.shape[1]) if labels[:, k].sum() >= least]


def averaged(
    x: sp.csr_matrix,
    labels: Matrix,
    x_test: sp.csr_matrix,
    *,
    alpha: float = 3.0,
    weights: Matrix | None = None,
    seed: int = 0,
) -> tuple[Matrix, Matrix]:
    """Out-of-fold scores from five inner folds, and the test scores of the fold models'
    average."""
    targets = np.where(labels, 1.0, -1.0)
    assignment = folds(labels, 5, seed)
    oof = np.zeros(labels.shape)
    test = np.zeros((x_test.shape[0], labels.shape[1]))
    for fold in range(5):
        held = assignment == fold
        w, b = ridge(
            x[~held],
            targets[~held],
            alpha=alpha,
            weights=None if weights is None else weights[~held],
        )
        oof[held] = x[held] @ w + b
        test += (x_test @ w + b) / 5
    return oof, test


def thresholds(oof: Matrix, labels: Matrix) -> Matrix:
    return np.array(
        [
            operating_point(oof[:, j], labels[:, j], Target()).threshold
            for j in range(labels.shape[1])
        ]
    )


def decide(scores: Matrix, limits: Matrix, columns: list[int], width: int) -> Matrix:
    found = np.zeros((len(scores), width), dtype=bool)
    found[:, columns] = scores >= limits
    return found


def standard(
    train: list[str], labels: Matrix, test: list[str], **options: Any
) -> dict[str, Matrix]:
    x, x_test = featurise(train, test, options.pop("features", None))
    columns = learnable(labels)
    fitted = labels[:, columns]
    oof, scores = averaged(x, fitted, x_test, **options)
    return {"": decide(scores, thresholds(oof, fitted), columns, labels.shape[1])}


def scored(
    train: list[str], labels: Matrix, test: list[str]
) -> tuple[list[int], Matrix, Matrix, Matrix]:
    """The codes learnt, their labels, out-of-fold scores and test scores, as shipped but for
    the fold models averaged: what several variants start from."""
    x, x_test = featurise(train, test)
    columns = learnable(labels)
    fitted = labels[:, columns]
    oof, scores = averaged(x, fitted, x_test)
    return columns, fitted, oof, scores


# The variants


def shipped(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    codes = [str(k) for k in range(labels.shape[1])]
    model = train_suggester(
        train, [{codes[k] for k in np.flatnonzero(row)} for row in labels], codebook=codes
    )
    scored = model.score(test)
    found = np.zeros((len(test), labels.shape[1]), dtype=bool)
    found[:, [int(code) for code in scored.codes]] = scored.suggested
    return {"": found}


def alphas(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    x, x_test = featurise(train, test)
    columns = learnable(labels)
    fitted = labels[:, columns]
    best_f1 = np.full(len(columns), -1.0)
    best = np.zeros((len(test), len(columns)), dtype=bool)
    for alpha in (1.0, 3.0, 10.0):
        oof, scores = averaged(x, fitted, x_test, alpha=alpha)
        points = [operating_point(oof[:, j], fitted[:, j], Target()) for j in range(len(columns))]
        f1 = np.array([point.f1 for point in points])
        better = f1 > best_f1
        best_f1[better] = f1[better]
        best[:, better] = (scores >= np.array([p.threshold for p in points]))[:, better]
    found = np.zeros((len(test), labels.shape[1]), dtype=bool)
    found[:, columns] = best
    return {"": found}


def balanced(
    train: list[str], labels: Matrix, test: list[str], *, power: float
) -> dict[str, Matrix]:
    columns = learnable(labels)
    fitted = labels[:, columns]
    n = len(fitted)
    positives = fitted.sum(axis=0)
    weights = np.where(fitted, (n / (2 * positives)) ** power, (n / (2 * (n - positives))) ** power)
    x, x_test = featurise(train, test)
    oof, scores = averaged(x, fitted, x_test, weights=weights)
    return {"": decide(scores, thresholds(oof, fitted), columns, labels.shape[1])}


def stacked(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    columns, fitted, oof, scores = scored(train, labels, test)
    second, second_test = averaged(sp.csr_matrix(oof), fitted, sp.csr_matrix(scores), alpha=1.0)
    spread, second_spread = oof.std(axis=0), second.std(axis=0)
    blend = oof / spread + second / second_spread
    blend_test = scores / spread + second_test / second_spread
    return {
        "": decide(second_test, thresholds(second, fitted), columns, labels.shape[1]),
        ", blended 50/50": decide(blend_test, thresholds(blend, fitted), columns, labels.shape[1]),
    }


def in_categories(labels: Matrix, parent: Matrix) -> Matrix:
    """Which of the broader categories each comment's codes fall in."""
    categories = np.zeros((len(labels), int(parent.max()) + 1), dtype=bool)
    for k in range(labels.shape[1]):
        categories[:, parent[k]] |= labels[:, k]
    return categories


def with_parent(
    train: list[str], labels: Matrix, test: list[str], *, parent: Matrix
) -> dict[str, Matrix]:
    x, x_test = featurise(train, test)
    columns = learnable(labels)
    fitted = labels[:, columns]
    both = np.hstack([fitted, in_categories(labels, parent)])
    oof, scores = averaged(x, both, x_test)
    spread = oof.std(axis=0)
    own, up = slice(0, len(columns)), len(columns) + parent[columns]
    found = {}
    for share in (0.25, 0.5):
        mixed = oof[:, own] / spread[own] + share * oof[:, up] / spread[up]
        mixed_test = scores[:, own] / spread[own] + share * scores[:, up] / spread[up]
        found[f" ({share:g} of it)"] = decide(
            mixed_test, thresholds(mixed, fitted), columns, labels.shape[1]
        )
    return found


def smoothed(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    columns, fitted, oof, scores = scored(train, labels, test)
    found = {}
    for extra in (2, 8):
        limits = []
        for j in range(len(columns)):
            order = np.argsort(-oof[:, j], kind="stable")
            ranked, hits = oof[order, j], fitted[order, j]
            last = np.append(ranked[1:] != ranked[:-1], True)
            tp = np.cumsum(hits)[last]
            flagged = (np.arange(len(ranked)) + 1)[last]
            values = ranked[last]
            best = int(np.argmax(2 * tp / (flagged + hits.sum() + extra)))
            below = values[best + 1] if best + 1 < len(values) else values[best] - 1
            limits.append((values[best] + below) / 2)
        found[f" ({extra} imaginary errors)"] = decide(
            scores, np.array(limits), columns, labels.shape[1]
        )
    return found


def top_always(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    columns, fitted, oof, scores = scored(train, labels, test)
    limits = thresholds(oof, fitted)
    passed = scores >= limits
    nearest = ((scores - limits) / oof.std(axis=0)).argmax(axis=1)
    passed[np.arange(len(test)), nearest] = True
    found = np.zeros((len(test), labels.shape[1]), dtype=bool)
    found[:, columns] = passed
    return {"": found}


def embedded(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    spec = importlib.util.find_spec("wordllama")
    from safetensors.numpy import load_file  # type: ignore[import-not-found, unused-ignore]
    from tokenizers import Tokenizer  # type: ignore[import-not-found, unused-ignore]

    assert spec is not None and spec.submodule_search_locations
    home = Path(next(iter(spec.submodule_search_locations)))
    table = load_file(str(home / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    tokeniser = Tokenizer.from_file(str(home / "tokenizers" / "l2_supercat_tokenizer_config.json"))

    def embed(texts: list[str]) -> Matrix:
        found = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for row, encoding in enumerate(tokeniser.encode_batch(texts, add_special_tokens=False)):
            if encoding.ids:
                found[row] = table[encoding.ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(found, axis=1, keepdims=True)
        return found / np.where(norms == 0, 1, norms)

    return beside(train, labels, test, embed(train), embed(test))


def beside(
    train: list[str], labels: Matrix, test: list[str], vectors: Matrix, test_vectors: Matrix
) -> dict[str, Matrix]:
    """Averaged folds with each comment's vector (unit length, like each TF-IDF block) put
    beside its TF-IDF features."""
    x, x_test = featurise(train, test)
    x = sp.hstack([x, sp.csr_matrix(vectors)]).tocsr()
    x_test = sp.hstack([x_test, sp.csr_matrix(test_vectors)]).tocsr()
    columns = learnable(labels)
    fitted = labels[:, columns]
    oof, scores = averaged(x, fitted, x_test)
    return {"": decide(scores, thresholds(oof, fitted), columns, labels.shape[1])}


def sentences(
    train: list[str], labels: Matrix, test: list[str], *, vectors: dict[str, Matrix]
) -> dict[str, Matrix]:
    return beside(
        train,
        labels,
        test,
        np.array([vectors[text] for text in train]),
        np.array([vectors[text] for text in test]),
    )


def families(train: list[str], labels: Matrix, test: list[str]) -> dict[str, Matrix]:
    """The ridge scores blended, code by code and with equal weight once each is divided by
    its spread, with a model of another kind trained on the same inner folds: a softmax over
    all the codes (logistic regression, which makes the codes compete for each comment), or
    complement naive Bayes."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.naive_bayes import ComplementNB  # type: ignore[import-untyped]

    x, x_test = featurise(train, test)
    columns = learnable(labels)
    fitted = labels[:, columns]
    oof, scores = averaged(x, fitted, x_test)
    first = fitted.argmax(axis=1)  # the development data has one code a comment
    assignment = folds(fitted, 5, 0)
    found = {}
    for name, make in (
        ("a softmax over the codes", lambda: LogisticRegression(C=10, max_iter=300)),
        ("complement naive Bayes", lambda: ComplementNB(alpha=0.3)),
    ):
        other = np.full(oof.shape, -50.0)
        other_test = np.zeros(scores.shape)
        for fold in range(5):
            held = assignment == fold
            model = make().fit(x[~held], first[~held])
            learnt = model.classes_
            other[np.ix_(held, learnt)] = model.predict_log_proba(x[held])
            fold_test = np.full(scores.shape, -50.0)
            fold_test[:, learnt] = model.predict_log_proba(x_test)
            other_test += fold_test / 5
        mine, theirs = oof.std(axis=0), other.std(axis=0) + 1e-12
        blend = oof / mine + other / theirs
        blend_test = scores / mine + other_test / theirs
        found[f" ({name})"] = decide(
            blend_test, thresholds(blend, fitted), columns, labels.shape[1]
        )
    return found


# Running them


def run_fold(job: dict[str, Any]) -> tuple[int, dict[str, Matrix]]:
    texts, truth = job["texts"], job["truth"]
    train, test = job["train"], job["test"]
    found = job["variant"](
        [texts[i] for i in train], truth[train], [texts[i] for i in test], **job["options"]
    )
    return job["fold"], found


def ceiling(job: dict[str, Any]) -> tuple[int, dict[str, Matrix]]:
    """Thresholds chosen on the held-out fold: how far thresholds alone could go."""
    texts, truth = job["texts"], job["truth"]
    train, test = job["train"], job["test"]
    x, x_test = featurise([texts[i] for i in train], [texts[i] for i in test])
    columns = learnable(truth[train])
    _, scores = averaged(x, truth[train][:, columns], x_test)
    return job["fold"], {
        "": decide(scores, thresholds(scores, truth[test][:, columns]), columns, truth.shape[1])
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated variant names")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--encoder",
        type=Path,
        help="a folder holding all-MiniLM-L6-v2's model.safetensors and tokenizer.json, "
        "to add the sentence embeddings variant (see sentence_encoder.py)",
    )
    args = parser.parse_args(argv)

    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

    if not args.data.exists():
        print(f"No development data at {args.data}", file=sys.stderr)
        return 1
    texts, codes_of, _ = load(args.data, "subcategory")
    with args.data.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = sorted(set(codes_of))
    y = np.array([codes.index(code) for code in codes_of])
    truth = np.zeros((len(texts), len(codes)), dtype=bool)
    truth[np.arange(len(texts)), y] = True
    category = {row["subcategory"].strip(): row["label"].strip() for row in rows}
    categories = sorted(set(category.values()))
    parent = np.array([categories.index(category[code]) for code in codes])
    questioned = [
        f"{text} question{row['question']}".replace(" - ", "")
        for text, row in zip(texts, rows, strict=True)
    ]

    variants: dict[str, tuple[Callable[..., Any], dict[str, Any], list[str]]] = {
        "shipped": (shipped, {}, texts),
        "averaged folds": (standard, {}, texts),
        "inner folds drawn with seed 1": (standard, {"seed": 1}, texts),
        "inner folds drawn with seed 2": (standard, {"seed": 2}, texts),
        "alpha 1": (standard, {"alpha": 1.0}, texts),
        "alpha 10": (standard, {"alpha": 10.0}, texts),
        "best alpha a code": (alphas, {}, texts),
        "balanced weights, power 0.5": (balanced, {"power": 0.5}, texts),
        "balanced weights, power 1": (balanced, {"power": 1.0}, texts),
        "min_df 1": (standard, {"features": FeatureSettings(min_df=1)}, texts),
        "pieces 2-6": (standard, {"features": FeatureSettings(piece_max=6)}, texts),
        "pieces 3-5": (standard, {"features": FeatureSettings(piece_min=3)}, texts),
        "no pieces": (standard, {"features": FeatureSettings(piece_min=0, piece_max=-1)}, texts),
        "stacked": (stacked, {}, texts),
        "with parent category": (with_parent, {"parent": parent}, texts),
        "smoothed thresholds": (smoothed, {}, texts),
        "top code always": (top_always, {}, texts),
        "question as a word": (standard, {}, questioned),
        "blended with another kind of model": (families, {}, texts),
    }
    if all(importlib.util.find_spec(name) for name in ("wordllama", "safetensors", "tokenizers")):
        variants["static embeddings (WordLlama, 256)"] = (embedded, {}, texts)
    else:
        print("wordllama is not installed: the static embeddings are left out", file=sys.stderr)
    if args.encoder:
        from sentence_encoder import Encoder

        started = time.perf_counter()
        vectors = Encoder(args.encoder).encode(texts)
        took = time.perf_counter() - started
        print(f"Sentence embeddings: {len(texts):,} comments in {took:.0f} s", file=sys.stderr)
        variants["sentence embeddings (all-MiniLM-L6-v2)"] = (
            sentences,
            {"vectors": dict(zip(texts, vectors, strict=True))},
            texts,
        )
    wanted = [name for name in args.only.split(",") if name]
    if wanted:
        variants = {name: variants[name] for name in wanted}

    splits = list(StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y))
    results: dict[str, dict[str, float]] = {}
    print("| variant | macro-F1 | micro-F1 | codes a comment | seconds |")
    print("|---|---:|---:|---:|---:|")
    names = [*variants, "thresholds set on the test fold"]
    for name in names:
        started = time.perf_counter()
        if name in variants:
            function, options, words = variants[name]
            jobs = [
                {
                    "texts": words,
                    "truth": truth,
                    "train": train,
                    "test": test,
                    "fold": fold,
                    "variant": function,
                    "options": options,
                }
                for fold, (train, test) in enumerate(splits)
            ]
            work: Callable[..., Any] = run_fold
        else:
            jobs = [
                {"texts": texts, "truth": truth, "train": train, "test": test, "fold": fold}
                for fold, (train, test) in enumerate(splits)
            ]
            work = ceiling
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(work, jobs))
        pooled: dict[str, Matrix] = {}
        for fold, found in outcomes:
            for suffix, predicted in found.items():
                pooled.setdefault(suffix, np.zeros_like(truth))[splits[fold][1]] = predicted
        seconds = time.perf_counter() - started
        for suffix, predicted in pooled.items():
            figures = f1s(truth, predicted)
            results[name + suffix] = {**figures, "seconds": seconds}
            print(
                f"| {name}{suffix} | {figures['macro_f1']:.3f} | {figures['micro_f1']:.3f} | "
                f"{figures['codes_per_comment']:.2f} | {seconds:.0f} |",
                flush=True,
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
