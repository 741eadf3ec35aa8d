"""Reader URLs. Each names its view; a kind whose pages need nothing special uses the
generic EntryListView / EntryDetailView with its model, which calls the model's
QuerySet (``for_listing()`` / ``for_detail()`` in models.py)."""

from django.urls import path

from . import feeds, views
from . import models as m

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", views.search, name="search"),
    path("feeds/", feeds.LatestFeed(), name="feed"),
    path("feeds/tags/<str:slug>/", feeds.TagFeed(), name="tag-feed"),
    path("feeds/challenges/<slug:slug>/", feeds.ChallengeFeed(), name="challenge-feed"),
    path("feeds/<slug:slug>/", feeds.KindFeed(), name="kind-feed"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/export.csv", views.CaseExportView.as_view(file_format="csv"), name="case-export-csv"),
    path("cases/export.json", views.CaseExportView.as_view(file_format="json"), name="case-export-json"),
    path("open-data/", views.OpenDataView.as_view(), name="open-data"),
    path("open-data/knowledge-base.json", views.knowledge_base_download, name="kb-download"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("self-check/", views.SelfCheckView.as_view(), name="self-check"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("insights/", views.InsightsView.as_view(), name="insights"),
    path("insights/timeline/", views.CaseTimelineView.as_view(), name="case-timeline"),
    path("factors/", views.EntryListView.as_view(model=m.SuccessFactor), name="factor-list"),
    path("factors/<slug:slug>/", views.FactorDetailView.as_view(), name="factor-detail"),
    path("challenges/", views.EntryListView.as_view(model=m.Challenge), name="challenge-list"),
    path("challenges/<slug:slug>/", views.ChallengeDetailView.as_view(), name="challenge-detail"),
    path("strategies/", views.EntryListView.as_view(model=m.Strategy), name="strategy-list"),
    path("strategies/<slug:slug>/", views.EntryDetailView.as_view(model=m.Strategy), name="strategy-detail"),
    path("concepts/", views.GroupedListView.as_view(model=m.Concept, group_by="kind"), name="concept-list"),
    path("concepts/<slug:slug>/", views.EntryDetailView.as_view(model=m.Concept), name="concept-detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("advantages/", views.EntryListView.as_view(model=m.Advantage), name="advantage-list"),
    path(
        "advantages/<slug:slug>/", views.EntryDetailView.as_view(model=m.Advantage), name="advantage-detail"
    ),
    path("trends/", views.EntryListView.as_view(model=m.Trend), name="trend-list"),
    path("trends/<slug:slug>/", views.EntryDetailView.as_view(model=m.Trend), name="trend-detail"),
    path("advice/", views.GroupedListView.as_view(model=m.Advice, group_by="area"), name="advice-list"),
    path("advice/<slug:slug>/", views.EntryDetailView.as_view(model=m.Advice), name="advice-detail"),
    path("faq/", views.EntryListView.as_view(model=m.FAQ), name="faq-list"),
    path("faq/<slug:slug>/", views.EntryDetailView.as_view(model=m.FAQ), name="faq-detail"),
    path("resources/", views.ResourceListView.as_view(), name="resource-list"),
    path("resources/<slug:slug>/", views.EntryDetailView.as_view(model=m.Resource), name="resource-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
]
