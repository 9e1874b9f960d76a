from django.urls import path

from coproduce.notifications import me_views

app_name = "me_notifications"

urlpatterns = [
    path("", me_views.notification_list, name="list"),
    path("preferences/", me_views.preferences, name="preferences"),
]
