"""The activity report page and its CSV and XLSX downloads."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from coproduce.core import access, spreadsheets
from coproduce.core.access import Permission
from coproduce.core.http import AuthenticatedRequest
from coproduce.groups.models import PartnershipGroup
from coproduce.organisations.models import Organisation
from coproduce.reports import activity
from coproduce.reports.forms import ActivityReportForm

REPORT = Permission.VIEW_ACTIVITY_REPORT


@access.requires(REPORT)
def activity_report(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisations = access.scoped(user, Organisation.objects.all(), REPORT)
    groups = access.scoped(user, PartnershipGroup.objects.all(), REPORT)
    form = ActivityReportForm(request.GET or {}, organisations=organisations, groups=groups)
    report = None
    if form.is_valid():
        report = activity.for_user(
            user,
            organisation=form.cleaned_data["organisation"],
            group=form.cleaned_data["group"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        )
        download = request.GET.get("download")
        if download in {"csv", "xlsx"}:
            return _download(report, download)
    return render(
        request,
        "reports/activity.jinja",
        {
            "title": "Activity report",
            "form": form,
            "report": report,
            "column": "full",
            "query": request.GET.urlencode(),
            "threshold": settings.SMALL_NUMBER_THRESHOLD,
        },
    )


def _download(report: activity.ActivityReport, kind: str) -> HttpResponse:
    name = f"activity-report-{report.starts_on}-to-{report.ends_on}"
    return spreadsheets.download(name, ("Section", "Measure", "Value"), report.table(), kind)
