"""A member's own activities: what they can join, their places, papers and calendar.

Every view here starts from `request.user.person`: a member reaches only activities they have a
place at or may register for, and only the papers of activities they have a place at.
"""

import datetime

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coproduce.activities import ical, services
from coproduce.activities.forms import CancelActivityForm, MyRegistrationForm
from coproduce.activities.models import Activity, Attendance, Document, Registration
from coproduce.core import access, uploads
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.people.models import Person


def _visible(person: Person) -> "QuerySet[Activity]":
    """Activities the member has a place at (or had), or may register for."""
    mine = Registration.objects.filter(person=person).values("activity_id")
    return (
        Activity.objects.filter(organisation_id=person.organisation_id)
        .filter(Q(pk__in=mine) | Q(pk__in=services.eligible_activities(person).values("pk")))
        .select_related("group", "activity_type")
    )


def _mine(request: AuthenticatedRequest, pk: int) -> Activity:
    activity = _visible(request.user.person).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def _registration(person: Person, activity: Activity) -> Registration | None:
    return Registration.objects.filter(person=person, activity=activity).first()


@access.member_area
def my_activities(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    now = timezone.now()
    upcoming = _visible(person).filter(ends_at__gte=now).exclude(status=Activity.Status.CANCELLED)
    places = {
        r.activity_id: r for r in Registration.objects.filter(person=person, activity__in=upcoming)
    }
    rows = [(activity, places.get(activity.pk)) for activity in upcoming.order_by("starts_at")]
    taken_part = Attendance.objects.filter(person=person).taken_part()
    total = taken_part.hours()
    return render(
        request,
        "activities/me/list.jinja",
        {
            "title": "Your activities",
            "registered": [
                (a, r) for a, r in rows if r and r.status != Registration.Status.CANCELLED
            ],
            "open": [
                (a, r)
                for a, r in rows
                if (r is None or r.status == Registration.Status.CANCELLED) and a.starts_at > now
            ],
            "total_hours": total.normalize() if total else 0,
            "attended_count": taken_part.count(),
            "feed_url": request.build_absolute_uri(
                f"/me/activities/feed/{services.feed_token(person)}.ics"
            ),
            "back_url": "/me/",
        },
    )


@access.member_area
def my_activity(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = request.user.person
    activity = _mine(request, pk)
    registration = _registration(person, activity)
    has_place = registration is not None and registration.status == Registration.Status.REGISTERED
    return render(
        request,
        "activities/me/detail.jinja",
        {
            "title": activity.title,
            "activity": activity,
            "registration": registration,
            "has_place": has_place,
            "documents": activity.documents.order_by("kind", "created_at") if has_place else [],
            "attendance": Attendance.objects.filter(person=person, activity=activity).first(),
            "can_register": activity.status == Activity.Status.PLANNED
            and activity.starts_at > timezone.now()
            and (registration is None or registration.status == Registration.Status.CANCELLED),
            "can_cancel": activity.status == Activity.Status.PLANNED
            and activity.starts_at > timezone.now()
            and registration is not None
            and registration.status != Registration.Status.CANCELLED,
            "back_url": "/me/activities/",
        },
    )


@access.member_area
def my_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = request.user.person
    activity = _mine(request, pk)
    form = MyRegistrationForm(request.POST or None)
    if request.method == "POST":
        registration = submit(
            form,
            lambda: services.register(
                actor=request.user,
                activity=activity,
                person=person,
                support_needed=form.cleaned_data["support_needed"],
                self_service=True,
            ),
        )
        if registration:
            messages.success(
                request,
                "The activity is full, so you are on the waiting list. We will tell you if a place comes up"
                if registration.status == Registration.Status.WAITING
                else f"You are registered for {activity.title}",
            )
            return redirect("me_activities:detail", activity.pk)
    return render(
        request,
        "activities/me/register.jinja",
        {
            "title": f"Register for {activity.title}",
            "activity": activity,
            "form": form,
            "back_url": f"/me/activities/{activity.pk}/",
        },
    )


@access.member_area
def my_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = request.user.person
    activity = _mine(request, pk)
    registration = _registration(person, activity)
    form = CancelActivityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if registration is None:
            form.add_error(None, "You do not have a place at this activity")
        else:
            done = submit(
                form,
                lambda: services.cancel_registration(
                    actor=request.user, registration=registration, self_service=True
                ),
            )
            if done is not None:
                messages.success(request, f"You have cancelled your place at {activity.title}")
                return redirect("me_activities:list")
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Cancel your place",
            "caption": activity.title,
            "explanation": "If someone is waiting for a place, they will be offered yours.",
            "submit": "Cancel my place",
            "form": form,
            "fields": [],
            "back_url": f"/me/activities/{activity.pk}/",
        },
    )


@access.member_area
def my_document(request: AuthenticatedRequest, pk: int, document_pk: int) -> FileResponse:
    paper = (
        Document.objects.filter(
            pk=document_pk,
            activity_id=pk,
            activity__registrations__person=request.user.person,
            activity__registrations__status=Registration.Status.REGISTERED,
        )
        .distinct()
        .first()
    )
    if paper is None:
        raise Http404
    return uploads.serve(paper.file, paper.content_type, services.download_name(paper))


@access.member_area
def my_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = _mine(request, pk)
    body = ical.calendar_of([activity], "/me/activities/{pk}/")
    return ical.response(body, f"activity-{activity.pk}.ics")


@access.member_area
def feed_reset(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        services.reset_feed(actor=request.user, person=request.user.person)
        messages.success(
            request, "Your calendar address has changed. The old address no longer works"
        )
        return redirect("me_activities:list")
    return render(
        request,
        "core/confirm.jinja",
        {
            "title": "Get a new calendar address",
            "explanation": "Do this if someone else may have your calendar address. "
            "The old address will stop working, so add the new one to your calendar.",
            "submit": "Get a new address",
            "form": CancelActivityForm(),
            "fields": [],
            "back_url": "/me/activities/",
        },
    )


@access.public
def feed(request: AuthenticatedRequest, token: str) -> HttpResponse:
    """A member's registered activities as a calendar a calendar app subscribes to. The secret
    in the address is the only key: a wrong one is simply not found."""
    person = services.person_for_feed(token)
    if person is None:
        raise Http404
    activities = (
        Activity.objects.filter(
            registrations__person=person,
            registrations__status=Registration.Status.REGISTERED,
            ends_at__gte=timezone.now() - datetime.timedelta(days=90),
        )
        .distinct()
        .order_by("starts_at")
    )
    response = ical.response(
        ical.calendar_of(activities, "/me/activities/{pk}/", name="Coproduce activities")
    )
    response["Cache-Control"] = "private, no-store"
    return response
