from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnalysisConfig(AppConfig):
    name = "coproduce.analysis"
    label = "analysis"
    verbose_name = "Qualitative analysis"

    def ready(self) -> None:
        from coproduce.analysis import search

        # On SQLite, a migration that alters the source table rebuilds it and drops the search
        # triggers; this puts them back (and does nothing when they are there).
        post_migrate.connect(search.restore_index, sender=self)
