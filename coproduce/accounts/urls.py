from django.urls import path

from coproduce.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("password/", views.change_password, name="change_password"),
    path("set-password/<uidb64>/<token>/", views.set_password, name="password_reset_confirm"),
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/", views.user_roles, name="user_roles"),
]
