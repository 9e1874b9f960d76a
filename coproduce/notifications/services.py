"""Telling people things: the one way every app notifies a person.

`notify` records the notification (so the person sees it on their own page whatever their email
preference) and, if they want email as things happen, queues it to be sent. Daily and weekly
digests gather the rest (see tasks.py). Nobody is emailed without consent to be contacted.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.core import audit
from coproduce.core.errors import ServiceError
from coproduce.notifications.models import Frequency, Notification, Preference
from coproduce.people.models import ConsentKind, Person


def frequency_for(person: Person) -> str:
    preference = Preference.objects.filter(person=person).first()
    return preference.frequency if preference else Frequency.IMMEDIATELY


def may_email(person: Person) -> bool:
    return bool(person.email) and person.has_consent(ConsentKind.CONTACT)


def notify(person: Person, kind: str, subject: str, body: str, path: str) -> Notification:
    """Record a notification for `person` and email it now if that is what they chose."""
    notification = Notification.objects.create(
        person=person, kind=kind, subject=subject[:200], body=body, path=path
    )
    if frequency_for(person) == Frequency.IMMEDIATELY and may_email(person):
        from coproduce.notifications.tasks import send_notification

        transaction.on_commit(lambda: send_notification.enqueue(notification.pk))
    return notification


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def email(person: Person, subject: str, template: str, context: dict[str, object]) -> None:
    """Send one email with a plain-text part and an HTML part, both from templates."""
    context = {"person": person, "site_url": settings.SITE_URL.rstrip("/"), **context}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html.jinja", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    message.send()


def send_now(notification: Notification) -> bool:
    """Email one notification, unless it was sent already or the person may not be emailed."""
    if notification.emailed_at is not None or not may_email(notification.person):
        return False
    email(
        notification.person,
        notification.subject,
        "notifications/email/notification",
        {"notification": notification, "link": absolute(notification.path)},
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def set_frequency(*, actor: User, person: Person, frequency: str) -> Preference:
    if frequency not in Frequency.values:
        raise ServiceError("Select how often you would like emails", field="frequency")
    preference, _ = Preference.objects.update_or_create(
        person=person, defaults={"frequency": frequency}
    )
    audit.record(
        actor=actor,
        action="notifications.preference_changed",
        target=preference,
        summary=f"Email preference set to: {Frequency(frequency).label}",
        organisation_id=person.organisation_id,
        person=person,
        on_behalf_of=person if getattr(actor, "person", None) != person else None,
        changed_fields=["frequency"],
    )
    return preference


def mark_read(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def send_digests(frequency: str) -> int:
    """Email each person who chose this frequency everything not yet emailed, in one message.

    Items are grouped by kind. A person with nothing new gets no email: a digest is never empty.
    Returns how many digests were sent.
    """
    people = Person.objects.filter(
        notification_preference__frequency=frequency,
        notifications__emailed_at__isnull=True,
    ).distinct()
    sent = 0
    for person in people.iterator(chunk_size=500):
        if not may_email(person):
            continue
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update()
                .filter(person=person, emailed_at__isnull=True)
                .order_by("kind", "created_at", "id")
            )
            if not waiting:
                continue
            sections = [
                {
                    "label": Notification.Kind(kind).label,
                    "items": [
                        {"notification": item, "link": absolute(item.path)}
                        for item in waiting
                        if item.kind == kind
                    ],
                }
                for kind in dict.fromkeys(item.kind for item in waiting)
            ]
            period = "today" if frequency == Frequency.DAILY else "this week"
            email(
                person,
                f"Your Coproduce update: {len(waiting)} new {'item' if len(waiting) == 1 else 'items'} {period}",
                "notifications/email/digest",
                {"sections": sections, "period": period},
            )
            Notification.objects.filter(pk__in=[item.pk for item in waiting]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent
