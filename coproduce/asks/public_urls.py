from django.urls import path

from coproduce.asks import public_views

app_name = "you_said_we_did"
urlpatterns = [
    path("<int:organisation_pk>/", public_views.organisation_record, name="organisation"),
    path(
        "<int:organisation_pk>/groups/<int:group_pk>/",
        public_views.group_record,
        name="group",
    ),
    path("<int:organisation_pk>/feed/", public_views.feed, name="feed"),
]
