"""Quality of suggested codes and sentiment against the NHS classifier's fast model, same run.

    .venv/bin/python bench/suggest_quality.py [--data PATH] [--labels subcategory] [--folds 5]
                                              [--seed 0] [--jobs 2] [--no-baseline]
                                              [--curve 100,250,500,1000,2000] [--out PATH]

Data: the development set (../shared/data/nhs-feedback-phase1/text_data.csv, read here and
copied nowhere), 10,334 Friends and Family Test comments, each with one `subcategory` (44 in
all; `--labels label` uses the 9 broader labels instead) and a criticality from -5 to +5. The
comments are single-label; both models treat them as multi-label with one code each, as the
engine will meet multi-label coding later, and every figure is over that label matrix.

Protocol: stratified K-fold (`--folds`, shuffled with `--seed`); every model is trained on the
other folds only and scored on the held-out fold, and the held-out predictions of all folds are
pooled before computing F1 (macro over every code in the data, so a code a model cannot learn
counts as 0; and micro). Nothing is tuned on a test fold: Coproduce's thresholds are chosen on
out-of-fold scores inside each training part (its own inner five folds).

- Baseline, reproduced here: TF-IDF of words and word pairs (scikit-learn defaults otherwise)
  and one-vs-rest `SVC(C=15, class_weight="balanced", probability=True)`, the NHS
  classifier's (pxtextmining) fast model. Reported two ways: `predict()` (each SVC's own
  decision), and pxtextmining's multi-label rule (probability >= 0.5, else the most probable
  code). The better of the two is the one to beat.
- Coproduce: `train_suggester` with default settings (min 5 examples a code), at its default
  target (F1, beta = 1) and at other targets moved without retraining (beta 2 and 0.5, recall
  0.8). Also with a minimum of 10 examples a code, to show what refusing rarer codes costs.
- Learning curve: for each size, in each fold a random subset (seeded) of the training part of
  that size trains both models, scored on the whole held-out fold: median and range over folds.
- Per-code precision, recall and F1 of Coproduce's default model, pooled over the folds.
- Sentiment: criticality mapped to three points (below 0 negative, 0 neutral or mixed, above 0
  positive; values outside -5..5 or not numbers left out), `train_sentiment` in the same folds:
  accuracy and macro-F1 of the most probable point.

Prints markdown tables and writes everything to bench/results/suggest-quality.json (or --out).
It takes about an hour on two cores, nearly all of it the baseline's SVCs.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coproduce.analysis.suggest import (  # noqa: E402
    SENTIMENTS,
    Settings,
    Target,
    sentiment_from_score,
    train_sentiment,
    train_suggester,
)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nhs-feedback-phase1" / "text_data.csv"
DEFAULT_OUT = ROOT / "bench" / "results" / "suggest-quality.json"
TARGETS = {
    "F1 (beta 1, default)": Target(beta=1.0),
    "beta 2 (recall-leaning)": Target(beta=2.0),
    "beta 0.5 (precision-leaning)": Target(beta=0.5),
    "recall 0.8": Target(recall=0.8),
}


def load(path: Path, labels: str) -> tuple[list[str], list[str], list[str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return (
        [row["feedback"] for row in rows],
        [row[labels].strip() for row in rows],
        [row["criticality"] for row in rows],
    )


def baseline_fit_predict(
    train_texts: Sequence[str], train_labels: np.ndarray, test_texts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The NHS fast model: TF-IDF + one-vs-rest SVC(C=15, balanced, probability=True).

    Returns `predict()` and pxtextmining's rule (probability >= 0.5, else the top code).
    """
    import warnings

    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.multiclass import OneVsRestClassifier  # type: ignore[import-untyped]
    from sklearn.svm import SVC  # type: ignore[import-untyped]

    vectoriser = TfidfVectorizer(ngram_range=(1, 2))
    x = vectoriser.fit_transform(train_texts)
    x_test = vectoriser.transform(test_texts)
    x.sort_indices()
    x_test.sort_indices()
    with warnings.catch_warnings():
        # scikit-learn 1.9 deprecates probability=True; the NHS model used it, so it stays.
        warnings.simplefilter("ignore", FutureWarning)
        model = OneVsRestClassifier(SVC(C=15, class_weight="balanced", probability=True))
        model.fit(x, train_labels)
        predicted = np.asarray(model.predict(x_test), dtype=bool)
        probabilities = model.predict_proba(x_test)
    rule = probabilities >= 0.5
    none = ~rule.any(axis=1)
    rule[none, probabilities[none].argmax(axis=1)] = True
    return predicted, rule


def ours_fit_predict(
    train_texts: Sequence[str],
    train_codes: Sequence[str],
    test_texts: Sequence[str],
    codes: Sequence[str],
    settings: Settings,
    targets: dict[str, Target],
) -> dict[str, np.ndarray]:
    model = train_suggester(
        train_texts, [{code} for code in train_codes], codebook=codes, settings=settings
    )
    found = {}
    for name, target in targets.items():
        scored = model.retarget(target).score(test_texts)
        predicted = np.zeros((len(test_texts), len(codes)), dtype=bool)
        columns = [codes.index(code) for code in scored.codes]
        predicted[:, columns] = scored.suggested
        found[name] = predicted
    return found


def f1s(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = (truth & predicted).sum(axis=0).astype(float)
    fp = (~truth & predicted).sum(axis=0).astype(float)
    fn = (truth & ~predicted).sum(axis=0).astype(float)
    per_code = np.divide(
        2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp), where=(2 * tp + fp + fn) > 0
    )
    micro = 2 * tp.sum() / max(2 * tp.sum() + fp.sum() + fn.sum(), 1.0)
    present = truth.any(axis=0)
    return {
        "macro_f1": float(per_code[present].mean()),
        "micro_f1": float(micro),
        "macro_precision": float(
            np.divide(tp, tp + fp, out=np.zeros_like(tp), where=(tp + fp) > 0)[present].mean()
        ),
        "macro_recall": float(
            np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)[present].mean()
        ),
        "codes_per_comment": float(predicted.sum(axis=1).mean()),
    }


def run_fold(job: dict[str, Any]) -> dict[str, Any]:
    """One outer fold: baseline, Coproduce, learning curve, sentiment."""
    texts, codes_of, criticality = job["texts"], job["codes_of"], job["criticality"]
    codes = job["codes"]
    train, test = job["train"], job["test"]
    truth = np.zeros((len(texts), len(codes)), dtype=bool)
    truth[np.arange(len(texts)), [codes.index(c) for c in codes_of]] = True
    train_texts = [texts[i] for i in train]
    test_texts = [texts[i] for i in test]
    result: dict[str, Any] = {"test": test.tolist()}

    started, cpu = time.perf_counter(), time.process_time()
    found = ours_fit_predict(
        train_texts, [codes_of[i] for i in train], test_texts, codes, Settings(), TARGETS
    )
    result["ours_seconds"] = (time.perf_counter() - started, time.process_time() - cpu)
    result["ours"] = {name: p.tolist() for name, p in found.items()}
    ten = ours_fit_predict(
        train_texts,
        [codes_of[i] for i in train],
        test_texts,
        codes,
        Settings(min_examples=10),
        {"min 10": Target()},
    )
    result["ours_min10"] = ten["min 10"].tolist()

    if job["baseline"]:
        started, cpu = time.perf_counter(), time.process_time()
        predicted, rule = baseline_fit_predict(train_texts, truth[train], test_texts)
        result["baseline_seconds"] = (time.perf_counter() - started, time.process_time() - cpu)
        result["baseline_predict"] = predicted.tolist()
        result["baseline_rule"] = rule.tolist()

    rng = np.random.default_rng(job["seed"] * 1000 + job["fold"])
    curve: dict[int, dict[str, dict[str, float]]] = {}
    for size in job["curve"]:
        if size > len(train):
            continue
        subset = np.sort(rng.choice(train, size=size, replace=False))
        sub_texts = [texts[i] for i in subset]
        point = {}
        ours = ours_fit_predict(
            sub_texts,
            [codes_of[i] for i in subset],
            test_texts,
            codes,
            Settings(),
            {"default": Target()},
        )
        point["ours"] = f1s(truth[test], ours["default"])
        if job["baseline"]:
            labels = truth[subset]
            usable = labels.any(axis=0)
            predicted = np.zeros((len(test), len(codes)), dtype=bool)
            rule = np.zeros_like(predicted)
            p, r = baseline_fit_predict(sub_texts, labels[:, usable], test_texts)
            predicted[:, usable], rule[:, usable] = p, r
            point["baseline_predict"] = f1s(truth[test], predicted)
            point["baseline_rule"] = f1s(truth[test], rule)
        curve[size] = point
    result["curve"] = curve

    sentiments = [sentiment_from_score(c) for c in criticality]
    labelled_train = [i for i in train if sentiments[i] is not None]
    labelled_test = [i for i in test if sentiments[i] is not None]
    model = train_sentiment(
        [texts[i] for i in labelled_train], [sentiments[i] for i in labelled_train]
    )
    probabilities, _ = model.probabilities([texts[i] for i in labelled_test])
    predicted_points = [SENTIMENTS[j] for j in probabilities.argmax(axis=1)]
    result["sentiment"] = {
        "truth": [sentiments[i] for i in labelled_test],
        "predicted": predicted_points,
    }
    return result


def sentiment_figures(truth: list[str], predicted: list[str]) -> dict[str, Any]:
    per_point = {}
    f1 = []
    for point in SENTIMENTS:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == point)
        flagged = sum(1 for p in predicted if p == point)
        actual = sum(1 for t in truth if t == point)
        precision = tp / flagged if flagged else 0.0
        recall = tp / actual if actual else 0.0
        per_point[point] = {"precision": precision, "recall": recall, "n": actual}
        f1.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    accuracy = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p) / len(truth)
    return {"accuracy": accuracy, "macro_f1": statistics.mean(f1), "per_point": per_point}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--labels", choices=["subcategory", "label"], default="subcategory")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="folds run side by side")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--curve", default="100,250,500,1000,2000")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

    if not args.data.exists():
        print(f"No development data at {args.data}", file=sys.stderr)
        return 1
    texts, codes_of, criticality = load(args.data, args.labels)
    codes = sorted(set(codes_of))
    y = np.array([codes.index(c) for c in codes_of])
    truth = np.zeros((len(texts), len(codes)), dtype=bool)
    truth[np.arange(len(texts)), y] = True
    splitter = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    curve_sizes = [int(s) for s in args.curve.split(",") if s]
    jobs = [
        {
            "texts": texts,
            "codes_of": codes_of,
            "criticality": criticality,
            "codes": codes,
            "train": train,
            "test": test,
            "fold": fold,
            "seed": args.seed,
            "baseline": not args.no_baseline,
            "curve": curve_sizes,
        }
        for fold, (train, test) in enumerate(splitter.split(texts, y))
    ]
    started = time.perf_counter()
    print(
        f"{len(texts)} comments, {len(codes)} codes ({args.labels}), {args.folds} folds", flush=True
    )
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run_fold, jobs))
    elapsed = time.perf_counter() - started

    def pooled(key: str, name: str | None = None) -> np.ndarray:
        predicted = np.zeros_like(truth)
        for result in results:
            value = result[key] if name is None else result[key][name]
            predicted[result["test"]] = np.asarray(value, dtype=bool)
        return predicted

    report: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "data": str(args.data),
        "labels": args.labels,
        "comments": len(texts),
        "codes": len(codes),
        "folds": args.folds,
        "seed": args.seed,
        "seconds": elapsed,
        "models": {},
    }
    models = report["models"]
    for name in TARGETS:
        models[f"coproduce, {name}"] = f1s(truth, pooled("ours", name))
    models["coproduce, min 10 examples a code"] = f1s(truth, pooled("ours_min10"))
    if not args.no_baseline:
        models["baseline, predict()"] = f1s(truth, pooled("baseline_predict"))
        models["baseline, p >= 0.5 else top"] = f1s(truth, pooled("baseline_rule"))

    print("\n| model | macro-F1 | micro-F1 | macro precision | macro recall | codes a comment |")
    print("|---|---|---|---|---|---|")
    for name, figures in models.items():
        print(
            f"| {name} | {figures['macro_f1']:.3f} | {figures['micro_f1']:.3f} | "
            f"{figures['macro_precision']:.3f} | {figures['macro_recall']:.3f} | "
            f"{figures['codes_per_comment']:.2f} |"
        )
    if not args.no_baseline:
        best = max(
            models["baseline, predict()"]["macro_f1"],
            models["baseline, p >= 0.5 else top"]["macro_f1"],
        )
        ours = models[f"coproduce, {next(iter(TARGETS))}"]["macro_f1"]
        report["margin_over_best_baseline"] = ours - best
        print(
            f"\nCoproduce (default) minus the better baseline, macro-F1: {ours - best:+.3f} (bar: +0.05)"
        )
        report["training_seconds_per_fold"] = {
            "coproduce_wall": statistics.median(r["ours_seconds"][0] for r in results),
            "coproduce_cpu": statistics.median(r["ours_seconds"][1] for r in results),
            "baseline_wall": statistics.median(r["baseline_seconds"][0] for r in results),
            "baseline_cpu": statistics.median(r["baseline_seconds"][1] for r in results),
        }

    print("\nLearning curve, macro-F1 on each held-out fold (median over folds, [min, max]):\n")
    print("| coded comments | coproduce | baseline p >= 0.5 else top | baseline predict() |")
    print("|---|---|---|---|")
    report["learning_curve"] = {}
    for size in curve_sizes:
        row: dict[str, Any] = {}
        for key in ("ours", "baseline_rule", "baseline_predict"):
            values = [
                r["curve"][size][key]["macro_f1"]
                for r in results
                if size in r["curve"] and key in r["curve"][size]
            ]
            if values:
                row[key] = {
                    "median": statistics.median(values),
                    "min": min(values),
                    "max": max(values),
                }
        report["learning_curve"][size] = row
        cells = [
            f"{row[k]['median']:.3f} [{row[k]['min']:.3f}, {row[k]['max']:.3f}]"
            if k in row
            else "-"
            for k in ("ours", "baseline_rule", "baseline_predict")
        ]
        print(f"| {size} | " + " | ".join(cells) + " |")

    default = pooled("ours", next(iter(TARGETS)))
    tp = (truth & default).sum(axis=0)
    fp = (~truth & default).sum(axis=0)
    fn = (truth & ~default).sum(axis=0)
    per_code = []
    print("\nPer code, Coproduce default (pooled over folds):\n")
    print("| code | comments | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    for k in np.argsort(-truth.sum(axis=0), kind="stable"):
        precision = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 0.0
        recall = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 0.0
        f1 = 2 * tp[k] / (2 * tp[k] + fp[k] + fn[k]) if tp[k] + fp[k] + fn[k] else 0.0
        per_code.append(
            {
                "code": codes[k],
                "comments": int(truth[:, k].sum()),
                "precision": precision,
                "recall": recall,
                "f1": f1,
            }
        )
        print(
            f"| {codes[k]} | {int(truth[:, k].sum())} | {precision:.2f} | {recall:.2f} | {f1:.2f} |"
        )
    report["per_code"] = per_code

    sentiment_truth = [t for r in results for t in r["sentiment"]["truth"]]
    sentiment_predicted = [p for r in results for p in r["sentiment"]["predicted"]]
    report["sentiment"] = sentiment_figures(sentiment_truth, sentiment_predicted)
    report["sentiment"]["left_out"] = sum(1 for c in criticality if sentiment_from_score(c) is None)
    s = report["sentiment"]
    print(
        f"\nSentiment (criticality by sign, {s['left_out']} unusable values left out): "
        f"accuracy {s['accuracy']:.3f}, macro-F1 {s['macro_f1']:.3f}"
    )
    for point, figures in s["per_point"].items():
        print(
            f"  {point}: precision {figures['precision']:.3f}, recall {figures['recall']:.3f}, n {figures['n']}"
        )
    print(f"\nTook {elapsed:.0f} s")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
