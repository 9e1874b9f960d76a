"""A member's own pages: their details, interests and consent, and a download of their data.

Every view here reads `request.user.person` and nothing else, so a member can only ever reach
their own record.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coproduce.core import access, audit
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.equality.models import EqualityResponse
from coproduce.people import presenters, services
from coproduce.people.export import subject_access_export
from coproduce.people.forms import InterestsForm, MyDetailsForm
from coproduce.people.models import ConsentKind, Person


def _me(request: AuthenticatedRequest) -> Person:
    return request.user.person


@access.member_area
def my_home(request: AuthenticatedRequest) -> HttpResponse:
    person = _me(request)
    show_health = person.has_consent(ConsentKind.HEALTH_INFORMATION)
    return render(
        request,
        "people/me/home.jinja",
        {
            "title": "Your details",
            "person": person,
            "profile_rows": presenters.profile_rows(
                person, show_health=show_health, change_url="/me/details/"
            ),
            "interest_rows": presenters.interest_rows(person, show_health=show_health),
            "consents": [
                {
                    "kind": kind,
                    "label": ConsentKind(kind).label,
                    "record": record,
                    "state": presenters.consent_state(record),
                }
                for kind, record in person.current_consent().items()
            ],
            "memberships": presenters.membership_rows(person),
            "has_equality": EqualityResponse.objects.filter(person=person).exists(),
        },
    )


@access.member_area
def my_details(request: AuthenticatedRequest) -> HttpResponse:
    person = _me(request)
    form = MyDetailsForm(request.POST or None, instance=person)
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.update_person(
                actor=request.user, person=person, details=form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, "Your details have been updated")
            return redirect("me:home")
    return render(
        request,
        "people/me/details.jinja",
        {"title": "Change your details", "form": form, "back_url": "/me/"},
    )


@access.member_area
def my_interests(request: AuthenticatedRequest) -> HttpResponse:
    person = _me(request)
    health_allowed = person.has_consent(ConsentKind.HEALTH_INFORMATION)
    form = InterestsForm(
        request.POST or None,
        health_allowed=health_allowed,
        initial={name: getattr(person, name).all() for name in services.INTEREST_FIELDS},
    )
    if request.method == "POST":
        saved = submit(
            form,
            lambda: services.update_person(
                actor=request.user, person=person, interests=form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, "Your interests and support needs have been updated")
            return redirect("me:home")
    return render(
        request,
        "people/me/interests.jinja",
        {
            "title": "Your interests and support needs",
            "form": form,
            "health_allowed": health_allowed,
            "back_url": "/me/",
        },
    )


@access.member_area
def my_consent(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """Give or withdraw one kind of consent: as easy to withdraw as to give."""
    person = _me(request)
    if kind not in ConsentKind.values:
        return redirect("me:home")
    current = person.current_consent()[kind]
    giving = not (current and current.given)
    if request.method == "POST":
        services.record_consent(actor=request.user, person=person, kind=kind, given=giving)
        messages.success(
            request,
            f"You have {'given' if giving else 'withdrawn'} consent {ConsentKind(kind).label.lower()}",
        )
        return redirect("me:home")
    return render(
        request,
        "people/me/consent.jinja",
        {
            "title": ("Give consent" if giving else "Withdraw consent"),
            "label": ConsentKind(kind).label,
            "kind": kind,
            "giving": giving,
            "erases_health": kind == ConsentKind.HEALTH_INFORMATION and not giving,
            "back_url": "/me/",
        },
    )


@access.member_area
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """Download everything held about me (UK GDPR subject access) as JSON."""
    person = _me(request)
    audit.record(
        actor=request.user,
        action="person.exported",
        target=person,
        summary="Downloaded their own data",
        organisation_id=person.organisation_id,
        person=person,
    )
    body = json.dumps(subject_access_export(person), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"coproduce-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
