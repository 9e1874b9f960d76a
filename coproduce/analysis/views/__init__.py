"""Pages of an analysis project, one module per concept, each with its own `urlpatterns`."""
