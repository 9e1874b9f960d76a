from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "coproduce.demo"
    label = "demo"
    verbose_name = "Demo and scale data"
