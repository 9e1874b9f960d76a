from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "coproduce.groups"
    label = "groups"
