"""Staff pages: the impact dashboard, the annual report, questionnaires and self-assessment."""

from typing import Any

import weasyprint
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from coproduce.asks.models import Ask
from coproduce.asks.services import answer_within
from coproduce.core import access, audit, spreadsheets
from coproduce.core.access import Permission
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.groups.models import PartnershipGroup
from coproduce.impact import annual, dashboard, results, services
from coproduce.impact.defaults import CUBE, LIKERT
from coproduce.impact.forms import (
    AnnualReportForm,
    PeriodForm,
    QuestionForm,
    ResultsForm,
    SelfAssessmentForm,
)
from coproduce.impact.models import (
    Question,
    Questionnaire,
    Response,
    SelfAssessment,
    Standard,
    Version,
)
from coproduce.organisations.models import Organisation

VIEW, MANAGE = Permission.VIEW_IMPACT, Permission.MANAGE_IMPACT
REPORT = Permission.VIEW_ACTIVITY_REPORT
HEADER = ("Section", "Measure", "Value")


def _wants(request: AuthenticatedRequest) -> str | None:
    kind = request.GET.get("download")
    return kind if kind in {"csv", "xlsx"} else None


# The dashboard and the annual report


@access.requires(VIEW)
def impact_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisations = access.scoped(user, Organisation.objects.all(), VIEW)
    form = PeriodForm(request.GET or {}, organisations=organisations)
    board = None
    if form.is_valid():
        asks = access.scoped(user, Ask.objects.all(), VIEW)
        responses = access.scoped(user, Response.objects.all(), VIEW)
        assessments = access.scoped(user, SelfAssessment.objects.all(), VIEW)
        organisation = form.cleaned_data["organisation"]
        if organisation is not None:
            asks = asks.filter(organisation=organisation)
            responses = responses.filter(version__questionnaire__organisation=organisation)
            assessments = assessments.filter(organisation=organisation)
        board = dashboard.build(
            asks,
            responses,
            assessments,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        )
        if kind := _wants(request):
            name = f"impact-{board.starts_on}-to-{board.ends_on}"
            return spreadsheets.download(name, HEADER, board.table(), kind)
    return render(
        request,
        "impact/dashboard.jinja",
        {
            "title": "Impact",
            "form": form,
            "board": board,
            "query": request.GET.urlencode(),
            "column": "full",
            "may_report": access.has_permission(user, REPORT),
            **_report_context(),
        },
    )


@access.requires(REPORT)
def annual_report(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisations = access.scoped(user, Organisation.objects.all(), REPORT) & access.scoped(
        user, Organisation.objects.all(), VIEW
    )
    data = request.GET.copy()
    if "organisation" not in data and organisations.count() == 1:
        data["organisation"] = str(organisations.get().pk)
    form = AnnualReportForm(data, organisations=organisations)
    report = None
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        report = annual.build(
            organisation,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            **annual.querysets(user, organisation),
        )
        name = f"involvement-report-{report.starts_on}-to-{report.ends_on}"
        if kind := _wants(request):
            return spreadsheets.download(name, HEADER, report.table(), kind)
        if request.GET.get("format") == "pdf":
            return _pdf(request, report, name)
    return render(
        request,
        "impact/annual.jinja",
        {
            "title": "Annual involvement report",
            "form": form,
            "report": report,
            "query": request.GET.urlencode() or data.urlencode(),
            "column": "full",
            **_report_context(),
        },
    )


def _report_context() -> dict[str, Any]:
    return {
        "answer_days": answer_within().days,
        "threshold": settings.SMALL_NUMBER_THRESHOLD,
        "labels": dict(Standard.choices),
        "cube": CUBE,
    }


def _pdf(request: AuthenticatedRequest, report: annual.AnnualReport, name: str) -> HttpResponse:
    """The report drawn by WeasyPrint from the print template, which shares the page's body."""
    html = render_to_string(
        "impact/annual_print.jinja",
        {
            "report": report,
            "title": f"Involvement report: {report.organisation}",
            **_report_context(),
        },
        request=request,
    )
    pdf = weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# Questionnaires


def _questionnaire(
    request: AuthenticatedRequest, pk: int, permission: Permission = VIEW
) -> Questionnaire:
    return access.get(
        request.user, Questionnaire.objects.select_related("organisation"), permission, pk=pk
    )


def _version(questionnaire: Questionnaire, pk: int) -> Version:
    version = questionnaire.versions.filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


@access.requires(VIEW)
def questionnaire_list(request: AuthenticatedRequest) -> HttpResponse:
    for organisation in access.scoped(request.user, Organisation.objects.all(), VIEW):
        services.ensure_defaults(organisation)
    questionnaires = (
        access.scoped(request.user, Questionnaire.objects.all(), VIEW)
        .select_related("organisation")
        .annotate(
            sent=Count("invitations", distinct=True),
            answered=Count(
                "invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True
            ),
        )
        .order_by("organisation__name", "audience")
    )
    return render(
        request,
        "impact/questionnaires.jinja",
        {"title": "Questionnaires", "questionnaires": questionnaires, "column": "full"},
    )


@access.requires(VIEW)
def questionnaire_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    groups = access.scoped(request.user, PartnershipGroup.objects.all(), VIEW).filter(
        organisation=questionnaire.organisation
    )
    form = ResultsForm(request.GET or None, groups=groups)
    responses = access.scoped(request.user, Response.objects.all(), VIEW).filter(
        version__questionnaire=questionnaire
    )
    if form.is_valid():
        responses = results.responses_between(
            responses, form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
        )
        if form.cleaned_data["group"]:
            responses = responses.filter(group=form.cleaned_data["group"])
    if request.GET.get("download") in {"csv", "xlsx"}:
        return spreadsheets.download(
            f"free-text-answers-{questionnaire.pk}",
            ("Date", "Question", "Group or activity", "Answer"),
            results.free_text_rows(responses),
            request.GET["download"],
        )
    return render(
        request,
        "impact/questionnaire.jinja",
        {
            "title": questionnaire.title,
            "questionnaire": questionnaire,
            "current": services.current_version(questionnaire),
            "versions": questionnaire.versions.annotate(answered=Count("responses")),
            "form": form,
            "found": results.build(responses),
            "query": request.GET.urlencode(),
            "may_manage": access.has_permission(
                request.user, MANAGE, questionnaire.organisation_id
            ),
            "likert": LIKERT,
            "column": "full",
        },
    )


def _confirm(
    request: AuthenticatedRequest, questionnaire: Questionnaire, title: str, explanation: str
) -> HttpResponse:
    """The page a button posts from, for anyone who arrives by its address."""
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": title,
            "caption": questionnaire.title,
            "explanation": explanation,
            "submit": title,
            "fields": [],
            "back_url": f"/impact/questionnaires/{questionnaire.pk}/",
        },
    )


@access.requires(MANAGE)
def questionnaire_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Editing starts a draft (a copy of what is sent now), or carries on the one there is."""
    questionnaire = _questionnaire(request, pk, MANAGE)
    if request.method != "POST":
        return _confirm(
            request,
            questionnaire,
            "Change the questions",
            "This makes a draft copy of the questions sent now. Nothing changes for anyone "
            "until you publish the draft.",
        )
    draft = services.draft_of(questionnaire)
    return redirect("impact:version", pk=pk, version_pk=draft.pk)


@access.requires(VIEW)
def version_detail(request: AuthenticatedRequest, pk: int, version_pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk)
    version = _version(questionnaire, version_pk)
    return render(
        request,
        "impact/version.jinja",
        {
            "title": f"{questionnaire.title}: version {version.number}",
            "questionnaire": questionnaire,
            "version": version,
            "questions": version.questions.all(),
            "may_manage": access.has_permission(
                request.user, MANAGE, questionnaire.organisation_id
            ),
            "back_url": f"/impact/questionnaires/{questionnaire.pk}/",
        },
    )


def _question_details(form: QuestionForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@access.requires(MANAGE)
def question_add(request: AuthenticatedRequest, pk: int, version_pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk, MANAGE)
    version = _version(questionnaire, version_pk)
    form = QuestionForm(request.POST or None, initial={"required": True})
    if request.method == "POST" and (
        submit(
            form,
            lambda: services.add_question(
                actor=request.user, version=version, details=_question_details(form)
            ),
        )
        is not None
    ):
        messages.success(request, "Question added to the draft")
        return redirect("impact:version", pk=pk, version_pk=version.pk)
    return _question_page(request, form, questionnaire, version, "Add a question")


@access.requires(MANAGE)
def question_change(
    request: AuthenticatedRequest, pk: int, version_pk: int, question_pk: int
) -> HttpResponse:
    questionnaire = _questionnaire(request, pk, MANAGE)
    version = _version(questionnaire, version_pk)
    question = _question(version, question_pk)
    initial = {
        "text": question.text,
        "hint": question.hint,
        "kind": question.kind,
        "choices": "\n".join(question.choices),
        "principle": question.principle,
        "theme": question.theme,
        "negative": question.negative,
        "required": question.required,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.remove_question(actor=request.user, question=question)
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect("impact:version", pk=pk, version_pk=version.pk)
            messages.success(request, "Question removed from the draft")
            return redirect("impact:version", pk=pk, version_pk=version.pk)
        if submit(
            form,
            lambda: services.change_question(
                actor=request.user, question=question, details=_question_details(form)
            ),
        ):
            messages.success(request, "Question changed")
            return redirect("impact:version", pk=pk, version_pk=version.pk)
    return _question_page(request, form, questionnaire, version, "Change a question", question)


def _question(version: Version, pk: int) -> Question:
    question = version.questions.filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def _question_page(
    request: AuthenticatedRequest,
    form: QuestionForm,
    questionnaire: Questionnaire,
    version: Version,
    title: str,
    question: Question | None = None,
) -> HttpResponse:
    return render(
        request,
        "impact/question.jinja",
        {
            "title": title,
            "form": form,
            "questionnaire": questionnaire,
            "version": version,
            "question": question,
            "back_url": f"/impact/questionnaires/{questionnaire.pk}/versions/{version.pk}/",
        },
        status=200 if version.is_draft else 409,
    )


@access.requires(MANAGE)
def version_publish(request: AuthenticatedRequest, pk: int, version_pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, pk, MANAGE)
    version = _version(questionnaire, version_pk)
    if request.method != "POST":
        return _confirm(
            request,
            questionnaire,
            f"Publish version {version.number}",
            "Once published, this version is sent from then on and its questions cannot change.",
        )
    try:
        services.publish(actor=request.user, version=version)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("impact:version", pk=pk, version_pk=version.pk)
    messages.success(request, f"Version {version.number} published: it is sent from now on")
    return redirect("impact:questionnaire", pk=pk)


@access.requires(MANAGE)
def questionnaire_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Send now to everyone due, rather than waiting for the daily run."""
    questionnaire = _questionnaire(request, pk, MANAGE)
    if request.method != "POST":
        return _confirm(
            request,
            questionnaire,
            "Send to everyone due now",
            "People who took part in a one-off activity in the last two weeks, and members and "
            "staff who have not been asked for a while, are sent their questionnaires. Nobody "
            "is asked twice.",
        )
    sent = services.send_due_for(questionnaire.organisation)
    messages.success(request, f"Sent to {sent} {'person' if sent == 1 else 'people'} who were due")
    return redirect("impact:questionnaire", pk=pk)


# Self-assessment


@access.requires(VIEW)
def assessment_list(request: AuthenticatedRequest) -> HttpResponse:
    assessments = access.scoped(request.user, SelfAssessment.objects.all(), VIEW)
    return render(
        request,
        "impact/assessments.jinja",
        {
            "title": "Self-assessment",
            "points": dashboard.trend(assessments),
            "assessments": assessments.select_related("group", "organisation")[:50],
            "labels": dict(Standard.choices),
            "cube": CUBE,
            "may_manage": access.has_permission(request.user, MANAGE),
            "column": "full",
        },
    )


@access.requires(MANAGE)
def assessment_create(request: AuthenticatedRequest) -> HttpResponse:
    organisations = access.scoped(request.user, Organisation.objects.all(), MANAGE)
    groups = access.scoped(request.user, PartnershipGroup.objects.all(), MANAGE).order_by("name")
    form = SelfAssessmentForm(
        request.POST or None,
        organisations=organisations,
        groups=groups,
        initial={"group": request.GET.get("group")},
    )
    if request.method == "POST":
        assessment = submit(
            form,
            lambda: services.record_assessment(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                group=form.cleaned_data["group"],
                assessed_on=form.cleaned_data["assessed_on"],
                cube=form.cube(),
                ratings=form.ratings(),
                notes=form.cleaned_data["notes"],
            ),
        )
        if assessment:
            messages.success(request, "Self-assessment recorded")
            return redirect("impact:assessment", pk=assessment.pk)
    return render(
        request,
        "impact/assessment_form.jinja",
        {
            "title": "Record a self-assessment",
            "form": form,
            "standards": list(Standard),
            "cube": CUBE,
            "back_url": "/impact/self-assessment/",
        },
    )


@access.requires(VIEW)
def assessment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = access.get(
        request.user,
        SelfAssessment.objects.select_related("group", "organisation", "recorded_by"),
        VIEW,
        pk=pk,
    )
    return render(
        request,
        "impact/assessment.jinja",
        {
            "title": f"Self-assessment, {assessment.assessed_on:%-d %B %Y}",
            "assessment": assessment,
            "ratings": assessment.ratings.all(),
            "cube_rows": [
                {
                    "key": {"text": question},
                    "value": {
                        "text": f"{getattr(assessment, name)} of 5 (1 {low.lower()}, 5 {high.lower()})"
                    },
                }
                for name, question, low, high in CUBE
            ],
            "recorded_by": audit.label(assessment.recorded_by),
            "back_url": "/impact/self-assessment/",
        },
    )
