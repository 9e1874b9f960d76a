"""A person's notifications and their email preference. Each view reads only their own."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from coproduce.core import access
from coproduce.core.forms import submit
from coproduce.core.http import AuthenticatedRequest
from coproduce.core.pagination import paginate
from coproduce.notifications import services
from coproduce.notifications.forms import PreferenceForm
from coproduce.notifications.models import Frequency, Notification
from coproduce.people.models import ConsentKind


@access.member_area
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    if request.method == "POST":
        services.mark_read(person)
        return redirect("me_notifications:list")
    notifications = Notification.objects.filter(person=person).order_by("-created_at", "-id")
    return render(
        request,
        "notifications/list.jinja",
        {
            "title": "Your notifications",
            "notifications": paginate(request, notifications),
            "unread": notifications.filter(read_at__isnull=True).count(),
            "frequency": Frequency(services.frequency_for(person)).label,
            "back_url": "/me/",
        },
    )


@access.member_area
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user.person
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"frequency": services.frequency_for(person)},
    )
    saved = (
        submit(
            form,
            lambda: services.set_frequency(
                actor=request.user, person=person, frequency=form.cleaned_data["frequency"]
            ),
        )
        if request.method == "POST"
        else None
    )
    if saved:
        messages.success(request, "Your email preference has been saved")
        return redirect("me_notifications:list")
    return render(
        request,
        "notifications/preferences.jinja",
        {
            "title": "How often we email you",
            "form": form,
            "can_email": services.may_email(person),
            "has_contact_consent": person.has_consent(ConsentKind.CONTACT),
            "back_url": "/me/notifications/",
        },
    )
