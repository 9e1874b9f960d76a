"""Turning a source's text and its coded segments into what the coding page draws.

The text is cut into passages (sentences and paragraphs) that a keyboard user moves between and
selects, and each passage into runs of characters that carry the same codes, so that overlapping
segments can be shown without nesting elements. Every run knows its character offset, which is
how a selection made with the mouse becomes offsets into the text again.
"""

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# A passage ends after a sentence's closing punctuation (and any closing quote or bracket) and
# the space after it, or at a line break.
_PASSAGE_END = re.compile("[.!?\u2026]+[\"'\u201d\u2019)\\]]*[ \t]+|\n+")


@dataclass(frozen=True)
class Run:
    start: int
    end: int
    text: str
    codes: tuple[Any, ...] = ()


@dataclass
class Passage:
    number: int
    start: int
    end: int
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def passage_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for match in _PASSAGE_END.finditer(text):
        if match.end() > start:
            bounds.append((start, match.end()))
            start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def passages(text: str, segments: Iterable[Any], code_of: Any = None) -> list[Passage]:
    """Passages of `text`, each cut into runs with the codes of the segments covering them.

    `segments` need `start`, `end` and whatever `code_of(segment)` returns for a run's codes
    (by default the segment itself).
    """
    code_of = code_of or (lambda segment: segment)
    events: dict[int, list[tuple[int, Any]]] = {}
    for segment in segments:
        start, end = max(0, segment.start), min(len(text), segment.end)
        if start < end:
            events.setdefault(start, []).append((1, segment))
            events.setdefault(end, []).append((-1, segment))
    cuts = sorted({0, len(text), *events})
    result = [
        Passage(number, start, end) for number, (start, end) in enumerate(passage_bounds(text), 1)
    ]
    active: dict[int, Any] = {}
    index = 0
    for left, right in itertools.pairwise(cuts):
        for change, segment in events.get(left, ()):
            if change > 0:
                active[id(segment)] = segment
            else:
                active.pop(id(segment), None)
        codes = tuple(dict.fromkeys(code_of(segment) for segment in active.values()))
        position = left
        while position < right:
            while result[index].end <= position:
                index += 1
            passage = result[index]
            stop = min(right, passage.end)
            passage.runs.append(Run(position, stop, text[position:stop], codes))
            position = stop
    return result
