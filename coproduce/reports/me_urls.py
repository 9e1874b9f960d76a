from django.urls import path

from coproduce.reports import me_views

app_name = "me_involvement"

urlpatterns = [
    path("", me_views.my_involvement, name="summary"),
]
