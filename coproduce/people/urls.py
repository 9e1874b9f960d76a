from django.urls import path

from coproduce.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/consent/", views.person_consent, name="consent"),
    path("<int:pk>/sign-in/", views.person_sign_in, name="sign_in"),
]
