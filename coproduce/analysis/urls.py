from coproduce.analysis.views import (
    cases,
    codebook,
    coding,
    comparison,
    discovery,
    exchange,
    projects,
    reports,
    search,
    sources,
    suggestions,
    themes,
    trends,
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
    *trends.urlpatterns,
    *discovery.urlpatterns,
    *suggestions.urlpatterns,
]
