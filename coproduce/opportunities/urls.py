from django.urls import path

from coproduce.opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/publish/", views.opportunity_publish, name="publish"),
    path("<int:pk>/close/", views.opportunity_close, name="close"),
    path("<int:pk>/suggestions/", views.opportunity_suggestions, name="suggestions"),
    path("<int:pk>/interests/add/", views.interest_add, name="interest_add"),
    path("<int:pk>/interests/<int:interest_pk>/", views.interest_decide, name="interest_decide"),
]
