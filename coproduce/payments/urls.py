from django.urls import path

from coproduce.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.claim_create, name="claim_create"),
    path("benefits-advice/", views.benefits_advice, name="benefits_advice"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.transition, name="transition"),
    path("<int:pk>/receipts/<int:receipt_pk>/", views.receipt, name="receipt"),
    path("policy/", views.policy, name="policy"),
    path("policy/rates/new/", views.rate_add, name="rate_add"),
    path("policy/rates/<int:rate_pk>/remove/", views.rate_remove, name="rate_remove"),
    path("policy/rules/new/", views.rule_add, name="rule_add"),
    path("policy/rules/<int:rule_pk>/remove/", views.rule_remove, name="rule_remove"),
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/new/", views.budget_add, name="budget_add"),
    path("budgets/<int:budget_pk>/", views.budget, name="budget"),
]
