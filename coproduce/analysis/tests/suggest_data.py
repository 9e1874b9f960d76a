"""Labelled comments made up for the suggestion engine's tests, and the development data."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from coproduce.analysis.suggest import Sentiment

DEV_DATA = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "nhs-feedback-phase1"
    / "text_data.csv"
)

CODES = {
    "Parking": [
        "parking",
        "car park",
        "parking space",
        "pay and display",
        "parking fees",
        "disabled bays",
    ],
    "Food": ["food", "meals", "sandwiches", "hot drinks", "the menu", "breakfast", "cold dinner"],
    "Staff attitude": [
        "nurses",
        "staff",
        "the receptionist",
        "the doctor",
        "the porters",
        "the team",
    ],
    "Waiting": ["waiting", "the wait", "delays", "waited hours", "running late", "queue"],
}
GOOD = ["was lovely", "were brilliant", "was excellent", "were kind", "was great", "was fine"]
BAD = ["was awful", "was rude", "was terrible", "was far too slow", "was a disgrace", "was poor"]
TONES: tuple[Sentiment, ...] = ("positive", "negative")
FILLER = ["on the ward", "during my visit", "at the clinic", "this time", "as always", "today"]


def comment(rng: random.Random, codes: list[str], tone: str) -> str:
    parts = []
    for code in codes:
        subject = rng.choice(CODES[code])
        verdict = rng.choice(GOOD if tone == "positive" else BAD)
        parts.append(f"{subject.capitalize()} {verdict} {rng.choice(FILLER)}.")
    return " ".join(parts)


def labelled(
    n: int = 300, seed: int = 7, multi: float = 0.0
) -> tuple[list[str], list[set[str]], list[Sentiment]]:
    """`n` comments over the four codes, a share `multi` of them with two codes; and a tone."""
    rng = random.Random(seed)
    names = list(CODES)
    texts: list[str] = []
    codings: list[set[str]] = []
    tones: list[Sentiment] = []
    for i in range(n):
        codes = [names[i % len(names)]]
        if rng.random() < multi:
            codes.append(rng.choice([c for c in names if c != codes[0]]))
        tone = rng.choice(TONES)
        texts.append(comment(rng, codes, tone))
        codings.append(set(codes))
        tones.append(tone)
    return texts, codings, tones


def development_sample(n: int, seed: int = 0) -> tuple[list[str], list[str], list[str]] | None:
    """A fixed random sample of the development data: texts, sub-categories and criticality."""
    if not DEV_DATA.exists():
        return None
    with DEV_DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(seed).shuffle(rows)
    rows = rows[:n]
    return (
        [row["feedback"] for row in rows],
        [row["subcategory"].strip() for row in rows],
        [row["criticality"] for row in rows],
    )
