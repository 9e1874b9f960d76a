"""Finding people's names in free text, so that pseudonymisation can replace them.

Patient feedback and focus-group transcripts name staff ("Sister Morris", "nurse jenny"),
relatives ("my husband Dave") and the speakers themselves ("my name is Tendai"). Names have to
be found offline, in linear time (a year of comments can be a million rows) and without a
statistical model that someone else trained and re-published, so this module uses rules and
word lists, and every decision can be traced to a rule:

* `title`: after a title, "Dr Patel", "Mrs Jones", "Sister Morris", "nurse jenny".
* `relation`: after a relative, "my husband Dave", "our eldest daughter, Grace".
* `role`: after a job, "the consultant Tendai", "my physio Wojciech".
* `cue`: after a word that introduces a name, "called Moses", "my name is Siân", "thanks Amir".
* `label`, `speaker`: the speaker label at the start of a line of a transcript, "Anna: ...".
* `gazetteer`: a capitalised word that is a known first name or surname, "Sarah said".
* `context`: a capitalised unknown word that does what people do, "Tendai explained it all",
  "Tendai (physio)", "Tendai, who runs the group", "Tendai's explanation".
* `capital`: a capitalised unknown word in the middle of a sentence, not after "at", "in",
  "the" or "started" (where places and medicines go): "I was looked after by Tendai".
* `repeat`: a word already found as a name elsewhere in the same text or project.
* `list`: an unknown capitalised word listed with a name, "Sarah, Tendai and Wojciech".
* `lowercase`: a first name from this project's own list written in lower case, "sarah was".

Known names come from `name_lists` (written for this project) and from Faker's locale
providers, which are installed with the project; `Gazetteer.default()` explains the split.
Words that are names and also ordinary words (Will, Hope, Grace, Bath, May) need more evidence:
a cue, or a capital letter in the middle of a sentence. Places, hospitals, charities, months,
medicines and job titles are never names on their own.

A span covers the name only: "Dr [Sarah Jones]", "[Sarah]'s", so that the title and the
possessive stay in the text for the reader.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from coproduce.analysis import name_lists as lists
from coproduce.analysis.identifiers import Span

# Rules whose evidence is strong enough that the words they find can be treated as names
# elsewhere in the same project (`known`), even where nothing else points to them.
STRONG_RULES = frozenset({"title", "relation", "role", "cue", "label", "speaker"})

_FOLD = str.maketrans(
    {
        "\u0142": "l",  # Polish l with stroke does not decompose
        "\u00f8": "o",
        "\u0111": "d",
        "\u00f0": "d",
        "\u00e6": "ae",
        "\u0153": "oe",
        "\u00df": "ss",
        "\u0131": "i",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
    }
)


@functools.lru_cache(maxsize=100_000)
def _slow_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def key(word: str) -> str:
    """The form used for every comparison: lower case, no accents, straight apostrophes.

    "Siân", "SIAN" and "sian" are one name; people type names both ways.
    """
    return word.lower() if word.isascii() else _slow_key(word)


def _keys(entries: Iterable[str]) -> frozenset[str]:
    return frozenset(key(entry) for entry in entries)


# Words followed by a full stop that does not end a sentence: "Dr. Patel", "St. James's".
_ABBREVIATIONS = _keys([*lists.TITLES, "St", "Sr", "Rev", "Prof", "Revd", "No"])
_TITLES = _keys(lists.TITLES)
_SOFT_TITLES = _keys(lists.SOFT_TITLES)
_RELATIONS = _keys(lists.RELATIONS)
_RELATION_ADJECTIVES = _keys(lists.RELATION_ADJECTIVES)
_ROLES = _keys(lists.ROLES)
_CUES = _keys(lists.NAMING_CUES)
_CUE_PHRASES = frozenset(
    tuple(key(word) for word in phrase.split()) for phrase in lists.NAMING_PHRASES
)
_LONGEST_CUE = max(len(phrase) for phrase in _CUE_PHRASES)
_CUE_PHRASE_ENDS = frozenset(phrase[-1] for phrase in _CUE_PHRASES) | {"name's", "i'm"}
# After these cues a name may come on the next line: "Kind regards,\nTendai".
_SIGN_OFFS = _keys(["regards", "wishes", "sincerely", "faithfully", "love", "thanks", "cheers"])
# Cues after which a lower-case word from the gazetteer is a name: "my name is sarah".
_LOWER_CASE_CUES = _keys(["called", "named", "nicknamed", "is", "for", "to", "thanks", "thank"])
# Titles after which any lower-case word that is not everyday English is a name: "dr pandya",
# "nurse karl". Text messages and quick comments are often all in lower case.
_LOWER_CASE_TITLES = _TITLES | _keys(["nurse", "sister", "matron", "doctor"])
# Cues that are the names of fields on a form ("Contact: ", "Patient Grace Mulrooney"): only
# with a capital, where they start a field.
_FIELD_CUES = _keys(["contact", "name", "patient"])
_PERSON_VERBS = _keys(lists.PERSON_VERBS)
_PERSON_ADJECTIVES = _keys(lists.PERSON_ADJECTIVES)
_PERSON_NOUNS = _RELATIONS | _keys(["keyworker", "key", "named", "link", "main", "support"])
_INSTITUTIONS = _keys(lists.INSTITUTION_WORDS)
_NEVER = _keys(lists.NEVER_NAMES)
_NAME_LIKE = _keys(lists.NAME_LIKE_WORDS)
_PLACES = _keys(lists.PLACE_NAMES)
_SPEAKER_ROLES = _keys(lists.SPEAKER_ROLES)
_PARTICLES = _keys(lists.SURNAME_PARTICLES)
_LOCATIVES = _keys(lists.LOCATIVES)
_POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your", "me", "mine"})
_DETERMINERS = frozenset({"the", "a", "an", "these", "those", "st", "saint"})
# Words before a name that make it the name of a place: "St James's", "the Princess Alexandra",
# "Queen Elizabeth Hospital". In this setting these are hospitals, wards and buildings.
_NAMED_AFTER = frozenset({"st", "saint", "princess", "prince", "queen", "king", "duke", "duchess"})
# The word a masked identifier becomes: it counts as a place word, since a town or street
# follows a postcode ("LS1 4AP, Shirley").
_MASKED = "in"
# Words before a medicine or treatment: "started Lenalidomide", "prescribed Oramorph".
_MEDICINE_VERBS = lists.words(
    "started starting taking take took given prescribed stopped tried had having using used "
    "switched changed on off"
)
_AND = frozenset({"and", "or", "&"})
_COPULAS = frozenset({"was", "is", "were", "being"})
_ADVERBS = frozenset({"so", "very", "really", "extremely", "always", "incredibly", "too", "just"})
_ORGANISATIONS: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(lists.ORGANISATIONS, key=lambda p: -len(p.split())):
    _words = tuple(key(word) for word in _phrase.split())
    _ORGANISATIONS.setdefault(_words[0], []).append(_words)
# One-word organisations ("Macmillan", "Christie"): never a name without a title before them.
_ORGANISATION_WORDS = frozenset(
    p[0] for group in _ORGANISATIONS.values() for p in group if len(p) == 1
)


def _english_words() -> frozenset[str]:
    """Common English words: this project's list, plus Faker's list of everyday words."""
    from faker.providers.lorem.en_US import Provider as Lorem

    return _keys(lists.COMMON_WORDS) | _keys(Lorem.word_list)


_COMMON = _english_words()
_COMMON_OR_NEVER = _COMMON | _NEVER
# Any of these makes a word too ordinary to be a name without a cue.
_ORDINARY = (
    _COMMON
    | _NAME_LIKE
    | _NEVER
    | _PLACES
    | _SOFT_TITLES
    | _ROLES
    | _RELATIONS
    | _INSTITUTIONS
    | _SPEAKER_ROLES
    | _TITLES
)
# Endings of English nouns and adjectives that names (outside the gazetteer) seldom have:
# "Radiology", "Security", "Admissions", "Wellbeing".
# Endings that names also have (Peter, Clive, Florence, Kelly, Ahmed) are left out, and "-ing",
# "-ive" and "-age" count only in longer words (not Ming, Clive, Page).
_ENGLISH_ENDING = re.compile(
    r"(?:tion|sion|ment|ness|ity|ology|therapy|ful|less|able|ible|ous|ism|ist|ship|hood|"
    r"wards|wise|ics|ure|ise|ize|ised|ized)s?$|^.{3,}(?:ing|ive|age)s?$"
)
# Surname shapes that need no gazetteer: O'Neill, McAllister, MacLeod, D'Souza, FitzGerald.
_SURNAME_SHAPE = re.compile(r"^(?:O['\u2019]|D['\u2019]|Mc|Mac|Fitz)[A-Z\u00c0-\u024f]")

# Letters with apostrophes and hyphens inside: O'Neill, Nowak-Kowalska, Sarah's.
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+|-[^\W\d_]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?\u2026\n:;\"\u201c\u201d\u2022*|]")


@dataclass(frozen=True)
class Gazetteer:
    """Known first names and surnames, as keys (see `key`).

    `core_*` are this project's own lists; `more_*` add Faker's. The distinction matters in
    two places: a lower-case word is taken as a name only from the core first names (Faker's
    lists are long and include words that are ordinary in English), and a surname from Faker
    alone is a name only in the middle of a sentence or next to other evidence.
    """

    core_first: frozenset[str]
    core_surnames: frozenset[str]
    more_first: frozenset[str] = frozenset()
    more_surnames: frozenset[str] = frozenset()
    # First names that Faker lists for women only, or for men only: used to keep apart people
    # who share a surname ("Sarah Jones" is not "Mr Jones"), never to find names.
    female: frozenset[str] = frozenset()
    male: frozenset[str] = frozenset()

    @classmethod
    def default(cls) -> Gazetteer:
        return _default_gazetteer()

    def without(self, names: Collection[str]) -> Gazetteer:
        """The same lists less some names: for measuring how the rules do on unseen names."""
        drop = _keys(names)
        return Gazetteer(
            self.core_first - drop,
            self.core_surnames - drop,
            self.more_first - drop,
            self.more_surnames - drop,
            self.female,
            self.male,
        )

    def gender(self, first_name: str) -> str:
        """ "f" or "m" for a first name (a key) listed for one only, otherwise ""."""
        if first_name in self.female:
            return "" if first_name in self.male else "f"
        return "m" if first_name in self.male else ""


# Faker locales whose names are met in the UK and are written in the Latin alphabet.
FAKER_LOCALES = [
    "en_GB",
    "en_IE",
    "en_IN",
    "en_PK",
    "en_KE",
    "en_NG",
    "ig_NG",
    "ha_NG",
    "yo_NG",
    "tw_GH",
    "zu_ZA",
    "sw",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "lv_LV",
    "sk_SK",
    "cs_CZ",
    "hu_HU",
    "en_US",
    "en_NZ",
    "zh_CN",
    "pt_PT",
    "it_IT",
    "tr_TR",
    "es_ES",
    "vi_VN",
]


@dataclass
class FakerNames:
    first: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    female: set[str] = field(default_factory=set)
    male: set[str] = field(default_factory=set)


def faker_names(locales: Iterable[str] = FAKER_LOCALES) -> FakerNames:
    """First names and surnames from Faker's person providers, split into single words."""
    found = FakerNames()
    first, surnames = found.first, found.surnames
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in dir(provider):
            values = getattr(provider, attribute)
            if not isinstance(values, tuple | list | dict):
                continue
            if attribute.startswith("first_name") or attribute == "first_romanized_names":
                target = first
            elif "last_name" in attribute or attribute == "last_romanized_names":
                target = surnames
            else:
                continue
            words = [
                word
                for value in values
                for word in str(value).split()
                if len(word) > 1 and _TOKEN.fullmatch(word)
            ]
            target.update(words)
            if attribute.startswith("first_names_female"):
                found.female.update(words)
            elif attribute.startswith("first_names_male"):
                found.male.update(words)
    return found


@functools.cache
def _default_gazetteer() -> Gazetteer:
    faker = faker_names()
    return Gazetteer(
        core_first=_keys(lists.FIRST_NAMES),
        core_surnames=_keys(lists.SURNAMES),
        more_first=_keys(faker.first),
        more_surnames=_keys(faker.surnames),
        female=_keys(faker.female),
        male=_keys(faker.male),
    )


@dataclass(frozen=True)
class Detection:
    span: Span
    rule: str
    # Words of the name that are in no gazetteer: what a project can learn from a strong rule.
    new_words: tuple[str, ...] = ()


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # without a possessive "'s"
    raw_end: int
    text: str
    key: str
    raw_key: str  # with the possessive: matches "Maggie's"
    cap: bool
    sentence_start: bool
    line_start: bool
    gap: str  # the text between the previous token and this one
    possessive: bool


@dataclass
class _Line:
    title_case: bool = False
    all_caps: bool = False


@dataclass
class _State:
    text: str
    tokens: list[_Token]
    lines: list[int]  # the line number of each token
    line_kinds: list[_Line]
    rule: list[str | None] = field(default_factory=list)
    blocked: list[bool] = field(default_factory=list)


class NameFinder:
    """Finds names with the rules above; build one and reuse it (the lists are built once)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        gazetteer = gazetteer or Gazetteer.default()
        self.gazetteer = gazetteer
        all_first = gazetteer.core_first | gazetteer.more_first
        all_surnames = gazetteer.core_surnames | gazetteer.more_surnames
        self._first = all_first
        self._surnames = all_surnames
        self._names = all_first | all_surnames
        # Names that are not also ordinary words: enough evidence on their own.
        self._plain_first = all_first - _ORDINARY
        self._plain_core_surnames = gazetteer.core_surnames - _ORDINARY
        self._plain_more_surnames = gazetteer.more_surnames - _ORDINARY - gazetteer.core_surnames
        self._lower_case_first = frozenset(
            name for name in gazetteer.core_first - _ORDINARY if len(name) >= 3
        )

    # Word classes -------------------------------------------------------------------------

    def knows(self, word: str) -> bool:
        """Whether a word (a key; "nowak-kowalska" by its parts) is in the gazetteer."""
        return self._is_name(word)

    def _is_name(self, word: str) -> bool:
        if word in self._names:
            return True
        if "-" in word:
            return all(part in self._names for part in word.split("-"))
        return False

    def is_surname_only(self, word: str) -> bool:
        """Whether a word (a key) is known as a surname and not as a first name."""
        return word in self._surnames and word not in self._first

    def _is_plain_name(self, word: str) -> bool:
        if word in self._plain_first or word in self._plain_core_surnames:
            return True
        if "-" in word:  # Nowak-Kowalska, Mary-Jane, Smith-Jones
            parts = word.split("-")
            return all(part in self._names and part not in _ORDINARY for part in parts)
        return False

    def _is_unknown(self, token: _Token, all_caps: bool = False) -> bool:
        """A capitalised word that is in no list: a name if something else says so."""
        word = token.key
        if word in _ORDINARY or word in _ORGANISATION_WORDS or word in self._names:
            return False
        if len(word) < 2 or (token.text.isupper() and len(token.text) > 1 and not all_caps):
            return False  # acronyms: NHS, PALS, MRI (but every word is in capitals in a shout)
        if _SURNAME_SHAPE.match(token.text):
            return True
        if "-" in word:
            parts = word.split("-")
            return not any(part in _COMMON or part in _NEVER or len(part) < 2 for part in parts)
        return not _ENGLISH_ENDING.search(word)

    # The text ------------------------------------------------------------------------------

    def _tokens(self, text: str) -> _State:
        tokens: list[_Token] = []
        lines: list[int] = []
        line = 0
        previous_end = 0
        previous: _Token | None = None
        for match in _TOKEN.finditer(text):
            raw = match.group()
            start, raw_end = match.span()
            possessive = len(raw) > 2 and raw[-1] in "sS" and raw[-2] in "'\u2019"
            core = raw[:-2] if possessive else raw
            core_key = key(core)
            gap = text[previous_end:start]
            newline = False
            if previous is None:
                sentence_start = True
            elif gap == " ":
                sentence_start = False  # the common case, decided without a search
            elif _SENTENCE_BREAK.search(gap):
                newline = "\n" in gap
                if newline:
                    line += gap.count("\n")
                # "Dr. Patel" and "J. Smith": a full stop after a title or initial ends nothing.
                after_abbreviation = (
                    previous.key in _ABBREVIATIONS or len(previous.text) == 1
                ) and gap.strip() == "."
                sentence_start = not after_abbreviation
            else:
                sentence_start = False
            previous = _Token(
                start,
                start + len(core),
                raw_end,
                core,
                core_key,
                key(raw) if possessive else core_key,
                core[0].isupper(),
                sentence_start,
                previous is None or newline,
                gap,
                possessive,
            )
            tokens.append(previous)
            lines.append(line)
            previous_end = raw_end
        line_kinds = [_Line() for _ in range(line + 1)]
        self._classify_lines(tokens, lines, line_kinds)
        count = len(tokens)
        return _State(text, tokens, lines, line_kinds, [None] * count, [False] * count)

    @staticmethod
    def _classify_lines(tokens: list[_Token], lines: list[int], kinds: list[_Line]) -> None:
        """Mark lines written In Title Case or IN CAPITALS, where a capital says nothing."""
        words = [0] * len(kinds)
        capitalised = [0] * len(kinds)
        upper = [0] * len(kinds)
        for token, line in zip(tokens, lines, strict=True):
            if len(token.text) < 2:
                continue  # "I" and "a" say nothing about the line
            words[line] += 1
            capitalised[line] += token.cap
            upper[line] += token.text.isupper()
        for line, kind in enumerate(kinds):
            if words[line] >= 3 and upper[line] >= 0.6 * words[line]:
                kind.all_caps = True
            elif words[line] >= 4 and capitalised[line] >= 0.75 * words[line]:
                kind.title_case = True

    # Rules ---------------------------------------------------------------------------------

    def detect(
        self,
        text: str,
        *,
        known: Collection[str] = (),
        speakers: Iterable[str] = (),
        ignore: Iterable[Span] = (),
    ) -> list[Detection]:
        """Every name in the text, in order, with the rule that found it.

        `known`: keys of names found with strong evidence elsewhere in the project.
        `speakers`: a transcript's speaker labels; those that are people are names here.
        `ignore`: spans already found as other identifiers; their words are neither names nor
        cues (the "GP" in the postcode "HU3 4GP" is not a doctor).
        """
        state = self._tokens(text)
        if not state.tokens:
            return []
        self._mask(state, ignore)
        self._block_organisations(state)
        speaking = self._speaker_words(speakers)
        self._labels(state, text, speaking)
        for index, token in enumerate(state.tokens):
            if not token.cap and token.key in _COMMON:
                continue  # an everyday word in lower case is never a name
            if state.rule[index] is None and not state.blocked[index]:
                rule = self._start(state, index)
                if rule is not None:
                    self._run(state, index, rule)
        self._repeat(state, known, speaking)
        self._lists(state)
        return self._detections(state)

    def find(
        self,
        text: str,
        *,
        known: Collection[str] = (),
        speakers: Iterable[str] = (),
        ignore: Iterable[Span] = (),
    ) -> list[Span]:
        return [d.span for d in self.detect(text, known=known, speakers=speakers, ignore=ignore)]

    @staticmethod
    def _mask(state: _State, ignore: Iterable[Span]) -> None:
        spans = sorted((span.start, span.end) for span in ignore)
        if not spans:
            return
        current = 0  # tokens and spans are both in text order: one pass over each
        for index, token in enumerate(state.tokens):
            while current < len(spans) and spans[current][1] <= token.start:
                current += 1
            if current < len(spans) and spans[current][0] < token.raw_end:
                token.key = token.raw_key = _MASKED
                token.cap = False
                state.blocked[index] = True

    def _block_organisations(self, state: _State) -> None:
        """Words of hospitals, charities and shops, and a capitalised word after "St", "Saint",
        "Queen", "Princess" and the like (in this setting, the name of a hospital or a ward).
        """
        tokens = state.tokens
        for index, token in enumerate(tokens):
            candidates = _ORGANISATIONS.get(token.key, []) + _ORGANISATIONS.get(token.raw_key, [])
            for phrase in candidates:
                end = index + len(phrase)
                if end <= len(tokens) and all(
                    phrase[offset] in (tokens[index + offset].key, tokens[index + offset].raw_key)
                    for offset in range(len(phrase))
                ):
                    for blocked in range(index, end):
                        state.blocked[blocked] = True
                    break
            if token.key in _NAMED_AFTER and token.cap and index + 1 < len(tokens):
                following = tokens[index + 1]
                if following.cap and not following.line_start:
                    state.blocked[index + 1] = True

    def _speaker_words(self, speakers: Iterable[str]) -> frozenset[str]:
        words: set[str] = set()
        for speaker in speakers:
            if speaker_is_person(speaker):
                words.update(
                    key(word)
                    for word in _TOKEN.findall(speaker)
                    if key(word) not in _TITLES and key(word) not in _COMMON
                )
        return frozenset(words)

    def _labels(self, state: _State, text: str, speaking: frozenset[str]) -> None:
        """Speaker labels at the start of a line: "Anna: ...", "Dr Patel: ...", "[Tendai] ..."."""
        tokens = state.tokens
        starts = [index for index, token in enumerate(tokens) if token.line_start]
        labels: list[tuple[int, int]] = []
        for index in starts:
            end = index
            while end < len(tokens) and end - index < 4:
                token = tokens[end]
                following = text[token.raw_end : token.raw_end + 3]
                if following.lstrip(" \t").startswith((":", "]")):
                    labels.append((index, end + 1))
                    break
                if end + 1 < len(tokens) and tokens[end + 1].gap not in (" ", ". "):
                    break
                end += 1
        transcript_like = len(labels) >= 2
        for first, end in labels:
            before = tokens[first].gap.rsplit("\n", 1)[-1]
            if first > 0 and before.strip(" \t[") != "":
                continue  # something other than a bracket before the label on its line
            words = tokens[first:end]
            if words[0].key in _TITLES and len(words) > 1:
                first += 1
                words = words[1:]
            keys = [word.key for word in words]
            if all(word in speaking for word in keys):
                rule = "speaker"
            elif not all(word.cap for word in words) or any(
                word in _SPEAKER_ROLES
                or (word in _NEVER and word not in _NAME_LIKE)
                or state.blocked[first + offset]
                for offset, word in enumerate(keys)
            ):
                continue
            elif all(self._is_name(word) or len(word) == 1 for word in keys) and (
                transcript_like or any(self._is_plain_name(word) for word in keys)
            ):
                rule = "label"
            elif (
                transcript_like
                and (self._is_name(keys[0]) or self._is_unknown(words[0]))
                and not any(word in _COMMON for word in keys)
            ):
                rule = "label"  # "Oliver Kent:", "Spencer P:" in a transcript
            else:
                continue
            for index in range(first, end):
                state.rule[index] = rule

    def _cue_before(self, state: _State, index: int) -> str | None:
        """The strong cue that ends just before this token, if any."""
        tokens = state.tokens
        token = tokens[index]
        if index == 0:
            return None
        previous = tokens[index - 1]
        gap = token.gap
        plain_gap = gap.strip(" \t") == "" and "\n" not in gap
        if previous.key in _TITLES and (plain_gap or gap.strip(" \t") == "."):
            return "title" if previous.cap or previous.key != "miss" else None
        # "my wife, Brenda", "the radiographer (Brenda)", "Name: Tendai"
        comma_gap = gap.strip(" \t") in ("", ",", ":", "(", "-", "\u2013") and "\n" not in gap
        # "Sister Morris", "nurse jenny"; not "my sister Anne" (a relation, below).
        if (
            previous.key in _SOFT_TITLES
            and plain_gap
            and (previous.cap or not token.cap)
            and (index < 2 or tokens[index - 2].key not in _POSSESSIVES)
        ):
            return "title"
        if previous.key in _RELATIONS and comma_gap and self._after_possessive(state, index - 1):
            return "relation"
        if previous.key in _ROLES and comma_gap:
            return "role"
        if previous.key in _CUES and (comma_gap or previous.key in _SIGN_OFFS):
            if previous.key in _FIELD_CUES and not previous.cap:
                return None  # "to contact Macmillan", "the patient said"
            return "cue"
        if previous.raw_key not in _CUE_PHRASE_ENDS:
            return None
        for length in range(_LONGEST_CUE, 0, -1):
            if index - length < 0:
                continue
            words = tuple(tokens[position].raw_key for position in range(index - length, index))
            if words in _CUE_PHRASES and comma_gap:
                return "cue"
            if length == 1 and tokens[index - 1].raw_key in ("name's", "i'm") and comma_gap:
                return "cue"
        return None

    def _after_possessive(self, state: _State, index: int) -> bool:
        """Whether "my", "our"... comes before this word, perhaps with an adjective between."""
        tokens = state.tokens
        for back in (1, 2):
            if index - back < 0:
                return False
            word = tokens[index - back].key
            if word in _POSSESSIVES:
                return True
            if word not in _RELATION_ADJECTIVES:
                return False
        return False

    def _start(self, state: _State, index: int) -> str | None:
        """The rule by which a name starts at this token, or None."""
        tokens = state.tokens
        token = tokens[index]
        line = state.line_kinds[state.lines[index]]
        word = token.key
        cue = self._cue_before(state, index)
        if cue is not None:
            if token.cap:
                after_title = tokens[index - 1].key in _TITLES
                if self._acceptable_after_cue(token, cue, line.all_caps, after_title):
                    return cue
            elif self._lower_case_name(state, index, cue):
                return cue
        if not token.cap:
            if (
                word in self._lower_case_first
                and not line.all_caps
                and (index == 0 or tokens[index - 1].key not in _DETERMINERS)
                and not self._followed_by_institution(state, index)
            ):
                return "lowercase"
            return None
        if word in _NEVER or (word in _COMMON and word not in self._names):
            return None
        if (
            word in self._plain_first
            or word in self._plain_core_surnames
            or self._is_plain_name(word)
        ):
            return "gazetteer"
        if line.title_case or line.all_caps:
            return None  # where every word has a capital, only the rules above say anything
        if word in self._plain_more_surnames and not token.sentence_start:
            return "gazetteer"
        if self._before_surname(state, index):
            return "gazetteer"  # "Winsome Fisher", "Florence Todd": a first name and a surname
        if word in self._names and word in _NAME_LIKE:
            return self._name_like(state, index)
        if self._is_unknown(token):
            return self._unknown(state, index)
        return None

    def _mid_sentence(self, state: _State, index: int) -> bool:
        """A capital that the start of a sentence does not explain, and that is not the second
        word of a capitalised phrase ("Stepping Hill", "Kettering General").
        """
        tokens = state.tokens
        token = tokens[index]
        if token.sentence_start:
            return False
        previous = tokens[index - 1]
        return not (previous.cap and previous.key not in _TITLES and token.gap == " ")

    def _name_like(self, state: _State, index: int) -> str | None:
        """Names that are also words: Grace, Will, Hope, Carter, Barry."""
        tokens = state.tokens
        token = tokens[index]
        word = token.key
        previous = tokens[index - 1].key if index else ""
        if word in self._first and token.possessive and word not in _NEVER:
            return "gazetteer"  # "Carol's explanation": "carol's" is no ordinary word
        if self._mid_sentence(state, index):
            # "I saw Grace today": a capital in mid-sentence. Not "in Bath", "the Rose garden",
            # "in May", or "Hill" on its own (a hospital, a street).
            if self._place_here(state, index):
                return None
            if previous in _DETERMINERS or word in _NEVER or word in _INSTITUTIONS:
                return None
            return "gazetteer"
        if word in self._first and word not in _NEVER and self._person_follows(state, index):
            return "context"  # "Misty explained the plan"
        return None

    @staticmethod
    def _place_here(state: _State, index: int) -> bool:
        """A place that is also a name, where a place is meant: "in Bath", "to Bath and Chester"."""
        tokens = state.tokens
        if tokens[index].key not in _PLACES or index == 0:
            return False
        previous = tokens[index - 1].key
        return previous in _LOCATIVES or (
            previous in _AND and index >= 2 and tokens[index - 2].key in _PLACES
        )

    def _unknown(self, state: _State, index: int) -> str | None:
        """Capitalised words in no list: names given some other sign."""
        tokens = state.tokens
        token = tokens[index]
        previous = tokens[index - 1].key if index else ""
        if _SURNAME_SHAPE.match(token.text) and not token.sentence_start:
            return "gazetteer"
        if self._person_follows(state, index):
            return "context"  # "Tendai explained", "Wojciech was so kind"
        if token.possessive and not self._followed_by_institution(state, index):
            return "context"  # "Vilmos's explanation"; not "Maggie's Centre"
        if (
            self._mid_sentence(state, index)
            and previous not in _LOCATIVES
            and previous not in _DETERMINERS
            and previous not in _MEDICINE_VERBS
        ):
            # In feedback, an unknown word with a capital in mid-sentence is most often a
            # person; places come after "at", "in", "from", medicines after "on", "started".
            return "capital"
        return None

    def _before_surname(self, state: _State, index: int) -> bool:
        """A first name (or an unknown word) straight before a known surname."""
        tokens = state.tokens
        token = tokens[index]
        if index + 1 >= len(tokens) or token.possessive:
            return False
        following = tokens[index + 1]
        if not following.cap or following.gap != " " or following.key not in self._surnames:
            return False
        if following.key in _NEVER or state.blocked[index + 1]:
            return False
        word = token.key
        if word in _COMMON and word not in self._first:
            return False
        if token.sentence_start and (word in _ORDINARY or following.key in _ORDINARY):
            return False  # "Will Fisher come?", "Hope Green is..."
        return word in self._first or self._is_unknown(token)

    def _acceptable_after_cue(
        self, token: _Token, cue: str, all_caps: bool, after_title: bool
    ) -> bool:
        word = token.key
        if word in _NEVER:
            # "my daughter April", "Mrs May", "thank you June": never after a job ("nurse May"
            # could be either, but "the ward sister Monday" cannot).
            return word in _NAME_LIKE and cue != "role"
        if word in _SPEAKER_ROLES or word in _INSTITUTIONS or word in _ORGANISATION_WORDS:
            return word in self._names and cue == "title"
        if word in _COMMON:
            # "Staff Were...": an everyday word is a name after a cue only if it is a known
            # name that is also a word (Will, May, Hope), not because some list has it.
            return word in _NAME_LIKE and word in self._names
        if word in self._names or word in _NAME_LIKE:
            return True
        if after_title and word not in _ORDINARY and word not in _ORGANISATION_WORDS:
            return True  # "Dr Lindqvist": after "Dr" or "Mrs" the ending of a word says nothing
        return self._is_unknown(token, all_caps)

    def _lower_case_name(self, state: _State, index: int, cue: str) -> bool:
        """After a strong cue a name may be in lower case: "nurse jenny", "dr patel"."""
        token = state.tokens[index]
        word = token.key
        previous = state.tokens[index - 1].key
        if cue == "cue" and previous not in _LOWER_CASE_CUES:
            return False
        if cue == "title" and previous in _LOWER_CASE_TITLES:
            # "dr pandya", "mrs dale": after "dr" or "mrs" any word that is not everyday English.
            if word in _COMMON or word in _NEVER or word in _PERSON_VERBS:
                return False
            return word in self._names or word in _NAME_LIKE or self._is_unknown(token)
        return word not in _ORDINARY and (word in self._first or word in self._surnames)

    def _person_follows(self, state: _State, index: int) -> bool:
        """Whether the words after this one are things a person does or is."""
        tokens = state.tokens
        if index + 1 >= len(tokens):
            return False
        following = tokens[index + 1]
        gap = following.gap.strip()
        if gap == "(" and following.key in _ROLES:
            return True  # "Tendai (physio)"
        if following.key == "who" and gap in ("", ","):
            return True  # "introduced to Tendai, who runs the group"
        if (
            following.key in _COPULAS
            and gap == ""
            and index + 3 < len(tokens)
            and tokens[index + 2].key in _POSSESSIVES
            and (tokens[index + 3].key in _ROLES or tokens[index + 3].key in _PERSON_NOUNS)
        ):
            return True  # "Tendai Moyo is my keyworker"
        if _SENTENCE_BREAK.search(following.gap) or "," in following.gap:
            return False
        if following.key in _PERSON_VERBS:
            return True
        if (
            following.key in _AND
            and index + 2 < len(tokens)
            and tokens[index + 2].key in ("i", "me")
        ):
            return True  # "Tendai and I"
        if following.key in _COPULAS:
            position = index + 2
            while position < len(tokens) and tokens[position].key in _ADVERBS:
                position += 1
            return position < len(tokens) and tokens[position].key in _PERSON_ADJECTIVES
        return False

    def _followed_by_institution(self, state: _State, end: int) -> bool:
        """Whether a hospital, ward or street word follows, perhaps after two more capitalised
        words: "Rose Ward", "James Cook University Hospital", "Maggie's Centre".
        """
        tokens = state.tokens
        for position in range(end + 1, min(end + 4, len(tokens))):
            following = tokens[position]
            if following.gap not in (" ", "\t") or (
                tokens[position - 1].possessive and (position - 1 != end)
            ):
                return False
            if following.key in _INSTITUTIONS and following.cap:
                return True
            if not following.cap:
                return False
        return False

    def _continues(self, state: _State, index: int, first: int, rule: str) -> bool:
        """Whether this token carries on the name before it: "Sarah Jones", "Sarah J. Smith"."""
        tokens = state.tokens
        token = tokens[index]
        previous = tokens[index - 1]
        if previous.possessive or state.blocked[index]:
            return False
        if token.gap != " " and not (
            len(previous.text) == 1 and previous.text.isupper() and token.gap.strip(" ") == "."
        ):
            return False
        word = token.key
        if word in _PARTICLES and not token.cap:
            return (
                index + 1 < len(tokens) and tokens[index + 1].cap and tokens[index + 1].gap == " "
            )
        if not token.cap:
            lower = not tokens[first].cap
            return lower and word not in _ORDINARY and word in self._surnames
        if len(token.text) == 1:
            return True  # an initial
        if word in _NEVER or word in _SPEAKER_ROLES:
            return False
        if word in _INSTITUTIONS:
            # "Jenny Ward" is a person, "Rose Ward" and "Jenny Ward 5" are not.
            after = state.text[token.raw_end : token.raw_end + 4].lstrip()
            before = tokens[first - 1].key if first else ""
            return (
                word in self._surnames
                and previous.key in self._plain_first
                and not self._followed_by_institution(state, index)
                and not after[:1].isdigit()
                and before not in _LOCATIVES
                and before not in _DETERMINERS
            )
        if word in self._surnames or word in self._plain_first:
            return True
        if state.line_kinds[state.lines[index]].title_case:
            return False
        if (
            word in _NAME_LIKE
            and word not in _COMMON
            and (rule in STRONG_RULES or previous.key in self._plain_first)
        ):
            return True  # "Dr. Elijah Hood", "our neighbour Bella Lamb"
        # After a first name, a capitalised word that is not everyday English is a surname,
        # whatever its ending: "Tracy Manning", "Vrinda Rajapaksa".
        return self._is_unknown(token) or (
            word not in _ORDINARY and word not in _ORGANISATION_WORDS and len(word) > 1
        )

    def _run(self, state: _State, first: int, rule: str) -> None:
        """Mark the name that starts here, unless it turns out to be a place."""
        tokens = state.tokens
        end = first + 1
        while end < len(tokens) and end - first < 4 and self._continues(state, end, first, rule):
            end += 1
        while end - 1 > first and tokens[end - 1].key in _PARTICLES:
            end -= 1
        # A first name before a surname found on its own: "Contact: Tracy Manning".
        if (
            rule == "gazetteer"
            and first > 0
            and tokens[first].gap == " "
            and tokens[first].key in self._surnames
            and state.rule[first - 1] is None
            and not state.blocked[first - 1]
            and tokens[first - 1].cap
            and not tokens[first - 1].possessive
            and (
                (tokens[first - 1].key in self._first and tokens[first - 1].key not in _COMMON)
                or self._is_unknown(tokens[first - 1])
            )
        ):
            first -= 1
        # Initials before a name belong to it: "J. Smith", "A J Patel".
        while (
            first > 0
            and len(tokens[first - 1].text) == 1
            and tokens[first - 1].text.isupper()
            and tokens[first].gap.strip(" ") in ("", ".")
            and "\n" not in tokens[first].gap
            and tokens[first - 1].key not in ("i", "a")
        ):
            first -= 1
        if rule not in ("title", "relation", "label", "speaker"):
            if self._followed_by_institution(state, end - 1):
                return  # "James Cook University Hospital", "Rose Ward", "Hope Centre"
            previous = tokens[first - 1].key if first else ""
            if previous in _DETERMINERS and rule not in ("role", "cue"):
                return  # "the Christie", "St James's"
            if (
                previous in _LOCATIVES
                and rule not in ("role", "cue")
                and all(tokens[position].key in _PLACES for position in range(first, end))
            ):
                return  # "in Barry", "near Chester"; but "thanks to Barry"
        for position in range(first, end):
            state.rule[position] = rule

    def _repeat(self, state: _State, known: Collection[str], speaking: frozenset[str]) -> None:
        """A word found as a name once is a name again in the same text (and project)."""
        tokens = state.tokens
        found = {
            tokens[index].key
            for index, rule in enumerate(state.rule)
            if rule is not None and rule != "lowercase"
        }
        if not found and not known and not speaking:
            return
        for index, token in enumerate(tokens):
            if state.rule[index] is not None or state.blocked[index] or not token.cap:
                continue
            word = token.key
            if word in speaking:
                state.rule[index] = "repeat"
            elif word in _COMMON or word in _NEVER or word in _TITLES or len(word) < 2:
                continue
            elif word in found or (word in known and word not in _ORDINARY):
                if word in _ORDINARY and token.sentence_start:
                    continue  # "Will you ring me?" after "my son Will"
                if self._followed_by_institution(state, index) or self._place_here(state, index):
                    continue
                state.rule[index] = "repeat"

    def _lists(self, state: _State) -> None:
        """Unknown capitalised words listed with names: "Sarah, Tendai and Wojciech"."""
        tokens = state.tokens
        for order in (range(len(tokens)), range(len(tokens) - 1, -1, -1)):
            for index in order:
                token = tokens[index]
                if state.rule[index] is not None or state.blocked[index] or not token.cap:
                    continue
                if state.line_kinds[state.lines[index]].title_case:
                    continue
                if not self._is_unknown(token) and not (
                    token.key in self._first and token.key not in _COMMON_OR_NEVER
                ):
                    continue
                if self._listed_with_name(state, index):
                    state.rule[index] = "list"

    def _listed_with_name(self, state: _State, index: int) -> bool:
        tokens = state.tokens
        rule = state.rule
        # Before: "Sarah, Tendai" or "Sarah and Tendai".
        if index >= 1 and tokens[index].gap.strip() in (",", "&") and rule[index - 1]:
            return True
        if index >= 2 and tokens[index - 1].key in _AND and rule[index - 2]:
            return tokens[index - 1].gap.strip() in ("", ",")
        # After: "Tendai, Sarah" or "Tendai and Sarah".
        if index + 1 < len(tokens):
            following = tokens[index + 1]
            if following.gap.strip() in (",", "&") and rule[index + 1]:
                return True
            if following.key in _AND and index + 2 < len(tokens) and rule[index + 2]:
                return tokens[index + 2].gap.strip() == ""
        return False

    def _detections(self, state: _State) -> list[Detection]:
        tokens = state.tokens
        detections: list[Detection] = []
        index = 0
        while index < len(tokens):
            rule = state.rule[index]
            if rule is None:
                index += 1
                continue
            end = index + 1
            while (
                end < len(tokens)
                and state.rule[end] is not None
                and not tokens[end - 1].possessive
                and (
                    tokens[end].gap == " "
                    or (len(tokens[end - 1].text) == 1 and tokens[end].gap.strip(" ") == ".")
                )
            ):
                end += 1
            new_words = tuple(
                token.key
                for token in tokens[index:end]
                if len(token.text) > 1 and not self._is_name(token.key)
            )
            span = Span("name", tokens[index].start, tokens[end - 1].end)
            detections.append(Detection(span, rule, new_words))
            index = end
        return detections


def speaker_is_person(label: str) -> bool:
    """Whether a transcript's speaker label names a person ("Anna", "Dr Patel"), not a role
    ("Interviewer", "P3", "Participant 2", "Facilitator (Sarah)" is a role with a name).
    """
    if any(char.isdigit() for char in label):
        return False
    words = [key(word) for word in _TOKEN.findall(label)]
    words = [word for word in words if word not in _TITLES]
    return bool(words) and not any(word in _SPEAKER_ROLES for word in words)


def name_parts(value: str) -> list[str]:
    """The words of a name as keys, without initials or a possessive: for matching mentions."""
    parts = []
    for match in _TOKEN.finditer(value):
        word = match.group()
        if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
            word = word[:-2]
        if len(word) > 1 and key(word) not in _PARTICLES:
            parts.append(key(word))
    return parts


_TITLE_BEFORE = re.compile(r"(?:^|[^\w])(\w+)\.?\s+$")


def title_before(text: str, start: int) -> str | None:
    """The title just before a name ("mrs" for "Mrs Jones"), as a key, if there is one."""
    match = _TITLE_BEFORE.search(text[max(0, start - 16) : start])
    if match is None:
        return None
    word = key(match.group(1))
    return word if word in _TITLES or word in _SOFT_TITLES else None


def is_known_name(word: str) -> bool:
    """Whether a word (a key) is in the default gazetteer."""
    return default_finder().knows(word)


@functools.cache
def default_finder() -> NameFinder:
    return NameFinder()


def detect(
    text: str,
    *,
    known: Collection[str] = (),
    speakers: Iterable[str] = (),
    ignore: Iterable[Span] = (),
) -> list[Detection]:
    """Every name in the text with the rule that found it (see `NameFinder.detect`)."""
    return default_finder().detect(text, known=known, speakers=speakers, ignore=ignore)


def find(
    text: str,
    *,
    known: Collection[str] = (),
    speakers: Iterable[str] = (),
    ignore: Iterable[Span] = (),
) -> list[Span]:
    """Every name in the text as a span of kind "name", in order, none overlapping."""
    return default_finder().find(text, known=known, speakers=speakers, ignore=ignore)
