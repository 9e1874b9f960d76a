"""Finding the identifiers in free text that pseudonymisation replaces, other than names.

NHS numbers (ten digits whose last is a modulus 11 check digit, so a random ten-digit number is
usually not one), UK phone numbers, email addresses, UK postcodes and dates of birth (a date next
to words that say it is one). Each finder returns character spans into the text it was given;
`pseudonymise` (next to this module) turns spans into consistent placeholders.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number check: weights 10 down to 2 on the first nine digits, modulus 11."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")
# A run that could be a UK phone number: "0" or "+44" then digits with the spaces, dashes and
# brackets people write. `_is_phone` then counts the digits.
_PHONE = re.compile(r"(?<![\w+])(?:\+44|\(0|0)[\d\s()-]{8,18}\d(?!\d)")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|\d{1,2}(?:st|nd|rd|th)? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* (?:19|20)\d{2})"
_BIRTH = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?|birthday(?: is| was)?)\s*[:\-]?\s*(?P<date>{_DATE})",
    re.IGNORECASE,
)


def _is_phone(candidate: str) -> bool:
    """UK numbers have 10 digits after the leading 0 (or after +44, where a "(0)" may appear)."""
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+44"):
        digits = digits[2:]
        digits = digits[1:] if digits.startswith("0") else digits
        return len(digits) == 10
    return len(digits) == 11 and digits[1] in "123578"


def find(text: str) -> list[Span]:
    """Every identifier found, in order, with overlaps resolved in favour of the longer span."""
    spans: list[Span] = []
    for match in _NHS.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            spans.append(Span("nhs_number", match.start(), match.end()))
    spans += [Span("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    spans += [Span("phone", m.start(), m.end()) for m in _PHONE.finditer(text) if _is_phone(m[0])]
    spans += [Span("postcode", m.start(), m.end()) for m in _POSTCODE.finditer(text)]
    spans += [Span("date_of_birth", m.start("date"), m.end("date")) for m in _BIRTH.finditer(text)]
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if chosen and span.start < chosen[-1].end:
            continue  # inside or across one already chosen (an NHS number is not also a phone)
        chosen.append(span)
    return chosen
