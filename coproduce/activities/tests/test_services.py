import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import Tenant
from coproduce.activities import services
from coproduce.activities.models import Activity, Attendance, Document, Registration
from coproduce.activities.services import AttendanceEntry, Every
from coproduce.activities.tests.helpers import activity_for, person_in, soon
from coproduce.core.errors import ServiceError
from coproduce.core.models import AuditEvent
from coproduce.notifications.models import Notification

pytestmark = pytest.mark.django_db


def details(tenant: Tenant, **extra: object) -> dict[str, object]:
    activity = tenant.involvement.activity
    return {
        "kind": Activity.Kind.MEETING,
        "group": tenant.group,
        "title": "Partnership group meeting",
        "description": "Our regular meeting",
        "activity_type": activity.activity_type,
        "starts_at": soon(3),
        "ends_at": soon(3) + datetime.timedelta(hours=2),
        **extra,
    }


class TestSeries:
    def test_weekly_series_shares_a_key_and_keeps_the_local_time(self, tenant: Tenant) -> None:
        made = services.create_activities(
            actor=tenant.lead,
            organisation=tenant.organisation,
            details=details(tenant),
            every=Every.TWO_WEEKS,
            count=4,
        )
        assert len(made) == 4
        assert len({activity.series for activity in made}) == 1 and made[0].series
        local = [timezone.localtime(a.starts_at) for a in made]
        assert [d.date() for d in local] == [
            local[0].date() + datetime.timedelta(weeks=2 * n) for n in range(4)
        ]
        assert {d.hour for d in local} == {14}
        assert all(a.hours == Decimal("2.00") for a in made)
        assert AuditEvent.objects.filter(action="activity.created").count() == 1

    def test_monthly_series_keeps_the_day_or_the_months_last_day(self) -> None:
        dates = services.series_dates(datetime.date(2026, 1, 31), Every.MONTH, 4)
        assert dates == [
            datetime.date(2026, 1, 31),
            datetime.date(2026, 2, 28),
            datetime.date(2026, 3, 31),
            datetime.date(2026, 4, 30),
        ]

    def test_a_one_off_activity_cannot_repeat(self, tenant: Tenant) -> None:
        with pytest.raises(ServiceError, match="Only a group's meetings can repeat"):
            services.create_activities(
                actor=tenant.lead,
                organisation=tenant.organisation,
                details=details(tenant, kind=Activity.Kind.ACTIVITY),
                every=Every.WEEK,
                count=3,
            )
        assert not Activity.objects.filter(title="Partnership group meeting").exists()

    def test_a_meeting_needs_a_group_of_the_same_organisation(
        self, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        with pytest.raises(ServiceError) as refused:
            services.create_activities(
                actor=tenant.lead,
                organisation=tenant.organisation,
                details=details(tenant, group=other_tenant.group),
            )
        assert refused.value.field == "group"


class TestPlaces:
    def test_full_activity_puts_people_on_the_waiting_list(self, tenant: Tenant) -> None:
        activity = activity_for(tenant, capacity=1)
        first, second = person_in(tenant), person_in(tenant)
        taken = services.register(actor=tenant.lead, activity=activity, person=first)
        waiting = services.register(actor=tenant.lead, activity=activity, person=second)
        assert taken.status == Registration.Status.REGISTERED
        assert waiting.status == Registration.Status.WAITING

    def test_cancelling_moves_the_first_waiting_person_up_and_tells_them(
        self, tenant: Tenant
    ) -> None:
        activity = activity_for(tenant, capacity=1)
        people = [person_in(tenant) for _ in range(3)]
        places = [services.register(actor=tenant.lead, activity=activity, person=p) for p in people]
        promoted = services.cancel_registration(actor=tenant.lead, registration=places[0])
        assert [r.person for r in promoted] == [people[1]]
        statuses = {r.person_id: r.status for r in activity.registrations.all()}
        assert statuses == {
            people[0].pk: Registration.Status.CANCELLED,
            people[1].pk: Registration.Status.REGISTERED,
            people[2].pk: Registration.Status.WAITING,
        }
        note = Notification.objects.filter(person=people[1]).first()
        assert note is not None and note.kind == Notification.Kind.ACTIVITY
        assert "A place has come up" in note.subject

    def test_refusals_are_specific(self, tenant: Tenant) -> None:
        person = person_in(tenant)
        activity = activity_for(tenant)
        services.register(actor=tenant.lead, activity=activity, person=person)
        with pytest.raises(ServiceError, match="already registered") as twice:
            services.register(actor=tenant.lead, activity=activity, person=person)
        assert twice.value.status == 409
        with pytest.raises(ServiceError, match="already started"):
            services.register(
                actor=tenant.lead, activity=tenant.involvement.activity, person=person
            )
        cancelled = activity_for(tenant, status=Activity.Status.CANCELLED)
        with pytest.raises(ServiceError, match="has been cancelled"):
            services.register(actor=tenant.lead, activity=cancelled, person=person)

    def test_another_organisations_person_is_refused(
        self, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        with pytest.raises(ServiceError, match="not recorded"):
            services.register(
                actor=tenant.lead,
                activity=activity_for(tenant),
                person=other_tenant.member_person,
            )

    def test_members_register_only_for_what_is_open_to_them(self, tenant: Tenant) -> None:
        other = activity_for(tenant, group=None, kind=Activity.Kind.ACTIVITY)
        with pytest.raises(ServiceError, match="register only"):
            services.register(
                actor=tenant.member,
                activity=other,
                person=tenant.member_person,
                self_service=True,
            )
        mine = activity_for(tenant)
        registration = services.register(
            actor=tenant.member, activity=mine, person=tenant.member_person, self_service=True
        )
        assert registration.registered_by == tenant.member

    def test_cancelling_the_activity_tells_everyone_registered(self, tenant: Tenant) -> None:
        activity = activity_for(tenant)
        person = person_in(tenant)
        services.register(actor=tenant.lead, activity=activity, person=person)
        services.cancel_activity(actor=tenant.lead, activity=activity, reason="The room flooded.")
        activity.refresh_from_db()
        assert activity.status == Activity.Status.CANCELLED
        assert Notification.objects.filter(
            person=person, subject__startswith="Cancelled", body__contains="The room flooded."
        ).exists()


class TestAttendanceAndClosing:
    def test_hours_default_to_the_length_and_must_be_within_a_day(self, tenant: Tenant) -> None:
        activity = tenant.involvement.activity
        person = person_in(tenant)
        [row] = services.record_attendance(
            actor=tenant.lead, activity=activity, entries=[AttendanceEntry(person, True)]
        )
        assert row.hours == activity.hours == Decimal("2.00")
        for hours in (Decimal(-1), Decimal("24.5")):
            with pytest.raises(ServiceError, match="between 0 and 24"):
                services.record_attendance(
                    actor=tenant.lead,
                    activity=activity,
                    entries=[AttendanceEntry(person, True, hours)],
                )
        [absent] = services.record_attendance(
            actor=tenant.lead, activity=activity, entries=[AttendanceEntry(person, False)]
        )
        assert absent.hours == 0 and not absent.attended

    def test_close_in_one_step(self, tenant: Tenant) -> None:
        activity = activity_for(tenant, starts_at=soon(-1), status=Activity.Status.PLANNED)
        person = person_in(tenant)
        minutes_file = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes of the meeting")
        services.close_activity(
            actor=tenant.lead,
            activity=activity,
            attendance=[AttendanceEntry(person, True, Decimal("1.5"))],
            minutes="We reviewed the leaflet.",
            minutes_file=minutes_file,
            decisions=["Publish the leaflet", "Meet again in June"],
        )
        activity.refresh_from_db()
        assert activity.status == Activity.Status.HELD
        assert activity.closed_by == tenant.lead and activity.closed_at is not None
        assert activity.minutes == "We reviewed the leaflet."
        assert Attendance.objects.get(activity=activity, person=person).hours == Decimal("1.5")
        assert [d.text for d in activity.decisions.all()] == [
            "Publish the leaflet",
            "Meet again in June",
        ]
        assert activity.documents.get().kind == Document.Kind.MINUTES
        assert AuditEvent.objects.filter(
            action="activity.closed", target_id=str(activity.pk)
        ).exists()

    def test_closing_is_all_or_nothing(self, tenant: Tenant) -> None:
        activity = activity_for(tenant, starts_at=soon(-1))
        with pytest.raises(ServiceError, match="must be"):
            services.close_activity(
                actor=tenant.lead,
                activity=activity,
                attendance=[AttendanceEntry(person_in(tenant), True)],
                minutes="Notes",
                minutes_file=SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
                decisions=["Something"],
            )
        activity.refresh_from_db()
        assert activity.status == Activity.Status.PLANNED and not activity.minutes
        assert not activity.attendance.exists() and not activity.decisions.exists()

    def test_refuses_to_close_a_cancelled_or_future_activity(self, tenant: Tenant) -> None:
        with pytest.raises(ServiceError, match="not started yet"):
            services.close_activity(actor=tenant.lead, activity=activity_for(tenant), attendance=[])
        cancelled = activity_for(tenant, starts_at=soon(-1), status=Activity.Status.CANCELLED)
        with pytest.raises(ServiceError, match="cancelled"):
            services.close_activity(actor=tenant.lead, activity=cancelled, attendance=[])


class TestUploadsAndActions:
    def test_a_paper_is_checked_by_its_content(self, tenant: Tenant) -> None:
        fake = SimpleUploadedFile("agenda.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        with pytest.raises(ServiceError, match="must be a PDF"):
            services.add_document(actor=tenant.lead, activity=activity_for(tenant), upload=fake)
        paper = services.add_document(
            actor=tenant.lead,
            activity=activity_for(tenant),
            upload=SimpleUploadedFile("agenda.txt", b"1. Welcome\n2. The leaflet\n"),
        )
        assert paper.content_type == "text/plain" and paper.title == "agenda.txt"

    def test_actions_are_given_and_done_once(self, tenant: Tenant) -> None:
        activity = tenant.involvement.activity
        action = services.add_action(
            actor=tenant.lead,
            activity=activity,
            description="Book the room",
            owner=tenant.member_person,
            due_on=timezone.localdate() + datetime.timedelta(days=5),
        )
        assert Notification.objects.filter(
            person=tenant.member_person, body__contains="Book the room"
        ).exists()
        services.complete_action(actor=tenant.lead, action=action)
        assert action.done_on == timezone.localdate()
        with pytest.raises(ServiceError, match="already been marked"):
            services.complete_action(actor=tenant.lead, action=action)


class TestReminders:
    def test_each_place_is_reminded_once(self, tenant: Tenant) -> None:
        tomorrow = activity_for(tenant, starts_at=soon(1))
        later = activity_for(tenant, starts_at=soon(5))
        person = person_in(tenant)
        waiting = person_in(tenant)
        services.register(actor=tenant.lead, activity=tomorrow, person=person)
        services.register(actor=tenant.lead, activity=later, person=person)
        Registration.objects.create(
            activity=tomorrow, person=waiting, status=Registration.Status.WAITING
        )
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0
        reminders = Notification.objects.filter(kind=Notification.Kind.REMINDER)
        assert [(n.person, n.path) for n in reminders] == [
            (person, f"/me/activities/{tomorrow.pk}/")
        ]
        assert Registration.objects.get(activity=tomorrow, person=person).reminded_at is not None

    def test_the_task_and_the_command_send_them(self, tenant: Tenant) -> None:
        from django.core.management import call_command

        from coproduce.activities.tasks import send_reminders

        services.register(
            actor=tenant.lead,
            activity=activity_for(tenant, starts_at=soon(1)),
            person=person_in(tenant),
        )
        call_command("send_reminders")  # the test settings run tasks at once
        assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1
        assert send_reminders.call() == 0


class TestFeedAndExport:
    def test_feed_token_is_stable_until_reset_and_stored_only_as_a_digest(
        self, tenant: Tenant
    ) -> None:
        person = tenant.member_person
        token = services.feed_token(person)
        assert services.feed_token(person) == token
        assert services.person_for_feed(token) == person
        assert token not in {person.calendar_feed.digest, person.calendar_feed.salt}
        new = services.reset_feed(actor=tenant.member, person=person)
        assert new != token
        assert services.person_for_feed(token) is None
        assert services.person_for_feed(new) == person

    def test_export_lists_registrations_attendance_and_actions(self, tenant: Tenant) -> None:
        from coproduce.activities.export import for_person

        data = for_person(tenant.member_person)
        title = tenant.involvement.activity.title
        assert [r["activity"] for r in data["registrations"]] == [title]
        assert data["attendance"][0]["hours"] == "2.00"
        assert data["actions"][0]["description"] == tenant.involvement.action.description


def test_a_calendar_feed_stops_when_its_owners_sign_in_is_switched_off(tenant: Tenant) -> None:
    from coproduce.activities import services as activity_services

    token = activity_services.feed_token(tenant.member_person)
    assert activity_services.person_for_feed(token) == tenant.member_person
    tenant.member.is_active = False
    tenant.member.save()
    assert activity_services.person_for_feed(token) is None
