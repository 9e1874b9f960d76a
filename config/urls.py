from django.urls import include, path

from coproduce.api.api import api

urlpatterns = [
    path("", include("coproduce.core.urls")),
    path("account/", include("coproduce.accounts.urls")),
    path("organisations/", include("coproduce.organisations.urls")),
    path("groups/", include("coproduce.groups.urls")),
    path("people/", include("coproduce.people.urls")),
    path("opportunities/", include("coproduce.opportunities.urls")),
    path("activities/", include("coproduce.activities.urls")),
    path("payments/", include("coproduce.payments.urls")),
    path("reports/", include("coproduce.reports.urls")),
    path("asks/", include("coproduce.asks.urls")),
    path("you-said-we-did/", include("coproduce.asks.public_urls")),
    path("impact/", include("coproduce.impact.urls")),
    path("analysis/", include("coproduce.analysis.urls")),
    path("me/opportunities/", include("coproduce.opportunities.me_urls")),
    path("me/activities/", include("coproduce.activities.me_urls")),
    path("me/claims/", include("coproduce.payments.me_urls")),
    path("me/notifications/", include("coproduce.notifications.me_urls")),
    path("me/asks/", include("coproduce.asks.me_urls")),
    path("me/questionnaires/", include("coproduce.impact.me_urls")),
    path("me/involvement/", include("coproduce.reports.me_urls")),
    path("me/", include("coproduce.people.me_urls")),
    path("equality/", include("coproduce.equality.urls")),
    path("api/v1/", api.urls),
]
