"""A member's questionnaires: the ones waiting for them, and answering one.

A link is personal: it opens only for the person it was sent to, and only once.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.errors import ServiceError
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.impact import services
from coproduce.impact.forms import AnswerForm
from coproduce.impact.models import Invitation


@access.member_area
def my_questionnaires(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    return render(
        request,
        "impact/me/list.jinja",
        {
            "title": "Questionnaires",
            "waiting": services.open_invitations(person),
            "answered": Invitation.objects.filter(person=person, answered_at__isnull=False)
            .select_related("questionnaire", "activity")
            .order_by("-answered_at")[:20],
        },
    )


@access.member_area
def answer(request: AuthenticatedRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("questionnaire", "version", "activity", "group")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise Http404
    try:
        services.check_can_answer(invitation, request.user.person)
    except ServiceError as error:
        # Coming back to a link already answered is no error; sending the answers again is.
        revisit = request.method == "GET" and error.status == 409
        return render(
            request,
            "impact/me/refused.jinja",
            {"title": "You cannot answer this questionnaire", "message": error.message},
            status=200 if revisit else error.status,
        )
    questions = list(invitation.version.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if (
        request.method == "POST"
        and submit(
            form,
            lambda: services.answer(
                invitation=invitation, person=request.user.person, answers=form.cleaned_data
            ),
        )
        is not None
    ):
        messages.success(request, "Thank you. Your answers have been saved.")
        return redirect("me_questionnaires:list")
    return render(
        request,
        "impact/me/answer.jinja",
        {
            "title": invitation.questionnaire.title,
            "invitation": invitation,
            "form": form,
            "back_url": "/me/questionnaires/",
        },
    )
