from coproduce.analysis.views import (
    cases,
    codebook,
    coding,
    comparison,
    exchange,
    projects,
    reports,
    search,
    sources,
    themes,
)

app_name = "analysis"
urlpatterns = [
    *projects.urlpatterns,
    *sources.urlpatterns,
    *coding.urlpatterns,
    *comparison.urlpatterns,
    *codebook.urlpatterns,
    *themes.urlpatterns,
    *cases.urlpatterns,
    *reports.urlpatterns,
    *search.urlpatterns,
    *exchange.urlpatterns,
]
