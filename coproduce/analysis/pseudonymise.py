"""Replacing identifiers in text with placeholders that stay the same across a project.

The same NHS number, phone number, email address, postcode or date of birth gets the same
placeholder ("[Phone 2]") wherever it appears in a project, however it was written (spaces,
"+44", capitals), so an analyst can still see that two comments came from one person without
seeing who. The mapping from values to placeholders belongs to the project; `Pseudonymiser`
takes the mapping made so far and adds to it. Each replacement is reported, so the analyst can
review them before a source is released to coders.

Names (found by `names`) are people, not strings, so one person mentioned in different ways
should keep one placeholder:

* "Sarah Jones", "Dr Sarah Jones" and "Sarah Anne Jones" are one person: a full name is its
  first word and its last, without accents or case ("Siân" is "Sian").
* After "Sarah Jones", a bare "Sarah" is her, and so is "Mrs Jones" or "Dr Jones", as long as
  only one person in the project has that first name (or surname). Once two do ("Sarah Jones"
  and "Sarah Patel"), a later bare "Sarah" gets the placeholder that bare "Sarah" had before,
  or a new one of its own: it is not guessed.
* A bare name seen first is joined by the first full name that fits it: "Sarah" then, later,
  "Sarah Jones" share a placeholder, unless that "Sarah" was already given a surname.
* A gendered title keeps apart people who share a surname: "Mr Jones" is not "Mrs Jones",
  nor "Sarah Jones" (Faker lists Sarah as a woman's name only). "Dr" and "Nurse" say nothing
  about gender, so "Dr Jones" can join either; so can a first name given to both.
* A word after a title ("Mrs Jones", "Dr Patel") is a surname; a single word otherwise is a
  first name unless the gazetteer knows it only as a surname.

All of this is kept in the same mapping as the other identifiers, under kinds that start with
"name.", so that a project stores one mapping.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from coproduce.analysis import identifiers, names
from coproduce.analysis.identifiers import Span

LABELS = {
    "nhs_number": "NHS number",
    "phone": "Phone",
    "email": "Email",
    "postcode": "Postcode",
    "date_of_birth": "Date of birth",
    "name": "Name",
}

# Titles that say a name after them is a surname, and those that also say the person's gender.
_SURNAME_TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "cllr", "rev"}
)
_GENDER = {"mr": "m", "sir": "m", "master": "m", "mstr": "m", "mrs": "f", "ms": "f"}
_GENDER |= {"miss": "f", "dame": "f"}


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
    if kind == "name":
        return " ".join(names.name_parts(value)) or " ".join(value.split()).casefold()
    return " ".join(value.split()).casefold()


def combine(found: list[Span], name_spans: list[Span]) -> list[Span]:
    """Identifiers and names together, in order. Where they overlap the identifier wins: the
    "sarah" inside "sarah.jones@nhs.net" is part of the email address, not a name of its own.
    """
    if not name_spans or not found:
        return sorted([*found, *name_spans], key=lambda span: span.start)
    others = sorted(found, key=lambda span: span.start)
    kept: list[Span] = []
    current = 0  # both lists are in text order, so one pass over each (a long transcript)
    for span in sorted(name_spans, key=lambda span: span.start):
        while current < len(others) and others[current].end <= span.start:
            current += 1
        if current < len(others) and others[current].start < span.end:
            continue
        kept.append(span)
    return sorted([*others, *kept], key=lambda span: span.start)


def find_all(
    text: str, *, known_names: Iterable[str] = (), speakers: Iterable[str] = ()
) -> list[Span]:
    """Every identifier and name in the text, in order, none overlapping."""
    found = identifiers.find(text)
    return combine(
        found, names.find(text, known=frozenset(known_names), speakers=speakers, ignore=found)
    )


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
    # Names add entries of kinds "name.given", "name.family", "name.person" and "name.known"
    # (see the module's docstring); an empty placeholder means "more than one person".
    placeholders: dict[tuple[str, str], str] = field(default_factory=dict)
    finder: names.NameFinder | None = field(default=None, repr=False, compare=False)
    _numbers: dict[str, int] = field(init=False, repr=False, compare=False)
    _known: set[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values: dict[str, set[str]] = {}
        self._known = set()
        for (kind, value), placeholder in self.placeholders.items():
            if kind == "name.known":
                self._known.add(value)
            elif kind == "name.person":
                values.setdefault("name", set()).add(value)
            elif not kind.startswith("name") and placeholder:
                values.setdefault(kind, set()).add(placeholder)
        self._numbers = {kind: len(found) for kind, found in values.items()}

    @property
    def known_names(self) -> frozenset[str]:
        """Words found as names with strong evidence in this project (keys; see `names.key`)."""
        return frozenset(self._known)

    def _new(self, kind: str) -> str:
        self._numbers[kind] = self._numbers.get(kind, 0) + 1
        return f"[{LABELS[kind]} {self._numbers[kind]}]"

    def placeholder(self, kind: str, value: str, title: str | None = None) -> str:
        if kind == "name":
            return self.name_placeholder(value, title)
        key = (kind, canonical(kind, value))
        if key not in self.placeholders:
            self.placeholders[key] = self._new(kind)
        return self.placeholders[key]

    # Names -------------------------------------------------------------------------------

    def _person(self, placeholder: str) -> list[str]:
        """[first name, surname, gender] of the person with this placeholder; "" if unknown."""
        described = self.placeholders.get(("name.person", placeholder), "||")
        return described.split("|")

    def _describe(self, placeholder: str, given: str, family: str, gender: str) -> None:
        old_given, old_family, old_gender = self._person(placeholder)
        self.placeholders[("name.person", placeholder)] = "|".join(
            [old_given or given, old_family or family, old_gender or gender]
        )

    def _alias(self, kind: str, word: str, placeholder: str) -> None:
        existing = self.placeholders.get((kind, word))
        if existing is None:
            self.placeholders[(kind, word)] = placeholder
        elif existing != placeholder:
            self.placeholders[(kind, word)] = ""  # two people: no longer a guide

    def _new_person(self, given: str, family: str, gender: str) -> str:
        placeholder = self._new("name")
        self._describe(placeholder, given, family, gender)
        return placeholder

    def name_placeholder(self, value: str, title: str | None = None) -> str:
        """The placeholder for a person mentioned as `value`, after `title` ("mrs") if any."""
        parts = names.name_parts(value)
        gender = _GENDER.get(title or "", "")
        finder = self.finder or names.default_finder()
        if len(parts) >= 2:
            gender = gender or finder.gazetteer.gender(parts[0])
            return self._full_name(parts[0], parts[-1], gender)
        if not parts:  # initials only: nothing to link, but the same initials match
            key = ("name", " ".join(value.split()).casefold())
            if key not in self.placeholders:
                self.placeholders[key] = self._new_person("", "", gender)
            return self.placeholders[key]
        word = parts[0]
        as_surname = title in _SURNAME_TITLES or finder.is_surname_only(word)
        if as_surname:
            return self._surname(word, gender)
        return self._first_name(word, gender)

    def _full_name(self, given: str, family: str, gender: str) -> str:
        key = ("name", f"{given} {family}")
        placeholder = self.placeholders.get(key)
        if placeholder is None:
            by_given = self.placeholders.get(("name.given", given))
            by_family = self.placeholders.get(("name.family", family))
            if by_given and not self._person(by_given)[1]:
                placeholder = by_given  # "Sarah" seen before, with no surname yet
            elif (
                by_family and not self._person(by_family)[0] and self._compatible(by_family, gender)
            ):
                placeholder = by_family  # "Mrs Jones" seen before, with no first name yet
            else:
                placeholder = self._new("name")
            self.placeholders[key] = placeholder
        self._describe(placeholder, given, family, gender)
        self._alias("name.given", given, placeholder)
        self._alias("name.family", family, placeholder)
        gender = gender or self._person(placeholder)[2]
        if gender:
            self._alias("name.family", f"{gender}:{family}", placeholder)
        return placeholder

    def _compatible(self, placeholder: str, gender: str) -> bool:
        known = self._person(placeholder)[2]
        return not gender or not known or known == gender

    def _surname(self, family: str, gender: str) -> str:
        bare = ("name", f"{gender}:{family}" if gender else f":{family}")
        placeholder = self.placeholders.get(bare)
        if placeholder is None:
            candidate = (
                self.placeholders.get(("name.family", f"{gender}:{family}")) if gender else None
            )
            if not candidate:
                candidate = self.placeholders.get(("name.family", family))
                if candidate and not self._compatible(candidate, gender):
                    candidate = None
            placeholder = candidate or self._new_person("", family, gender)
            self.placeholders[bare] = placeholder
        self._describe(placeholder, "", family, gender)
        self._alias("name.family", family, placeholder)
        if gender:
            self._alias("name.family", f"{gender}:{family}", placeholder)
        return placeholder

    def _first_name(self, given: str, gender: str) -> str:
        bare = ("name", given)
        placeholder = self.placeholders.get(bare)
        if placeholder is None:
            placeholder = self.placeholders.get(("name.given", given)) or self._new_person(
                given, "", gender
            )
            self.placeholders[bare] = placeholder
        self._alias("name.given", given, placeholder)
        return placeholder

    # Text --------------------------------------------------------------------------------

    def find(self, text: str, *, speakers: Iterable[str] = ()) -> list[Span]:
        """Every identifier and name in the text, learning names found with strong evidence
        (after a title, a relation, "my name is"...) so that they are found again elsewhere.
        """
        finder = self.finder or names.default_finder()
        found = identifiers.find(text)
        detections = finder.detect(text, known=self._known, speakers=speakers, ignore=found)
        spans = combine(found, [d.span for d in detections])
        kept = set(spans)
        for detection in detections:
            if detection.rule in names.STRONG_RULES and detection.span in kept:
                for word in detection.new_words:
                    if word not in self._known:
                        self._known.add(word)
                        self.placeholders[("name.known", word)] = ""
        return spans

    def apply(
        self, text: str, spans: list[Span] | None = None, *, speakers: Iterable[str] = ()
    ) -> tuple[str, list[Replacement]]:
        """The text with each span replaced, and the replacements made (in text order).

        Without `spans`, everything `find` finds is replaced. `speakers` are a transcript's
        speaker labels (`Turn.speaker`), so that names used as labels are found in the text.
        """
        spans = self.find(text, speakers=speakers) if spans is None else spans
        parts: list[str] = []
        replacements: list[Replacement] = []
        position = 0
        for span in sorted(spans, key=lambda s: s.start):
            if span.start < position:
                continue
            original = text[span.start : span.end]
            title = names.title_before(text, span.start) if span.kind == "name" else None
            placeholder = self.placeholder(span.kind, original, title)
            parts += [text[position : span.start], placeholder]
            replacements.append(Replacement(span.kind, original, placeholder, span.start, span.end))
            position = span.end
        parts.append(text[position:])
        return "".join(parts), replacements
