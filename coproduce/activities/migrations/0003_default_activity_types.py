"""The default activity types: the kinds of involvement cancer services commonly run."""

from django.db import migrations

ACTIVITY_TYPES = [
    "Reference group consultation",
    "Representing patients on a board or committee",
    "Reviewing or writing patient information",
    "Communication project",
    "Lobbying and influencing",
    "Survey",
    "Focus group or interview",
    "Peer support",
    "Visit or assessment of a care environment",
    "Co-design event or group",
    "Recruitment or interview panel",
    "Teaching staff from lived experience",
    "Research involvement",
    "Partnership group meeting",
]


def add_defaults(apps, schema_editor):
    model = apps.get_model("activities", "ActivityType")
    for position, name in enumerate(ACTIVITY_TYPES):
        model.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
