"""Questionnaire results, in aggregate only.

Answers to the same question (the same key) are pooled across versions. Nothing is shown for a
set of fewer than SMALL_NUMBER_THRESHOLD responses, and within a shown set the counts of each
answer are suppressed as equality counts are (`equality.report.summarise`).

Scores read a questionnaire against its frameworks:
- for a PPEET principle, the share of answers that are favourable: agreeing with a positive
  statement, or disagreeing with a negative one;
- for a personal-impact theme, the share agreeing with its statements (for "challenges", the
  share who say they met that challenge).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet

from coproduce.equality.report import QuestionSummary, summarise
from coproduce.impact.defaults import LIKERT
from coproduce.impact.models import Answer, Principle, Question, Response, Theme

AGREE = (4, 5)
DISAGREE = (1, 2)
# How many free-text answers a page shows; the download has them all.
FREE_TEXT_SHOWN = 50


@dataclass(frozen=True)
class Score:
    label: str
    percent: int | None  # None when too few answers to show
    answers: int


@dataclass
class QuestionResult:
    key: str
    text: str
    kind: str
    principle: str
    theme: str
    negative: bool
    summary: QuestionSummary | None = None  # Likert and choice questions
    agree_percent: int | None = None
    texts: list[str] = field(default_factory=list)  # free text, newest first
    text_count: int = 0


@dataclass
class Results:
    respondents: int
    threshold: int
    questions: list[QuestionResult] = field(default_factory=list)
    principles: list[Score] = field(default_factory=list)
    themes: list[Score] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.respondents < self.threshold

    @property
    def respondents_text(self) -> str:
        if 0 < self.respondents < self.threshold:
            return f"Fewer than {self.threshold}"
        return f"{self.respondents:,}"


def _percent(part: int, whole: int, *, threshold: int) -> int | None:
    return round(100 * part / whole) if whole >= threshold else None


def responses_between(
    responses: "QuerySet[Response]",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> "QuerySet[Response]":
    if starts_on:
        responses = responses.filter(submitted_on__gte=starts_on)
    if ends_on:
        responses = responses.filter(submitted_on__lte=ends_on)
    return responses


def _latest_questions(responses: "QuerySet[Response]") -> dict[str, Question]:
    """Each key's question as last worded, in the order of the latest version that has it."""
    # Through the versions answered, not by joining every response to its questions: that made
    # SQLite list and de-duplicate a row per response and question (0.1 s for 17,000 responses).
    questions = Question.objects.filter(version__in=responses.values("version")).select_related(
        "version"
    )
    latest: dict[str, Question] = {}
    for question in questions.order_by("version__number", "position"):
        latest[question.key] = question
    return dict(
        sorted(latest.items(), key=lambda pair: (-pair[1].version.number, pair[1].position))
    )


def build(responses: "QuerySet[Response]", *, with_texts: bool = True) -> Results:
    """The results of a set of responses already scoped by the access path."""
    threshold = settings.SMALL_NUMBER_THRESHOLD
    respondents = responses.count()
    results = Results(respondents=respondents, threshold=threshold)
    if results.suppressed:
        return results
    questions = _latest_questions(responses)
    answers = Answer.objects.filter(response__in=responses)
    scores: dict[str, Counter[int]] = defaultdict(Counter)
    choices: dict[str, Counter[str]] = defaultdict(Counter)
    text_counts: Counter[str] = Counter()
    # Counted by question id in one query that does not join the questions, then pooled by key.
    counted = list(
        answers.values_list("question", "score", "choice").annotate(n=Count("pk")).order_by()
    )
    asked = {
        pk: (key, kind)
        for pk, key, kind in Question.objects.filter(
            pk__in={question for question, *_ in counted}
        ).values_list("pk", "key", "kind")
    }
    for question_id, score, choice, count in counted:
        key, kind = asked[question_id]
        if kind == Question.Kind.FREE_TEXT:
            text_counts[key] += count
        elif score is not None:
            scores[key][score] += count
        elif choice:
            choices[key][choice] += count
    by_principle: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_theme: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, question in questions.items():
        result = QuestionResult(
            key=key,
            text=question.text,
            kind=question.kind,
            principle=question.principle,
            theme=question.theme,
            negative=question.negative,
        )
        if question.kind == Question.Kind.LIKERT:
            counts = scores[key]
            given = sum(counts.values())
            agree = sum(counts[value] for value in AGREE)
            result.summary = summarise(
                question.text,
                [(str(value), label) for value, label in LIKERT],
                {str(value): counts[value] for value, _ in LIKERT},
                threshold=threshold,
            )
            result.agree_percent = _percent(agree, given, threshold=threshold)
            favourable = sum(counts[v] for v in DISAGREE) if question.negative else agree
            if question.principle:
                by_principle[question.principle][0] += favourable
                by_principle[question.principle][1] += given
            if question.theme:
                by_theme[question.theme][0] += agree
                by_theme[question.theme][1] += given
        elif question.kind == Question.Kind.CHOICE:
            counts_by_choice = choices[key]
            labels = list(question.choices) + sorted(set(counts_by_choice) - set(question.choices))
            result.summary = summarise(
                question.text,
                [(label, label) for label in labels],
                dict(counts_by_choice),
                threshold=threshold,
            )
        else:
            result.text_count = text_counts.get(key, 0)
            if with_texts:
                result.texts = list(
                    answers.filter(question__key=key)
                    .exclude(text="")
                    .order_by("-response__submitted_on", "-pk")
                    .values_list("text", flat=True)[:FREE_TEXT_SHOWN]
                )
        results.questions.append(result)
    results.principles = [
        Score(label, _percent(*by_principle[value], threshold=threshold), by_principle[value][1])
        for value, label in Principle.choices
        if value in by_principle
    ]
    results.themes = [
        Score(label, _percent(*by_theme[value], threshold=threshold), by_theme[value][1])
        for value, label in Theme.choices
        if value in by_theme
    ]
    return results


def free_text_rows(responses: "QuerySet[Response]") -> list[tuple[str, str, str, str]]:
    """Every free-text answer as (date, question, group or activity, answer), the download that
    feeds qualitative analysis. Only for sets large enough to be shown at all."""
    if responses.count() < settings.SMALL_NUMBER_THRESHOLD:
        return []
    return [
        (submitted_on.isoformat(), question, group or activity or "", text)
        for submitted_on, question, group, activity, text in Answer.objects.filter(
            response__in=responses, question__kind=Question.Kind.FREE_TEXT
        )
        .exclude(text="")
        .order_by("response__submitted_on", "pk")
        .values_list(
            "response__submitted_on",
            "question__text",
            "response__group__name",
            "response__activity__title",
            "text",
        )
    ]
