from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "coproduce.organisations"
    label = "organisations"
