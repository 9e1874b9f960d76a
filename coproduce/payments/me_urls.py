from django.urls import path

from coproduce.payments import me_views

app_name = "me_claims"

urlpatterns = [
    path("", me_views.my_claims, name="list"),
    path("new/", me_views.my_claim_create, name="create"),
    path("benefits-advice/", me_views.my_benefits_advice, name="benefits_advice"),
    path("<int:pk>/", me_views.my_claim, name="detail"),
    path("<int:pk>/answer/", me_views.my_claim_answer, name="respond"),
    path("<int:pk>/receipts/<int:receipt_pk>/", me_views.my_receipt, name="receipt"),
]
