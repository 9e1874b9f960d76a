"""`manage.py remind_unanswered_asks`: for cron, once a day."""

from coproduce.asks.tasks import remind_unanswered_asks
from coproduce.core.commands import TaskCommand


class Command(TaskCommand):
    help = "Remind owners and involvement leads of asks that have waited too long for an answer."
    task = remind_unanswered_asks
    done = "Chased {count} ask{s}"
