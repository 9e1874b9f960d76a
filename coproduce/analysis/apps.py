from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "coproduce.analysis"
    label = "analysis"
    verbose_name = "Qualitative analysis"
