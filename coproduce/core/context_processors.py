"""What the page header needs: the navigation the signed-in user's roles allow."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from coproduce.core.access import Permission, has_permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items: list[dict[str, str]] = []
    if user.is_authenticated:
        links = [
            (Permission.VIEW_GROUPS, "groups:list", "Groups"),
            (Permission.VIEW_PEOPLE, "people:list", "People"),
            (Permission.VIEW_OPPORTUNITIES, "opportunities:list", "Opportunities"),
            (Permission.VIEW_ACTIVITIES, "activities:list", "Activities"),
            (Permission.VIEW_ASKS, "asks:list", "You said, we did"),
            (Permission.VIEW_IMPACT, "impact:dashboard", "Impact"),
            (Permission.USE_ANALYSIS, "analysis:projects", "Analysis"),
            (Permission.APPROVE_CLAIMS, "payments:queue", "Claims"),
            (Permission.VIEW_ACTIVITY_REPORT, "reports:activity", "Reports"),
            (Permission.VIEW_EQUALITY_REPORT, "equality:report", "Equality"),
            (Permission.VIEW_AUDIT, "core:audit", "Audit"),
            (Permission.MANAGE_ACCOUNTS, "accounts:users", "Accounts"),
        ]
        items = [
            {"href": reverse(name), "text": text}
            for permission, name, text in links
            if has_permission(user, permission)
        ]
        if getattr(user, "person", None) is not None:
            items += [
                {"href": reverse(name), "text": text}
                for name, text in (
                    ("me_opportunities:list", "Opportunities"),
                    ("me_involvement:summary", "My involvement"),
                    ("me_asks:list", "What you raised"),
                    ("me_questionnaires:list", "Questionnaires"),
                    ("me_claims:list", "My claims"),
                    ("me_notifications:list", "Notifications"),
                    ("me:home", "My details"),
                )
            ]
    # The section the page is in: the longest link the path starts with, so that
    # /me/involvement/ marks "My involvement" and not "My details" (/me/) as well.
    matching = [item["href"] for item in items if request.path.startswith(item["href"])]
    current = max(matching, key=len, default=None)
    for item in items:
        item["active"] = item["href"] == current  # type: ignore[assignment]
    return {"navigation_items": items}
