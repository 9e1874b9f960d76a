import datetime

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import Tenant
from coproduce.factories import ConsentFactory
from coproduce.notifications import services
from coproduce.notifications.models import Frequency, Notification, Preference
from coproduce.people.models import ConsentKind

pytestmark = pytest.mark.django_db


def contactable(tenant: Tenant) -> None:
    ConsentFactory.create(person=tenant.member_person, kind=ConsentKind.CONTACT, given=True)


def test_an_immediate_notification_is_emailed_with_a_plain_text_part_and_a_link(
    tenant: Tenant, django_capture_on_commit_callbacks
) -> None:
    contactable(tenant)
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notify(
            tenant.member_person,
            Notification.Kind.CLAIM,
            "Your claim was approved",
            "Your claim for the March meeting was approved.",
            "/me/claims/1/",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your claim was approved"
    assert "http://127.0.0.1:8000/me/claims/1/" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "/me/claims/1/" in str(html)
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_nobody_is_emailed_without_consent_to_be_contacted(
    tenant: Tenant, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notify(
            tenant.member_person, Notification.Kind.CLAIM, "Approved", "Approved.", "/me/"
        )
    assert mail.outbox == []
    assert Notification.objects.filter(pk=note.pk, emailed_at__isnull=True).exists()


def test_a_digest_groups_items_by_kind_and_is_never_sent_empty(
    tenant: Tenant, other_tenant: Tenant, django_capture_on_commit_callbacks
) -> None:
    contactable(tenant)
    Preference.objects.create(person=tenant.member_person, frequency=Frequency.DAILY)
    Preference.objects.create(person=other_tenant.member_person, frequency=Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        for kind, subject in [
            (Notification.Kind.REMINDER, "Meeting on Tuesday"),
            (Notification.Kind.CLAIM, "Claim paid"),
            (Notification.Kind.REMINDER, "Meeting on Friday"),
        ]:
            services.notify(tenant.member_person, kind, subject, "Details.", "/me/")
    assert mail.outbox == []  # daily: nothing goes at once
    assert services.send_digests(Frequency.DAILY) == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "3 new items" in mail.outbox[0].subject
    assert (
        body.index("REMINDERS") < body.index("Meeting on Tuesday") < body.index("Meeting on Friday")
    )
    assert "PAYMENTS AND EXPENSES" in body
    # Sent once: a second run finds nothing new and sends nothing.
    assert services.send_digests(Frequency.DAILY) == 0
    assert len(mail.outbox) == 1


def test_the_digest_command_sends_weekly_digests(tenant: Tenant) -> None:
    contactable(tenant)
    Preference.objects.create(person=tenant.member_person, frequency=Frequency.WEEKLY)
    Notification.objects.create(
        person=tenant.member_person,
        kind=Notification.Kind.CHANGE,
        subject="The leaflet changed",
        body="Your comments changed the leaflet.",
        path="/me/",
    )
    call_command("send_digests", "--frequency", "weekly")
    assert "this week" in mail.outbox[0].subject


def test_a_member_sees_only_their_notifications_and_marks_them_read(
    client: Client, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = Notification.objects.create(
        person=tenant.member_person,
        kind=Notification.Kind.REMINDER,
        subject="Meeting tomorrow",
        body="See you there.",
        path="/me/",
    )
    Notification.objects.create(
        person=other_tenant.member_person,
        kind=Notification.Kind.REMINDER,
        subject="Someone else's meeting",
        body="Not yours.",
        path="/me/",
    )
    client.force_login(tenant.member)
    page = client.get("/me/notifications/").content.decode()
    assert "Meeting tomorrow" in page and "Someone else" not in page
    client.post("/me/notifications/")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_member_chooses_how_often_they_are_emailed(client: Client, tenant: Tenant) -> None:
    client.force_login(tenant.member)
    refused = client.post("/me/notifications/preferences/", {})
    assert "Select how often you would like emails" in refused.content.decode()
    client.post("/me/notifications/preferences/", {"frequency": "weekly"})
    assert services.frequency_for(tenant.member_person) == Frequency.WEEKLY


def test_old_notifications_stay_listed_after_they_are_emailed(tenant: Tenant) -> None:
    note = Notification.objects.create(
        person=tenant.member_person,
        kind=Notification.Kind.ACTIVITY,
        subject="Moved",
        body="The meeting moved.",
        path="/me/",
        emailed_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert note in Notification.objects.filter(person=tenant.member_person)
