from django.urls import path

from coproduce.opportunities import me_views

app_name = "me_opportunities"
urlpatterns = [
    path("", me_views.my_opportunity_list, name="list"),
    path("<int:pk>/", me_views.my_opportunity_detail, name="detail"),
    path("<int:pk>/interest/", me_views.my_interest, name="interest"),
    path("<int:pk>/withdraw/", me_views.my_withdraw, name="withdraw"),
]
