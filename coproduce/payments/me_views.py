"""A member's own claims: make one, follow it, answer a question about it.

Every view here reads only claims whose person is `request.user.person`, so a member can never
reach anyone else's claim or receipt.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coproduce.activities.models import Activity, Attendance
from coproduce.core import access, uploads
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.payments import presenters, services
from coproduce.payments.forms import AnswerForm, ConfirmForm, MemberClaimForm
from coproduce.payments.models import Claim, Receipt
from coproduce.payments.views import claim_context
from coproduce.people.models import Person


def _me(request: AuthenticatedRequest) -> Person:
    return request.user.person


def _my_claim(request: AuthenticatedRequest, pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("activity", "person"), pk=pk, person=_me(request)
    )


@access.member_area
def my_claims(request: AuthenticatedRequest) -> HttpResponse:
    person = _me(request)
    claims = Claim.objects.filter(person=person).select_related("activity")
    return render(
        request,
        "payments/me/list.jinja",
        {
            "title": "Your claims",
            "claims": claims,
            "claim_tag": presenters.status_tag,
            "can_claim": services.unclaimed(Attendance.objects.filter(person=person)).exists(),
            "has_advice": services.has_benefits_advice(person),
            "back_url": "/me/",
        },
    )


@access.member_area
def my_claim_create(request: AuthenticatedRequest) -> HttpResponse:
    person = _me(request)
    activities = Activity.objects.filter(
        pk__in=services.unclaimed(Attendance.objects.filter(person=person)).values("activity_id")
    ).order_by("-starts_at")
    posted = request.method == "POST"
    form = MemberClaimForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        activities=activities,
        needs_advice=not services.has_benefits_advice(person),
    )
    if posted:
        claim = submit(
            form,
            lambda: services.create_claim(
                actor=request.user,
                person=person,
                activity=form.cleaned_data["activity"],
                unit=form.payment_unit(),
                expenses=form.expenses(),
                receipts=form.cleaned_data["receipts"],
                benefits_advice_confirmed=form.cleaned_data.get("benefits_advice", False),
            ),
        )
        if claim:
            messages.success(
                request, "Your claim has been sent. We will tell you when it is approved"
            )
            return redirect("me_claims:detail", claim.pk)
    return render(
        request,
        "payments/me/create.jinja",
        {
            "title": "Claim payment and expenses",
            "form": form,
            "has_activities": activities.exists(),
            "back_url": "/me/claims/",
        },
    )


@access.member_area
def my_claim(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = _my_claim(request, pk)
    return render(
        request,
        "payments/me/detail.jinja",
        {
            "title": f"Your claim for {claim.activity.title}",
            **claim_context(claim),
            "back_url": "/me/claims/",
        },
    )


@access.member_area
def my_claim_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = _my_claim(request, pk)
    question = claim.events.filter(status=Claim.Status.QUERIED).order_by("-occurred_at").first()
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        answered = submit(
            form,
            lambda: services.answer_query(
                actor=request.user, claim=claim, note=form.cleaned_data["note"]
            ),
        )
        if answered:
            messages.success(request, "Your answer has been sent")
            return redirect("me_claims:detail", claim.pk)
    return render(
        request,
        "payments/me/answer.jinja",
        {
            "title": "Answer a question about your claim",
            "form": form,
            "claim": claim,
            "question": question if claim.status == Claim.Status.QUERIED else None,
            "back_url": f"/me/claims/{claim.pk}/",
        },
    )


@access.member_area
def my_receipt(request: AuthenticatedRequest, pk: int, receipt_pk: int) -> FileResponse:
    found = get_object_or_404(
        Receipt.objects.all(), pk=receipt_pk, claim_id=pk, claim__person=_me(request)
    )
    return uploads.serve(
        found.file,
        found.content_type,
        uploads.download_name(found.original_name, found.content_type, "receipt"),
    )


@access.member_area
def my_benefits_advice(request: AuthenticatedRequest) -> HttpResponse:
    person = _me(request)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    confirmed = None
    if request.method == "POST":
        confirmed = submit(
            form, lambda: services.confirm_benefits_advice(actor=request.user, person=person)
        )
    if confirmed:
        messages.success(request, "Thank you. You can now claim involvement payments")
        return redirect("me_claims:list")
    return render(
        request,
        "payments/benefits_advice.jinja",
        {
            "title": "Payments and benefits",
            "form": form,
            "for_staff": False,
            "advice": person.benefits_advice if services.has_benefits_advice(person) else None,
            "back_url": "/me/claims/",
        },
    )
