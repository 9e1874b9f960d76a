"""Requests for involvement: what staff ask for, who expresses interest, and who is selected."""

from django.conf import settings
from django.db import models

from coproduce.activities.models import InvolvementDetails


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def open(self) -> "OpportunityQuerySet":
        """Published and still taking expressions of interest."""
        from django.utils import timezone

        return self.filter(status=Opportunity.Status.PUBLISHED, closes_on__gte=timezone.localdate())


class Opportunity(InvolvementDetails):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for review"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    why = models.TextField("Why it is needed", max_length=3000)
    time_commitment = models.CharField(
        max_length=200, help_text="For example, two hours a month for six months"
    )
    hours = models.DecimalField(
        "Hours in total, roughly", max_digits=6, decimal_places=1, null=True, blank=True
    )
    timing = models.JSONField("When it happens", default=list, blank=True)  # Availability values
    starts_on = models.DateField("When it starts", null=True, blank=True)
    closes_on = models.DateField("Closing date")
    who_wanted = models.TextField("Who we would like to hear from", max_length=2000, blank=True)
    places = models.PositiveIntegerField("How many people", null=True, blank=True)
    cancer_types = models.ManyToManyField("people.CancerType", blank=True, related_name="+")
    pathway_stages = models.ManyToManyField("people.PathwayStage", blank=True, related_name="+")
    topics = models.ManyToManyField("people.Topic", blank=True, related_name="+")
    skills_wanted = models.CharField(
        "Skills or experience that would help", max_length=500, blank=True
    )
    group = models.ForeignKey(
        "groups.PartnershipGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "id"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["organisation", "status", "closes_on"])]

    def __str__(self) -> str:
        return self.title


class Interest(models.Model):
    """A person's expression of interest in an opportunity, and the lead's decision on it."""

    class Status(models.TextChoices):
        EXPRESSED = "expressed", "Interested"
        SELECTED = "selected", "Selected"
        NOT_SELECTED = "not_selected", "Not selected this time"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation_path = "opportunity__organisation"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="interests")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.EXPRESSED)
    note = models.TextField("Anything they would like us to know", max_length=2000, blank=True)
    expressed_at = models.DateTimeField(auto_now_add=True)
    # The person themselves, or staff acting for someone who is not online.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["expressed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "person"], name="one_interest_each"),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.opportunity}"


class Invitation(models.Model):
    """The lead asked a suggested person to look at an opportunity; kept so nobody is asked twice."""

    organisation_path = "opportunity__organisation"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="opportunity_invitations"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "person"], name="one_invitation_each"),
        ]

    def __str__(self) -> str:
        return f"{self.person} invited to {self.opportunity}"
