"""Replacing identifiers in text with placeholders that stay the same across a project.

The same NHS number, phone number, email address, postcode or date of birth gets the same
placeholder ("[Phone 2]") wherever it appears in a project, however it was written (spaces,
"+44", capitals), so an analyst can still see that two comments came from one person without
seeing who. The mapping from values to placeholders belongs to the project; `Pseudonymiser`
takes the mapping made so far and adds to it. Each replacement is reported, so the analyst can
review them before a source is released to coders.
"""

import re
from dataclasses import dataclass, field

from coproduce.analysis.identifiers import Span, find

LABELS = {
    "nhs_number": "NHS number",
    "phone": "Phone",
    "email": "Email",
    "postcode": "Postcode",
    "date_of_birth": "Date of birth",
    "name": "Name",
}


def canonical(kind: str, value: str) -> str:
    """One spelling for one value: what makes two mentions "the same" identifier."""
    if kind == "nhs_number":
        return re.sub(r"\D", "", value)
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        if value.lstrip().startswith("+44"):
            digits = digits[2:]
            digits = digits if digits.startswith("0") else "0" + digits
        return digits
    if kind == "postcode":
        return re.sub(r"\s", "", value).upper()
    return " ".join(value.split()).casefold()


@dataclass(frozen=True)
class Replacement:
    kind: str
    original: str
    placeholder: str
    start: int  # in the original text
    end: int


@dataclass
class Pseudonymiser:
    # (kind, canonical value) -> placeholder, carried from one source to the next in a project.
    placeholders: dict[tuple[str, str], str] = field(default_factory=dict)

    def placeholder(self, kind: str, value: str) -> str:
        key = (kind, canonical(kind, value))
        if key not in self.placeholders:
            number = 1 + sum(1 for known_kind, _ in self.placeholders if known_kind == kind)
            self.placeholders[key] = f"[{LABELS[kind]} {number}]"
        return self.placeholders[key]

    def apply(self, text: str, spans: list[Span] | None = None) -> tuple[str, list[Replacement]]:
        """The text with each span replaced, and the replacements made (in text order)."""
        spans = find(text) if spans is None else spans
        parts: list[str] = []
        replacements: list[Replacement] = []
        position = 0
        for span in sorted(spans, key=lambda s: s.start):
            if span.start < position:
                continue
            original = text[span.start : span.end]
            placeholder = self.placeholder(span.kind, original)
            parts += [text[position : span.start], placeholder]
            replacements.append(Replacement(span.kind, original, placeholder, span.start, span.end))
            position = span.end
        parts.append(text[position:])
        return "".join(parts), replacements
