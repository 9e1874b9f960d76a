from django.urls import path

from coproduce.impact import me_views

app_name = "me_questionnaires"

urlpatterns = [
    path("", me_views.my_questionnaires, name="list"),
    path("<str:token>/", me_views.answer, name="answer"),
]
