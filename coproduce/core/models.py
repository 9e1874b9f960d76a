"""The base model every domain model shares, and the audit trail."""

from typing import Any

from django.conf import settings
from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about_person(self, person_id: int) -> "AuditEventQuerySet":
        return self.filter(models.Q(person_id=person_id) | models.Q(on_behalf_of_id=person_id))

    def between(self, start: Any, end: Any) -> "AuditEventQuerySet":
        queryset = self
        if start:
            queryset = queryset.filter(occurred_at__date__gte=start)
        if end:
            queryset = queryset.filter(occurred_at__date__lte=end)
        return queryset


class AuditEvent(models.Model):
    """One write to personal or organisation data: who, what, when, and for whom.

    Rows are only ever added. The person's name is copied into `person_label` so the trail still
    reads correctly after a record is erased.
    """

    organisation_path = "organisation"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=40)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_label = models.CharField(max_length=200, blank=True)
    on_behalf_of = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=500)
    changed_fields = models.JSONField(default=list, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"
