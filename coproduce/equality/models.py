"""Equality monitoring: voluntary answers kept apart from the person's profile.

Only the person can enter, change or delete their answers. Staff never see a row; they see
counts across many people, with small numbers hidden (see `report.py`).
"""

from django.db import models

from coproduce.core.models import TimestampedModel

PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")


class EqualityResponse(TimestampedModel):
    class AgeBand(models.TextChoices):
        UNDER_25 = "16_24", "16 to 24"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        FROM_65 = "65_74", "65 to 74"
        FROM_75 = "75_84", "75 to 84"
        OVER_85 = "85_plus", "85 or over"
        NOT_SAID = PREFER_NOT_TO_SAY

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NOT_SAID = PREFER_NOT_TO_SAY

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SAID = PREFER_NOT_TO_SAY

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY_OR_LESBIAN = "gay_or_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Another sexual orientation"
        NOT_SAID = PREFER_NOT_TO_SAY

    class EthnicGroup(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Another ethnic group"
        NOT_SAID = PREFER_NOT_TO_SAY

    class Religion(models.TextChoices):
        NONE = "none", "No religion"
        BUDDHIST = "buddhist", "Buddhist"
        CHRISTIAN = "christian", "Christian"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Another religion or belief"
        NOT_SAID = PREFER_NOT_TO_SAY

    class Disability(models.TextChoices):
        A_LOT = "a_lot", "Yes, my day-to-day activities are limited a lot"
        A_LITTLE = "a_little", "Yes, my day-to-day activities are limited a little"
        NO = "no", "No"
        NOT_SAID = PREFER_NOT_TO_SAY

    organisation_path = "person__organisation"

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="equality_response"
    )
    age_band = models.CharField("Age", max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField("Sex", max_length=20, choices=Sex.choices, blank=True)
    gender_same_as_sex_at_birth = models.CharField(
        "Is your gender the same as the sex you were registered at birth?",
        max_length=20,
        choices=YesNo.choices,
        blank=True,
    )
    sexual_orientation = models.CharField(
        "Sexual orientation", max_length=20, choices=SexualOrientation.choices, blank=True
    )
    ethnic_group = models.CharField(
        "Ethnic group", max_length=20, choices=EthnicGroup.choices, blank=True
    )
    religion = models.CharField(
        "Religion or belief", max_length=20, choices=Religion.choices, blank=True
    )
    disability = models.CharField(
        "Do you have a long-term condition or disability?",
        max_length=20,
        choices=Disability.choices,
        blank=True,
    )
    carer = models.CharField(
        "Do you look after someone because of illness, disability or age?",
        max_length=20,
        choices=YesNo.choices,
        blank=True,
    )

    QUESTIONS = (
        "age_band",
        "sex",
        "gender_same_as_sex_at_birth",
        "sexual_orientation",
        "ethnic_group",
        "religion",
        "disability",
        "carer",
    )

    def __str__(self) -> str:
        return f"Equality monitoring answers for person {self.person_id}"
