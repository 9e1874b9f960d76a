from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "coproduce.asks"
    label = "asks"
    verbose_name = "You said, we did"
