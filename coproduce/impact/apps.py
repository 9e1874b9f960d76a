from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "coproduce.impact"
    label = "impact"
    verbose_name = "Impact"
