from django.urls import path

from coproduce.activities import me_views

app_name = "me_activities"
urlpatterns = [
    path("", me_views.my_activities, name="list"),
    path("<int:pk>/", me_views.my_activity, name="detail"),
    path("<int:pk>/register/", me_views.my_register, name="register"),
    path("<int:pk>/cancel/", me_views.my_cancel, name="cancel"),
    path("<int:pk>/papers/<int:document_pk>/", me_views.my_document, name="document"),
    path("<int:pk>/invitation.ics", me_views.my_ics, name="ics"),
    path("calendar/new-address/", me_views.feed_reset, name="feed_reset"),
    # Public: a calendar app fetches it without signing in; the secret in the path is the key.
    path("feed/<token>.ics", me_views.feed, name="feed"),
]
