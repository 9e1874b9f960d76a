"""Whether a comment is something the engine can read: not empty, and in English.

A model trained on English comments will still give a Welsh, Polish or Urdu comment a code with
some confidence, and that guess would be wrong in a way nobody notices. So before suggesting
anything the engine checks the text, cheaply, and says why it is stepping aside: a person reads
those comments instead.

The check needs no language-detection model, only counts of a comment's words:

- no letters at all ("", "-", "???", "5"): empty;
- mostly another script (Arabic, Bengali, Chinese, Cyrillic...): not English;
- more of the very common words of other languages that NHS patients write in (Welsh, Polish,
  Romanian, Urdu and Punjabi in Latin letters, French, Spanish, Portuguese, Italian, German,
  Lithuanian) than of English ones, or, in six words or more, almost no common English words
  and few words the model learnt from the team's coding: not English.

Short answers without any sign of another language ("Wifi.", "Fresh air", "N/A") are read as
English: they are ordinary answers, and guessing otherwise would hide them from suggestions. On
the 10,334 comments of the development data about 1 in 1,000 is flagged (see bench/README).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from .features import tokens

Reason = Literal["empty", "not_english"]

# The most common English words, with the ordinary words of patient feedback.
_COMMON_ENGLISH = """
    a about above after again against all almost along already also although always am among an
    and another any anyone anything are around as ask asked at away back bad be because been
    before being below best better between both but by came can can't cannot come could couldn't
    day days did didn't do does doesn't doing don't done down during each easy either else enough
    even ever every everyone everything far few find first for found from full further gave get
    gets getting give given go goes going gone good got great had hadn't has hasn't have haven't
    having he her here hers herself him himself his home how however i i'd i'm i've if in into is
    isn't it it's its itself just keep kept kind know last least left less let like little long
    look lot lots made make makes making many may me might more most much must my myself need
    needed needs never new next nice no nobody none nor not nothing now of off often ok okay old
    on once one only or other others our ours out over own part people per perhaps place please
    put quite rather really right said same saw say see seemed seen should shouldn't since so some
    someone something sometimes soon still such sure take taken than thank thanks that that's the
    their them then there there's these they they're thing things think this those though thought
    through time times to told too took totally two under until up upon us use used very via want
    wanted was wasn't way we we're well went were weren't what when where whether which while who
    whole why will with within without won't would wouldn't yes yet you you're your yours
    yourself
    n/a na nil none nope yeah
    able absolutely access advice afternoon ambulance amazing answer answered anxious appointment
    appointments appreciated area attentive attitude available awful bed beds bit booked brilliant
    busy call called calls car care cared careful caring chair change changed check checked clean
    clear clinic comfortable communication concern concerns consultant cold couple cup dealt
    delay delayed department diagnosis discharge discharged doctor doctors dr efficient email
    emergency especially excellent experience explain explained extremely family fantastic fast
    feel feeling felt food friendly gp happy hard help helped helpful helping highly hospital
    hour hours improve improved improvement informed information kept kindness late letter
    listen listened lovely lunch manner medical medication meet member members minutes money
    months morning night nurse nurses operation outstanding pain park parking patient patients
    phone polite poor problem problems professional quick quickly reassured reception
    receptionist referral results rude safe scan seen service services short sign signs slow
    small sorry staff support supportive surgery team test tests thankful thorough treated
    treatment understanding unit visit visiting wait waited waiting ward weeks welcoming wonderful
    work worked working worried year years
    air answers bit clarity coffee communicate covid daily empathy exercise exercises fresh
    friendlier kinder longer music perfect quicker satisfactory sessions smoke stay talking tea
    television tv wifi
"""
COMMON_ENGLISH = frozenset(_COMMON_ENGLISH.split())

# Very common words of other languages, none of them also an English word.
_OTHER_LANGUAGES = """
    roedd yn iawn gyda ddim wedi bod ond fy eich chi nhw hefyd diolch oedd ydy ydw gan
    oherwydd fawr ysbyty meddyg nyrsys
    był była było bardzo się nie że dziękuję dziekuje szpital lekarz pielęgniarki też tak jak
    być mnie mój moja
    este foarte și si nu cu pentru mulțumesc multumesc fost sunt spital doctorul
    bahut acha accha hai hain nahi nahin tha thi bohat shukriya mera meri aap kya bohot vich
    le les très tres je pas une avec mais merci bien été etait était hôpital nous vous
    los las muy que por para pero gracias bueno todo fue médico
    muito não nao obrigado obrigada foi tudo bom uma
    molto grazie tutto sono della
    der das und ist nicht sehr ich mit für aber danke krankenhaus
    labai ačiū aciu buvo yra ir
"""
OTHER_LANGUAGES = frozenset(_OTHER_LANGUAGES.split()) - COMMON_ENGLISH


def reason_message(reason: Reason | None) -> str:
    """What to tell the person about a comment that the engine stepped aside from."""
    if reason == "empty":
        return "No words to read, so nothing is suggested."
    if reason == "not_english":
        return "This does not look like English, so nothing is suggested: a person should read it."
    return ""


READABLE, EMPTY, NOT_ENGLISH = 0, 1, 2
REASONS: tuple[Reason | None, ...] = (None, "empty", "not_english")
# The counts `judge_counts` works from, one column each, per comment.
COUNTS = ("words", "english", "other", "latin", "familiar")


def word_flags(word: str, known: Container[str] = frozenset()) -> tuple[int, int, int, int, int]:
    """What one word counts towards, in the order of `COUNTS`."""
    if not any(c.isalpha() for c in word):
        return (0, 0, 0, 0, 0)
    english = word in COMMON_ENGLISH
    latin = word.isascii() or all(c.isascii() or "LATIN" in _name(c) for c in word if c.isalpha())
    return (
        1,
        int(english),
        int(word in OTHER_LANGUAGES),
        int(latin),
        int(english or word in known),
    )


def _name(character: str) -> str:
    return unicodedata.name(character, "")


def judge_counts(
    counts: npt.NDArray[np.floating] | npt.NDArray[np.integer],
) -> npt.NDArray[np.int8]:
    """Why each comment cannot be read (an index into `REASONS`), from its counts (`COUNTS`)."""
    table = np.asarray(counts, dtype=np.int64).reshape(-1, len(COUNTS))
    words, english, other, latin, familiar = table.T
    foreign_script = latin * 2 < words
    foreign_words = (other >= 1) & (other > english)
    wordy_but_unknown = (words >= 6) & (english * 10 < words) & (familiar * 5 < words)
    reasons = np.full(len(table), READABLE, dtype=np.int8)
    reasons[foreign_script | foreign_words | wordy_but_unknown] = NOT_ENGLISH
    reasons[words == 0] = EMPTY
    return reasons


def judge(words: int, english: int, other: int, latin: int, familiar: int) -> Reason | None:
    """`judge_counts` for one comment."""
    counts = np.array([[words, english, other, latin, familiar]])
    return REASONS[int(judge_counts(counts)[0])]


@dataclass(frozen=True, slots=True)
class TextCheck:
    """What the engine makes of a comment before suggesting anything."""

    reason: Reason | None
    words: int

    @property
    def readable(self) -> bool:
        return self.reason is None

    @property
    def message(self) -> str:
        return reason_message(self.reason)


def check_text(text: str, known: Container[str] = frozenset()) -> TextCheck:
    """Whether `text` is empty or not English.

    `known` is extra vocabulary that counts as familiar (a trained model passes the words it
    learnt from the team's own comments).
    """
    flags = [word_flags(word, known) for word in tokens(text)]
    counts = np.array(flags, dtype=np.int64).reshape(-1, len(COUNTS)).sum(axis=0)
    return TextCheck(reason=judge(*(int(c) for c in counts)), words=int(counts[0]))


def check_texts(texts: Sequence[str], known: Container[str] = frozenset()) -> list[Reason | None]:
    """`check_text` for many comments, each distinct word looked at once."""
    flags_of: dict[str, tuple[int, int, int, int, int]] = {}
    counts: list[tuple[int, ...]] = []
    for text in texts:
        found = []
        for word in tokens(text):
            flags = flags_of.get(word)
            if flags is None:
                flags = flags_of[word] = word_flags(word, known)
            found.append(flags)
        counts.append(tuple(map(sum, zip(*found, strict=True))) if found else (0,) * len(COUNTS))
    return [REASONS[int(r)] for r in judge_counts(np.array(counts, dtype=np.int64))]
