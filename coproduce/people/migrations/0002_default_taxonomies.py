"""The default lists of cancer types, pathway stages, topics and support needs.

Organisations can add to these; the defaults give a new installation something sensible.
"""

from django.db import migrations

CANCER_TYPES = [
    "Breast",
    "Lung",
    "Bowel",
    "Prostate",
    "Skin (including melanoma)",
    "Blood (leukaemia, lymphoma, myeloma)",
    "Head and neck",
    "Upper gastrointestinal (oesophagus, stomach, pancreas, liver)",
    "Gynaecological",
    "Kidney and bladder",
    "Testicular",
    "Brain and spinal cord",
    "Sarcoma",
    "Children's and young people's cancers",
    "Cancer of unknown primary",
    "Other or rare cancers",
]
PATHWAY_STAGES = [
    "Noticing symptoms and seeing a GP",
    "Referral and tests",
    "Diagnosis",
    "Planning treatment",
    "Treatment",
    "Living with and beyond cancer",
    "Recurrence or secondary cancer",
    "Palliative and end of life care",
]
TOPICS = [
    "Patient information",
    "Access to services",
    "Care environment",
    "Waiting times",
    "Travel and parking",
    "Communication with staff",
    "Emotional and psychological support",
    "Research",
    "Health inequalities",
    "Digital services",
    "Support for carers",
    "Screening and early diagnosis",
]
SUPPORT_NEEDS = [
    "Transport booked ahead",
    "Carer cover",
    "Spoken language interpreter",
    "British Sign Language interpreter",
    "Large print",
    "Easy read",
    "Hearing loop",
    "Step-free access",
    "A quiet space",
    "Papers sent a week ahead",
    "Help to join online meetings",
]


def add_defaults(apps, schema_editor):
    for model_name, names in (
        ("CancerType", CANCER_TYPES),
        ("PathwayStage", PATHWAY_STAGES),
        ("Topic", TOPICS),
        ("SupportNeed", SUPPORT_NEEDS),
    ):
        model = apps.get_model("people", model_name)
        for position, name in enumerate(names):
            model.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
