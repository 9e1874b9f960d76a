"""Speed and memory of the suggestion engine on two cores, against the NHS fast model.

    .venv/bin/python bench/suggest_speed.py [--train 20000] [--suggest 1000000] [--repeat 3]
                                            [--baseline-sizes 20000] [--discover 100000]
                                            [--processes 1,2] [--batch 20000] [--out PATH]

Data: the development set has 10,334 coded comments, so bigger sets are made from it: each
comment is a development comment (drawn with a fixed seed) with small random changes (a word
dropped, two neighbouring words swapped, one letter changed, or the case changed, each with
some probability), keeping its sub-category. The changes make most copies differ from their
source, so the vocabulary and the work grow as they would with real comments.

1. Training on `--train` coded comments: `train_suggester` (featurising, five-fold out-of-fold
   scores, calibration, thresholds, the final model), median of `--repeat` runs, wall and CPU
   time. The baseline (TF-IDF + one-vs-rest SVC(C=15, balanced, probability=True), the NHS
   classifier's fast model) is trained once at each of `--baseline-sizes` on the same comments,
   its one-vs-rest fits spread over both cores (n_jobs=2); Coproduce's training runs on one.
2. Suggesting for `--suggest` comments: a fresh process (spawned, so nothing is inherited)
   loads the stored model from bytes, makes its comments, then scores them in batches of
   `--batch` (`CodeSuggester.score`: featurise, language check, scores, probabilities,
   thresholds). Model time is the scoring only, not making the comments. With 2 processes each
   takes half, starting together. Peak memory is each process's peak resident set size
   (ru_maxrss), which includes the comments it holds.
3. Theme discovery on `--discover` comments (`discover`, 30 themes), median of `--repeat`.

Prints a markdown table and writes bench/results/suggest-speed.json (or --out).
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from suggest_quality import DEFAULT_DATA, load  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "results" / "suggest-speed.json"


def perturb(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 2 and rng.random() < 0.5:
        del words[rng.randrange(len(words))]
    if len(words) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if words and rng.random() < 0.3:
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 3:
            j = rng.randrange(len(word))
            words[i] = word[:j] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[j + 1 :]
    joined = " ".join(words)
    if rng.random() < 0.2:
        joined = joined.lower() if rng.random() < 0.5 else joined.capitalize()
    return joined


def made_up(texts: list[str], labels: list[str], n: int, seed: int) -> tuple[list[str], list[str]]:
    """`n` comments from the development ones, each with small random changes."""
    rng = random.Random(seed)
    picks = [rng.randrange(len(texts)) for _ in range(n)]
    return [perturb(texts[i], rng) for i in picks], [labels[i] for i in picks]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_training(texts: list[str], labels: list[str], repeat: int) -> dict[str, Any]:
    from coproduce.analysis.suggest import train_suggester

    walls, cpus = [], []
    model = None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        model = train_suggester(texts, [{label} for label in labels])
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    assert model is not None
    return {
        "wall_median": statistics.median(walls),
        "cpu_median": statistics.median(cpus),
        "walls": walls,
        "learnt_codes": len(model.learnt),
        "features": model.featuriser.n_features,
        "model_bytes": len(model.to_bytes()),
        "model": model,
    }


def time_baseline(texts: list[str], labels: list[str]) -> dict[str, Any]:
    import warnings

    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.multiclass import OneVsRestClassifier  # type: ignore[import-untyped]
    from sklearn.svm import SVC  # type: ignore[import-untyped]

    codes = sorted(set(labels))
    truth = np.zeros((len(texts), len(codes)), dtype=bool)
    truth[np.arange(len(texts)), [codes.index(label) for label in labels]] = True
    started = time.perf_counter()
    cpu = time.process_time()
    x = TfidfVectorizer(ngram_range=(1, 2)).fit_transform(texts)
    x.sort_indices()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        OneVsRestClassifier(SVC(C=15, class_weight="balanced", probability=True), n_jobs=2).fit(
            x, truth
        )
    # The one-vs-rest fits run in worker processes, whose CPU time this process cannot see.
    return {"wall": time.perf_counter() - started, "cpu_this_process": time.process_time() - cpu}


def score_worker(job: dict[str, Any]) -> dict[str, Any]:
    """In a spawned process: load the model, make comments, score them in batches."""
    sys.path.insert(0, str(ROOT))
    from coproduce.analysis.suggest import CodeSuggester

    before = peak_rss_mib()
    model = CodeSuggester.from_bytes(job["model"])
    texts, _ = made_up(job["texts"], job["labels"], job["n"], job["seed"])
    del job
    ready = peak_rss_mib()
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    suggested = unread = 0
    for i in range(0, len(texts), batch_size):
        scored = model.score(texts[i : i + batch_size])
        suggested += int(scored.suggested.sum())
        unread += int((scored.reasons != 0).sum())
    return {
        "n": len(texts),
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "suggested": suggested,
        "unread": unread,
        "peak_rss_mib": peak_rss_mib(),
        "rss_after_import_mib": before,
        "rss_with_model_and_comments_mib": ready,
    }


barrier: Any = None
batch_size = 20_000


def _init(shared_barrier: Any, size: int) -> None:
    global barrier, batch_size
    barrier = shared_barrier
    batch_size = size


def time_suggesting(
    model_bytes: bytes, texts: list[str], labels: list[str], n: int, processes: int, batch: int
) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    shared_barrier = context.Barrier(processes)
    shares = [n // processes + (1 if i < n % processes else 0) for i in range(processes)]
    jobs = [
        {"model": model_bytes, "texts": texts, "labels": labels, "n": share, "seed": 100 + i}
        for i, share in enumerate(shares)
    ]
    with context.Pool(processes, initializer=_init, initargs=(shared_barrier, batch)) as pool:
        results = pool.map(score_worker, jobs)
    wall = max(r["wall"] for r in results)
    return {
        "processes": processes,
        "comments": n,
        "wall": wall,
        "per_second": n / wall,
        "cpu": sum(r["cpu"] for r in results),
        "workers": results,
        "peak_rss_mib_max": max(r["peak_rss_mib"] for r in results),
    }


def time_discovery(texts: list[str], repeat: int) -> dict[str, Any]:
    from coproduce.analysis.suggest import discover

    walls = []
    found = None
    for _ in range(repeat):
        started = time.perf_counter()
        found = discover(texts, themes=30, seed=0)
        walls.append(time.perf_counter() - started)
    assert found is not None
    return {
        "comments": len(texts),
        "wall_median": statistics.median(walls),
        "walls": walls,
        "themes": [
            {"size": t.size, "words": list(t.words[:5]), "cohesion": round(t.cohesion, 3)}
            for t in found.themes
        ],
        "skipped": len(found.skipped),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--train", type=int, default=20_000)
    parser.add_argument("--suggest", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-sizes", default="20000", help="comma-separated; empty for none")
    parser.add_argument("--discover", type=int, default=100_000)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    source_texts, source_labels, _ = load(args.data, "subcategory")
    texts, labels = made_up(source_texts, source_labels, args.train, seed=1)
    report: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_before": os.getloadavg(),
        },
        "data": f"{args.train} comments made from {args.data} with small random changes",
    }
    print(f"Load average before: {os.getloadavg()}", flush=True)

    training = time_training(texts, labels, args.repeat)
    model = training.pop("model")
    report["training"] = training
    print(
        f"Coproduce training on {args.train}: median {training['wall_median']:.1f} s wall, "
        f"{training['cpu_median']:.1f} s CPU ({training['walls']})",
        flush=True,
    )

    report["baseline"] = {}
    for size in [int(s) for s in args.baseline_sizes.split(",") if s]:
        sub_texts, sub_labels = texts[:size], labels[:size]
        figures = time_baseline(sub_texts, sub_labels)
        ours = time_training(sub_texts, sub_labels, args.repeat) if size != args.train else training
        ours.pop("model", None)
        figures["coproduce_wall_median"] = ours["wall_median"]
        figures["ratio"] = figures["wall"] / ours["wall_median"]
        report["baseline"][size] = figures
        print(
            f"Baseline training on {size}: {figures['wall']:.0f} s wall; Coproduce "
            f"{ours['wall_median']:.1f} s; {figures['ratio']:.0f}x faster",
            flush=True,
        )

    model_bytes = model.to_bytes()
    report["suggesting"] = []
    for processes in [int(p) for p in args.processes.split(",") if p]:
        figures = time_suggesting(
            model_bytes, source_texts, source_labels, args.suggest, processes, args.batch
        )
        report["suggesting"].append(figures)
        print(
            f"Suggesting for {args.suggest} in {processes} process(es): {figures['wall']:.1f} s, "
            f"{figures['per_second']:,.0f} a second, peak RSS {figures['peak_rss_mib_max']:.0f} MiB"
            " per process",
            flush=True,
        )

    if args.discover:
        uncoded, _ = made_up(source_texts, source_labels, args.discover, seed=7)
        report["discovery"] = time_discovery(uncoded, args.repeat)
        print(
            f"Theme discovery on {args.discover}: median {report['discovery']['wall_median']:.1f} s",
            flush=True,
        )
    report["peak_rss_mib_this_process"] = peak_rss_mib()

    print("\n| what | figure |")
    print("|---|---|")
    print(
        f"| training on {args.train:,} (median of {args.repeat}) | {training['wall_median']:.1f} s |"
    )
    for size, figures in report["baseline"].items():
        print(
            f"| baseline training on {size:,} | {figures['wall']:.0f} s "
            f"({figures['ratio']:.0f}x Coproduce's {figures['coproduce_wall_median']:.1f} s) |"
        )
    for figures in report["suggesting"]:
        print(
            f"| suggesting for {figures['comments']:,}, {figures['processes']} process(es) | "
            f"{figures['wall']:.1f} s, {figures['per_second']:,.0f}/s, peak "
            f"{figures['peak_rss_mib_max']:.0f} MiB a process |"
        )
    if args.discover:
        print(f"| discovery on {args.discover:,} | {report['discovery']['wall_median']:.1f} s |")
    print(f"| stored model | {training['model_bytes'] / 2**20:.1f} MiB |")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
