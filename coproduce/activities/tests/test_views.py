import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from conftest import Tenant
from coproduce.activities import services
from coproduce.activities.models import Activity, Registration
from coproduce.activities.tests.helpers import activity_for, person_in, soon

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def test_list_filters_upcoming_and_past(tenant: Tenant) -> None:
    coming = activity_for(tenant, title="Coming up soon")
    client = signed_in(tenant.users["staff"])
    upcoming = client.get("/activities/").content.decode()
    assert coming.title in upcoming and tenant.involvement.activity.title not in upcoming
    past = client.get("/activities/?when=past").content.decode()
    assert tenant.involvement.activity.title in past and coming.title not in past
    other_group = client.get(f"/activities/?when=all&group={tenant.group.pk + 1000}")
    assert other_group.status_code == 200


def test_lead_sets_up_a_monthly_series(tenant: Tenant) -> None:
    first = timezone.localdate() + datetime.timedelta(days=10)
    response = signed_in(tenant.lead).post(
        "/activities/new/",
        {
            "organisation": tenant.organisation.pk,
            "kind": "meeting",
            "group": tenant.group.pk,
            "title": "Bowel pathway group",
            "description": "Monthly meeting",
            "activity_type": tenant.involvement.activity.activity_type_id,
            "ladder_level": "co_design",
            "scope": "local",
            "initiated_by": "professional",
            "led_by": "service_user",
            "technicality": "everyday",
            "mode": "hybrid",
            "start_time": "14:30",
            "length": "1.5",
            "every": "month",
            "count": "3",
            **date_fields("date", first),
        },
    )
    assert response.status_code == 302
    made = Activity.objects.filter(title="Bowel pathway group").order_by("starts_at")
    assert made.count() == 3
    start = timezone.localtime(made[0].starts_at)
    assert (start.date(), start.hour, start.minute) == (first, 14, 30)
    assert made[0].hours == Decimal("1.50")


def test_create_form_says_what_is_wrong(tenant: Tenant) -> None:
    response = signed_in(tenant.lead).post(
        "/activities/new/",
        {
            "organisation": tenant.organisation.pk,
            "kind": "meeting",
            "start_time": "25:00",
            "length": "30",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter a title",
        "Enter the start time on the 24-hour clock, like 14:00",
        "It can last 24 hours at most",
        "Select the kind of involvement",
    ):
        assert message in body


def test_staff_register_someone_and_hear_when_it_is_full(tenant: Tenant) -> None:
    activity = activity_for(tenant, capacity=1)
    first, second = person_in(tenant, family_name="Okoro"), person_in(tenant, family_name="Okafor")
    client = signed_in(tenant.lead)
    page = client.get(f"/activities/{activity.pk}/register/?q=Okoro").content.decode()
    assert first.full_name in page and second.full_name not in page
    client.post(
        f"/activities/{activity.pk}/register/",
        {"q": "Okoro", "person": first.pk, "support_needed": "A hearing loop"},
    )
    response = client.post(
        f"/activities/{activity.pk}/register/", {"q": "Okafor", "person": second.pk}, follow=True
    )
    assert "The activity is full" in response.content.decode()
    assert Registration.objects.get(person=second).status == Registration.Status.WAITING
    again = client.post(f"/activities/{activity.pk}/register/", {"q": "Okoro", "person": first.pk})
    assert "is already registered for this activity" in again.content.decode()
    detail = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "A hearing loop" in detail and "Waiting list (1)" in detail


def test_papers_are_checked_and_served_only_to_those_allowed(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    activity = tenant.involvement.activity
    client = signed_in(tenant.lead)
    refused = client.post(
        f"/activities/{activity.pk}/papers/add/",
        {"file": SimpleUploadedFile("agenda.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")},
    )
    assert "The selected file must be a PDF" in refused.content.decode()
    client.post(
        f"/activities/{activity.pk}/papers/add/",
        {"title": "Draft leaflet", "file": SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet")},
    )
    paper = activity.documents.get(title="Draft leaflet")
    url = f"/activities/{activity.pk}/papers/{paper.pk}/"
    download = signed_in(tenant.users["analyst"]).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 leaflet"  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith('attachment; filename="Draft leaflet.pdf"')
    assert signed_in(other_tenant.lead).get(url).status_code == 404
    me_url = f"/me/activities/{activity.pk}/papers/{paper.pk}/"
    assert signed_in(tenant.member).get(me_url).status_code == 200
    assert signed_in(other_tenant.member).get(me_url).status_code == 404
    Registration.objects.filter(person=tenant.member_person).update(
        status=Registration.Status.CANCELLED
    )
    assert signed_in(tenant.member).get(me_url).status_code == 404


def test_attendance_page_records_hours_and_finds_others(tenant: Tenant) -> None:
    activity = tenant.involvement.activity
    visitor = person_in(tenant, given_name="Ola", family_name="Adeyemi")
    client = signed_in(tenant.lead)
    page = client.get(f"/activities/{activity.pk}/attendance/?q=Adeyemi").content.decode()
    assert "Ola Adeyemi" in page
    member = tenant.member_person.pk
    bad = client.post(
        f"/activities/{activity.pk}/attendance/",
        {f"attended_{member}": "on", f"hours_{member}": "30"},
    )
    assert "Hours must be 24 or fewer" in bad.content.decode()
    client.post(
        f"/activities/{activity.pk}/attendance/",
        {
            f"attended_{member}": "on",
            f"hours_{member}": "1.75",
            "extra": str(visitor.pk),
            f"attended_{visitor.pk}": "on",
            f"hours_{visitor.pk}": "2",
        },
    )
    hours = {row.person_id: row.hours for row in activity.attendance.all()}
    assert hours == {member: Decimal("1.75"), visitor.pk: Decimal("2")}


def test_close_page_marks_the_meeting_held(tenant: Tenant) -> None:
    activity = activity_for(tenant, starts_at=soon(-1))
    person = person_in(tenant)
    Registration.objects.create(activity=activity, person=person)
    response = signed_in(tenant.lead).post(
        f"/activities/{activity.pk}/close/",
        {
            f"attended_{person.pk}": "on",
            f"hours_{person.pk}": "2",
            "minutes": "Agreed the new leaflet.",
            "decisions": "Publish it\n\nReview in a year",
        },
        follow=True,
    )
    body = response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD
    assert "has been closed and marked as held" in body and "Review in a year" in body
    future = activity_for(tenant)
    refused = signed_in(tenant.lead).post(f"/activities/{future.pk}/close/", {})
    assert "not started yet" in refused.content.decode()


def test_invitation_parses_with_the_right_times(tenant: Tenant) -> None:
    activity = activity_for(tenant, place="Room 4, Cancer Centre")
    response = signed_in(tenant.users["staff"]).get(f"/activities/{activity.pk}/invitation.ics")
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == activity.starts_at
    assert event.decoded("dtend") == activity.ends_at
    assert str(event["summary"]) == activity.title
    assert str(event["location"]) == "Room 4, Cancer Centre"


def test_member_registers_cancels_and_sees_their_hours(tenant: Tenant) -> None:
    activity = activity_for(tenant, capacity=1)
    waiting = person_in(tenant)
    client = signed_in(tenant.member)
    listing = client.get("/me/activities/").content.decode()
    assert activity.title in listing and "2 hours" in listing
    client.post(f"/me/activities/{activity.pk}/register/", {"support_needed": "Large print"})
    registration = Registration.objects.get(activity=activity, person=tenant.member_person)
    assert registration.status == Registration.Status.REGISTERED
    assert registration.support_needed == "Large print"
    services.register(actor=tenant.lead, activity=activity, person=waiting)
    client.post(f"/me/activities/{activity.pk}/cancel/")
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CANCELLED
    assert Registration.objects.get(person=waiting).status == Registration.Status.REGISTERED


def test_member_cannot_reach_activities_not_open_to_them(tenant: Tenant) -> None:
    closed = activity_for(tenant, group=None, kind=Activity.Kind.ACTIVITY)
    client = signed_in(tenant.member)
    assert client.get(f"/me/activities/{closed.pk}/").status_code == 404
    assert client.post(f"/me/activities/{closed.pk}/register/").status_code == 404


def test_feed_lists_registered_activities_and_resets(tenant: Tenant) -> None:
    activity = activity_for(tenant)
    Registration.objects.create(activity=activity, person=tenant.member_person)
    client = signed_in(tenant.member)
    page = client.get("/me/activities/").content.decode()
    token = services.feed_token(tenant.member_person)
    assert f"/me/activities/feed/{token}.ics" in page
    feed = Client().get(f"/me/activities/feed/{token}.ics")
    assert feed.status_code == 200
    titles = {str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert titles == {activity.title, tenant.involvement.activity.title}
    assert Client().get("/me/activities/feed/wrong.ics").status_code == 404
    client.post("/me/activities/calendar/new-address/")
    assert Client().get(f"/me/activities/feed/{token}.ics").status_code == 404


def test_only_those_who_run_an_activity_see_who_registered_and_their_support_needs(
    client: Client, tenant: Tenant
) -> None:
    registration = tenant.involvement.registration
    registration.support_needed = "Wheelchair user; tires easily after chemotherapy"
    registration.save()
    url = f"/activities/{tenant.involvement.activity.pk}/"
    client.force_login(tenant.users["analyst"])
    page = client.get(url).content.decode()
    assert "Registered (1)" in page
    assert "Wheelchair user" not in page
    assert "People registered" not in page
    client.force_login(tenant.lead)
    assert "Wheelchair user" in client.get(url).content.decode()
