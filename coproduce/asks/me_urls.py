from django.urls import path

from coproduce.asks import me_views

app_name = "me_asks"
urlpatterns = [
    path("", me_views.my_asks, name="list"),
    path("new/", me_views.my_ask_create, name="create"),
    path("<int:pk>/", me_views.my_ask, name="detail"),
    path("<int:pk>/evidence/<int:evidence_pk>/", me_views.my_evidence, name="evidence"),
]
