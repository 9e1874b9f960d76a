"""Helpers for payments tests: a member who attended an activity on a given day, and files."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coproduce.activities.models import Activity, Attendance
from coproduce.factories import ActivityFactory, AttendanceFactory
from coproduce.people.models import Person

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def attended(
    person: Person, on: datetime.date, hours: Decimal = Decimal("2.00"), **activity: object
) -> Attendance:
    """A held activity on `on` that `person` attended for `hours`."""
    starts_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    held = ActivityFactory.create(
        organisation=person.organisation,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=Activity.Status.HELD,
        **activity,
    )
    return AttendanceFactory.create(activity=held, person=person, hours=hours)
