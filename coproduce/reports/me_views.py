"""A member's page about their own involvement."""

from django.http import HttpResponse
from django.shortcuts import render

from coproduce.core import access
from coproduce.core.http import AuthenticatedRequest
from coproduce.opportunities.presenters import status_tag as interest_tag
from coproduce.payments.presenters import status_tag as claim_tag
from coproduce.reports.involvement import for_member


@access.member_area
def my_involvement(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "reports/me/involvement.jinja",
        {
            "title": "Your involvement",
            "mine": for_member(request.user.person),
            "interest_tag": interest_tag,
            "claim_tag": claim_tag,
        },
    )
