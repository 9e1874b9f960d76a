"""What Coproduce tells people, and how often they want to hear from it."""

from django.db import models

from coproduce.core.models import TimestampedModel


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "As things happen"
    DAILY = "daily", "Once a day, in one email"
    WEEKLY = "weekly", "Once a week, in one email"
    NEVER = "never", "Do not email me (I will check Coproduce)"


class Preference(TimestampedModel):
    organisation_path = "person__organisation"

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="notification_preference"
    )
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    def __str__(self) -> str:
        return f"{self.person}: {self.get_frequency_display()}"


class Notification(TimestampedModel):
    """One thing a person should hear about; emailed at once or gathered into a digest."""

    class Kind(models.TextChoices):
        OPPORTUNITY = "opportunity", "New opportunities"
        SELECTION = "selection", "Opportunities you expressed interest in"
        ACTIVITY = "activity", "Meetings and activities"
        REMINDER = "reminder", "Reminders"
        CLAIM = "claim", "Payments and expenses"
        CHANGE = "change", "What your involvement changed"
        QUESTIONNAIRE = "questionnaire", "Questionnaires about your involvement"

    organisation_path = "person__organisation"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    # A path within Coproduce ("/me/claims/12/"): emails link back to the page.
    path = models.CharField(max_length=300)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "emailed_at"])]

    def __str__(self) -> str:
        return self.subject
