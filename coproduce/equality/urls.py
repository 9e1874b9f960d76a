from django.urls import path

from coproduce.equality import views

app_name = "equality"
urlpatterns = [
    path("", views.report, name="report"),
    path("mine/", views.my_answers, name="mine"),
    path("mine/delete/", views.delete_my_answers, name="delete_mine"),
]
