"""Paged API lists, loaded the same way as the pages' lists (ids first, then rows)."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.pagination import PageNumberPagination

from coproduce.core.pagination import page_of


class Pages(PageNumberPagination):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", settings.API_PAGE_SIZE)
        super().__init__(**kwargs)

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: PageNumberPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        start = (pagination.page - 1) * page_size
        return {
            self.items_attribute: page_of(queryset, start, start + page_size),
            "count": self._items_count(queryset),
        }
