"""Activities as iCalendar (RFC 5545): one invitation to download, or a member's whole feed."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from coproduce.activities.models import Activity

PRODID = "-//Coproduce//Activities//EN"


def _event(activity: Activity, path: str) -> Event:
    site = settings.SITE_URL.rstrip("/")
    event = Event()
    # Stable across downloads, so a calendar updates the event rather than adding another.
    host = site.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "coproduce"
    event.add("uid", f"activity-{activity.pk}@{host}")
    event.add("dtstamp", activity.updated_at or timezone.now())
    event.add("dtstart", activity.starts_at.astimezone(datetime.UTC))
    event.add("dtend", activity.ends_at.astimezone(datetime.UTC))
    event.add("summary", activity.title)
    description = activity.description
    if activity.agenda:
        description += f"\n\nAgenda:\n{activity.agenda}"
    event.add("description", description)
    if activity.place:
        event.add("location", activity.place)
    event.add("url", f"{site}{path}")
    cancelled = activity.status == Activity.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_of(activities: Iterable[Activity], path_for: str, name: str | None = None) -> bytes:
    """`path_for` is a format string for each event's link, such as "/me/activities/{pk}/"."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for activity in activities:
        cal.add_component(_event(activity, path_for.format(pk=activity.pk)))
    return cal.to_ical()


def response(body: bytes, filename: str | None = None) -> HttpResponse:
    answer = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer
