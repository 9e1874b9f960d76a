"""`manage.py send_questionnaires`: for cron, once a day."""

from coproduce.core.commands import TaskCommand
from coproduce.impact.tasks import send_questionnaires


class Command(TaskCommand):
    help = "Send the questionnaires that are due to people who took part, members and staff."
    task = send_questionnaires
    done = "Sent {count} questionnaire{s}"
