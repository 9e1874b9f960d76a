from django.urls import path

from coproduce.asks import views

app_name = "asks"
urlpatterns = [
    path("", views.ask_list, name="list"),
    path("new/", views.ask_create, name="create"),
    path("<int:pk>/", views.ask_detail, name="detail"),
    path("<int:pk>/edit/", views.ask_edit, name="edit"),
    path("<int:pk>/move/<str:status>/", views.ask_move, name="move"),
    path("<int:pk>/progress/", views.ask_progress, name="progress"),
    path("<int:pk>/evidence/add/<str:evidence_kind>/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path("<int:pk>/contributors/add/", views.contributor_add, name="contributor_add"),
    path("<int:pk>/publish/", views.ask_publish, name="publish"),
]
