"""Organisations: the bodies that run involvement and own its records (the tenant)."""

from django.db import models

from coproduce.core.models import TimestampedModel


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        CANCER_ALLIANCE = "cancer_alliance", "Cancer alliance"
        NHS_TRUST = "nhs_trust", "NHS trust"
        INTEGRATED_CARE_BOARD = "integrated_care_board", "Integrated care board"
        CHARITY = "charity", "Charity"
        UNIVERSITY = "university", "University"

    organisation_path = "id"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    region = models.CharField(max_length=100, blank=True)
    ods_code = models.CharField(
        "ODS code", max_length=10, blank=True, help_text="The NHS Organisation Data Service code"
    )
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
