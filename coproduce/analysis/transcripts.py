"""Reading text and transcripts into one immutable text, with speaker turns as character offsets.

Coded segments are stored as character offsets into a source's text, so the text an importer
produces must never change afterwards and must be the same however it was saved: line endings
become "\\n" and the text is in Unicode normal form C. Transcripts keep who spoke and when: each
turn is a stretch of that text (`text[turn.start:turn.end]` is exactly what was said) with its
speaker and, for WebVTT and SRT, its times.

Every failure is an `ImportRefused` with a message that says what is wrong and where, so the
analyst can fix the file; nothing here writes anything.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from coproduce.core.errors import ServiceError

# Windows-1252 leaves these bytes undefined: text that contains them is not Windows-1252.
_UNDEFINED_IN_1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


class ImportRefused(ServiceError):
    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", status=422)


@dataclass(frozen=True)
class Turn:
    speaker: str
    start: int
    end: int
    starts_at_ms: int | None = None
    ends_at_ms: int | None = None


@dataclass(frozen=True)
class Transcript:
    text: str
    turns: list[Turn] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Text from bytes in UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UNDEFINED_IN_1252.isdisjoint(data) and b"\x00" not in data:
        return data.decode("cp1252")
    raise ImportRefused(
        "The file's text encoding could not be recognised. Save it as UTF-8 text and try again"
    )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"The file says it is {encoding.upper()} but byte {error.start + 1} is not valid "
            f"{encoding.upper()}. Save it again as UTF-8 text"
        ) from None


def normalise(text: str) -> str:
    """One form for the same text: "\\n" line endings, Unicode NFC, no NUL or BOM characters."""
    if "\x00" in text:
        raise ImportRefused("The file contains NUL characters, so it is not a text file")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)


def plain_text(data: bytes) -> Transcript:
    text = normalise(decode(data))
    if not text.strip():
        raise ImportRefused("The file is empty")
    return Transcript(text)


# Speaker labels at the start of a line of dialogue: "Interviewer: ...", "P3: ...", "[Anna] ...".
_LABEL = re.compile(
    r"^\s*(?:\[(?P<bracketed>[^\]\n]{1,60})\]|(?P<plain>[^\s:][^:\n]{0,59}?)\s*:)\s+"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+(?P<speaker>[^>]{1,60})>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_VTT_TIME = r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_SRT_TIME = r"(\d{1,3}):([0-5]\d):([0-5]\d),(\d{3})"
_VTT_CUE = re.compile(rf"^{_VTT_TIME}\s+-->\s+{_VTT_TIME}(?:\s+.*)?$")
_SRT_CUE = re.compile(rf"^{_SRT_TIME}\s+-->\s+{_SRT_TIME}\s*$")


def speaker_label(line: str) -> tuple[str, int] | None:
    """The speaker a line of dialogue starts with and where their words start, if it names one.

    Captions and document paragraphs name speakers the same way, so one rule decides for both.
    A name is a few words: "The letter said: come at nine" is a sentence, not a speaker.
    """
    label = _LABEL.match(line)
    if label is None:
        return None
    speaker = (label.group("bracketed") or label.group("plain") or "").strip()
    if not speaker or len(speaker.split()) > 4:
        return None
    return speaker, label.end()


def _ms(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


@dataclass
class _Cue:
    speaker: str
    words: str
    starts_at_ms: int
    ends_at_ms: int


def _speaker_and_words(lines: list[str], voice: bool) -> tuple[str, str]:
    joined = " ".join(line.strip() for line in lines if line.strip())
    speaker = ""
    if voice and (match := _VOICE.search(joined)):
        speaker = match.group("speaker").strip()
    words = _TAG.sub("", joined).strip()
    if not speaker and (label := speaker_label(words)) is not None:
        speaker, words_at = label
        words = words[words_at:].strip()
    return speaker, words


def _assemble(cues: list[_Cue]) -> Transcript:
    """One paragraph per turn ("Speaker: words"); consecutive cues of one speaker join up."""
    merged: list[_Cue] = []
    for cue in cues:
        if merged and cue.speaker == merged[-1].speaker:
            merged[-1].words += " " + cue.words
            merged[-1].ends_at_ms = cue.ends_at_ms
        else:
            merged.append(_Cue(cue.speaker, cue.words, cue.starts_at_ms, cue.ends_at_ms))
    if not merged:
        raise ImportRefused("The transcript has no captions with any words in them")
    parts: list[str] = []
    turns: list[Turn] = []
    position = 0
    for cue in merged:
        prefix = f"{cue.speaker}: " if cue.speaker else ""
        words = cue.words
        start = position + len(prefix)
        turns.append(Turn(cue.speaker, start, start + len(words), cue.starts_at_ms, cue.ends_at_ms))
        paragraph = prefix + words
        parts.append(paragraph)
        position += len(paragraph) + 2
    return Transcript("\n\n".join(parts), turns)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks, each with the number of its first line (counting from 1)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def webvtt(data: bytes) -> Transcript:
    """A WebVTT file: voice tags (<v Anna>) or "Anna:" prefixes name the speaker."""
    text = normalise(decode(data))
    blocks = _blocks(text)
    if not blocks or not blocks[0][1][0].startswith("WEBVTT"):
        raise ImportRefused('A WebVTT file must start with the line "WEBVTT"')
    cues: list[_Cue] = []
    for first, lines in blocks[1:]:
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing_at = 0 if "-->" in lines[0] else 1
        if timing_at >= len(lines) or "-->" not in lines[timing_at]:
            raise ImportRefused(
                f"Line {first}: a caption needs a timing line like 00:01:02.345 --> 00:01:05.000"
            )
        match = _VTT_CUE.match(lines[timing_at].strip())
        if match is None:
            raise ImportRefused(
                f"Line {first + timing_at}: the timing '{lines[timing_at].strip()[:60]}' is not "
                "in the form 00:01:02.345 --> 00:01:05.000"
            )
        groups = match.groups()
        starts, ends = _ms(*groups[:4]), _ms(*groups[4:])
        if ends < starts:
            raise ImportRefused(f"Line {first + timing_at}: the caption ends before it starts")
        speaker, words = _speaker_and_words(lines[timing_at + 1 :], voice=True)
        if words:
            cues.append(_Cue(speaker, words, starts, ends))
    return _assemble(cues)


def srt(data: bytes) -> Transcript:
    """A SubRip (SRT) file: "Anna:" or "[Anna]" at the start of a caption names the speaker."""
    text = normalise(decode(data))
    cues: list[_Cue] = []
    for first, lines in _blocks(text):
        timing_at = 1 if lines[0].strip().isdigit() else 0
        if timing_at >= len(lines):
            raise ImportRefused(f"Line {first}: a caption number with no timing line after it")
        match = _SRT_CUE.match(lines[timing_at].strip())
        if match is None:
            raise ImportRefused(
                f"Line {first + timing_at}: the timing '{lines[timing_at].strip()[:60]}' is not "
                "in the form 00:01:02,345 --> 00:01:05,000"
            )
        groups = match.groups()
        starts, ends = _ms(*groups[:4]), _ms(*groups[4:])
        if ends < starts:
            raise ImportRefused(f"Line {first + timing_at}: the caption ends before it starts")
        speaker, words = _speaker_and_words(lines[timing_at + 1 :], voice=False)
        if words:
            cues.append(_Cue(speaker, words, starts, ends))
    if not cues:
        raise ImportRefused("The file has no captions in it")
    return _assemble(cues)
