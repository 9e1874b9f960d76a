"""Suggested codes: the model's page (training, how far to trust each code, the target,
batches), and the review of suggestions one response at a time, by keyboard or buttons."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from coproduce.analysis.models import (
    Batch,
    Code,
    Project,
    Reading,
    Sentiment,
    SentimentLabel,
    Source,
    Suggester,
    Suggestion,
)
from coproduce.analysis.services import batches, suggestions
from coproduce.analysis.team import Right, may, on_project
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate

# How the lead leans the thresholds: (beta, recall) for each choice.
LEANINGS: dict[str, tuple[float, float | None]] = {
    "most": (2.0, 0.9),
    "recall": (2.0, None),
    "balanced": (1.0, None),
    "precision": (0.5, None),
}
LEANING_LABELS = [
    ("most", "Find at least 9 in 10 of each code's responses, even with more wrong suggestions"),
    ("recall", "Lean towards finding more (recommended)"),
    ("balanced", "Balance finding more against fewer wrong suggestions"),
    ("precision", "Lean towards fewer wrong suggestions, finding less"),
]
UNREAD = {"empty": "It is empty", "not_english": "It does not look like English"}
COMPLEX = {
    "long": "it is long (over 50 words)",
    "many codes": "it has more than 5 codes",
    "mixed sentiment": "it mixes praise and criticism",
}


class TargetForm(forms.Form):
    leaning = forms.ChoiceField(
        label="How should the thresholds lean?",
        help_text="Moving this changes no training: the next batch of suggestions uses it.",
        choices=LEANING_LABELS,
        widget=forms.RadioSelect,
    )


def leaning_of(suggester: Suggester) -> str:
    for name, (beta, recall) in LEANINGS.items():
        if suggester.recall == recall and (recall is not None or suggester.beta == beta):
            return name
    return "recall"


def _url(project: Project, name: str = "analysis:suggestions") -> str:
    return reverse(name, kwargs={"project_pk": project.pk})


def _code_rows(project: Project, suggester: Suggester | None) -> list[dict[str, Any]]:
    """Each code with how far the model can be trusted on it, and how many await review."""
    if suggester is None:
        return []
    names = dict(Code.objects.filter(project=project).values_list("pk", "name"))
    waiting = dict(
        Suggestion.objects.filter(project=project, status=Suggestion.Status.PENDING)
        .values_list("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    return [
        {
            **report,
            "name": names.get(report["code"], "A code since removed"),
            "waiting": waiting.get(report["code"], 0),
        }
        for report in suggester.reports
    ]


@on_project(Right.VIEW)
def overview(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    model = suggestions.latest(project)
    newest = suggestions.newest(project)
    feeling = suggestions.latest(project, Suggester.Kind.SENTIMENT)
    newest_feeling = suggestions.newest(project, Suggester.Kind.SENTIMENT)
    batch = Batch.objects.filter(project=project).order_by("-started_at").first()
    training = [
        s
        for s in (newest, newest_feeling)
        if s is not None and s.status in {Suggester.Status.QUEUED, Suggester.Status.TRAINING}
    ]
    progress = batches.progress(batch) if batch is not None else None
    working = bool(training) or (batch is not None and batch.status == Batch.Status.RUNNING)
    context = {
        "project": project,
        "title": "Suggested codes",
        "model": model,
        "newest": newest,
        "feeling": feeling,
        "newest_feeling": newest_feeling,
        "feeling_quality": (suggestions.engine(feeling).quality() if feeling is not None else None),
        "training": training,
        "batch": batch,
        "progress": progress,
        "working": working,
        "codes": _code_rows(project, model),
        "counts": suggestions.suggestion_counts(project),
        "unread": [
            (UNREAD.get(reason, reason), n)
            for reason, n in Reading.objects.filter(project=project)
            .exclude(unread="")
            .values_list("unread")
            .annotate(n=Count("pk"))
            .values_list("unread", "n")
        ],
        "labelled": SentimentLabel.objects.filter(project=project).count(),
        "questions": _questions(project, model),
        "form": TargetForm(initial={"leaning": leaning_of(model)}) if model else None,
        "can_lead": may(request.user, project, Right.LEAD),
        "can_code": may(request.user, project, Right.CODE),
        "blind": project.coding_is_blind,
        "blind_message": suggestions.BLIND_MESSAGE,
        "sentiments": Sentiment,
    }
    if request.headers.get("HX-Request") and request.GET.get("progress"):
        if not working:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "analysis/suggestions/_progress.jinja", context)
    return render(request, "analysis/suggestions/overview.jinja", context)


def _questions(project: Project, model: Suggester | None) -> list[dict[str, Any]]:
    """The model's questions that are still uncoded, with their text."""
    if model is None or not model.questions:
        return []
    wanted = [q["source"] for q in model.questions]
    open_ = suggestions.uncoded(project).filter(pk__in=wanted).in_bulk()
    names = dict(Code.objects.filter(project=project).values_list("pk", "name"))
    return [
        {"source": open_[q["source"]], "code": names.get(q["code"], ""), "reason": q["reason"]}
        for q in model.questions
        if q["source"] in open_
    ][:10]


def _act(request: AuthenticatedRequest, action: Any, done: str) -> HttpResponse | None:
    try:
        action()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return None


def _confirm(
    request: AuthenticatedRequest,
    project: Project,
    title: str,
    text: str,
    button: str,
    **hidden: str,
) -> HttpResponse:
    """The page behind a button, for a visit without the button: says what it does, and asks."""
    return render(
        request,
        "analysis/suggestions/confirm.jinja",
        {
            "project": project,
            "title": title,
            "text": text,
            "button": button,
            "hidden": hidden,
            "back_url": _url(project),
        },
    )


@on_project(Right.LEAD)
def train(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or Suggester.Kind.CODES
    if kind not in Suggester.Kind.values:
        kind = Suggester.Kind.CODES
    what = "sentiment model" if kind == Suggester.Kind.SENTIMENT else "model"
    if request.method != "POST":
        return _confirm(
            request,
            project,
            f"Train the {what}",
            f"The {what} learns from your team's "
            + ("sentiment labels" if kind == Suggester.Kind.SENTIMENT else "coding")
            + " of this project's responses. It trains in the background, and the page shows "
            "how far it has got.",
            f"Train the {what}",
            kind=kind,
        )
    _act(
        request,
        lambda: suggestions.train(by=request.user, project=project, kind=kind),
        f"The {what} is training. This page shows how far it has got.",
    )
    return redirect(_url(project))


@on_project(Right.LEAD)
def target(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    model = suggestions.latest(project)
    form = TargetForm(
        request.POST or None, initial={"leaning": leaning_of(model) if model else "recall"}
    )
    if request.method == "POST" and model is None:
        form.is_valid()
        form.add_error(None, "Train the model before moving its thresholds")
    elif request.method == "POST" and model is not None:
        moved = submit(
            form,
            lambda: suggestions.retarget(
                by=request.user,
                suggester=model,
                beta=LEANINGS[form.cleaned_data["leaning"]][0],
                recall=LEANINGS[form.cleaned_data["leaning"]][1],
            ),
        )
        if moved:
            messages.success(
                request,
                "The thresholds have moved. Run suggestions again to apply them to every response.",
            )
            return redirect(_url(project))
    return render(
        request,
        "analysis/suggestions/target.jinja",
        {"project": project, "title": "Move the thresholds", "form": form, "model": model},
    )


@on_project(Right.LEAD)
def run(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    if request.method != "POST":
        return _confirm(
            request,
            project,
            "Suggest codes for every uncoded response",
            "The trained model reads every response nobody has coded yet and suggests codes "
            "(and sentiment, if that model is trained) for your team to accept or reject. "
            "Suggestions waiting from an earlier run are replaced; decisions already made are "
            "kept.",
            "Suggest codes",
        )
    _act(
        request,
        lambda: batches.start(by=request.user, project=project),
        "Suggestions have started. This page shows how far they have got.",
    )
    return redirect(_url(project))


@on_project(Right.LEAD)
def resume(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    batch = batches.running(project)
    if batch is None:
        return _confirm(
            request,
            project,
            "Resume the batch",
            "No batch of suggestions is running, so there is nothing to resume.",
            "",
        )
    if request.method != "POST":
        return _confirm(
            request,
            project,
            "Resume the batch",
            "Every part of the batch not yet done is handed out to the workers again. Parts "
            "already done are kept, and no response gets suggestions twice.",
            "Resume the batch",
        )
    handed = batches.resume(by=request.user, batch=batch)
    messages.success(
        request,
        f"{handed} {'part' if handed == 1 else 'parts'} of the batch handed out again. "
        "Parts already done are kept, and no response gets suggestions twice.",
    )
    return redirect(_url(project))


# Review ----------------------------------------------------------------------------------


@on_project(Right.CODE)
def review(request: AuthenticatedRequest, project: Project) -> HttpResponse:
    """Responses with suggestions waiting, least certain first (what teaches the model most)."""
    waiting = suggestions.pending(project)
    show = request.GET.get("show", "")
    if show == "complex":
        waiting = waiting.exclude(reading__complex="").filter(reading__isnull=False)
    code_pk = request.GET.get("code", "")
    chosen_code = None
    if code_pk.isdigit():
        chosen_code = Code.objects.filter(project=project, pk=int(code_pk)).first()
        if chosen_code is not None:
            waiting = waiting.filter(
                suggestions__code=chosen_code, suggestions__status=Suggestion.Status.PENDING
            )
    page = paginate(request, waiting, per_page=10)
    return render(
        request,
        "analysis/suggestions/review.jinja",
        {
            "project": project,
            "title": "Review suggestions",
            "cards": _cards(list(page.items)),
            "page": page,
            "show": show,
            "chosen_code": chosen_code,
            "codes": Code.objects.filter(project=project, retired=False, merged_into__isnull=True),
            "counts": suggestions.suggestion_counts(project),
            "sentiments": Sentiment,
            "column": "full",
        },
    )


def _cards(sources: list[Source]) -> list[dict[str, Any]]:
    """Each response with its waiting suggestions, sentiment and why to read it yourself."""
    ids = [source.pk for source in sources]
    by_source: dict[int, list[Suggestion]] = {}
    for suggestion in (
        Suggestion.objects.filter(source_id__in=ids, status=Suggestion.Status.PENDING)
        .select_related("code")
        .order_by("-confidence")
    ):
        by_source.setdefault(suggestion.source_id, []).append(suggestion)
    readings = {r.source_id: r for r in Reading.objects.filter(source_id__in=ids)}
    labels = dict(
        SentimentLabel.objects.filter(source_id__in=ids).values_list("source_id", "value")
    )
    cards = []
    for position, source in enumerate(sources):
        reading = readings.get(source.pk)
        following = sources[position + 1] if position + 1 < len(sources) else None
        cards.append(
            {
                "source": source,
                "suggestions": by_source.get(source.pk, []),
                "reading": reading,
                "complex": [COMPLEX[r] for r in reading.complex.split(",") if r in COMPLEX]
                if reading and reading.complex
                else [],
                "sentiment": labels.get(source.pk) or (reading.sentiment if reading else ""),
                "next": following.pk if following else None,
            }
        )
    return cards


@on_project(Right.CODE)
def decide(request: AuthenticatedRequest, project: Project, response_pk: int) -> HttpResponse:
    """Accept the ticked suggestions of one response and reject the rest (or reject all)."""
    source = get_object_or_404(Source.objects.responses(), project=project, pk=response_pk)
    back = request.POST.get("next", "")
    if not back.startswith(_url(project, "analysis:suggestion_review")):
        back = _url(project, "analysis:suggestion_review")
    if request.method != "POST":
        # One response's suggestions on a page of their own, as a link to it would show them.
        return render(
            request,
            "analysis/suggestions/review.jinja",
            {
                "project": project,
                "title": f"Review suggestions for {source.name}",
                "cards": _cards([source]),
                "single": True,
                "counts": suggestions.suggestion_counts(project),
                "sentiments": Sentiment,
                "column": "full",
            },
        )
    accepted: set[int] = set()
    if request.POST.get("action") != "reject":
        accepted = {int(v) for v in request.POST.getlist("accept") if v.isdigit()}
    sentiment = request.POST.get("sentiment", "")
    try:
        decided = suggestions.review(
            by=request.user, source=source, accepted=accepted, sentiment=sentiment
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    kept = len(accepted)
    messages.success(
        request,
        f"{source.name}: {kept} accepted, {decided - kept} rejected"
        + (f", sentiment {Sentiment(sentiment).label.lower()}" if sentiment else ""),
    )
    suggestions.retrain_if_due(project)
    return redirect(back)


urlpatterns = [
    path("<int:project_pk>/suggestions/", overview, name="suggestions"),
    path("<int:project_pk>/suggestions/train/", train, name="suggestion_train"),
    path("<int:project_pk>/suggestions/target/", target, name="suggestion_target"),
    path("<int:project_pk>/suggestions/run/", run, name="suggestion_run"),
    path("<int:project_pk>/suggestions/resume/", resume, name="suggestion_resume"),
    path("<int:project_pk>/suggestions/review/", review, name="suggestion_review"),
    path(
        "<int:project_pk>/suggestions/review/<int:response_pk>/",
        decide,
        name="suggestion_decide",
    ),
]
