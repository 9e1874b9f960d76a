from django.urls import path  # noqa: F401

app_name = "me_activities"

urlpatterns: list = []
