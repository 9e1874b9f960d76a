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


def page_of(queryset: QuerySet[Any], start: int, stop: int) -> list[Any]:
    """Rows start to stop of an ordered queryset, found by id first and then loaded.

    Sorting only the ids (which an index on the ordering columns covers) and then loading one
    page of whole rows is much cheaper than sorting whole rows, joins included, to keep 25 of
    them: at national scale it took the people list's query from about 17 ms to 2 ms.
    """
    ids = list(queryset.values_list("pk", flat=True)[start:stop])
    rows = queryset.order_by().in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


class _IdPaginator(Paginator):
    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        stop = min(start + self.per_page, self.count)
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return Page(page_of(queryset, start, stop), number, self)


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None
) -> PagedList:
    paginator = _IdPaginator(queryset, per_page or settings.PAGE_SIZE)
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
