"""The default services an ask can be about: the parts of cancer care people most often raise."""

from django.db import migrations

SERVICES = [
    "Screening",
    "GP referral and urgent suspected cancer appointments",
    "Diagnostic tests and imaging",
    "Outpatient clinics",
    "Surgery",
    "Chemotherapy and systemic treatment",
    "Radiotherapy",
    "Clinical nurse specialists",
    "Inpatient wards",
    "Acute oncology and emergency care",
    "Psychological support",
    "Cancer information and support centres",
    "Palliative and end of life care",
    "Living with and beyond cancer",
    "Transport and parking",
    "Research and clinical trials",
]


def add_defaults(apps, schema_editor):
    model = apps.get_model("asks", "Service")
    for position, name in enumerate(SERVICES):
        model.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("asks", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
