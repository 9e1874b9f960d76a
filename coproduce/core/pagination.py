"""Paging for lists, shaped for the NHS.UK pagination component."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass
class PagedList:
    page: Page
    previous_url: str | None
    next_url: str | None

    @property
    def items(self) -> Any:
        return self.page.object_list

    @property
    def summary(self) -> str:
        total = self.page.paginator.count
        if total == 0:
            return "No results"
        return f"Showing {self.page.start_index():,} to {self.page.end_index():,} of {total:,}"


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None
) -> PagedList:
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(
            1 if not request.GET.get("page", "").isdigit() else paginator.num_pages
        )

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f"?{urlencode(sorted(query.items()))}"

    return PagedList(
        page=page,
        previous_url=link(page.previous_page_number()) if page.has_previous() else None,
        next_url=link(page.next_page_number()) if page.has_next() else None,
    )
