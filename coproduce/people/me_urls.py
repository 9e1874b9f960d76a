from django.urls import path

from coproduce.people import me_views

app_name = "me"
urlpatterns = [
    path("", me_views.my_home, name="home"),
    path("details/", me_views.my_details, name="details"),
    path("interests/", me_views.my_interests, name="interests"),
    path("consent/<slug:kind>/", me_views.my_consent, name="consent"),
    path("download/", me_views.my_data, name="download"),
]
