"""Claims in the JSON API, under the same access rules as the pages."""

from ninja import Router

router = Router(tags=["claims"])
