"""A survey in an analysis project, partly coded by the team, for the suggestion tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from coproduce.accounts.models import User
from coproduce.analysis.models import Code, Dataset, Import, Project, Sentiment, Source
from coproduce.analysis.services import coding, suggestions
from coproduce.analysis.tests.suggest_data import labelled
from coproduce.core.roles import Role

TONE = {
    "positive": Sentiment.POSITIVE,
    "neutral": Sentiment.NEUTRAL,
    "negative": Sentiment.NEGATIVE,
}
NEUTRAL = ["on the day", "during the visit", "at the clinic"]


@dataclass
class Survey:
    project: Project
    lead: User
    coder: User
    codes: dict[str, Code]
    responses: list[Source]
    truth: list[set[str]]
    tones: list[str]


def coded_survey(
    tenant: object, *, n: int = 240, coded: int = 120, labelled_tones: int = 0, seed: int = 7
) -> Survey:
    """`n` responses over four codes in the tenant's project, the first `coded` of them coded
    by its coder and the first `labelled_tones` given a sentiment; coding no longer blind."""
    users = tenant.users  # type: ignore[attr-defined]
    return survey_in(
        tenant.analysis.project,  # type: ignore[attr-defined]
        users[Role.ANALYST],
        users[Role.STAFF],
        n=n,
        coded=coded,
        labelled_tones=labelled_tones,
        seed=seed,
    )


def survey_in(
    project: Project,
    lead: User,
    coder: User,
    *,
    n: int = 240,
    coded: int = 120,
    labelled_tones: int = 0,
    seed: int = 7,
) -> Survey:
    project.blind = False
    project.save(update_fields=["blind"])
    texts, codings, raw_tones = labelled(n=n, seed=seed, multi=0.2)
    tones: list[str] = list(raw_tones)
    # Every sixth response only states what happened: neither praise nor complaint.
    for i in range(0, n, 6):
        subject = sorted(codings[i])[0].lower()
        texts[i] = f"I came in for my appointment and {subject} came up {NEUTRAL[i % 3]}."
        tones[i] = "neutral"
    source_import = Import.objects.create(
        project=project, status=Import.Status.RELEASED, file_name="survey.csv", rows_done=n
    )
    dataset = Dataset.objects.create(
        project=project, source_import=source_import, name="Survey", text_column="Comment"
    )
    start = datetime.date(2026, 1, 1)
    responses = Source.objects.bulk_create(
        Source(
            project=project,
            source_import=source_import,
            dataset=dataset,
            row=i + 2,
            kind=Source.Kind.RESPONSE,
            name=f"Survey, row {i + 2}",
            text=text,
            received_on=start + datetime.timedelta(days=i % 180),
        )
        for i, text in enumerate(texts)
    )
    codes = {
        name: Code.objects.create(project=project, name=name)
        for name in sorted({code for coding_ in codings for code in coding_})
    }
    for response, coding_ in zip(responses[:coded], codings[:coded], strict=True):
        coding.apply_codes(
            by=coder,
            source=response,
            codes=[codes[name] for name in sorted(coding_)],
            start=0,
            end=len(response.text),
        )
    for response, tone in zip(responses[:labelled_tones], tones[:labelled_tones], strict=True):
        suggestions.label_sentiment(by=coder, source=response, value=TONE[tone])
    return Survey(project, lead, coder, codes, responses, codings, list(tones))
